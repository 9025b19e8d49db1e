package org.jkexec.map;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

import org.jkexec.memory.MemRange;

/**
 * Turns per-LMB facts into runs: consecutive, contiguous LMBs in the same state become one
 * region. One pass, O(LMBs) time and O(runs) output, so 262,144 LMBs make a handful of regions.
 */
public final class LmbRuns {
    private LmbRuns() {
    }

    /**
     * Runs of LMBs {@code 0..count-1}.
     *
     * @param base    base address of LMB i (the walk order; a run breaks where bases are not contiguous)
     * @param lmbSize every LMB's size
     * @param usable  whether LMB i is assigned to the partition
     * @param wanted  which runs to return: assigned ones (true), unassigned ones (false), or both (null)
     */
    public static List<MapRegion> runs(int count, IntToLongFunction base, long lmbSize, IntPredicate usable, Boolean wanted) {
        List<MapRegion> out = new ArrayList<>();
        int i = 0;
        while (i < count) {
            boolean state = usable.test(i);
            long start = base.applyAsLong(i);
            long next = start + lmbSize;
            int j = i + 1;
            while (j < count && usable.test(j) == state && base.applyAsLong(j) == next) {
                next += lmbSize;
                j++;
            }
            if (wanted == null || wanted == state) {
                out.add(new MapRegion(state ? MapLayer.RAM : MapLayer.RAM_UNASSIGNED, label(state, j - i, lmbSize),
                        start, next - 1));
            }
            i = j;
        }
        return out;
    }

    static String label(boolean assigned, int lmbs, long lmbSize) {
        return (assigned ? "assigned" : "unassigned") + " LMBs x" + lmbs + " of " + Units.size(lmbSize);
    }

    /** RAM ranges (ascending, inclusive) with touching neighbours merged into one region each. */
    public static List<MapRegion> mergedRam(List<MemRange> ram, String label) {
        List<MapRegion> out = new ArrayList<>();
        long s = 0;
        long e = 0;
        boolean open = false;
        for (MemRange r : ram) {
            if (open && e != -1L && r.start() == e + 1) {
                e = Long.compareUnsigned(r.end(), e) > 0 ? r.end() : e;
                continue;
            }
            if (open) {
                out.add(new MapRegion(MapLayer.RAM, label, s, e));
            }
            s = r.start();
            e = r.end();
            open = true;
        }
        if (open) {
            out.add(new MapRegion(MapLayer.RAM, label, s, e));
        }
        return out;
    }

    /**
     * The parts of {@code runs} outside every region of {@code ram} (both ascending, each
     * non-overlapping): unassigned LMBs never overlap the RAM drawn as assigned.
     */
    public static List<MapRegion> subtract(List<MapRegion> runs, List<MapRegion> ram) {
        List<MapRegion> out = new ArrayList<>();
        int j = 0;
        for (MapRegion r : runs) {
            long s = r.start();
            long e = r.endInclusive();
            boolean open = true;
            while (j < ram.size() && Long.compareUnsigned(ram.get(j).endInclusive(), s) < 0) {
                j++;
            }
            for (int k = j; k < ram.size() && open && Long.compareUnsigned(ram.get(k).start(), e) <= 0; k++) {
                MapRegion m = ram.get(k);
                if (Long.compareUnsigned(m.start(), s) > 0) {
                    out.add(new MapRegion(r.layer(), r.label(), s, m.start() - 1));
                }
                if (Long.compareUnsigned(m.endInclusive(), e) >= 0) {
                    open = false;
                } else {
                    s = Math.max(s, m.endInclusive() + 1);
                }
            }
            if (open) {
                out.add(new MapRegion(r.layer(), r.label(), s, e));
            }
        }
        return out;
    }
}
