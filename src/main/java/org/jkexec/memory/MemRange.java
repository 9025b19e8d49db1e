package org.jkexec.memory;

import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.units.Hex;

/**
 * A physical address range with an inclusive end, as the kernel's {@code struct range}:
 * {@code [start, end]}, {@code end = base + size - 1}. All comparisons are unsigned.
 */
public record MemRange(long start, long end) implements Comparable<MemRange> {

    public static MemRange ofSize(long base, long size) {
        if (size == 0) {
            throw new IllegalArgumentException("empty range at " + Hex.hex(base));
        }
        return new MemRange(base, base + size - 1);
    }

    /**
     * [base, base + size - 1] for a range read from an input: a size of 0 or one that carries
     * the end past 2^64 is refused, naming {@code source}. The one place where an input's
     * address and size are added.
     */
    public static MemRange ofSize(long base, long size, String source) {
        if (size == 0) {
            throw JkexecException.badInput(source, "empty range at " + Hex.hex(base));
        }
        long end = base + size - 1;
        if (Long.compareUnsigned(end, base) < 0) {
            throw JkexecException.badInput(
                    source, String.format("0x%x + 0x%x wraps past the end of the address space", base, size));
        }
        return new MemRange(base, end);
    }

    /** base + size as an unsigned sum, refused naming {@code source} when it passes 2^64. */
    public static long end(long base, long size, String source) {
        long end = base + size;
        if (Long.compareUnsigned(end, base) < 0 && size != 0) {
            throw JkexecException.badInput(
                    source, String.format("0x%x + 0x%x wraps past the end of the address space", base, size));
        }
        return end;
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

    /** The bytes both ranges hold, if any. */
    public Optional<MemRange> intersect(MemRange other) {
        if (!intersects(other)) {
            return Optional.empty();
        }
        return Optional.of(new MemRange(
                Long.compareUnsigned(start, other.start) >= 0 ? start : other.start,
                Long.compareUnsigned(end, other.end) <= 0 ? end : other.end));
    }

    /** The bytes of this range outside {@code other}: none, one or two ranges, ascending. */
    public List<MemRange> minus(MemRange other) {
        return RangeSet.of(this).minus(RangeSet.of(other)).ranges();
    }

    /** [start rounded down, end rounded up] to {@code align} (a power of two). */
    public MemRange roundOut(long align) {
        return new MemRange(start & -align, ((end + align) & -align) - 1);
    }

    /** [base, base + size - 1], the end clamped to 2^64-1 when it would wrap; empty for size 0. */
    public static Optional<MemRange> span(long base, long size) {
        if (size == 0) {
            return Optional.empty();
        }
        long end = base + size - 1;
        return Optional.of(new MemRange(base, Long.compareUnsigned(end, base) < 0 ? -1L : end));
    }

    /** True when base + size wraps past 2^64. */
    public static boolean wraps(long base, long size) {
        return size != 0 && Long.compareUnsigned(base + size - 1, base) < 0;
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
