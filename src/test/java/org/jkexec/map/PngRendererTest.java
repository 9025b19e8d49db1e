package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.jkexec.map.MapLayout.Panel;
import org.jkexec.map.MapLayout.PlacedBar;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngRendererTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @ParameterizedTest
    @CsvSource({"ref4g, 800", "ref4g, 1400", "huge64t, 1400", "huge64t, 2000"})
    void decodesAtTheRequestedSizeAndMatchesTheLayout(String name, int width) throws IOException {
        MemoryMapModel m = MapLayoutTest.fixture(name);
        MapLayout l = MapLayout.of(m, width);
        byte[] png = PngRenderer.bytes(l);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "ImageIO decodes it");
        assertEquals(width, img.getWidth());
        assertEquals((int) Math.ceil(l.height()), img.getHeight());
        // the pixels are where the layout says: inside each wide plain bar, its fill colour
        int checked = 0;
        for (Panel p : l.panels()) {
            for (PlacedBar pb : p.bars()) {
                MapLayer layer = pb.bar().layer();
                if (pb.box().w() < 12 || layer.hatch() != null) {
                    continue;
                }
                int x = (int) Math.floor(pb.box().x() + 4);
                int y = (int) Math.floor(pb.box().y() + 4);
                int rgb = img.getRGB(x, y) & 0xffffff;
                assertEquals(
                        Integer.toHexString(PngRenderer.color(layer.fill()).getRGB() & 0xffffff),
                        Integer.toHexString(rgb),
                        p.id() + " " + pb.bar().label() + " at " + x + "," + y);
                checked++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(checked >= 5, "checked " + checked);
    }
}
