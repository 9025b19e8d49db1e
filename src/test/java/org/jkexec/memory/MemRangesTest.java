package org.jkexec.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemRangesTest {
    @Test
    void addWidensOnlyTheFirstStrictlyOverlappingRange() {
        MemRanges r = new MemRanges();
        r.add(0x1000, 0x1000);
        r.add(0x3000, 0x1000);
        r.add(0x1800, 0x2000); // overlaps both: widens the first only
        assertEquals(List.of(new MemRange(0x1000, 0x37ff), new MemRange(0x3000, 0x3fff)), r.toList());
    }

    @Test
    void touchingRangesAreNotOverlappingForAdd() {
        MemRanges r = new MemRanges();
        r.add(0x10000, 0x10000);
        r.add(0, 0x10000); // [0, 0xffff] ends where the other starts - 1: kept separate (backup PT_LOAD)
        assertEquals(2, r.size());
        r.add(0x1ffff, 0x10); // shares exactly one byte with [0x10000, 0x1ffff]: still not "overlapping"
        assertEquals(3, r.size());
    }

    @Test
    void mergeKeepsTheLargerEndUnlikeTheKernel() {
        // the kernel's __merge_memory_ranges would shrink [0, 0xffff] to [0, 0x1fff] here
        MemRanges r = MemRanges.of(List.of(new MemRange(0, 0xffff), new MemRange(0x1000, 0x1fff)));
        r.sort(true);
        assertEquals(List.of(new MemRange(0, 0xffff)), r.toList());
    }

    @Test
    void excludeSplitsAndTrims() {
        MemRanges r = MemRanges.of(List.of(new MemRange(0x10000, 0xffffffffL)));
        r.exclude(0x20000000, 0x3fffffff);
        assertEquals(List.of(new MemRange(0x10000, 0x1fffffff), new MemRange(0x40000000, 0xffffffffL)), r.toList());
        r.exclude(0, 0x1ffff);
        r.exclude(0xf0000000L, 0xffffffffL);
        assertEquals(List.of(new MemRange(0x20000, 0x1fffffff), new MemRange(0x40000000, 0xefffffffL)), r.toList());
    }

    @Test
    void unsignedAddressesAboveTwoToThe63() {
        MemRanges r = new MemRanges();
        r.add(0xc000000000000000L, 0x1000);
        r.add(0x1000, 0x1000);
        r.sort(true);
        assertEquals(0x1000, r.start(0));
        assertEquals(0xc000000000000000L, r.start(1));
    }
}
