package org.jkexec.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A set of addresses as inclusive ranges kept sorted, disjoint and not adjacent, with the set
 * verbs (union, minus, intersect). Each verb is one pass over both sets. Unlike
 * {@link MemRanges}, which keeps the kernel's list semantics (insertion order, its merge
 * rules), this is plain set algebra, for checking and drawing.
 */
public final class RangeSet {
    private static final RangeSet EMPTY = new RangeSet(List.of());

    private final List<MemRange> ranges;

    private RangeSet(List<MemRange> normalized) {
        this.ranges = Collections.unmodifiableList(normalized);
    }

    public static RangeSet empty() {
        return EMPTY;
    }

    /** The addresses of {@code ranges}, in any order, overlapping or not. */
    public static RangeSet of(Collection<MemRange> ranges) {
        List<MemRange> sorted = new ArrayList<>(ranges);
        sorted.sort(null);
        List<MemRange> out = new ArrayList<>();
        for (MemRange r : sorted) {
            int last = out.size() - 1;
            if (last >= 0
                    && (out.get(last).end() == -1L
                            || Long.compareUnsigned(r.start(), out.get(last).end() + 1) <= 0)) {
                if (Long.compareUnsigned(r.end(), out.get(last).end()) > 0) {
                    out.set(last, new MemRange(out.get(last).start(), r.end()));
                }
            } else {
                out.add(r);
            }
        }
        return new RangeSet(out);
    }

    public static RangeSet of(MemRange... ranges) {
        return of(List.of(ranges));
    }

    /** Sorted, disjoint, not adjacent. */
    public List<MemRange> ranges() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public RangeSet union(RangeSet other) {
        List<MemRange> all = new ArrayList<>(ranges);
        all.addAll(other.ranges);
        return of(all);
    }

    /** The addresses of this set that are not in {@code other}. */
    public RangeSet minus(RangeSet other) {
        List<MemRange> out = new ArrayList<>();
        List<MemRange> cut = other.ranges;
        int j = 0;
        for (MemRange r : ranges) {
            long start = r.start();
            boolean open = true;
            while (j < cut.size() && Long.compareUnsigned(cut.get(j).end(), start) < 0) {
                j++;
            }
            for (int k = j; k < cut.size() && Long.compareUnsigned(cut.get(k).start(), r.end()) <= 0; k++) {
                MemRange c = cut.get(k);
                if (Long.compareUnsigned(c.start(), start) > 0) {
                    out.add(new MemRange(start, c.start() - 1));
                }
                if (Long.compareUnsigned(c.end(), r.end()) >= 0) {
                    open = false;
                    break;
                }
                start = c.end() + 1;
            }
            if (open) {
                out.add(new MemRange(start, r.end()));
            }
        }
        return new RangeSet(out);
    }

    /** The addresses in both sets. */
    public RangeSet intersect(RangeSet other) {
        List<MemRange> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ranges.size() && j < other.ranges.size()) {
            MemRange a = ranges.get(i);
            MemRange b = other.ranges.get(j);
            a.intersect(b).ifPresent(out::add);
            if (Long.compareUnsigned(a.end(), b.end()) < 0) {
                i++;
            } else {
                j++;
            }
        }
        return new RangeSet(out);
    }

    /** Every address of {@code r} is in the set. */
    public boolean covers(MemRange r) {
        return of(r).minus(this).isEmpty();
    }

    /** Bytes in the set (wraps for a set of 2^64 bytes, which no machine has). */
    public long total() {
        long t = 0;
        for (MemRange r : ranges) {
            t += r.size();
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeSet s && s.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
