package org.jkexec.memory;

import java.util.List;
import java.util.OptionalLong;

/**
 * Finds where a segment goes: the two placement algorithms the kernel has used for ppc64
 * kexec_file_load. Pure functions of their inputs; {@code OptionalLong.empty()} means
 * "no hole" (the kernel's -EADDRNOTAVAIL).
 */
public final class HoleFinder {
    private HoleFinder() {}

    /** Which kernel's search to reproduce. */
    public enum Strategy {
        /**
         * The ppc64-specific search of the original series (5.9 to 6.13, so Linux 6.12):
         * the gaps between exclude ranges are searched over all RAM, and every placed segment
         * is added to the exclude list (docs/ppc64-kdump.md#placement).
         */
        KERNEL_6_12,
        /**
         * Current mainline (2025+): the generic walk over the candidate windows, rejecting
         * candidates that overlap a placed segment or an exclude range; we use an
         * inclusive overlap test where mainline's strict one lets a candidate share an edge byte.
         */
        MAINLINE
    }

    /**
     * The 6.12 search ({@code locate_mem_hole_top_down_ppc64} / {@code _bottom_up_ppc64}).
     *
     * @param ram     memblock memory regions, sorted ascending (inclusive ends)
     * @param exclude exclude ranges, sorted and merged
     */
    public static OptionalLong classic(
            MemRanges ram, MemRanges exclude, long memsz, long align, long bufMin, long bufMax, boolean topDown) {
        if (Long.compareUnsigned(bufMin, bufMax) > 0) {
            return OptionalLong.empty();
        }
        if (exclude.isEmpty()) {
            // the kernel falls back to the generic search here; with no exclusions the
            // gap search over RAM is what that amounts to
            return topDown
                    ? ramTopDown(ram, memsz, align, bufMin, bufMax)
                    : ramBottomUp(ram, memsz, align, bufMin, bufMax);
        }
        return topDown
                ? classicTopDown(ram, exclude, memsz, align, bufMin, bufMax)
                : classicBottomUp(ram, exclude, memsz, align, bufMin, bufMax);
    }

    private static OptionalLong classicTopDown(
            MemRanges ram, MemRanges ex, long memsz, long align, long bufMin, long bufMax) {
        long tmax = bufMax;
        for (int i = ex.size() - 1; i >= 0; i--) {
            long s = ex.start(i);
            long e = ex.end(i);
            if (Long.compareUnsigned(s, tmax) > 0) {
                continue;
            }
            if (Long.compareUnsigned(e, tmax) < 0) {
                long tmin = Long.compareUnsigned(e, bufMin) < 0 ? bufMin : e + 1;
                OptionalLong hit = ramTopDown(ram, memsz, align, tmin, tmax);
                if (hit.isPresent()) {
                    return hit;
                }
            }
            tmax = s - 1;
            // s == 0 wraps tmax to 2^64-1; the kernel then stops only by the tmin test below,
            // which a wrapped tmax never fails: treat it as "nothing left below"
            if (s == 0 || Long.compareUnsigned(tmax, bufMin) < 0) {
                return OptionalLong.empty();
            }
        }
        return ramTopDown(ram, memsz, align, bufMin, tmax);
    }

    private static OptionalLong classicBottomUp(
            MemRanges ram, MemRanges ex, long memsz, long align, long bufMin, long bufMax) {
        long tmin = bufMin;
        for (int i = 0; i < ex.size(); i++) {
            long s = ex.start(i);
            long e = ex.end(i);
            if (Long.compareUnsigned(e, tmin) < 0) {
                continue;
            }
            if (Long.compareUnsigned(s, tmin) > 0) {
                long tmax = Long.compareUnsigned(s, bufMax) > 0 ? bufMax : s - 1;
                OptionalLong hit = ramBottomUp(ram, memsz, align, tmin, tmax);
                if (hit.isPresent()) {
                    return hit;
                }
            }
            tmin = e + 1;
            if (e == -1L || Long.compareUnsigned(tmin, bufMax) > 0) {
                return OptionalLong.empty();
            }
        }
        return ramBottomUp(ram, memsz, align, tmin, bufMax);
    }

