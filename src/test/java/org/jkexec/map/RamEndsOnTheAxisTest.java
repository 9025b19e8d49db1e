package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.map.MapLayout.Panel;
import org.junit.jupiter.api.Test;

/**
 * RAM ending far below the next firmware region (powernv9: RAM to 4 GiB, firmware near 32 TiB)
 * gets a visible stretch and a tick at its end in every format; before, the stretch from the
 * last low firmware range to 4 GiB was drawn about 0.01 px wide with no 4 GiB tick.
 */
class RamEndsOnTheAxisTest {
    static final long FOUR_G = 1L << 32;
    static final long LAST_LOW_FIRMWARE_END = 0x32c02000L;

    @Test
    void theEndOfRamIsABreakpointWithRoomBeforeIt() {
        MemoryMapModel m = MapFixtures.powernv9();
        Panel overview =
                MapLayout.of(m, MapLayout.DEFAULT_WIDTH).panel("overview").orElseThrow();
        AxisScale s = overview.scale();
        assertTrue(s.breakpoints().contains(FOUR_G), s.breakpoints().toString());
        double ramAbove = s.xAfter(FOUR_G - 1) - s.x(LAST_LOW_FIRMWARE_END);
        assertTrue(ramAbove >= 20, "RAM 0x32c02000 - 4 GiB is " + ramAbove + " px wide");
    }

    @Test
    void theEndOfRamHasATickInTheLayoutSvgAndPngDraw() {
        MapLayout l = MapLayout.of(MapFixtures.powernv9(), MapLayout.DEFAULT_WIDTH);
        Panel overview = l.panel("overview").orElseThrow();
        assertTrue(
                overview.ticks().stream().anyMatch(t -> t.address() == FOUR_G),
                overview.ticks().toString());
        assertTrue(SvgRenderer.render(l).contains(">0x100000000<"), "SVG tick text");
    }

    @Test
    void theEndOfRamHasATickInText() {
        String text = TextRenderer.render(MapFixtures.powernv9(), TextRenderer.DEFAULT_WIDTH);
        String overview = text.substring(
                0, text.indexOf("A: crashkernel window") > 0 ? text.indexOf("A: crashkernel window") : text.length());
        assertTrue(overview.contains("0x100000000"), overview);
    }

    @Test
    void manyRamRunsKeepOnlyTheOuterEndsOfRam() {
        List<MapRegion> r = new ArrayList<>();
        long lmb = 256L << 20;
        for (int i = 0; i < 2 * AxisScale.MAX_RUN_BREAKPOINTS + 2; i++) {
            r.add(MapRegion.ofSize(MapLayer.RAM, "System RAM", 2 * i * lmb, lmb));
        }
        long end = (2L * (2 * AxisScale.MAX_RUN_BREAKPOINTS + 1) + 1) * lmb;
        r.add(MapRegion.ofSize(MapLayer.RESERVED_RANGES, "firmware", 1L << 45, 1 << 20));
        AxisScale s = AxisScale.segmented(r, 0, (1L << 45) + (1 << 20) - 1, 0, 1400);
        assertTrue(s.breakpoints().contains(end), "the end of the highest run");
        assertTrue(s.stretches() <= 4, "no breakpoint per run: " + s.stretches());
    }

    @Test
    void fewRamRunsEachGetTheirEnds() {
        List<MapRegion> r = List.of(
                MapRegion.ofSize(MapLayer.RAM, "node 0", 0, FOUR_G),
                MapRegion.ofSize(MapLayer.RAM, "node 1", 1L << 40, FOUR_G),
                MapRegion.ofSize(MapLayer.RESERVED_RANGES, "firmware", 1L << 45, 1 << 20));
        AxisScale s = AxisScale.segmented(r, 0, (1L << 45) + (1 << 20) - 1, 0, 1400);
        assertTrue(
                s.breakpoints().containsAll(List.of(FOUR_G, 1L << 40, (1L << 40) + FOUR_G)),
                s.breakpoints().toString());
    }
}
