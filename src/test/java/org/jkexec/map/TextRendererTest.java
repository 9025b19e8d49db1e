package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.units.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextRendererTest {
    @ParameterizedTest
    @CsvSource({
        "ref4g, 40",
        "ref4g, 61",
        "ref4g, 100",
        "ref4g, 200",
        "huge64t, 40",
        "huge64t, 73",
        "huge64t, 100",
        "huge64t, 160"
    })
    void linesNeverExceedTheWidth(String name, int width) {
        MemoryMapModel m = MapLayoutTest.fixture(name);
        String text = TextRenderer.render(m, width);
        List<String> lines = text.lines().toList();
        for (String line : lines) {
            assertTrue(line.length() <= width, line.length() + " > " + width + ": " + line);
        }
        // the bars use the full width: "  kexec       |...|"
        String kexec =
                lines.stream().filter(l -> l.startsWith("  kexec ")).findFirst().orElseThrow();
        assertEquals(width, kexec.length());
        assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), "plain ASCII");
    }

    @Test
    void showsEveryRegionInTheTableAndEverySegmentOnTheBars() {
        MemoryMapModel m = MapFixtures.reference4g();
        String text = TextRenderer.render(m, 100);
        for (MapRegion r : m.regions()) {
            assertTrue(text.contains(r.label()), r.label());
            assertTrue(text.contains(Hex.padded(r.start(), 8)), Hex.padded(r.start(), 8));
        }
        List<String> lines = text.lines().toList();
        int a = lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("A: crashkernel"))
                .findFirst()
                .orElseThrow());
        String kexec = lines.get(a + 1);
        assertTrue(kexec.startsWith("  kexec"), kexec);
        for (char c : "KBEIFP".toCharArray()) {
            assertTrue(kexec.indexOf(c) > 0, c + " on " + kexec);
        }
        assertTrue(kexec.indexOf('K') < kexec.indexOf('I') && kexec.indexOf('F') < kexec.indexOf('P'), "address order");
        assertTrue(text.contains("  r RTAS                                 0x2ffff000 0x2ffff83b  2.06 KiB"), text);
    }

    @Test
    void summarisesLongRunLists() {
        String text = TextRenderer.render(MapFixtures.huge64t(), 100);
        assertTrue(text.contains("more RAM runs"), text);
        assertTrue(text.lines().count() < 80);
    }

    @Test
    void widthIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> TextRenderer.render(MapFixtures.reference4g(), 20));
    }
}