    /** {@code __locate_mem_hole_top_down}: highest RAM region first, place at its aligned top. */
    static OptionalLong ramTopDown(MemRanges ram, long memsz, long align, long bufMin, long bufMax) {
        for (int i = ram.size() - 1; i >= 0; i--) {
            long start = ram.start(i);
            long end = ram.end(i);
            if (Long.compareUnsigned(start, bufMax) > 0) {
                continue;
            }
            if (Long.compareUnsigned(end, bufMin) < 0) {
                break;
            }
            start = MemRanges.maxUnsigned(start, bufMin);
            end = MemRanges.minUnsigned(end, bufMax);
            start = MemRanges.alignUp(start, align);
            if (Long.compareUnsigned(start, end) < 0 && Long.compareUnsigned(end - start + 1, memsz) >= 0) {
                return OptionalLong.of(alignDown(end - memsz + 1, align));
            }
        }
        return OptionalLong.empty();
    }

    /** {@code __locate_mem_hole_bottom_up}: lowest RAM region first, place at its aligned start. */
    static OptionalLong ramBottomUp(MemRanges ram, long memsz, long align, long bufMin, long bufMax) {
        for (int i = 0; i < ram.size(); i++) {
            long start = ram.start(i);
            long end = ram.end(i);
            if (Long.compareUnsigned(end, bufMin) < 0) {
                continue;
            }
            if (Long.compareUnsigned(start, bufMax) > 0) {
                break;
            }
            start = MemRanges.maxUnsigned(start, bufMin);
            end = MemRanges.minUnsigned(end, bufMax);
            start = MemRanges.alignUp(start, align);
            if (Long.compareUnsigned(start, end) < 0 && Long.compareUnsigned(end - start + 1, memsz) >= 0) {
                return OptionalLong.of(start);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Current mainline: walk {@code windows} in the order given (highest first for top-down
     * callers), step by a page past every candidate that touches {@code exclude} or a placed
     * segment ({@code placed}).
     */
    public static OptionalLong generic(
            List<MemRange> windows,
            MemRanges exclude,
            MemRanges placed,
            long memsz,
            long align,
            long bufMin,
            long bufMax,
            boolean topDown,
            long pageSize) {
        for (MemRange w : windows) {
            long ws = w.start();
            long we = w.end();
            if (Long.compareUnsigned(w.size(), memsz) < 0
                    || Long.compareUnsigned(we, bufMin) < 0
                    || Long.compareUnsigned(ws, bufMax) > 0) {
                continue;
            }
            OptionalLong hit = topDown
                    ? genericTopDown(ws, we, exclude, placed, memsz, align, bufMin, bufMax, pageSize)
                    : genericBottomUp(ws, we, exclude, placed, memsz, align, bufMin, bufMax, pageSize);
            if (hit.isPresent()) {
                return hit;
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong genericTopDown(
            long ws,
            long we,
            MemRanges exclude,
            MemRanges placed,
            long memsz,
            long align,
            long bufMin,
            long bufMax,
            long pageSize) {
        long tEnd = MemRanges.minUnsigned(we, bufMax);
        long t = tEnd - memsz + 1;
        while (true) {
            t = alignDown(t, align);
            if (Long.compareUnsigned(t, ws) < 0
                    || Long.compareUnsigned(t, bufMin) < 0
                    || Long.compareUnsigned(t, tEnd - memsz + 1) > 0) {
                return OptionalLong.empty();
            }
            long end = t + memsz - 1;
            if (!exclude.intersects(t, end) && !placed.intersects(t, end)) {
                return OptionalLong.of(t);
            }
            if (Long.compareUnsigned(t, pageSize) < 0) {
                return OptionalLong.empty();
            }
            t -= pageSize;
        }
    }

    private static OptionalLong genericBottomUp(
            long ws,
            long we,
            MemRanges exclude,
            MemRanges placed,
            long memsz,
            long align,
            long bufMin,
            long bufMax,
            long pageSize) {
        long t = MemRanges.maxUnsigned(ws, bufMin);
        while (true) {
            t = MemRanges.alignUp(t, align);
            long end = t + memsz - 1;
            if (Long.compareUnsigned(end, t) < 0
                    || Long.compareUnsigned(end, we) > 0
                    || Long.compareUnsigned(end, bufMax) > 0) {
                return OptionalLong.empty();
            }
            if (!exclude.intersects(t, end) && !placed.intersects(t, end)) {
                return OptionalLong.of(t);
            }
            t += pageSize;
        }
    }

    static long alignDown(long v, long align) {
        return v & -align;
    }
}
