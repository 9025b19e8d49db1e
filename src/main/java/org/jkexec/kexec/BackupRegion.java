package org.jkexec.kexec;

import org.jkexec.memory.MemRange;

/**
 * The crashed kernel's first 64 KiB, overwritten while the kdump kernel is started, so the
 * purgatory copies it first into a segment of its own and the dump reads it from there (see
 * docs/ppc64-kdump.md#backup-region). The one definition of its bounds.
 */
public final class BackupRegion {
    /** Bytes copied: BACKUP_SRC_SIZE of the kernel's crashdump-ppc64.h. */
    public static final long SIZE = 0x10000;
    /** The memory copied, {@code [0, 0xffff]}. */
    public static final MemRange SOURCE = new MemRange(0, SIZE - 1);

    private BackupRegion() {}
}
