package org.jkexec.purgatory;

import static org.jkexec.purgatory.PurgatoryLayout.HEAD_SIZE;
import static org.jkexec.purgatory.PurgatoryLayout.RUN_AT_LOAD_OFFSET;

import org.jkexec.units.Hex;

/**
 * Builds jkexec's ppc64le purgatory: the small program kexec_load(2) enters after a crash, which
 * saves the start of memory (the backup region), tells the FDT which CPU boots, and enters the kdump kernel.
 * See {@link PurgatoryProgram} for the program and the kernel's entry contract.
 *
 * <p>The image is position independent and its size is fixed, so the planner can reserve
 * {@link #size()} bytes first and {@link #build} once every address is known.
 */
public final class Purgatory {
    /** The kernel copies the 256 bytes at the entry point to physical 0, so we must be entered at the head. */
    private static final int ENTRY_OFFSET = 0;

    /** Mirrors the kernel's {@code .balign 256} for {@code purgatory_start}. */
    public static final int LOAD_ALIGNMENT = 256;

    private Purgatory() {}

    /** Image size in bytes (independent of every parameter). */
    public static int size() {
        return layout().size();
    }

    /** Offset of the entry point in the image; the kexec_load entry is {@code loadAddress + entryOffset()}. */
    public static int entryOffset() {
        return ENTRY_OFFSET;
    }

    public static PurgatoryLayout layout() {
        return PurgatoryProgram.INSTANCE.layout();
    }

    /**
     * The image for the given values, to be loaded at physical {@code loadAddress}.
     *
     * <p>Bytes 4..255 are the kernel's head (as the kernel's {@code setup_purgatory} does); word 0
     * stays our {@code b master}. The run_at_load word at +0x5c becomes 1 when
     * {@code p.runAtLoad()}; otherwise the kernel's own value is kept.
     */
    public static byte[] build(PurgatoryParams p, long loadAddress) {
        if (loadAddress % LOAD_ALIGNMENT != 0) {
            throw new IllegalArgumentException(
                    "purgatory load address " + Hex.hex(loadAddress) + " is not " + LOAD_ALIGNMENT + "-byte aligned");
        }
        PurgatoryLayout l = layout();
        byte[] image = PurgatoryProgram.INSTANCE.template();
        System.arraycopy(p.kernelHead256(), 4, image, 4, HEAD_SIZE - 4);
        if (p.runAtLoad()) {
            putLe(image, RUN_AT_LOAD_OFFSET, 1, 4);
        }
        putLe(image, l.kernelOffset(), p.kernelLoadAddr(), 8);
        putLe(image, l.dtOffsetOffset(), p.fdtAddr(), 8);
        putLe(image, l.backupStartOffset(), p.backupStart(), 8);
        putLe(image, l.opalBaseOffset(), p.opalBase(), 8);
        putLe(image, l.opalEntryOffset(), p.opalEntry(), 8);
        putLe(image, l.backupDwordsOffset(), p.backupSize() / 8, 8);
        return image;
    }

    static void putLe(byte[] b, int offset, long value, int size) {
        for (int i = 0; i < size; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    static long getLe(byte[] b, int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }
}
