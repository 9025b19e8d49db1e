package org.jkexec.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory laid out like / with the kexec files a test needs. */
final class FakeSystem {
    final Path root;

    FakeSystem(Path root) {
        this.root = root;
    }

    /** A root-owned shell on the reference machine: 512 MiB crashkernel at 512 MiB, nothing loaded. */
    static FakeSystem reference(Path dir) {
        FakeSystem s = new FakeSystem(dir);
        s.write("proc/self/status", "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n");
        s.write("sys/kernel/kexec_crash_loaded", "0\n");
        s.write("sys/kernel/kexec_loaded", "0\n");
        s.write("sys/kernel/kexec_crash_size", "536870912\n");
        s.write("sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        s.write("proc/sys/kernel/kexec_load_disabled", "0\n");
        s.write("proc/sys/kernel/kexec_load_limit_panic", "-1\n");
        s.write("proc/iomem", "00000000-ffffffff : System RAM\n  20000000-3fffffff : Crash kernel\n");
        return s;
    }

    FakeSystem write(String relative, String content) {
        return write(relative, content.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    FakeSystem write(String relative, byte[] content) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeSystem delete(String relative) {
        try {
            Files.deleteIfExists(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KexecSystemFiles files() {
        return new KexecSystemFiles(root);
    }
}
