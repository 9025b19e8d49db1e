package org.jkexec.fdt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jkexec.testutil.Reference;

/** The reference data of {@link Reference}, as the FDT tests use it. */
final class References {
    private References() {}

    static final String KERNEL = Reference.KERNEL_612;
    static final String KEXEC_TOOLS = Reference.KEXEC_TOOLS;
    static final List<String> LOADERS = List.of(KERNEL, KEXEC_TOOLS);

    /** For @MethodSource. */
    static List<String> loaders() {
        return LOADERS;
    }

    static Path dir(String loader) {
        return Reference.dir(loader);
    }

    static Path file(String loader, String name) {
        return dir(loader).resolve(name);
    }

    static byte[] bytes(String loader, String name) {
        try {
            return Files.readAllBytes(file(loader, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text one char per byte, as DtsPrinter produces it. */
    static String latin1(String loader, String name) {
        return new String(bytes(loader, name), StandardCharsets.ISO_8859_1);
    }

    static Fdt parse(String loader, String name) {
        return Fdt.parse(bytes(loader, name), loader + "/" + name);
    }

    /** Unpacks a .tgz into {@code into} with the system tar. */
    static void untar(Path tgz, Path into) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", into.toString())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tar failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
