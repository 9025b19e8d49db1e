package org.jkexec.memory;

/**
 * A physical address range with an inclusive end, as the kernel's {@code struct range}:
 * {@code [start, end]}, {@code end = base + size - 1}. All comparisons are unsigned.
 */
public record MemRange(long start, long end) implements Comparable<MemRange> {

    public static MemRange ofSize(long base, long size) {
        if (size == 0) {
            throw new IllegalArgumentException("empty range at 0x" + Long.toHexString(base));
        }
        return new MemRange(base, base + size - 1);
    }

    /** Number of bytes; 0 stands for the full 2^64 span (never produced by real inputs). */
    public long size() {
        return end - start + 1;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) <= 0;
    }

    public boolean contains(MemRange other) {
        return contains(other.start) && contains(other.end);
    }

    /** True when the two ranges share at least one byte. */
    public boolean intersects(MemRange other) {
        return Long.compareUnsigned(start, other.end) <= 0 && Long.compareUnsigned(other.start, end) <= 0;
    }

    @Override
    public int compareTo(MemRange o) {
        int c = Long.compareUnsigned(start, o.start);
        return c != 0 ? c : Long.compareUnsigned(end, o.end);
    }

    @Override
    public String toString() {
        return String.format("[0x%014x - 0x%014x]", start, end);
    }
}
