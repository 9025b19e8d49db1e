package org.jkexec.purgatory;

import java.util.Arrays;
import org.jkexec.JkexecException;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.units.Hex;

/**
 * The values the loader writes into the purgatory (the kernel's {@code setup_purgatory} and
 * {@code setup_purgatory_ppc64} symbols). All addresses are physical.
 *
 * @param kernelLoadAddr physical address of the kdump kernel's lowest PT_LOAD; it is entered at offset 0
 * @param fdtAddr        physical address of the FDT segment
 * @param backupStart    destination of the backup of physical 0 (0 = regular kexec, no copy)
 * @param backupSize     bytes of physical 0.. copied there: the kernel's 64 KiB, or more (a multiple of 8)
 * @param opalBase       {@code /ibm,opal/opal-base-address}, 0 when the machine has no OPAL
 * @param opalEntry      {@code /ibm,opal/opal-entry-address}, 0 when the machine has no OPAL
 * @param runAtLoad      true for kdump: the kernel must run where it was loaded, not relocate to 0
 * @param kernelHead256  the first 256 bytes of the kernel's first program header's file data
 */
public record PurgatoryParams(
        long kernelLoadAddr,
        long fdtAddr,
        long backupStart,
        long backupSize,
        long opalBase,
        long opalEntry,
        boolean runAtLoad,
        byte[] kernelHead256) {

    /** The kernel's backup region: the first 64 KiB. */
    public static final long KERNEL_BACKUP_SIZE = BackupRegion.SIZE;

    public PurgatoryParams(
            long kernelLoadAddr,
            long fdtAddr,
            long backupStart,
            long opalBase,
            long opalEntry,
            boolean runAtLoad,
            byte[] kernelHead256) {
        this(kernelLoadAddr, fdtAddr, backupStart, KERNEL_BACKUP_SIZE, opalBase, opalEntry, runAtLoad, kernelHead256);
    }

    public PurgatoryParams {
        if (kernelHead256 == null || kernelHead256.length != PurgatoryLayout.HEAD_SIZE) {
            throw JkexecException.badInput(
                    "kernel image",
                    "its first program header has "
                            + (kernelHead256 == null ? 0 : kernelHead256.length)
                            + " bytes of file data, the purgatory needs the first 256");
        }
        kernelHead256 = kernelHead256.clone();
        requireAligned(kernelLoadAddr, 4, "kernelLoadAddr");
        requireAligned(fdtAddr, 4, "fdtAddr");
        requireAligned(backupStart, 8, "backupStart");
        requireAligned(backupSize, 8, "backupSize");
        if (backupSize < 0 || (backupStart != 0 && backupSize == 0)) {
            throw new IllegalArgumentException(
                    "backupSize " + Hex.hex(backupSize) + " for a backup at " + Hex.hex(backupStart));
        }
    }

    @Override
    public byte[] kernelHead256() {
        return kernelHead256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PurgatoryParams p
                && kernelLoadAddr == p.kernelLoadAddr
                && fdtAddr == p.fdtAddr
                && backupStart == p.backupStart
                && backupSize == p.backupSize
                && opalBase == p.opalBase
                && opalEntry == p.opalEntry
                && runAtLoad == p.runAtLoad
                && Arrays.equals(kernelHead256, p.kernelHead256);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(kernelLoadAddr) * 31 + Long.hashCode(fdtAddr) * 17 + Arrays.hashCode(kernelHead256);
    }

    @Override
    public String toString() {
        return String.format(
                "PurgatoryParams[kernel=0x%x, fdt=0x%x, backup=0x%x+0x%x, opalBase=0x%x, opalEntry=0x%x, "
                        + "runAtLoad=%s]",
                kernelLoadAddr, fdtAddr, backupStart, backupSize, opalBase, opalEntry, runAtLoad);
    }

    // The purgatory does word and doubleword accesses at these addresses; in real mode a
    // misaligned one may trap with nothing left to handle it.
    private static void requireAligned(long address, int alignment, String what) {
        if ((address & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(
                    what + " " + Hex.hex(address) + " is not " + alignment + "-byte aligned");
        }
    }
}
