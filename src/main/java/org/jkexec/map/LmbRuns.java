package org.jkexec.map;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.units.ByteSize;

/**
 * Turns per-LMB facts into runs: consecutive, contiguous LMBs in the same state become one
 * region. One pass, O(LMBs) time and O(runs) output, so 262,144 LMBs make a handful of regions.
 */
public final class LmbRuns {
    private LmbRuns() {}

    /**
     * Runs of LMBs {@code 0..count-1}.
     *
     * @param base    base address of LMB i (the walk order; a run breaks where bases are not contiguous)
     * @param lmbSize every LMB's size
     * @param usable  whether LMB i is assigned to the partition
     * @param wanted  which runs to return: assigned ones (true), unassigned ones (false), or both (null)
     */
    public static List<MapRegion> runs(
            int count, IntToLongFunction base, long lmbSize, IntPredicate usable, Boolean wanted) {
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
                out.add(new MapRegion(
                        state ? MapLayer.RAM : MapLayer.RAM_UNASSIGNED, label(state, j - i, lmbSize), start, next - 1));
            }
            i = j;
        }
        return out;
    }

    static String label(boolean assigned, int lmbs, long lmbSize) {
        return (assigned ? "assigned" : "unassigned") + " LMBs x" + lmbs + " of " + ByteSize.text(lmbSize);
    }

    /** RAM ranges with touching or overlapping neighbours merged into one region each, ascending. */
    public static List<MapRegion> mergedRam(List<MemRange> ram, String label) {
        return RangeSet.of(ram).ranges().stream()
                .map(r -> new MapRegion(MapLayer.RAM, label, r.start(), r.end()))
                .toList();
    }

    /**
     * The parts of {@code runs} outside every region of {@code ram} (both ascending, each
     * non-overlapping), each part keeping its run's layer and label: unassigned LMBs never
     * overlap the RAM drawn as assigned. One pass over both.
     */
    public static List<MapRegion> subtract(List<MapRegion> runs, List<MapRegion> ram) {
        RangeSet outside = RangeSet.of(runs.stream().map(LmbRuns::range).toList())
                .minus(RangeSet.of(ram.stream().map(LmbRuns::range).toList()));
        List<MapRegion> out = new ArrayList<>();
        int k = 0;
        for (MemRange piece : outside.ranges()) {
            long s = piece.start();
            while (true) {
                while (Long.compareUnsigned(runs.get(k).endInclusive(), s) < 0) {
                    k++;
                }
                MapRegion run = runs.get(k);
                long e = Long.compareUnsigned(piece.end(), run.endInclusive()) <= 0 ? piece.end() : run.endInclusive();
                out.add(new MapRegion(run.layer(), run.label(), s, e));
                if (e == piece.end()) {
                    break;
                }
                s = e + 1;
            }
        }
        return out;
    }

    private static MemRange range(MapRegion r) {
        return new MemRange(r.start(), r.endInclusive());
    }
}
