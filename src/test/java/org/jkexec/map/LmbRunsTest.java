package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.memory.MemRange;
import org.junit.jupiter.api.Test;

class LmbRunsTest {
    @Test
    void aggregatesThe64TiBMachineIntoRuns() {
        int n = MapFixtures.LMBS_64T;
        List<MapRegion> runs =
                LmbRuns.runs(n, i -> i * MapFixtures.LMB, MapFixtures.LMB, MapFixtures::assigned64t, null);
        int changes = 0;
        for (int i = 1; i < n; i++) {
            if (MapFixtures.assigned64t(i) != MapFixtures.assigned64t(i - 1)) {
                changes++;
            }
        }
        assertEquals(changes + 1, runs.size(), "one region per run of equal state, not one per LMB");
        assertTrue(runs.size() < 40);
        long total = 0;
        for (int i = 0; i < runs.size(); i++) {
            MapRegion r = runs.get(i);
            total += r.size();
            if (i > 0) {
                assertEquals(runs.get(i - 1).endInclusive() + 1, r.start(), "contiguous");
                assertTrue(runs.get(i - 1).layer() != r.layer(), "alternating states");
            }
        }
        assertEquals(64L << 40, total);
        assertEquals(MapLayer.RAM_UNASSIGNED, runs.get(runs.size() - 1).layer());
        assertEquals(
                "unassigned LMBs x16384 of 256 MiB", runs.get(runs.size() - 1).label());
    }

    @Test
    void modelSizeIsLinearInRunsNotLmbs() {
        // the same state pattern on 4x more, 4x smaller LMBs gives the same number of regions
        MemoryMapModel m = MapFixtures.huge64t();
        long lmbRegions =
                m.regions().stream().filter(r -> !r.layer().labelled()).count();
        List<MapRegion> fine = LmbRuns.runs(
                4 * MapFixtures.LMBS_64T,
                i -> i * (MapFixtures.LMB / 4),
                MapFixtures.LMB / 4,
                i -> MapFixtures.assigned64t(i / 4),
                null);
        assertEquals(lmbRegions, fine.size());
    }

    @Test
    void filtersByStateAndBreaksRunsAtGaps() {
        long s = 256L << 20;
        long[] base = {0, s, 4 * s, 5 * s, 6 * s};
        boolean[] ok = {true, true, true, false, false};
        List<MapRegion> all = LmbRuns.runs(5, i -> base[i], s, i -> ok[i], null);
        assertEquals(3, all.size(), "the gap after LMB 1 ends a run: " + all);
        assertEquals(new MapRegion(MapLayer.RAM, "assigned LMBs x2 of 256 MiB", 0, 2 * s - 1), all.get(0));
        assertEquals(
                List.of(new MapRegion(MapLayer.RAM_UNASSIGNED, "unassigned LMBs x2 of 256 MiB", 5 * s, 7 * s - 1)),
                LmbRuns.runs(5, i -> base[i], s, i -> ok[i], Boolean.FALSE));
    }

    @Test
    void mergesTouchingRamRanges() {
        List<MapRegion> r = LmbRuns.mergedRam(
                List.of(
                        new MemRange(0, 0xfffffff),
                        new MemRange(0x10000000, 0x1fffffff),
                        new MemRange(0x40000000, 0x4fffffff)),
                "System RAM");
        assertEquals(
                List.of(
                        new MapRegion(MapLayer.RAM, "System RAM", 0, 0x1fffffff),
                        new MapRegion(MapLayer.RAM, "System RAM", 0x40000000, 0x4fffffff)),
                r);
    }

    @Test
    void subtractsRamFromUnassignedRuns() {
        MapLayer u = MapLayer.RAM_UNASSIGNED;
        List<MapRegion> runs = List.of(
                new MapRegion(u, "u", 0x0, 0xfff),
                new MapRegion(u, "u", 0x2000, 0x5fff),
                new MapRegion(u, "u", 0x8000, 0x8fff));
        List<MapRegion> ram = List.of(
                new MapRegion(MapLayer.RAM, "r", 0x800, 0x27ff),
                new MapRegion(MapLayer.RAM, "r", 0x3000, 0x3fff),
                new MapRegion(MapLayer.RAM, "r", 0x8000, 0x8fff));
        assertEquals(
                List.of(
                        new MapRegion(u, "u", 0x0, 0x7ff),
                        new MapRegion(u, "u", 0x2800, 0x2fff),
                        new MapRegion(u, "u", 0x4000, 0x5fff)),
                LmbRuns.subtract(runs, ram));
        assertEquals(runs, LmbRuns.subtract(runs, List.of()));
    }
}
