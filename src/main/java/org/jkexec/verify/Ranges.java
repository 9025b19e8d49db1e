package org.jkexec.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jkexec.memory.MemRange;

/** Set algebra on inclusive ranges (unsigned): normalised results are sorted, disjoint and not adjacent. */
final class Ranges {
    private Ranges() {
    }

    /** Sorted, overlapping and adjacent ranges merged. */
    static List<MemRange> normalize(List<MemRange> in) {
        List<MemRange> s = new ArrayList<>(in);
        s.sort(Comparator.naturalOrder());
        List<MemRange> out = new ArrayList<>();
        for (MemRange r : s) {
            if (!out.isEmpty()) {
                MemRange last = out.get(out.size() - 1);
                if (last.end() == -1L || Long.compareUnsigned(r.start(), last.end() + 1) <= 0) {
                    if (Long.compareUnsigned(r.end(), last.end()) > 0) {
                        out.set(out.size() - 1, new MemRange(last.start(), r.end()));
                    }
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    /** [base, base + size - 1], the end clamped to 2^64-1 when it would wrap; empty for size 0. */
    static java.util.Optional<MemRange> span(long base, long size) {
        if (size == 0) {
            return java.util.Optional.empty();
        }
        long end = base + size - 1;
        return java.util.Optional.of(new MemRange(base, Long.compareUnsigned(end, base) < 0 ? -1L : end));
    }

    /** True when base + size wraps past 2^64. */
    static boolean wraps(long base, long size) {
        return size != 0 && Long.compareUnsigned(base + size - 1, base) < 0;
    }

    static List<MemRange> union(List<MemRange> a, List<MemRange> b) {
        List<MemRange> all = new ArrayList<>(a);
        all.addAll(b);
        return normalize(all);
    }

    /** {@code a} minus {@code b}. */
    static List<MemRange> subtract(List<MemRange> a, List<MemRange> b) {
        List<MemRange> cur = normalize(a);
        for (MemRange x : normalize(b)) {
            List<MemRange> next = new ArrayList<>();
            for (MemRange r : cur) {
                if (!r.intersects(x)) {
                    next.add(r);
                    continue;
                }
                if (Long.compareUnsigned(r.start(), x.start()) < 0) {
                    next.add(new MemRange(r.start(), x.start() - 1));
                }
                if (Long.compareUnsigned(r.end(), x.end()) > 0) {
                    next.add(new MemRange(x.end() + 1, r.end()));
                }
            }
            cur = next;
        }
        return cur;
    }

    static List<MemRange> intersect(List<MemRange> a, List<MemRange> b) {
        List<MemRange> out = new ArrayList<>();
        for (MemRange x : normalize(a)) {
            for (MemRange y : normalize(b)) {
                if (x.intersects(y)) {
                    long s = Long.compareUnsigned(x.start(), y.start()) >= 0 ? x.start() : y.start();
                    long e = Long.compareUnsigned(x.end(), y.end()) <= 0 ? x.end() : y.end();
                    out.add(new MemRange(s, e));
                }
            }
        }
        return normalize(out);
    }

    static boolean covers(List<MemRange> cover, MemRange r) {
        return subtract(List.of(r), cover).isEmpty();
    }

    static long total(List<MemRange> l) {
        long t = 0;
        for (MemRange r : l) {
            t += r.size();
        }
        return t;
    }

    /** [start rounded down, end rounded up] to {@code align} (a power of two). */
    static MemRange roundOut(MemRange r, long align) {
        long s = r.start() & -align;
        long e = ((r.end() + align) & -align) - 1;
        return new MemRange(s, e);
    }

    static String str(MemRange r) {
        return String.format("[0x%x-0x%x]", r.start(), r.end());
    }

    static String str(List<MemRange> l) {
        StringBuilder sb = new StringBuilder();
        for (MemRange r : l) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(str(r));
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
