package org.jkexec.fdt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Access to the captured reference data (surefire passes its location as jkexec.reference). */
final class References {
    private References() {}

    static final String MACHINE = "pseries-4g-2cpu-crash512m";
    static final String KERNEL = "kernel-6.12-kexec_file_load";
    static final String KEXEC_TOOLS = "kexec-tools-2.0.25-linux-6.1";
    static final List<String> LOADERS = List.of(KERNEL, KEXEC_TOOLS);

    /** For @MethodSource. */
    static List<String> loaders() {
        return LOADERS;
    }

    static Path dir(String loader) {
        String base = System.getProperty("jkexec.reference");
        if (base == null) {
            throw new IllegalStateException("system property jkexec.reference is not set (run through Maven)");
        }
        return Path.of(base, MACHINE, loader);
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
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tar failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
