package org.jkexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounded reader: whatever size a file reports, it returns exactly its bytes or refuses past the budget. */
class InputFilesTest {
    @TempDir
    Path tmp;

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static byte[] read(byte[] content, long reported, long budget) throws IOException {
        return InputFiles.readBounded(new ByteArrayInputStream(content), reported, budget, Path.of("/f"), "test file");
    }

    @Test
    void theBytesAreReturnedWhateverSizeIsReported() throws IOException {
        for (int n : new int[] {0, 1, 4095, 4096, 4097, 100_000, (1 << 20) + 3}) {
            byte[] content = bytes(n);
            // procfs and sysfs report 0 or 4096; a regular file its size; a growing file less
            for (long reported : new long[] {0, 4096, n, Math.max(1, n / 2), n + 1000L}) {
                assertArrayEquals(content, read(content, reported, 2L << 20), n + " bytes reported as " + reported);
            }
        }
    }

    @Test
    void oneByteMoreThanTheBudgetIsRefusedWhateverSizeIsReported() throws IOException {
        byte[] content = bytes(10_000);
        assertArrayEquals(content, read(content, 0, 10_000));
        for (long reported : new long[] {0, 100, 9_999, 10_000}) {
            JkexecException e = assertThrows(JkexecException.class, () -> read(content, reported, 9_999));
            assertTrue(e.getMessage().contains("larger than the 9999 bytes budget"), e.getMessage());
        }
        assertThrows(JkexecException.class, () -> read(new byte[1], 0, 0));
        assertArrayEquals(new byte[0], read(new byte[0], 0, 0));
    }

    /**
     * A file of the default file system is read as a FileInputStream; when its open fails (here
     * the file went between its look and its read) the reason is the channel's, as before.
     */
    @Test
    void aFileGoneBeforeItsReadIsMissing() {
        JkexecException e = assertThrows(
                JkexecException.class, () -> InputFiles.readChecked(tmp.resolve("gone"), 10, 100, "test file"));
        assertTrue(e.getMessage().endsWith(tmp.resolve("gone") + ": missing"), e.getMessage());
    }

    /** Files of another file system (the fuzz targets' in-memory one) are read through their channel. */
    @Test
    void aFileOfAnotherFileSystemIsReadAsTheDefaultOnesAre() throws IOException {
        try (FileSystem memory = Jimfs.newFileSystem(Configuration.unix())) {
            byte[] content = bytes(5000);
            Path f = Files.write(memory.getPath("/f"), content);
            Path g = Files.write(tmp.resolve("g"), content);
            assertArrayEquals(InputFiles.read(g, 10_000), InputFiles.read(f, 10_000));
            Files.writeString(f, "a\nKernelPageSize: 64 kB\n");
            assertEquals(
                    Optional.of("KernelPageSize: 64 kB"),
                    InputFiles.firstLineStartingWith(f, "KernelPageSize", 100, "smaps"));
        }
    }

    @Test
    void readIfPresentTellsAMissingFileFromABadOne() throws IOException {
        assertNull(InputFiles.readIfPresent(tmp.resolve("absent"), 100, "crash notes"));
        Path f = Files.write(tmp.resolve("f"), bytes(50));
        assertArrayEquals(Files.readAllBytes(f), InputFiles.readIfPresent(f, 100, "crash notes"));
        Path dir = Files.createDirectory(tmp.resolve("d"));
        JkexecException e =
                assertThrows(JkexecException.class, () -> InputFiles.readIfPresent(dir, 100, "crash notes"));
        assertTrue(e.getMessage().contains("is a directory, not a regular file"), e.getMessage());
        assertThrows(JkexecException.class, () -> InputFiles.readIfPresent(f, 49, "crash notes"));
    }
}
