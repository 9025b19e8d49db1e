package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jkexec.map.MapLayout.Panel;
import org.jkexec.units.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every fixture machine in every format: each picture is what its format promises (SVG that
 * parses with the asked width, a PNG of that width, text within its columns), and each shows the
 * crashkernel window and the top of RAM. Set system property jkexec.map.out to a directory to
 * keep the pictures for looking at them.
 */
class MapGalleryTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static MemoryMapModel fixture(String name) {
        return switch (name) {
            case "ref4g" -> MapFixtures.reference4g();
            case "huge64t" -> MapFixtures.huge64t();
            case "powernv" -> MapFixtures.powernv();
            default -> MapFixtures.powernv9();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"ref4g", "huge64t", "powernv", "powernv9"})
    void everyFormatShowsTheMachine(String name) throws IOException {
        MemoryMapModel m = fixture(name);
        MapLayout l = MapLayout.of(m, MapLayout.DEFAULT_WIDTH);
        String svg = SvgRenderer.render(l);
        byte[] png = PngRenderer.bytes(l);
        String text = TextRenderer.render(m, TextRenderer.DEFAULT_WIDTH);
        keep(name, svg, png, text);

        SvgRendererTest.parse(svg);
        assertTrue(svg.contains("viewBox=\"0 0 " + MapLayout.DEFAULT_WIDTH + " "), "SVG width");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(MapLayout.DEFAULT_WIDTH, img.getWidth());
        assertEquals((int) Math.ceil(l.height()), img.getHeight(), 1.0);
        assertTrue(
                text.lines().allMatch(line -> line.length() <= TextRenderer.DEFAULT_WIDTH), "text within its columns");

        MapRegion focus = m.focusWindow();
        String crash = Hex.hex(focus.start());
        assertTrue(svg.contains(crash) && text.contains(crash), "crashkernel start " + crash + " in SVG and text");
        long topOfRam = m.regions().stream()
                .filter(r -> r.layer().row() == MapRow.RAM)
                .mapToLong(r -> r.endInclusive() + 1)
                .reduce(0, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
        String top = Hex.hex(topOfRam);
        if (topOfRam != m.highest() + 1) {
            // RAM ends below the window's end: its end is a tick of the overview
            Panel overview = l.panel("overview").orElseThrow();
            assertTrue(
                    overview.ticks().stream().anyMatch(t -> t.address() == topOfRam), "tick at the top of RAM " + top);
        }
        assertTrue(svg.contains(top) || text.contains(top), "top of RAM " + top);
    }

    private static void keep(String name, String svg, byte[] png, String text) throws IOException {
        String dir = System.getProperty("jkexec.map.out");
        if (dir == null) {
            return;
        }
        Path out = Files.createDirectories(Path.of(dir));
        Files.writeString(out.resolve(name + ".svg"), svg, StandardCharsets.UTF_8);
        Files.write(out.resolve(name + ".png"), png);
        Files.writeString(out.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
    }
}
