package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes every format of the fixture machines (to the directory in system property
 * jkexec.map.out when set, for looking at them; else to a temporary directory).
 */
class MapGalleryTest {
    @TempDir
    Path tmp;

    @Test
    void writesAllFormats() throws IOException {
        String dir = System.getProperty("jkexec.map.out");
        Path out = dir != null ? Files.createDirectories(Path.of(dir)) : tmp;
        write(out, "ref4g", MapFixtures.reference4g());
        write(out, "huge64t", MapFixtures.huge64t());
        write(out, "powernv", MapFixtures.powernv());
    }

    private static void write(Path out, String name, MemoryMapModel m) throws IOException {
        MapLayout l = MapLayout.of(m, MapLayout.DEFAULT_WIDTH);
        Files.writeString(out.resolve(name + ".svg"), SvgRenderer.render(l), StandardCharsets.UTF_8);
        Files.write(out.resolve(name + ".png"), PngRenderer.bytes(l));
        Files.writeString(out.resolve(name + ".txt"), TextRenderer.render(m, TextRenderer.DEFAULT_WIDTH));
        assertTrue(Files.size(out.resolve(name + ".png")) > 1000);
    }
}
