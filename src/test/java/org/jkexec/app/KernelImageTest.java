package org.jkexec.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.jkexec.JkexecException;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.XZOutputStream;

/** Compressed kernels, as kexec-tools reads them: decompressed within a budget, or refused in one line (exit 2). */
class KernelImageTest {
    @TempDir
    Path dir;

    static final Path VMLINUX = Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs");

    static byte[] compress(String how, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = switch (how) {
            case "gzip" -> new GZIPOutputStream(b);
            case "xz" -> new XZOutputStream(b, new LZMA2Options());
            case "lzma" -> new LZMAOutputStream(b, new LZMA2Options(), data.length);
            case "zstd" -> new ZstdOutputStream(b);
            default -> throw new IllegalArgumentException(how);
        }) {
            o.write(data);
        }
        return b.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "lzma", "zstd"})
    void eachCompressionDecompressesToTheSameElf(String how) throws IOException {
        byte[] vmlinux = Files.readAllBytes(VMLINUX);
        Path packed = Files.write(dir.resolve("vmlinuz." + how), compress(how, vmlinux));
        KernelImage k = KernelImage.read(packed);
        assertEquals(how, k.compression());
        assertArrayEquals(vmlinux, k.unpacked());
        assertEquals(KernelImage.read(VMLINUX).elf().programHeaders(), k.elf().programHeaders());
    }

    @Test
    void anUncompressedKernelIsMappedNotCopied() {
        KernelImage k = KernelImage.read(VMLINUX);
        assertNull(k.compression());
        assertNull(k.unpacked());
    }

    @Test
    void aDecompressionBombStopsAtTheBudgetAndIsRefused() throws IOException {
        byte[] zeros = compress("gzip", new byte[3 << 20]);
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> KernelImage.unpack(dir.resolve("bomb"), "gzip", ByteBuffer.wrap(zeros), 1 << 20));
        assertEquals(2, e.exitCode());
        assertTrue(
                e.getMessage().contains("bomb") && e.getMessage().contains("decompresses to more than"),
                e.getMessage());
        assertEquals(
                3 << 20,
                KernelImage.unpack(dir.resolve("ok"), "gzip", ByteBuffer.wrap(zeros), 3 << 20).length,
                "exactly the budget is allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "zstd"})
    void damagedDataIsOneLineNamingTheFile(String how) throws IOException {
        byte[] good = compress(how, Files.readAllBytes(VMLINUX));
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        Path p = Files.write(dir.resolve("cut." + how), cut);
        JkexecException e = assertThrows(JkexecException.class, () -> KernelImage.read(p));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains(p.toString()) && !e.getMessage().contains("\n"), e.getMessage());
    }
}
