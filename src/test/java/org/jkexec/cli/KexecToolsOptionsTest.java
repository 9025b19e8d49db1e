package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kexec-tools' options that act on their own, as docs/kexec-options.md says, in a dry run on the capture. */
class KexecToolsOptionsTest {
    static final String C = CliTest.CAPTURE;
    static final String K = C + "/kdump/vmlinux-phdrs";

    static CliTest.Result run(String... args) {
        return CliTest.run(args);
    }

    @Test
    void printCkrSizePrintsTheReservationWhereItStands() {
        CliTest.Result r = run("kexec", "--root", C, "--print-ckr-size", "--no-such-option");
        assertEquals(0, r.status(), r.err());
        assertEquals("536870912\n", r.out());
        assertEquals(1, run("kexec", "--no-such-option", "--print-ckr-size").status(), "an error before it counts");
    }

    @Test
    void typeAddressesAndOtherRefusals() {
        assertEquals(
                0,
                run("kexec", "-p", "-telf-ppc64", K, "--root", C, "--dry-run", "--seed", "none")
                        .status());
        CliTest.Result zimage = run("kexec", "-p", "-t", "zImage", K, "--root", C, "--dry-run");
        assertEquals(255, zimage.status());
        CliTest.assertOneLineError(zimage, "Unsupported kernel type zImage");
        CliTest.Result bad = run("kexec", "-p", "--mem-min=0xzz", K);
        assertEquals(1, bad.status());
        CliTest.assertOneLineError(bad, "Bad option value in --mem-min=0xzz");
        for (String refused : new String[] {
            "--mem-max=0x1000",
            "--entry=0",
            "--reuseinitrd",
            "--load-preserve-context",
            "--load-jump-back-helper",
            "--load-live-update"
        }) {
            CliTest.Result r = run("kexec", "-p", refused, K, "--root", C, "--dry-run");
            assertEquals(1, r.status(), refused);
            CliTest.assertOneLineError(r, refused.replaceFirst("=.*", ""));
        }
        CliTest.assertOneLineError(run("kexec", "--exec-live-update"), "only works under xen");
        CliTest.Result dtb = run("kexec", "-p", "--dtb=" + C + "/sys/firmware/fdt", K, "--root", C, "--dry-run");
        assertEquals(1, dtb.status());
        CliTest.assertOneLineError(dtb, "--dtb with -p");
        CliTest.Result hotplug = run("kexec", "-p", "--hotplug", K, "--root", C, "--dry-run");
        CliTest.assertOneLineError(hotplug, "CONFIG_CRASH_HOTPLUG");
    }

    @Test
    void optionsActInMainsOrder() {
        // -u after -p turns the load into an unload; -p after -u loads again and wants a kernel
        assertEquals(0, run("kexec", "-p", "-u", "--root", C, "--dry-run").status());
        CliTest.Result unloadThenLoad = run("kexec", "-u", "-p", "--root", C, "--dry-run");
        assertEquals(255, unloadThenLoad.status());
        CliTest.assertOneLineError(unloadThenLoad, "No kernel specified");
        CliTest.Result bogus = run("kexec", "-p", "-u", "--initrd=x", "--root", C, "--dry-run");
        assertEquals(1, bogus.status());
        CliTest.assertOneLineError(bogus, "--ramdisk goes with a load");
        CliTest.assertOneLineError(run("kexec", "-S", "--append=x", "--root", C), "--command-line goes with a load");
        // options that change a load only are no reason to refuse an unload
        assertEquals(
                0,
                run("kexec", "-p", "-u", "--mem-min=0x1000", "--root", C, "--dry-run")
                        .status());
        CliTest.Result help = run("kexec", "-?");
        assertEquals(1, help.status());
        assertTrue(help.out().contains("--kexec-syscall-auto"), help.out());
        CliTest.Result version = run("kexec", "-v");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("jkexec "), version.out());
    }

    @Test
    void aGzipKernelLoadsAsItsVmlinux(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(Files.readAllBytes(Path.of(K)));
        }
        Path gz = Files.write(dir.resolve("vmlinuz"), b.toByteArray());
        CliTest.Result r = run("kexec", "-c", "-d", "-p", gz.toString(), "--root", C, "--dry-run", "--seed", "none");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("(gzip, " + Files.size(Path.of(K)) + " bytes decompressed)"), r.err());
        assertTrue(r.err().contains("segment[0] kernel: mem 0x20000000"), r.err());
        CliTest.Result notElf = run("kexec", "-p", C + "/kdump/initrd-zeros", "--root", C, "--dry-run");
        assertEquals(2, notElf.status(), notElf.err());
    }
}
