package org.jkexec.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Access to ../shared/reference (captured from real kernels) and to the bundled captures. */
public final class Reference {
    public static final String MACHINE = "pseries-4g-2cpu-crash512m";
    public static final String KERNEL_612 = "kernel-6.12-kexec_file_load";
    public static final String KEXEC_TOOLS = "kexec-tools-2.0.25-linux-6.1";

    private Reference() {
    }

    public static Path root() {
        String p = System.getProperty("jkexec.reference", "../shared/reference");
        Path root = Path.of(p);
        assumeTrue(Files.isDirectory(root), "reference data not present at " + root);
        return root;
    }

    public static Path dir(String loader) {
        return root().resolve(MACHINE).resolve(loader);
    }

    public static byte[] bytes(String loader, String file) {
        try {
            return Files.readAllBytes(dir(loader).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String loader, String file) {
        return new String(bytes(loader, file), StandardCharsets.UTF_8);
    }

    /** A capture bundled in the repository (captures/NAME). */
    public static Path capture(String name) {
        Path p = Path.of("captures").resolve(name);
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("bundled capture missing: " + p.toAbsolutePath());
        }
        return p;
    }
}
