package org.jkexec.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The outputs of real kernels the differential tests compare against (test resources under
 * reference/, see reference/README.md there) and the bundled captures. Missing data is an
 * error, never a reason to skip.
 */
public final class Reference {
    public static final String MACHINE = "pseries-4g-2cpu-crash512m";
    public static final String KERNEL_612 = "kernel-6.12-kexec_file_load";
    public static final String KEXEC_TOOLS = "kexec-tools-2.0.25-linux-6.1";
    /** The same guest booted with crashkernel=512M crashkernel=128M,cma (Linux 7.3 with CONFIG_CMA). */
    public static final String MACHINE_CMA = "pseries-4g-2cpu-crash512m-cma128m";

    public static final String KERNEL_73 = "kernel-7.3-kexec_file_load";
    /** Its capture (captures/NAME), made from the reference by scripts/make-reference-capture. */
    public static final String CAPTURE_CMA = "pseries-4g-2cpu-crash512m-cma128m-linux7.3";

    private Reference() {}

    /** The directory holding reference/MACHINE/LOADER/..., from the test class path. */
    public static Path root() {
        URL url = Reference.class.getResource("/reference/" + MACHINE);
        if (url == null) {
            throw new IllegalStateException("reference data missing from the test class path: reference/" + MACHINE);
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("reference data not on the file system: " + url, e);
        }
    }

    public static Path dir(String loader) {
        return dir(MACHINE, loader);
    }

    /** reference/MACHINE/LOADER of another reference machine. */
    public static Path dir(String machine, String loader) {
        Path dir = root().resolve(machine).resolve(loader);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference data missing: " + dir);
        }
        return dir;
    }

    public static byte[] bytes(String loader, String file) {
        return bytes(MACHINE, loader, file);
    }

    public static byte[] bytes(String machine, String loader, String file) {
        try {
            return Files.readAllBytes(dir(machine, loader).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String loader, String file) {
        return text(MACHINE, loader, file);
    }

    public static String text(String machine, String loader, String file) {
        return new String(bytes(machine, loader, file), StandardCharsets.UTF_8);
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
