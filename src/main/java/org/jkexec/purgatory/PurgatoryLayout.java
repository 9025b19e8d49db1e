package org.jkexec.purgatory;

/**
 * Byte offsets inside the purgatory image. They are fixed by the program text alone (not by any
 * address or parameter), so the planner can size and place the purgatory before it knows the
 * values that get patched in.
 *
 * @param masterOffset       first instruction of the boot CPU's path (target of {@code b master} at 0)
 * @param magicOffset        8 ASCII bytes {@link #MAGIC} marking our image, start of the data block
 * @param kernelOffset       u64 LE: physical load address of the kdump kernel (entered at offset 0)
 * @param dtOffsetOffset     u64 LE: physical address of the FDT
 * @param backupStartOffset  u64 LE: destination of the 64 KiB backup of physical 0; 0 = no copy
 * @param opalBaseOffset     u64 LE: OPAL base handed over in r8 (0 when not on OPAL)
 * @param opalEntryOffset    u64 LE: OPAL entry handed over in r9 (0 when not on OPAL)
 * @param backupDwordsOffset u64 LE: how many doublewords of physical 0.. the backup copy takes
 * @param size               total image size in bytes
 */
public record PurgatoryLayout(
        int masterOffset,
        int magicOffset,
        int kernelOffset,
        int dtOffsetOffset,
        int backupStartOffset,
        int opalBaseOffset,
        int opalEntryOffset,
        int backupDwordsOffset,
        int size) {

    /** Size of the head that kexec copies to physical 0 (the next kernel's first 256 bytes). */
    public static final int HEAD_SIZE = 0x100;

    /** u32 in the kernel's own byte order: 1 tells a relocatable kernel to run where it was loaded. */
    public static final int RUN_AT_LOAD_OFFSET = 0x5c;

    /** Where kexec releases the secondary CPUs (in the copy at physical 0). */
    public static final int SECONDARY_ENTRY_OFFSET = 0x60;

    /** Marks a jkexec purgatory image; the digit is the layout version. */
    public static final String MAGIC = "JKXPURG2";
}
