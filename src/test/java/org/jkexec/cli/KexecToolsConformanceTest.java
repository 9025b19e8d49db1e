package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command lines of docs/distribution-command-lines.md, exactly as the table pins them, run
 * through the kexec personality in a dry run on the bundled capture: each exits 0 and makes the
 * syscall the table says.
 */
class KexecToolsConformanceTest {
    static final String CAPTURE = CliTest.CAPTURE;
    static final Path TABLE = Path.of("docs/distribution-command-lines.md");
    static final String CMDLINE = "root=/dev/sda2 reset_devices irqpoll maxcpus=1 noirqdistrib";

    /** One row: its number, its argv after "kexec" with the placeholders filled in, and the syscall. */
    record Line(String row, List<String> args, String call) {
        @Override
        public String toString() {
            return "row " + row + ": kexec " + String.join(" ", args);
        }
    }

    static Stream<Line> lines() throws IOException {
        Pattern row = Pattern.compile("^\\| (\\d+) \\|.*\\| `kexec ([^`]*)` \\| (\\S+) \\|$");
        List<Line> out = new ArrayList<>();
        for (String l : Files.readAllLines(TABLE)) {
            Matcher m = row.matcher(l);
            if (m.matches()) {
                List<String> args = new ArrayList<>();
                for (String word : m.group(2).split(" ")) {
                    args.add(word.replace("$KERNEL", CAPTURE + "/kdump/vmlinux-phdrs")
                            .replace("$INITRD", CAPTURE + "/kdump/initrd-zeros")
                            .replace("$DTB", CAPTURE + "/sys/firmware/fdt")
                            .replace("$CMDLINE", CMDLINE));
                }
                out.add(new Line(m.group(1), args, m.group(3)));
            }
        }
        assertEquals(13, out.size(), "every row of " + TABLE + " is read");
        return out.stream();
    }

    static CliTest.Result kexec(List<String> args, String root, String... more) {
        List<String> all = new ArrayList<>();
        all.add("kexec");
        all.addAll(args);
        all.addAll(List.of("--root", root, "--dry-run"));
        all.addAll(List.of(more));
        return CliTest.run(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void eachDistributionLineRunsAsWritten(Line line) {
        CliTest.Result r = kexec(line.args(), CAPTURE);
        assertEquals(0, r.status(), line + ": " + r.err());
        assertEquals("", r.out(), "silent on stdout, as kexec-tools");
        CliTest.Result d = kexec(line.args(), CAPTURE, "-d");
        assertEquals(0, d.status(), d.err());
        assertTrue(d.err().contains(line.call() + " (dry run)"), line + " makes " + line.call() + ": " + d.err());
    }

    /**
     * Under lockdown every load line but petitboot's (whose --dtb needs kexec_load) still loads,
     * with kexec_file_load, and the lines with no syscall option say so in one line.
     */
    @ParameterizedTest
    @MethodSource("lines")
    void eachLineUnderLockdown(Line line, @TempDir Path dir) throws Exception {
        Path root = dir.resolve("locked");
        CliTest.copyTree(Path.of(CAPTURE), root);
        Files.createDirectories(root.resolve("sys/kernel/security"));
        Files.writeString(root.resolve("sys/kernel/security/lockdown"), "none [integrity] confidentiality\n");
        CliTest.Result r = kexec(line.args(), root.toString(), "-d");
        if (line.args().contains("--dtb=" + CAPTURE + "/sys/firmware/fdt")) {
            CliTest.assertOneLineErrorIgnoringDebug(r, "lockdown");
            return;
        }
        assertEquals(0, r.status(), line + ": " + r.err());
        assertTrue(r.err().contains("kexec_file_load (dry run)"), r.err());
        assertFalse(r.err().contains("kexec_load (dry run)"), r.err());
    }

    @Test
    void dashCUnderLockdownIsRefusedInOneLineNamingLockdownAndNothingIsUnloaded(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("locked");
        CliTest.copyTree(Path.of(CAPTURE), root);
        Files.createDirectories(root.resolve("sys/kernel/security"));
        Files.writeString(root.resolve("sys/kernel/security/lockdown"), "none integrity [confidentiality]\n");
        CliTest.Result load = kexec(
                List.of("-c", "-p", "--initrd=" + CAPTURE + "/kdump/initrd-zeros", CAPTURE + "/kdump/vmlinux-phdrs"),
                root.toString());
        CliTest.assertOneLineError(load, "lockdown is 'confidentiality'");
        assertTrue(load.err().contains("nothing loaded or unloaded"), load.err());
        CliTest.Result unload = kexec(List.of("-c", "-p", "-u"), root.toString());
        CliTest.assertOneLineError(unload, "lockdown");
        // jkexec's own load says in one line that it turns to kexec_file_load
        CliTest.Result own = CliTest.run(
                "load",
                "-p",
                CAPTURE + "/kdump/vmlinux-phdrs",
                "--root",
                root.toString(),
                "--dry-run",
                "--seed",
                "none");
        assertEquals(0, own.status(), own.err());
        assertEquals(1, own.err().lines().count(), own.err());
        assertTrue(own.err().contains("jkexec: note: kernel lockdown is 'confidentiality'"), own.err());
        assertTrue(own.out().startsWith("kexec_file_load: "), own.out());
    }

    /**
     * A seed given with --seed asks for jkexec's own plan (the kernel picks its own seeds): with no
     * syscall option it goes to kexec_load, as the e2e harness's kdump-tools run relies on; a
     * syscall option given keeps its meaning, and lockdown still turns it to kexec_file_load.
     */
    @Test
    void aGivenSeedLoadsJkexecsPlanUnlessASyscallOptionSaysOtherwise(@TempDir Path dir) throws Exception {
        List<String> load =
                List.of("-p", "--initrd=" + CAPTURE + "/kdump/initrd-zeros", CAPTURE + "/kdump/vmlinux-phdrs");
        CliTest.Result seeded = kexec(load, CAPTURE, "-d", "--seed", "00");
        assertEquals(0, seeded.status(), seeded.err());
        assertTrue(seeded.err().contains("kexec_load (dry run)"), seeded.err());
        assertFalse(seeded.err().contains("kexec_file_load (dry run)"), seeded.err());
        CliTest.Result unseeded = kexec(load, CAPTURE, "-d");
        assertTrue(unseeded.err().contains("kexec_file_load (dry run)"), unseeded.err());
        List<String> fileOnly = new ArrayList<>(List.of("-s"));
        fileOnly.addAll(load);
        CliTest.Result s = kexec(fileOnly, CAPTURE, "-d", "--seed", "00");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.err().contains("kexec_file_load (dry run)"), s.err());
        Path root = dir.resolve("locked");
        CliTest.copyTree(Path.of(CAPTURE), root);
        Files.createDirectories(root.resolve("sys/kernel/security"));
        Files.writeString(root.resolve("sys/kernel/security/lockdown"), "none [integrity] confidentiality\n");
        CliTest.Result locked = kexec(load, root.toString(), "-d", "--seed", "00");
        assertEquals(0, locked.status(), locked.err());
        assertTrue(locked.err().contains("kexec_file_load (dry run)"), locked.err());
    }
}
