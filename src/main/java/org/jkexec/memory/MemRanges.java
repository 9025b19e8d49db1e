package org.jkexec.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The kernel's range list ({@code struct crash_mem} with the helpers of
 * arch/powerpc/kexec/ranges.c and kernel/crash_core.c), with its observable quirks:
 * insertion order is kept until an explicit sort, {@link #add} widens the first range it
 * overlaps in the strict sense instead of appending, and the capacity grows in 2 KiB chunks
 * (127, 255, 383, ... ranges), which decides when the crash-range builder merges.
 *
 * <p>Deviation on purpose: {@link #sort(boolean) merging} keeps the running maximum end, so a
 * range contained in its predecessor never shrinks the merged range (the kernel's
 * {@code __merge_memory_ranges} does shrink it: an open bug; docs/ppc64-kdump.md#departures).
 */
public final class MemRanges {
    /** Bytes per allocation chunk, header and entry size of the kernel structure. */
    private static final int CHUNK_BYTES = 2048;

    private static final int HEADER_BYTES = 8;
    private static final int ENTRY_BYTES = 16;

    private long[] starts = new long[8];
    private long[] ends = new long[8];
    private int size;
    /** The kernel's max_nr_ranges (0 until the first add allocates). */
    private int capacity;
    /** Largest end in the list (unsigned): an add starting at or above it cannot overlap anything. */
    private long maxEnd;
    /** True while the list is sorted ascending, disjoint and without adjacent ranges (merging is a no-op). */
    private boolean canonical = true;

    public MemRanges() {}

    public static MemRanges of(List<MemRange> ranges) {
        MemRanges r = new MemRanges();
        for (MemRange m : ranges) {
            r.append(m.start(), m.end());
        }
        return r;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The kernel's max_nr_ranges for this list. */
    public int capacity() {
        return capacity;
    }

    public MemRange get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return new MemRange(starts[i], ends[i]);
    }

    public long start(int i) {
        return starts[i];
    }

    public long end(int i) {
        return ends[i];
    }

    public List<MemRange> toList() {
        List<MemRange> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new MemRange(starts[i], ends[i]));
        }
        return Collections.unmodifiableList(out);
    }

    public MemRanges copy() {
        MemRanges c = new MemRanges();
        c.starts = Arrays.copyOf(starts, Math.max(8, size));
        c.ends = Arrays.copyOf(ends, Math.max(8, size));
        c.size = size;
        c.capacity = capacity;
        c.maxEnd = maxEnd;
        c.canonical = canonical;
        return c;
    }

    /**
     * {@code add_mem_range(base, size)}: size 0 is a no-op; otherwise widen the first range (in
     * list order) that strictly overlaps {@code [base, base+size-1]}, else append.
     */
    public void add(long base, long length) {
        if (capacity == 0 || size == capacity) {
            grow();
        }
        if (length == 0) {
            return;
        }
        long end = base + length - 1;
        if (size > 0 && Long.compareUnsigned(base, maxEnd) < 0) {
            for (int i = 0; i < size; i++) {
                if (Long.compareUnsigned(base, ends[i]) < 0 && Long.compareUnsigned(end, starts[i]) > 0) {
                    if (Long.compareUnsigned(base, starts[i]) < 0) {
                        starts[i] = base;
                        canonical = false;
                    }
                    if (Long.compareUnsigned(end, ends[i]) > 0) {
                        ends[i] = end;
                        canonical = false;
                        maxEnd = maxUnsigned(maxEnd, end);
                    }
                    return;
                }
            }
        }
        append(base, end);
    }

    public void add(MemRange r) {
        add(r.start(), r.size());
    }

    /** Grows capacity by one 2 KiB chunk, as realloc_mem_ranges does. */
    public void grow() {
        long bytes = capacity == 0 ? 0 : alignUp(HEADER_BYTES + (long) capacity * ENTRY_BYTES, CHUNK_BYTES);
        capacity = (int) ((bytes + CHUNK_BYTES - HEADER_BYTES) / ENTRY_BYTES);
    }

    private void append(long start, long end) {
        if (size == starts.length) {
            int n = Math.max(16, size * 2);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
        }
        if (size > 0
                && (!canonical || Long.compareUnsigned(start, ends[size - 1]) <= 0 || ends[size - 1] + 1 == start)) {
            canonical = false;
        }
        starts[size] = start;
        ends[size] = end;
        size++;
        if (size > capacity) {
            while (size > capacity) {
                grow();
            }
        }
        maxEnd = size == 1 ? end : maxUnsigned(maxEnd, end);
    }

    /**
     * {@code sort_memory_ranges(list, merge)}: sort by start; with {@code merge}, coalesce
     * overlapping or adjacent ranges (running maximum end, see class comment).
     */
    public void sort(boolean merge) {
        if (size <= 1 || (canonical)) {
            return;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        boolean sorted = true;
        for (int i = 1; i < size && sorted; i++) {
            sorted = Long.compareUnsigned(starts[i - 1], starts[i]) <= 0;
        }
        if (!sorted) {
            long[] s = starts;
            long[] e = ends;
            Arrays.sort(order, (a, b) -> {
                int c = Long.compareUnsigned(s[a], s[b]);
                return c != 0 ? c : Long.compareUnsigned(e[a], e[b]);
            });
            long[] ns = new long[starts.length];
            long[] ne = new long[ends.length];
            for (int i = 0; i < size; i++) {
                ns[i] = starts[order[i]];
                ne[i] = ends[order[i]];
            }
            starts = ns;
            ends = ne;
        }
        if (!merge) {
            return;
        }
        int idx = 0;
        for (int i = 1; i < size; i++) {
            // overlapping or adjacent: ranges[i].start <= merged.end + 1 (guard the +1 wrap)
            if (Long.compareUnsigned(starts[i], ends[idx]) <= 0 || starts[i] == ends[idx] + 1) {
                ends[idx] = maxUnsigned(ends[idx], ends[i]);
            } else {
                idx++;
                starts[idx] = starts[i];
                ends[idx] = ends[i];
            }
        }
        size = idx + 1;
        canonical = true;
    }

    /**
     * {@code crash_exclude_mem_range(mstart, mend)}: removes {@code [mstart, mend]} from every
     * range, splitting where needed. The list must be sorted ascending (the loop stops at the
     * first range above {@code mend}). Unlike the kernel, a split never fails for lack of room.
     */
    public void exclude(long mstart, long mend) {
        for (int i = 0; i < size; i++) {
            long s = starts[i];
            long e = ends[i];
            if (Long.compareUnsigned(mstart, e) > 0) {
                continue;
            }
            if (Long.compareUnsigned(mend, s) < 0) {
                break;
            }
            long ps = maxUnsigned(mstart, s);
            long pe = minUnsigned(mend, e);
            if (ps == s && pe == e) {
                removeAt(i);
                i--;
            } else if (Long.compareUnsigned(ps, s) > 0 && Long.compareUnsigned(pe, e) < 0) {
                insertAt(i + 1, pe + 1, e);
                ends[i] = ps - 1;
                i++;
            } else if (ps != s) {
                ends[i] = ps - 1;
            } else {
                starts[i] = pe + 1;
            }
        }
        recomputeMaxEnd();
    }

    /** True when any range shares a byte with {@code [s, e]}. */
    public boolean intersects(long s, long e) {
        for (int i = 0; i < size; i++) {
            if (Long.compareUnsigned(s, ends[i]) <= 0 && Long.compareUnsigned(e, starts[i]) >= 0) {
                return true;
            }
        }
        return false;
    }

    private void removeAt(int i) {
        System.arraycopy(starts, i + 1, starts, i, size - i - 1);
        System.arraycopy(ends, i + 1, ends, i, size - i - 1);
        size--;
    }

    private void insertAt(int i, long s, long e) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2 + 1);
            ends = Arrays.copyOf(ends, size * 2 + 1);
        }
        System.arraycopy(starts, i, starts, i + 1, size - i);
        System.arraycopy(ends, i, ends, i + 1, size - i);
        starts[i] = s;
        ends[i] = e;
        size++;
        while (size > capacity) {
            grow();
        }
    }

    private void recomputeMaxEnd() {
        long m = 0;
        for (int i = 0; i < size; i++) {
            m = maxUnsigned(m, ends[i]);
        }
        maxEnd = m;
    }

    static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(String.format("[%03d][0x%014x - 0x%014x]%n", i, starts[i], ends[i]));
        }
        return sb.toString();
    }
}
