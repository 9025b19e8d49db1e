package org.jkexec.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hole search on a small machine of 64 pages, against brute force over every aligned address.
 * One unit = one page (page size 1) so alignment is a power of two number of pages.
 */
class HoleFinderProperties {
    static final long PAGES = 64;

    @Provide
    Arbitrary<List<MemRange>> pageSets() {
        return Arbitraries.longs().between(0, PAGES - 1).set().ofMaxSize(20).map(set -> {
            MemRanges r = new MemRanges();
            for (long p : set) {
                r.add(p, 1);
            }
            r.sort(true);
            return r.toList();
        });
    }

    static boolean fits(long t, long memsz, List<MemRange> ram, List<MemRange> exclude, long min, long max) {
        long end = t + memsz - 1;
        if (t < min || end > max) {
            return false;
        }
        boolean inRam = ram.stream().anyMatch(r -> r.start() <= t && end <= r.end());
        boolean clear = exclude.stream().noneMatch(x -> x.intersects(new MemRange(t, end)));
        return inRam && clear;
    }

    @Property
    void mainlineTopDownFindsTheHighestFit(
            @ForAll("pageSets") List<MemRange> exclude,
            @ForAll @IntRange(min = 1, max = 8) int memsz,
            @ForAll @IntRange(min = 0, max = 3) int alignLog,
            @ForAll @IntRange(min = 0, max = 63) int a,
            @ForAll @IntRange(min = 0, max = 63) int b) {
        long align = 1L << alignLog;
        MemRange window = new MemRange(Math.min(a, b), Math.max(a, b));
        List<MemRange> ram = List.of(window);
        OptionalLong got = HoleFinder.generic(
                List.of(window), MemRanges.of(exclude), new MemRanges(), memsz, align, 0, PAGES - 1, true, 1);
        OptionalLong want = OptionalLong.empty();
        for (long t = window.end(); t >= window.start(); t--) {
            if (t % align == 0 && fits(t, memsz, ram, exclude, 0, PAGES - 1)) {
                want = OptionalLong.of(t);
                break;
            }
        }
        assertEquals(want, got);
    }

    @Property
    void mainlineBottomUpFindsTheLowestFit(
            @ForAll("pageSets") List<MemRange> exclude,
            @ForAll @IntRange(min = 1, max = 8) int memsz,
            @ForAll @IntRange(min = 0, max = 3) int alignLog,
            @ForAll @IntRange(min = 0, max = 63) int a,
            @ForAll @IntRange(min = 0, max = 63) int b) {
        long align = 1L << alignLog;
        MemRange window = new MemRange(Math.min(a, b), Math.max(a, b));
        OptionalLong got = HoleFinder.generic(
                List.of(window), MemRanges.of(exclude), new MemRanges(), memsz, align, 0, PAGES - 1, false, 1);
        OptionalLong want = OptionalLong.empty();
        for (long t = window.start(); t <= window.end(); t++) {
            if (t % align == 0 && fits(t, memsz, List.of(window), exclude, 0, PAGES - 1)) {
                want = OptionalLong.of(t);
                break;
            }
        }
        assertEquals(want, got);
    }

    @Property
    void classicPlacementsAreValidAndFoundWheneverAFitExists(
            @ForAll("pageSets") List<MemRange> exclude,
            @ForAll("pageSets") List<MemRange> holes,
            @ForAll @IntRange(min = 2, max = 8) int memsz,
            @ForAll @IntRange(min = 0, max = 3) int alignLog,
            @ForAll boolean topDown,
            @ForAll @IntRange(min = 0, max = 63) int a,
            @ForAll @IntRange(min = 0, max = 63) int b) {
        long align = 1L << alignLog;
        long min = Math.min(a, b);
        long max = Math.max(a, b);
        // RAM: everything but some holes, as separate non-adjacent regions
        MemRanges ram = MemRanges.of(List.of(new MemRange(0, PAGES - 1)));
        for (MemRange h : holes) {
            ram.exclude(h.start(), h.end());
        }
        List<MemRange> ramList = ram.toList();
        MemRanges ex = MemRanges.of(exclude);
        OptionalLong got = HoleFinder.classic(ram, ex, memsz, align, min, max, topDown);
        boolean anyFit = false;
        for (long t = 0; t < PAGES; t++) {
            // the kernel's gap search needs start < end inside a region: a fit of exactly memsz
            // aligned at the region end is found too; model the same RAM-region-local fit
            if (t % align == 0 && fits(t, memsz, ramList, exclude, min, max)) {
                anyFit = true;
            }
        }
        if (got.isPresent()) {
            long t = got.getAsLong();
            assertTrue(t % align == 0, "aligned");
            assertTrue(
                    fits(t, memsz, ramList, exclude, min, max), "placement at " + t + " is in RAM, window and clear");
        }
        assertEquals(anyFit, got.isPresent(), "found iff some aligned fit exists");
    }

    @Property
    void classicTopDownIsTheHighestFit(
            @ForAll("pageSets") List<MemRange> exclude,
            @ForAll @IntRange(min = 2, max = 8) int memsz,
            @ForAll @IntRange(min = 0, max = 3) int alignLog) {
        long align = 1L << alignLog;
        MemRanges ram = MemRanges.of(List.of(new MemRange(0, PAGES - 1)));
        OptionalLong got = HoleFinder.classic(ram, MemRanges.of(exclude), memsz, align, 0, PAGES - 1, true);
        List<Long> fits = new ArrayList<>();
        for (long t = 0; t < PAGES; t++) {
            if (t % align == 0 && fits(t, memsz, ram.toList(), exclude, 0, PAGES - 1)) {
                fits.add(t);
            }
        }
        assertEquals(fits.isEmpty() ? OptionalLong.empty() : OptionalLong.of(fits.get(fits.size() - 1)), got);
        assertFalse(got.isPresent() && got.getAsLong() < 0);
    }
}
