package org.jkexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link InputFiles#firstLineStartingWith} finds what reading the whole file and splitting it finds. */
class FirstLineTest {
    @Provide
    Arbitrary<String> texts() {
        // the prefix's letters, line ends of every kind, and a byte above 0x7f
        return Arbitraries.strings().withChars("MMUK: \n\r\u00e9x").ofMaxLength(12_000);
    }

    @Property(tries = 300)
    void sameAsSplittingTheWholeFile(@ForAll("texts") String text) throws IOException {
        Path f = Files.createTempFile("first-line", ".txt");
        try {
            Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
            for (String prefix : new String[] {"MMU", "MK:", "x"}) {
                Optional<String> whole =
                        text.lines().filter(l -> l.startsWith(prefix)).findFirst();
                assertEquals(whole, InputFiles.firstLineStartingWith(f, prefix, 1 << 20, null), prefix);
            }
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void boundedAndCheckedAsARead() throws IOException {
        Path dir = Files.createTempDirectory("first-line");
        Path f = dir.resolve("smaps");
        Files.writeString(f, "a\n".repeat(100) + "KernelPageSize: 64 kB\n");
        assertEquals(
                Optional.of("KernelPageSize: 64 kB"),
                InputFiles.firstLineStartingWith(f, "KernelPageSize:", 1000, null));
        JkexecException e = assertThrows(
                JkexecException.class, () -> InputFiles.firstLineStartingWith(f, "KernelPageSize:", 100, null));
        assertTrue(e.getMessage().contains("larger than the 100 bytes budget"), e.getMessage());
        e = assertThrows(JkexecException.class, () -> InputFiles.firstLineStartingWith(dir, "x", 100, null));
        assertEquals(
                assertThrows(JkexecException.class, () -> InputFiles.read(dir, 100))
                        .getMessage(),
                e.getMessage());
        Files.delete(f);
        Files.delete(dir);
    }
}
