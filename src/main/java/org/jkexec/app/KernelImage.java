package org.jkexec.app;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfFile;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A kernel file as kexec-tools reads one: a vmlinux, or a vmlinux compressed with gzip, xz,
 * lzma or zstd, which is decompressed (with the JDK's zlib, XZ for Java and aircompressor's
 * pure-Java zstd) for planning and for both syscalls.
 *
 * @param unpacked the decompressed bytes, or null when the file is not compressed (then it is
 *                 mapped, not read: a vmlinux with symbols is far larger than what it loads)
 */
public record KernelImage(Path file, ByteBuffer bytes, String compression, byte[] unpacked) {
    /** A kernel file larger than this is refused before reading (no vmlinux is 2 GiB). */
    static final long MAX_KERNEL = 1L << 31;
    /**
     * The budget of a decompressed kernel: the decompression stops here and the file is refused
     * (a decompression bomb costs this much memory at most). A stripped ppc64 vmlinux, what
     * distributions compress, is 40 to 80 MiB.
     */
    static final long MAX_UNPACKED = 256L << 20;

    /** Reads {@code file}, decompressing it when its first bytes name a compression. */
    public static KernelImage read(Path file) {
        ByteBuffer mapped = InputFiles.map(file, MAX_KERNEL, "kernel");
        String compression = compression(mapped);
        if (compression == null) {
            return new KernelImage(file, mapped, null, null);
        }
        byte[] unpacked = unpack(file, compression, mapped, MAX_UNPACKED);
        return new KernelImage(file, ByteBuffer.wrap(unpacked).asReadOnlyBuffer(), compression, unpacked);
    }

    /** The ELF file the kernel is once decompressed. */
    public ElfFile elf() {
        return ElfFile.parse(
                bytes.duplicate(),
                compression == null ? file.toString() : file + " (decompressed " + compression + ")");
    }

    /** The compression its magic bytes name (as file(1) and kexec-tools recognise them), or null. */
    static String compression(ByteBuffer b) {
        int n = Math.min(b.remaining(), 6);
        byte[] head = new byte[n];
        b.duplicate().get(head);
        if (startsWith(head, 0x1f, 0x8b)) {
            return "gzip";
        }
        if (startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            return "xz";
        }
        if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            return "zstd";
        }
        if (startsWith(head, 0x5d, 0, 0)) {
            return "lzma";
        }
        return null;
    }

    /** Decompresses {@code packed}; more than {@code budget} bytes, or a damaged stream, is refused (exit 2). */
    static byte[] unpack(Path file, String compression, ByteBuffer packed, long budget) {
        try (InputStream in = stream(compression, new BufferInput(packed.duplicate()))) {
            byte[] out = new byte[(int) Math.min(budget + 1, Math.max(1 << 16, 4L * packed.remaining()))];
            int n = 0;
            while (true) {
                if (n == out.length) {
                    if (n > budget) {
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(budget + 1, 2L * out.length));
                }
                int r = in.read(out, n, out.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n > budget) {
                throw JkexecException.badInput(
                        file,
                        compression + " kernel decompresses to more than " + InputFiles.budget(budget)
                                + " (no kernel is that large): refused");
            }
            return Arrays.copyOf(out, n);
        } catch (IOException | RuntimeException e) {
            if (e instanceof JkexecException je) {
                throw je;
            }
            throw JkexecException.badInput(file, "damaged " + compression + " data: " + e.getMessage(), e);
        }
    }

    private static InputStream stream(String compression, InputStream in) throws IOException {
        return switch (compression) {
            case "gzip" -> new GZIPInputStream(in, 1 << 16);
            case "xz" -> new XZInputStream(in, DICTIONARY_LIMIT_KIB);
            case "lzma" -> new LZMAInputStream(in, DICTIONARY_LIMIT_KIB);
            case "zstd" -> new ZstdInputStream(in);
            default -> throw new IllegalArgumentException(compression);
        };
    }

    /** xz and lzma streams asking for more memory than this (KiB) are refused: a kernel's use 32 MiB at most. */
    private static final int DICTIONARY_LIMIT_KIB = 256 << 10;

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
