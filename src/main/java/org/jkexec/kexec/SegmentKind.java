package org.jkexec.kexec;

import java.util.Optional;

/**
 * What a kexec segment holds. {@link #label()} is its name in plans, file names and messages
 * ("kernel", "purgatory", ...), and {@link #toString()} too.
 */
public enum SegmentKind {
    /** One PT_LOAD of the next kernel's vmlinux. */
    KERNEL("kernel"),
    PURGATORY("purgatory"),
    /** Where the purgatory copies the crashed kernel's first 64 KiB. */
    BACKUP("backup"),
    /** The ELF core header /proc/vmcore is built from. */
    ELFCOREHDR("elfcorehdr"),
    INITRD("initrd"),
    FDT("fdt");

    private final String label;

    SegmentKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind labelled {@code label}, if any (plans written by other versions may name others). */
    public static Optional<SegmentKind> ofLabel(String label) {
        for (SegmentKind k : values()) {
            if (k.label.equals(label)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
