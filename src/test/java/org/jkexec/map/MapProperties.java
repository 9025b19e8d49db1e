package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jkexec.map.MapLayout.Label;
import org.jkexec.map.MapLayout.Panel;
import org.jkexec.map.MapLayout.PlacedBar;

/** Layout invariants on random machines: many, tiny, overlapping and clustered regions. */
class MapProperties {
    static final long PAGE = 4096;

    @Provide
    Arbitrary<MemoryMapModel> models() {
        Arbitrary<Integer> ramPages = Arbitraries.integers().between(1 << 16, 1 << 30);
        Arbitrary<List<long[]>> regions = Combinators.combine(
                        Arbitraries.integers().between(0, MapLayer.values().length - 1),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(0, 40))
                .as((k, at, log) -> new long[] {k, Double.doubleToLongBits(at), log})
                .list()
                .ofMaxSize(30);
        Arbitrary<Integer> holes = Arbitraries.integers().between(0, 6);
        return Combinators.combine(ramPages, regions, holes).as(MapProperties::model);
    }

    static MemoryMapModel model(int ramPages, List<long[]> specs, int holes) {
        long ram = ramPages * PAGE;
        List<MapRegion> r = new ArrayList<>();
        // RAM in 1 + holes ranges, with holes and unassigned runs between
        long step = ram / (holes + 1);
        for (int i = 0; i <= holes; i++) {
            long s = i * step;
            long e = i == holes ? ram - 1 : s + step / 2 - 1;
            r.add(new MapRegion(MapLayer.RAM, "RAM " + i, s, e));
            if (i % 2 == 1 && e + 1 < s + step - 1 && i != holes) {
                r.add(new MapRegion(MapLayer.RAM_UNASSIGNED, "unassigned " + i, e + 1, s + step - 1));
            }
        }
        MapRegion focus = null;
        for (long[] spec : specs) {
            MapLayer layer = MapLayer.values()[(int) spec[0]];
            if (layer == MapLayer.RAM || layer == MapLayer.RAM_UNASSIGNED || layer == MapLayer.RAM_MIXED) {
                continue;
            }
            double at = Double.longBitsToDouble(spec[1]);
            long size = Math.max(1, Math.min(ram / 2, 1L << spec[2]));
            long start = Math.min(ram - size, (long) (at * ram)) & ~0xfffL;
            MapRegion reg = MapRegion.ofSize(layer, layer.name().toLowerCase() + " " + r.size(), start, size);
            r.add(reg);
            if (layer == MapLayer.CRASHKERNEL && focus == null) {
                focus = reg;
            }
        }
        return new MemoryMapModel("random", r, focus);
    }

    @Property(tries = 60)
    void labelsNeverOverlapAndBarsStayVisible(
            @ForAll("models") MemoryMapModel m, @ForAll @IntRange(min = MapLayout.MIN_WIDTH, max = 2600) int width) {
        MapLayout l = MapLayout.of(m, width);
        for (Panel p : l.panels()) {
            List<Label> banded = p.labels().stream().filter(lb -> !lb.inline()).toList();
            for (int i = 0; i < banded.size(); i++) {
                for (int j = i + 1; j < banded.size(); j++) {
                    assertFalse(
                            banded.get(i).box().intersects(banded.get(j).box(), 0),
                            banded.get(i).lines() + " / " + banded.get(j).lines());
                }
                assertTrue(banded.get(i).box().x() >= 0 && banded.get(i).box().x1() <= width);
            }
            for (PlacedBar b : p.bars()) {
                assertTrue(
                        b.box().w()
                                >= Math.min(
                                                MapLayout.MIN_BAR,
                                                (p.scale().x1() - p.scale().x0())
                                                        / p.bars().size())
                                        - 1e-9,
                        b.toString());
                assertTrue(
                        b.box().x() >= p.scale().x0() - 1e-9
                                && b.box().x1() <= p.scale().x1() + 1e-9,
                        b.toString());
            }
        }
        assertTrue(l.panels().get(l.panels().size() - 1).frame().y1() <= l.height());
    }

    @Property(tries = 30)
    void svgParsesAndTextFits(@ForAll("models") MemoryMapModel m, @ForAll @IntRange(min = 40, max = 220) int cols) {
        SvgRendererTest.parse(SvgRenderer.render(MapLayout.of(m, 1000)));
        assertTrue(TextRenderer.render(m, cols).lines().allMatch(line -> line.length() <= cols));
    }
}
