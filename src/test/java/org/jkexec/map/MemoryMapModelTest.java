package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;
import org.junit.jupiter.api.Test;

class MemoryMapModelTest {
    @Test
    void summarisesTheMachine() {
        assertEquals(
                "4 GiB RAM in 1 range | crashkernel 512 MiB at 0x20000000 | 6 segments, 11.3 MiB",
                MapFixtures.reference4g().summary());
        assertTrue(
                MapFixtures.huge64t().summary().startsWith("59.7 TiB RAM in 14 ranges (+4.26 TiB unassigned)"),
                MapFixtures.huge64t().summary());
    }

    @Test
    void lowWindowCoversTheKernelAndTheBackupSource() {
        assertEquals(
                0x7ddfffL, MapFixtures.reference4g().lowWindow().orElseThrow().endInclusive());
        MemoryMapModel onlyRam = new MemoryMapModel("ram", List.of(new MapRegion(MapLayer.RAM, "r", 0, 0xffff)), null);
        assertTrue(onlyRam.lowWindow().isEmpty());
        MemoryMapModel backupOnly = new MemoryMapModel(
                "b",
                List.of(
                        new MapRegion(MapLayer.RAM, "r", 0, 0xfffff),
                        new MapRegion(MapLayer.BACKUP_SOURCE, "b", 0, 0xffff)),
                null);
        assertEquals(0xffffL, backupOnly.lowWindow().orElseThrow().endInclusive());
    }

    @Test
    void sortsRegionsByAddress() {
        List<MapRegion> r = MapFixtures.reference4g().regions();
        for (int i = 1; i < r.size(); i++) {
            assertTrue(Long.compareUnsigned(r.get(i - 1).start(), r.get(i).start()) <= 0);
        }
        assertEquals(0L, MapFixtures.reference4g().lowest());
        assertEquals(0xffffffffL, MapFixtures.reference4g().highest());
    }

    @Test
    void rejectsInvertedRegions() {
        assertThrows(IllegalArgumentException.class, () -> new MapRegion(MapLayer.RAM, "x", 10, 9));
        assertThrows(IllegalArgumentException.class, () -> MapRegion.ofSize(MapLayer.RAM, "x", 10, 0));
    }

    @Test
    void formatsUnits() {
        assertEquals("512 MiB", ByteSize.text(512L << 20));
        assertEquals("2.06 KiB", ByteSize.text(0x83c));
        assertEquals("10.0 MiB", ByteSize.text(0x9ff000));
        assertEquals("452 KiB", ByteSize.text(0x71000));
        assertEquals("64 TiB", ByteSize.text(64L << 40));
        assertEquals("~520 MiB", Units.approx(0x207e0000L));
        assertEquals("1 GiB", Units.approx(1L << 30));
        assertEquals("0x0000207e0000", Hex.padded(0x207e0000L, 12));
        assertEquals(12, Hex.digits(0x3fffffffffffL));
    }

    @Test
    void degenerateModelsStillRender() {
        List<MemoryMapModel> models = List.of(
                new MemoryMapModel("empty", List.of(), null),
                new MemoryMapModel("ram only", List.of(new MapRegion(MapLayer.RAM, "r", 0, 0xfff)), null),
                new MemoryMapModel(
                        "focus only",
                        List.of(new MapRegion(MapLayer.RAM, "r", 0, (1L << 30) - 1)),
                        new MapRegion(MapLayer.CRASHKERNEL, "crashkernel", 1L << 28, (1L << 29) - 1)),
                new MemoryMapModel("one byte", List.of(new MapRegion(MapLayer.SEG_FDT, "fdt", 0x1000, 0x1000)), null));
        for (MemoryMapModel m : models) {
            MapLayout l = MapLayout.of(m, MapLayout.MIN_WIDTH);
            SvgRendererTest.parse(SvgRenderer.render(l));
            assertTrue(PngRenderer.image(l).getWidth() == MapLayout.MIN_WIDTH);
            assertTrue(TextRenderer.render(m, TextRenderer.MIN_WIDTH)
                    .lines()
                    .allMatch(x -> x.length() <= TextRenderer.MIN_WIDTH));
        }
    }
}
