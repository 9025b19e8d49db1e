package org.jkexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aCopyIsMadeFromTheSourceFileAndASourceThatShrankIsRefusedWithNothingLeft() throws Exception {
        byte[] initrd = new byte[100_000];
        initrd[99_999] = 42;
        Path source = Files.write(tmp.resolve("initrd"), initrd);
        Path out = tmp.resolve("out");
        new OutputFiles.Batch()
                .put("a.bin", ByteBuffer.wrap(new byte[10]), OutputFiles.READABLE)
                .put("initrd.bin", ByteBuffer.wrap(initrd), source, OutputFiles.OWNER_ONLY)
                .writeInto(out, "--out", false);
        assertArrayEquals(initrd, Files.readAllBytes(out.resolve("initrd.bin")));

        Files.write(source, new byte[500]); // shrank since it was planned
        Path out2 = tmp.resolve("out2");
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> new OutputFiles.Batch()
                        .put("a.bin", ByteBuffer.wrap(new byte[10]), OutputFiles.READABLE)
                        .put("initrd.bin", ByteBuffer.wrap(initrd), source, OutputFiles.OWNER_ONLY)
                        .writeInto(out2, "--out", false));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("shrank to 500 bytes"), e.getMessage());
        assertFalse(Files.exists(out2), "nothing of the new directory is left");
        try (var s = Files.list(tmp)) {
            assertEquals(
                    List.of("initrd", "out"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
