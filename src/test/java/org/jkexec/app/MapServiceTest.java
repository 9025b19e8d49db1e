package org.jkexec.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.jkexec.JkexecException;
import org.jkexec.app.MapService.Format;
import org.jkexec.map.MapFixtures;
import org.junit.jupiter.api.Test;

class MapServiceTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static String text(Format f, Integer width) {
        return new String(
                MapService.render(MapFixtures.reference4g(), f, MapService.width(f, width)), StandardCharsets.UTF_8);
    }

    @Test
    void svgByDefaultWidth() {
        String svg = text(Format.parse("svg"), null);
        assertTrue(svg.startsWith("<svg") || svg.startsWith("<?xml"), svg.substring(0, 40));
        assertTrue(svg.contains("viewBox=\"0 0 1400 "));
    }

    @Test
    void textWithWidth() {
        String t = text(Format.parse("TEXT"), 72);
        assertTrue(t.lines().allMatch(l -> l.length() <= 72));
        assertTrue(t.contains("A: crashkernel 0x20000000 - 0x3fffffff"));
    }

    @Test
    void pngOfTheAskedWidth() throws IOException {
        Format f = Format.parse("PNG");
        assertTrue(f.binary());
        BufferedImage img =
                ImageIO.read(new ByteArrayInputStream(MapService.render(MapFixtures.reference4g(), f, 900)));
        assertEquals(900, img.getWidth());
    }

    @Test
    void refusesBadFormatsAndWidths() {
        assertThrows(JkexecException.class, () -> Format.parse("pdf"));
        assertThrows(JkexecException.class, () -> MapService.width(Format.SVG, 12));
        assertThrows(JkexecException.class, () -> MapService.width(Format.TEXT, 5000));
    }

    @Test
    void aHugeMachineInText() {
        String t = new String(MapService.render(MapFixtures.huge64t(), Format.TEXT, 100), StandardCharsets.UTF_8);
        assertTrue(t.contains("64 TiB"));
    }
}
