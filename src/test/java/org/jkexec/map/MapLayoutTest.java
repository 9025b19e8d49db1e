package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jkexec.map.MapLayout.Box;
import org.jkexec.map.MapLayout.Label;
import org.jkexec.map.MapLayout.Panel;
import org.jkexec.map.MapLayout.PlacedBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MapLayoutTest {
    static Stream<Arguments> layouts() {
        List<Arguments> out = new ArrayList<>();
        for (int w : new int[] {MapLayout.MIN_WIDTH, 1000, MapLayout.DEFAULT_WIDTH, 2400}) {
            out.add(Arguments.of("ref4g", w));
            out.add(Arguments.of("huge64t", w));
            out.add(Arguments.of("powernv", w));
            out.add(Arguments.of("powernv9", w));
        }
        return out.stream();
    }

    static MemoryMapModel fixture(String name) {
        return switch (name) {
            case "ref4g" -> MapFixtures.reference4g();
            case "powernv" -> MapFixtures.powernv();
            case "powernv9" -> MapFixtures.powernv9();
            default -> MapFixtures.huge64t();
        };
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("layouts")
    void labelsNeverOverlapAndLeadersAvoidOtherLabels(String name, int width) {
        MapLayout l = MapLayout.of(fixture(name), width);
        for (Panel p : l.panels()) {
            List<Label> banded = p.labels().stream().filter(lb -> !lb.inline()).toList();
            for (int i = 0; i < banded.size(); i++) {
                Box a = banded.get(i).box();
                assertTrue(a.x() >= 0 && a.x1() <= width, p.id() + ": label outside the picture: " + a);
                for (int j = i + 1; j < banded.size(); j++) {
                    assertFalse(
                            a.intersects(banded.get(j).box(), 0),
                            p.id() + ": labels overlap: " + banded.get(i).lines() + " and "
                                    + banded.get(j).lines());
                }
                Label li = banded.get(i);
                Box leader = new Box(
                        li.leaderX(),
                        Math.min(li.leaderY0(), li.leaderY1()),
                        0,
                        Math.abs(li.leaderY1() - li.leaderY0()));
                for (Label other : banded) {
                    if (other != li) {
                        assertFalse(
                                leader.intersects(other.box(), 0),
                                p.id() + ": leader of " + li.lines() + " crosses " + other.lines());
                    }
                }
                // the leader joins the label's bar and the label's box
                assertTrue(
                        li.leaderX() >= li.box().x() && li.leaderX() <= li.box().x1());
                PlacedBar bar = p.bars().stream()
                        .filter(b -> b.bar() == li.bar())
                        .findFirst()
                        .orElseThrow();
                assertTrue(li.leaderX() >= bar.box().x() - 1e-6
                        && li.leaderX() <= bar.box().x1() + 1e-6);
            }
            // labels stay clear of bars and rows: banded labels are outside the rows band
            for (Label lb : banded) {
                assertTrue(
                        lb.box().y1() <= p.rowsTop() || lb.box().y() >= p.rowsBottom(),
                        lb.lines().toString());
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("layouts")
    void everyLabelledBarHasOneLabelThatFits(String name, int width) {
        MapLayout l = MapLayout.of(fixture(name), width);
        for (Panel p : l.panels()) {
            for (PlacedBar pb : p.bars()) {
                long n = p.labels().stream().filter(lb -> lb.bar() == pb.bar()).count();
                if (pb.bar().layer().labelled()) {
                    assertEquals(1, n, p.id() + ": " + pb.bar().label());
                }
            }
            for (Label lb : p.labels()) {
                double textW = MapLayout.textWidth(lb.lines(), MapLayout.FONT);
                assertTrue(textW <= lb.box().w(), p.id() + ": text wider than its box: " + lb.lines());
                assertTrue(
                        lb.lines().size() * MapLayout.LINE <= lb.box().h() + 1e-9,
                        lb.lines().toString());
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("layouts")
    void tinyRegionsStayVisibleInOrderAndInside(String name, int width) {
        MapLayout l = MapLayout.of(fixture(name), width);
        for (Panel p : l.panels()) {
            double x0 = p.scale().x0();
            double x1 = p.scale().x1();
            for (PlacedBar pb : p.bars()) {
                assertTrue(pb.box().w() >= MapLayout.MIN_BAR - 1e-9, p.id() + ": too thin: " + pb.bar());
                assertTrue(pb.box().x() >= x0 - 1e-9 && pb.box().x1() <= x1 + 1e-9, p.id() + ": outside: " + pb.bar());
            }
            Map<String, List<PlacedBar>> lanes = p.bars().stream()
                    .collect(Collectors.groupingBy(
                            b -> b.bar().row() + "/" + b.bar().lane()));
            for (List<PlacedBar> lane : lanes.values()) {
                List<PlacedBar> byAddr = new ArrayList<>(lane);
                byAddr.sort(Comparator.comparing((PlacedBar b) -> b.bar().start(), Long::compareUnsigned));
                for (int i = 1; i < byAddr.size(); i++) {
                    Box a = byAddr.get(i - 1).box();
                    Box b = byAddr.get(i).box();
                    assertTrue(
                            a.x1() <= b.x() + 1e-6,
                            p.id() + ": bars overlap or out of order: "
                                    + byAddr.get(i - 1).bar() + " / "
                                    + byAddr.get(i).bar());
                }
            }
        }
    }

    @Test
    void panelsAreOverviewCrashkernelAndLowMemory() {
        MapLayout l = MapLayout.of(MapFixtures.reference4g(), 1400);
        assertEquals(
                List.of("overview", "crashkernel", "low"),
                l.panels().stream().map(Panel::id).toList());
        assertFalse(l.panel("overview").orElseThrow().scale().isLinear());
        AxisScale a = l.panel("crashkernel").orElseThrow().scale();
        assertTrue(a.isLinear());
        assertEquals(0x20000000L, a.lo());
        assertEquals(0x3fffffffL, a.hiInclusive());
        AxisScale b = l.panel("low").orElseThrow().scale();
        assertEquals(0, b.lo());
        assertTrue(b.hiInclusive() >= 0x7ddfffL, "low memory holds the running kernel");
        // panels are stacked without overlapping
        for (int i = 1; i < l.panels().size(); i++) {
            assertTrue(l.panels().get(i - 1).frame().y1()
                    <= l.panels().get(i).frame().y());
        }
        assertTrue(l.panels().get(2).frame().y1() <= l.height());
    }

    @Test
    void zoomPanelDrawsSegmentsToScale() {
        MapLayout l = MapLayout.of(MapFixtures.reference4g(), 1400);
        Panel a = l.panel("crashkernel").orElseThrow();
        double px = a.scale().x1() - a.scale().x0();
        PlacedBar kernel = bar(a, MapLayer.SEG_KERNEL);
        double expected = px * 0x7de000 / (512.0 * 1024 * 1024);
        assertEquals(expected, kernel.box().w(), 1.0, "an 8 MiB segment is 8/512 of the window");
        assertEquals(a.scale().x0(), kernel.box().x(), 1e-9);
        PlacedBar purgatory = bar(a, MapLayer.SEG_PURGATORY);
        assertEquals(a.scale().x1(), purgatory.box().x1(), 1e-9, "purgatory ends the window");
        PlacedBar rtas = bar(a, MapLayer.RTAS);
        assertEquals(
                a.scale().x0() + px * (0x2ffff000L - 0x20000000L) / (512.0 * 1024 * 1024),
                rtas.box().x() + rtas.box().w() / 2,
                MapLayout.MIN_BAR);
    }

    @Test
    void overviewKeepsAddressOrderAndGivesTheCrashkernelRoom() {
        MemoryMapModel m = MapFixtures.huge64t();
        MapLayout l = MapLayout.of(m, 1400);
        Panel o = l.panel("overview").orElseThrow();
        List<Long> bps = o.scale().breakpoints();
        for (int i = 1; i < bps.size(); i++) {
            assertTrue(o.scale().x(bps.get(i - 1)) < o.scale().x(bps.get(i)) || i == bps.size() - 1);
        }
        PlacedBar crash = bar(o, MapLayer.CRASHKERNEL);
        double px = o.scale().x1() - o.scale().x0();
        assertTrue(crash.box().w() > px / 4, "4 GiB of 64 TiB still gets a quarter of the overview");
        // and the RAM row still shows the unassigned tail and the hot-removed block
        assertTrue(o.bars().stream()
                        .filter(b -> b.bar().layer() == MapLayer.RAM_UNASSIGNED)
                        .count()
                >= 2);
    }

    @Test
    void runsAreMergedNotDrawnPerLmb() {
        MemoryMapModel m = MapFixtures.huge64t();
        long runs = m.regions().stream().filter(r -> !r.layer().labelled()).count();
        MapLayout l = MapLayout.of(m, 1400);
        for (Panel p : l.panels()) {
            long ramBars =
                    p.bars().stream().filter(b -> b.bar().row() == MapRow.RAM).count();
            assertTrue(ramBars <= runs, p.id() + ": " + ramBars + " RAM bars for " + runs + " runs");
        }
        long total = l.panels().stream().mapToLong(p -> p.bars().size()).sum();
        assertTrue(total < 200, "bars: " + total);
    }

    @Test
    void alternatingLmbsAreMergedIntoABoundedNumberOfBars() {
        // worst case: every other LMB unassigned, 262,144 runs
        List<MapRegion> r = new ArrayList<>(
                LmbRuns.runs(MapFixtures.LMBS_64T, i -> i * MapFixtures.LMB, MapFixtures.LMB, i -> i % 2 == 0, null));
        assertEquals(MapFixtures.LMBS_64T, r.size());
        r.add(new MapRegion(MapLayer.CRASHKERNEL, "crashkernel", 0x20000000L, 0x11fffffffL));
        r.add(MapRegion.ofSize(MapLayer.SEG_KERNEL, "kernel", 0x20000000L, 0x2000000));
        MemoryMapModel m = new MemoryMapModel("alternating", r, r.get(r.size() - 2));
        MapLayout l = MapLayout.of(m, 1400);
        Panel o = l.panel("overview").orElseThrow();
        double px = o.scale().x1() - o.scale().x0();
        long ramBars =
                o.bars().stream().filter(b -> b.bar().row() == MapRow.RAM).count();
        assertTrue(ramBars <= px / MapLayout.MIN_BAR + 2, "RAM bars: " + ramBars);
        assertTrue(o.bars().stream().anyMatch(b -> b.bar().layer() == MapLayer.RAM_MIXED));
        assertTrue(SvgRendererTest.elementCount(SvgRenderer.render(l)) < 2000);
    }

    @Test
    void widthIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> MapLayout.of(MapFixtures.reference4g(), 100));
    }

    @Test
    void niceEndRoundsUpTheLowWindow() {
        assertEquals(0x7fffffL, MapLayout.niceEnd(0x7ddfffL));
        assertEquals(0x2ffffffL, MapLayout.niceEnd(0x2ffffffL));
        assertEquals(0xffffL, MapLayout.niceEnd(0xffffL));
    }

    static PlacedBar bar(Panel p, MapLayer layer) {
        return p.bars().stream()
                .filter(b -> b.bar().layer() == layer)
                .findFirst()
                .orElseThrow(() -> new AssertionError(p.id() + " has no " + layer));
    }
}
