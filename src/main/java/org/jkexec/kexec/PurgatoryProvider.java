package org.jkexec.kexec;

/**
 * Makes the purgatory segment. Its size must be known before any address is (the purgatory
 * is placed second, its contents patched once everything else is placed).
 */
public interface PurgatoryProvider {
    /** What the purgatory must know; see docs/ppc64-kdump.md#purgatory. */
    record Params(
            long kernelLoadAddr,
            long fdtAddr,
            long backupStart,
            long backupSize,
            long opalBase,
            long opalEntry,
            boolean runAtLoad,
            byte[] kernelHead256) {}

    /** Bytes the purgatory image occupies (before page rounding). */
    int size();

    /** Alignment the image needs (rounded up to the page size by the planner). */
    default long alignment() {
        return 256;
    }

    /** The image for {@code loadAddress}; entry is its first byte. */
    byte[] build(Params params, long loadAddress);

    /** A zero-filled stand-in of the kernel's purgatory size, for planning without a purgatory. */
    static PurgatoryProvider placeholder(int size) {
        return new PurgatoryProvider() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public byte[] build(Params params, long loadAddress) {
                return new byte[size];
            }
        };
    }
}
