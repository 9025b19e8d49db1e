package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.DrconfMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and inconsistent inputs through the whole CLI, one or more cases per class of
 * "What jkexec refuses and why" (README): each ends in one line naming the file and the
 * problem, with exit 2 for bad input and 1 for a load that cannot be made; none hangs, runs
 * out of memory, prints a stack trace or writes outside its output directory.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    static final Duration PROMPT = Duration.ofSeconds(20);

    /** A copy of the bundled capture to corrupt. */
    Path capture() throws Exception {
        Path c = tmp.resolve("capture");
        CliTest.copyTree(Path.of(CliTest.CAPTURE), c);
        return c;
    }

    static CliTest.Result run(String... args) {
        return assertTimeoutPreemptively(PROMPT, () -> CliTest.run(args), "must not hang");
    }

    static void refused(CliTest.Result r, int status, String... mentions) {
        assertEquals(status, r.status(), "exit status; stderr: " + r.err());
        String e = r.err().strip();
        assertFalse(e.contains("\n"), "one line: " + e);
        assertFalse(
                e.contains("Exception") || e.contains("\tat ") || e.contains("internal error"), "no stack trace: " + e);
        for (String m : mentions) {
            assertTrue(e.contains(m), "mentions '" + m + "': " + e);
        }
    }

    static void mkfifo(Path p) throws Exception {
        Files.deleteIfExists(p);
        Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, pr.waitFor());
    }

    /**
     * The facts of a bare blob (--crashkernel, --kernel-end, --cpus, --page-size, --mmu) without
     * --dtb were dropped without a word, so a malformed value even planned with exit 0: each is
     * refused, naming it, for plan, plan -l and map.
     */
    @Test
    void blobFactsWithoutABlobAreRefusedNotDropped() {
        for (String[] option : List.of(
                new String[] {"--crashkernel", "512M,high"},
                new String[] {"--crashkernel", "512M@512M"},
                new String[] {"--kernel-end", "0x2000000"},
                new String[] {"--cpus", "4"},
                new String[] {"--page-size", "4K"},
                new String[] {"--mmu", "hash"})) {
            for (String[] command : List.of(new String[] {"plan"}, new String[] {"plan", "-l"}, new String[] {"map"})) {
                List<String> args = new ArrayList<>(List.of(command));
                args.add(CliTest.CAPTURE);
                args.addAll(List.of(option));
                refused(run(args.toArray(String[]::new)), 2, option[0], "needs --dtb");
            }
        }
    }

    // --- class 1: bounded, typed reading ---

    @Test
    void aFifoWhereAFileIsExpectedIsRefusedAtOnce() throws Exception {
        Path c = capture();
        mkfifo(c.resolve("sys/firmware/fdt"));
        refused(run("plan", c.toString()), 2, "sys/firmware/fdt", "FIFO, socket or device");

        Path c2 = tmp.resolve("c2");
        CliTest.copyTree(Path.of(CliTest.CAPTURE), c2);
        mkfifo(c2.resolve("sys/devices/system/cpu/cpu1/crash_notes"));
        refused(run("plan", c2.toString()), 2, "cpu1/crash_notes", "not a regular file");

        Path fifo = tmp.resolve("fifo");
        mkfifo(fifo);
        refused(run("plan", CliTest.CAPTURE, "--kernel", fifo.toString()), 2, "kernel: " + fifo, "FIFO");
        refused(run("plan", CliTest.CAPTURE, "--initrd", fifo.toString()), 2, "initrd: " + fifo, "FIFO");
        refused(run("plan", CliTest.CAPTURE, "--kernel", "/dev/zero"), 2, "kernel: /dev/zero", "not a regular file");
        refused(run("plan", CliTest.CAPTURE, "--kernel", tmp.toString()), 2, "is a directory");

        Path root = tmp.resolve("k2");
        Files.createDirectories(root.resolve("proc"));
        mkfifo(root.resolve("proc/vmcore"));
        CliTest.Result v = run("verify", root.toString());
        assertTrue(v.status() != 0, v.out());
        assertFalse(v.err().contains("Exception"), v.err());
    }

    @Test
    void anInitrdLargerThanCrashkernelIsRefusedBeforeItIsRead() throws Exception {
        Path big = tmp.resolve("initrd-1g");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1L << 30); // sparse: reading it whole would take 1 GiB of heap
        }
        refused(
                run("plan", CliTest.CAPTURE, "--initrd", big.toString()),
                1,
                "no room for the initrd",
                "1 GiB",
                "crashkernel",
                "512 MiB");
    }

    @Test
    void budgetsAreEnforcedWhileReadingAndNamed() throws Exception {
        // a /proc-like file reports nothing of its size: the budget holds while reading
        Path facts = capture().resolve("jkexec/facts");
        Files.write(facts, new byte[(64 << 20) + 1]);
        refused(run("plan", tmp.resolve("capture").toString()), 2, "jkexec/facts", "larger than the 64 MiB budget");
    }

    // --- class 2: no allocation driven by an unpaid count ---

    @Test
    void aCpuListEndingAt2To31IsRefusedNotLooped() throws Exception {
        Path c = capture();
        Files.writeString(c.resolve("sys/devices/system/cpu/possible"), "0-2147483647\n");
        refused(run("plan", c.toString()), 2, "possible", "8192");
    }

    @Test
    void aHugeCpuDirectoryNumberIsBadInputNotAnInternalError() throws Exception {
        Path c = capture();
        Path d = c.resolve("sys/devices/system/cpu/cpu99999999999");
        Files.createDirectories(d);
        Files.writeString(d.resolve("crash_notes"), "ffba8000\n");
        refused(run("plan", c.toString()), 2, "cpu99999999999", "8192");
    }

    @Test
    void millionsOfEmptyPropertiesInASmallBlobAreRefused() throws Exception {
        // 20,000 nodes of 100 empty properties each: 2 million properties in 24 MB
        byte[] blob = manyProperties(20_000, 100);
        Path dtb = tmp.resolve("many.dtb");
        Files.write(dtb, blob);
        refused(
                run(
                        "plan",
                        "--dtb",
                        dtb.toString(),
                        "--kernel",
                        CliTest.CAPTURE + "/kdump/vmlinux-phdrs",
                        "--crashkernel",
                        "512M@512M",
                        "--kernel-end",
                        "0x2000000"),
                2,
                "many.dtb",
                "more than 1048576 properties");
    }

    /** A blob of {@code nodes} nodes of {@code props} empty properties each. */
    static byte[] manyProperties(int nodes, int props) {
        java.io.ByteArrayOutputStream strings = new java.io.ByteArrayOutputStream();
        int[] nameOff = new int[props];
        for (int i = 0; i < props; i++) {
            nameOff[i] = strings.size();
            strings.writeBytes(("p" + i + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        java.nio.ByteBuffer s = java.nio.ByteBuffer.allocate(8 + nodes * (4 + 8 + props * 12 + 4) + 8);
        s.putInt(1).putInt(0); // root, empty name
        for (int n = 0; n < nodes; n++) {
            s.putInt(1);
            s.put(String.format("n%06d\0", n).getBytes(StandardCharsets.US_ASCII)); // 8 bytes, aligned
            for (int p = 0; p < props; p++) {
                s.putInt(3).putInt(0).putInt(nameOff[p]);
            }
            s.putInt(2);
        }
        s.putInt(2).putInt(9);
        byte[] struct = java.util.Arrays.copyOf(s.array(), s.position());
        byte[] str = strings.toByteArray();
        int offStruct = 40 + 16;
        int offStrings = offStruct + struct.length;
        int total = offStrings + str.length;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(total);
        b.putInt(0xd00dfeed)
                .putInt(total)
                .putInt(offStruct)
                .putInt(offStrings)
                .putInt(40)
                .putInt(17)
                .putInt(16)
                .putInt(0)
                .putInt(str.length)
                .putInt(struct.length);
        b.position(offStruct);
        b.put(struct).put(str);
        return b.array();
    }

    @Test
    void runningOutOfMemoryIsOneLineNotAStackTrace() throws Exception {
        // under the caps, but more than a 48 MiB heap holds: the JVM's own limit is reached
        Path dtb = tmp.resolve("large.dtb");
        Files.write(dtb, manyProperties(9_000, 100));
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx48m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.jkexec.cli.Main",
                        "plan",
                        "--dtb",
                        dtb.toString(),
                        "--kernel",
                        CliTest.CAPTURE + "/kdump/vmlinux-phdrs",
                        "--crashkernel",
                        "512M@512M",
                        "--kernel-end",
                        "0x2000000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int status = p.waitFor();
        assertEquals(3, status, err);
        assertTrue(err.startsWith("jkexec: out of memory") && !err.contains("\n") && !err.contains("\tat "), err);
    }

    @Test
    void aV2SetAnnouncing2To24LmbsIn28BytesIsRefused() {
        Fdt t = new SyntheticMachine(8L << 30, 256L << 20, 8, 8, 2, 512L << 20, 0).tree();
        FdtNode n = t.node(DrconfMemory.NODE).orElseThrow();
        byte[] v = new byte[28];
        Cells.putU32(v, 0, 1);
        Cells.putU32(v, 4, 1L << 24);
        n.setProperty("ibm,dynamic-memory-v2", v);
        org.jkexec.JkexecException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.jkexec.JkexecException.class, () -> DrconfMemory.of(t));
        assertTrue(e.getMessage().contains("more than 4194304 LMBs"), e.getMessage());

        // 4,096 LMBs of 1 TiB: few enough, but 4 PiB of them cannot be below 2 PiB
        n.setProperty("ibm,lmb-size", Cells.encode(2, 1L << 40));
        Cells.putU32(v, 4, 4096);
        n.setProperty("ibm,dynamic-memory-v2", v);
        e = org.junit.jupiter.api.Assertions.assertThrows(org.jkexec.JkexecException.class, () -> DrconfMemory.of(t));
        assertTrue(e.getMessage().contains("do not fit below 2 PiB"), e.getMessage());

        // a set whose count times the LMB size passes 2^64
        Cells.putU32(v, 4, 1 << 20);
        Cells.putU64(v, 8, 0xffff000000000000L);
        n.setProperty("ibm,dynamic-memory-v2", v);
        e = org.junit.jupiter.api.Assertions.assertThrows(org.jkexec.JkexecException.class, () -> DrconfMemory.of(t));
        assertTrue(e.getMessage().contains("wrap past the end of the address space"), e.getMessage());
    }

    // --- class 3: contradictions refused before planning ---

    @Test
    void iomemRamClaimingTheWholeAddressSpaceIsRefused() throws Exception {
        Path c = capture();
        Files.writeString(c.resolve("proc/iomem"), "00000000-ffffffffffffffff : System RAM\n");
        refused(run("plan", c.toString()), 2, "System RAM", "2 PiB");
    }

    @Test
    void crashNotesAndVmcoreinfoOutsideRamAreRefused() throws Exception {
        Path c = capture();
        Files.writeString(c.resolve("sys/devices/system/cpu/cpu1/crash_notes"), "7000000000\n");
        refused(run("plan", c.toString()), 2, "crash_notes", "not inside System RAM");

        Path c2 = tmp.resolve("c2");
        CliTest.copyTree(Path.of(CliTest.CAPTURE), c2);
        Files.writeString(c2.resolve("sys/kernel/vmcoreinfo"), "fffffffffffff000 2000\n");
        refused(run("plan", c2.toString()), 2, "vmcoreinfo", "wraps");
    }

    @Test
    void anUnalignedCrashkernelIsRefused() throws Exception {
        Path c = capture();
        Path chosen = c.resolve("proc/device-tree/chosen");
        Files.write(chosen.resolve("linux,crashkernel-base"), Cells.encode(2, 0x20000800L));
        Files.writeString(c.resolve("proc/iomem"), "00000000-ffffffff : System RAM\n");
        refused(run("plan", c.toString()), 2, "crashkernel", "not aligned");
    }

    @Test
    void aNulInsideACommandLineIsRefused() throws Exception {
        refused(run("plan", CliTest.CAPTURE, "--append", "console=hvc0\0 root=/dev/evil"), 2, "NUL");
        Path c = capture();
        Files.write(c.resolve("proc/cmdline"), "root=/dev/sda\0crashkernel=512M\n".getBytes(StandardCharsets.US_ASCII));
        refused(run("plan", c.toString()), 2, "proc/cmdline", "NUL");
    }

    @Test
    void anUnknownMmuAndImpossiblePageSizesAreRefusedAsBadInput() throws Exception {
        Path c = capture();
        Path facts = c.resolve("jkexec/facts");
        Files.writeString(facts, "page-size=4096\nmmu=segmented\n");
        refused(run("plan", c.toString()), 2, "jkexec/facts", "neither radix nor hash");
        for (String size : new String[] {"0", "3", "9223372036854775808"}) {
            Files.writeString(facts, "page-size=" + size + "\nmmu=radix\n");
            refused(run("plan", c.toString()), 2, "page-size", "4096 or 65536");
        }
        Files.writeString(facts, "mmu=radix\n");
        Files.createDirectories(c.resolve("proc/self"));
        Files.writeString(c.resolve("proc/self/smaps"), "KernelPageSize: lots of kB\n");
        refused(run("plan", c.toString()), 2, "smaps", "KernelPageSize");
        refused(
                run(
                        "plan",
                        "--dtb",
                        c.resolve("sys/firmware/fdt").toString(),
                        "--kernel",
                        "x",
                        "--page-size",
                        "3",
                        "--crashkernel",
                        "512M@512M"),
                2,
                "--page-size",
                "4096 or 65536");
    }

    @Test
    void anRtasSizeOfAllOnesIsNamedNotTakenForLackOfRoom() throws Exception {
        Path c = capture();
        Files.write(c.resolve("proc/device-tree/rtas/rtas-size"), Cells.encode(1, 0xffffffffL));
        refused(run("plan", c.toString()), 2, "RTAS", "rtas-size");
    }

    @Test
    void aKernelLoadAddressThatIsVirtualIsNamedNotTakenForLackOfRoom() throws Exception {
        Path k = tmp.resolve("vmlinux");
        Files.write(
                k,
                SyntheticKernel.elf(
                        java.nio.ByteOrder.LITTLE_ENDIAN,
                        21,
                        2,
                        new long[][] {
                            {1, 7, 0x10000, 0xc000000000000000L, 0xc000000000000000L, 0x10000, 0x100000, 0x10000}
                        },
                        0x20000));
        refused(
                run("plan", CliTest.CAPTURE, "--kernel", k.toString()),
                2,
                "p_paddr 0xc000000000000000",
                "kernel virtual address");
    }

    @Test
    void aReservedRangeWrappingPast2To64IsRefused() throws Exception {
        Path c = capture();
        byte[] v = new byte[16];
        Cells.putU64(v, 0, 0xfffffffffff00000L);
        Cells.putU64(v, 8, 0x200000L);
        Files.write(c.resolve("proc/device-tree/reserved-ranges"), v);
        refused(run("plan", c.toString()), 2, "reserved-ranges", "wraps");
    }

    @Test
    void aRootNodeTypedCpuIsRefusedForBothImages() throws Exception {
        Path c = capture();
        Files.write(c.resolve("proc/device-tree/device_type"), "cpu\0".getBytes(StandardCharsets.US_ASCII));
        refused(run("plan", c.toString()), 2, c.toString(), "root node", "device_type \"cpu\"");
        refused(run("plan", "-l", c.toString()), 2, c.toString(), "root node", "device_type \"cpu\"");
    }

    @Test
    void aBlobNodeNameHoldingASlashIsRefused() throws Exception {
        Path c = capture();
        byte[] b = Files.readAllBytes(c.resolve("sys/firmware/fdt"));
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("PowerPC,POWER9@1");
        b[at + "PowerPC".length()] = '/';
        Path dtb = tmp.resolve("slash.dtb");
        Files.write(dtb, b);
        refused(
                run(
                        "plan",
                        "--dtb",
                        dtb.toString(),
                        "--kernel",
                        c.resolve("kdump/vmlinux-phdrs").toString(),
                        "--crashkernel",
                        "512M@512M",
                        "--kernel-end",
                        "0x2000000"),
                2,
                dtb.toString(),
                "PowerPC/POWER9@1");
    }

    @Test
    void overlappingLmbsAreRefused() throws Exception {
        SyntheticMachine sm = new SyntheticMachine(8L << 30, 256L << 20, 8, 8, 1, 512L << 20, 0);
        Path c = tmp.resolve("synth");
        sm.writeCapture(c);
        Fdt t = Fdt.parse(Files.readAllBytes(c.resolve("sys/firmware/fdt")), "fdt");
        FdtNode n = t.node(DrconfMemory.NODE).orElseThrow();
        byte[] v = n.value("ibm,dynamic-memory").orElseThrow().clone();
        Cells.putU64(v, 4 + 24 * 3, 2L * (256L << 20) + 4096); // LMB 3 starts inside LMB 2
        n.setProperty("ibm,dynamic-memory", v);
        Files.write(c.resolve("sys/firmware/fdt"), t.toBlob());
        Path k = tmp.resolve("vmlinux");
        Files.write(k, SyntheticKernel.ppc64le(0x2000000, 0x10000));
        refused(run("plan", c.toString(), "--kernel", k.toString()), 2, "LMBs at", "overlap");
    }

    // --- class 4: output safety ---

    @Test
    void outNeverFollowsALinkNorOverwritesWithoutForce() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Path victim = tmp.resolve("victim");
        Files.writeString(victim, "precious");
        Files.createSymbolicLink(out.resolve("plan.json"), victim);
        refused(run("plan", CliTest.CAPTURE, "--seed", "01", "--out", out.toString()), 2, "plan.json", "symbolic link");
        assertEquals("precious", Files.readString(victim));
        // a link is never a plan of jkexec's: not replaced even with --force, its target never written
        refused(
                run("plan", CliTest.CAPTURE, "--seed", "01", "--out", out.toString(), "--force"),
                2,
                "plan.json",
                "symbolic link");
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(out.resolve("plan.json")));
        Files.delete(out.resolve("plan.json"));
        assertEquals(
                0,
                run("plan", CliTest.CAPTURE, "--seed", "01", "--out", out.toString())
                        .status());
        refused(run("plan", CliTest.CAPTURE, "--seed", "01", "--out", out.toString()), 2, "--force");
        CliTest.Result forced = run("plan", CliTest.CAPTURE, "--seed", "01", "--out", out.toString(), "--force");
        assertEquals(0, forced.status(), forced.err());

        Path linkDir = tmp.resolve("linkdir");
        Files.createSymbolicLink(linkDir, tmp.resolve("elsewhere"));
        refused(run("plan", CliTest.CAPTURE, "--out", linkDir.toString()), 2, "--out", "symbolic link");
    }

    @Test
    void copiedBytesAreNeverMoreReadableThanTheirSource() throws Exception {
        Path initrd = tmp.resolve("initrd");
        Files.write(initrd, new byte[100_000]);
        Files.setPosixFilePermissions(initrd, PosixFilePermissions.fromString("rw-------"));
        Path out = tmp.resolve("out");
        CliTest.Result r =
                run("plan", CliTest.CAPTURE, "--seed", "01", "--initrd", initrd.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        try (var s = Files.list(out)) {
            s.filter(p -> p.getFileName().toString().matches("segment-\\d+-(initrd|kernel)\\.bin"))
                    .forEach(p -> {
                        try {
                            assertEquals(
                                    "rw-------",
                                    PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                                    p.toString());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        }
    }

    @Test
    void aRequestNamesFilesInsideTheCaptureOnly() throws Exception {
        Path c = capture();
        Path request = c.resolve("kdump/request");
        Files.writeString(request, "kernel=/etc/passwd\n");
        refused(run("plan", c.toString()), 2, "kdump/request", "absolute");
        Files.writeString(request, "kernel=vmlinux-phdrs\ninitrd=../../../../etc/passwd\n");
        refused(run("plan", c.toString()), 2, "kdump/request", "out of the capture");
        Path outside = tmp.resolve("secret");
        Files.write(outside, new byte[4096]);
        Files.createSymbolicLink(c.resolve("kdump/link"), outside);
        Files.writeString(request, "kernel=vmlinux-phdrs\ninitrd=link\n");
        refused(run("plan", c.toString()), 2, "kdump/request", "symbolic link");
    }

    @Test
    void captureReadsTypedAndWritesNoWiderThanItsSources() throws Exception {
        Path root = capture();
        Files.setPosixFilePermissions(
                root.resolve("sys/kernel/vmcoreinfo"), PosixFilePermissions.fromString("r--------"));
        Path out = tmp.resolve("copy");
        CliTest.Result ok = run("capture", out.toString(), "--root", root.toString());
        assertEquals(0, ok.status(), ok.err());
        assertEquals(
                "r--------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("sys/kernel/vmcoreinfo"))));
        mkfifo(root.resolve("proc/device-tree/chosen/bootargs"));
        refused(run("capture", tmp.resolve("copy2").toString(), "--root", root.toString()), 2, "bootargs", "FIFO");
    }

    // --- class 5: exit codes and messages ---

    @Test
    void commandLineErrorsExit2() {
        refused(run("plan", "--bogus"), 2, "--bogus");
        refused(run("plan", CliTest.CAPTURE, "--seed", "zz"), 2, "--seed");
        refused(run("plan", CliTest.CAPTURE, "--hole-search", "sideways"), 2, "--hole-search");
        refused(run("map", CliTest.CAPTURE, "--format", "gif"), 2, "--format");
        refused(run("plan", "--dtb", "x.dtb", "--kernel", "k", "--crashkernel", "512M"), 2, "--crashkernel");
    }

    @Test
    void controlCharactersAreEscapedWhenPrinted() {
        CliTest.Result r =
                run("plan", CliTest.CAPTURE, "--seed", "01", "--append", "quiet \u001b[2J\u001b]0;owned\u0007 x");
        assertEquals(0, r.status(), r.err());
        assertFalse(r.out().contains("\u001b") || r.out().contains("\u0007"), "no raw escape in: " + r.out());
        assertTrue(r.out().contains("quiet \\x1b[2J\\x1b]0;owned\\x07 x"), r.out());
        CliTest.Result e = run(
                "plan", CliTest.CAPTURE, "--kernel", tmp.resolve("no\u001bsuch").toString());
        assertFalse(e.err().contains("\u001b"), e.err());
    }

    @Test
    void aHugeLineQuotedInAMessageIsCutShort() throws Exception {
        Path c = capture();
        Files.writeString(c.resolve("sys/devices/system/cpu/cpu1/crash_notes"), "z".repeat(5 << 20));
        CliTest.Result r = run("plan", c.toString());
        refused(r, 2, "crash_notes", "characters in all");
        assertTrue(r.err().length() < 2000, "length " + r.err().length());
    }

    @Test
    void cannotReadSaysWhy() {
        assertEquals(
                "cannot read: permission denied",
                org.jkexec.InputFiles.reason(new java.nio.file.AccessDeniedException("/x")));
        refused(run("plan", CliTest.CAPTURE, "--kernel", "/nonexistent/vmlinux"), 2, "/nonexistent/vmlinux", "missing");
    }

    // --- second round (issue 25) ---

    /** A kernel whose PT_LOADs are {@code phdrs} ({type, flags, offset, vaddr, paddr, filesz, memsz, align}). */
    Path kernel(String name, long[]... phdrs) throws Exception {
        Path k = tmp.resolve(name);
        Files.write(k, SyntheticKernel.elf(java.nio.ByteOrder.LITTLE_ENDIAN, 21, 2, phdrs, 0x20000));
        return k;
    }

    @Test
    void aProgramHeaderCountPastWhatEPhnumHoldsIsRefusedNotWrapped() throws Exception {
        // 64 TiB in 16 MiB LMBs, every 41st unassigned (crashkernel's stay assigned): 102,301 separate RAM ranges
        SyntheticMachine sm = new SyntheticMachine(64L << 40, 16L << 20, 8, 8, 2, 512L << 20, 41);
        Path c = tmp.resolve("many-ranges");
        sm.writeCapture(c);
        Path k = tmp.resolve("vmlinux");
        Files.write(k, SyntheticKernel.ppc64le(0x2000000, 0x10000));
        refused(
                run("plan", c.toString(), "--kernel", k.toString(), "--seed", "01"),
                2,
                "ELF core header",
                "program headers",
                "65,534",
                "PN_XNUM");

        // the limit itself: 65,534 headers are written, one more is refused
        java.util.List<org.jkexec.memory.MemRange> loads = new java.util.ArrayList<>();
        for (int i = 0; i < 65_532; i++) {
            loads.add(org.jkexec.memory.MemRange.ofSize(i * 0x20000L, 0x10000));
        }
        var cpu = java.util.List.of(new org.jkexec.elf.ElfCoreHeader.NoteBuffer(0x1000, 0x100));
        var vmcoreinfo = new org.jkexec.elf.ElfCoreHeader.NoteBuffer(0x2000, 0x100);
        byte[] h = org.jkexec.elf.ElfCoreHeader.build(cpu, vmcoreinfo, loads, 0, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(
                65_534,
                java.nio.ByteBuffer.wrap(h)
                                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                .getShort(56)
                        & 0xffff);
        loads.add(org.jkexec.memory.MemRange.ofSize(65_532 * 0x20000L, 0x10000));
        org.jkexec.JkexecException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.jkexec.JkexecException.class,
                () -> org.jkexec.elf.ElfCoreHeader.build(cpu, vmcoreinfo, loads, 0, java.nio.ByteOrder.LITTLE_ENDIAN));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("65,535 program headers"), e.getMessage());
    }

    @Test
    void aKernelWithAnEmptyPtLoadIsBadInputNotAnInternalError() throws Exception {
        Path only = kernel("empty-load", new long[] {1, 7, 0x1000, 0xc000000000000000L, 0, 0, 0, 0x10000});
        refused(run("plan", CliTest.CAPTURE, "--kernel", only.toString()), 2, "empty-load", "memsz 0");
        refused(run("plan", "-l", CliTest.CAPTURE, "--kernel", only.toString()), 2, "empty-load", "memsz 0");
        Path second = kernel(
                "second-empty",
                new long[] {1, 7, 0x1000, 0xc000000000000000L, 0, 0x1000, 0x100000, 0x10000},
                new long[] {1, 7, 0x1000, 0xc000000000200000L, 0x200000, 0, 0, 0x10000});
        refused(
                run("plan", CliTest.CAPTURE, "--kernel", second.toString()),
                2,
                "second-empty",
                "p_paddr 0x200000",
                "memsz 0");
    }

    @Test
    void malformedOptionValuesExit2() {
        refused(run("plan", CliTest.CAPTURE, "--seed", ""), 2, "--seed", "empty");
        refused(run("plan", CliTest.CAPTURE, "--placement", "sideways"), 2, "--placement");
        refused(run("plan", "-p", "-l", CliTest.CAPTURE), 2, "-p", "-l");
    }

    @Test
    void emptyPathsAreNamedAsSuch() {
        refused(run("plan", CliTest.CAPTURE, "--kernel", ""), 2, "kernel", "empty path");
        refused(run("plan", CliTest.CAPTURE, "--initrd", ""), 2, "initrd", "empty path");
        refused(run("plan", CliTest.CAPTURE, "--seed", "01", "--out", ""), 2, "--out", "empty path");
        refused(run("plan", "-l", CliTest.CAPTURE, "--seed", "01", "--out", ""), 2, "--out", "empty path");
        refused(run("map", CliTest.CAPTURE, "--seed", "01", "--format", "text", "--out", ""), 2, "--out", "empty path");
        refused(
                run("synth", "", "--memory", "4G", "--cpus", "8", "--crashkernel", "512M"),
                2,
                "synth DIR",
                "empty path");
        refused(run("capture", "", "--root", CliTest.CAPTURE), 2, "capture DIR", "empty path");
    }

    @Test
    void anEmptyInitrdIsNamedAsSuch() throws Exception {
        Path empty = Files.createFile(tmp.resolve("initrd.img"));
        refused(run("plan", CliTest.CAPTURE, "--initrd", empty.toString()), 2, "initrd: " + empty, "empty");
        refused(run("plan", "-l", CliTest.CAPTURE, "--initrd", empty.toString()), 2, "initrd: " + empty, "empty");
    }

    @Test
    void aLongPathDoesNotCutTheReasonOffTheMessage() {
        String longPath = tmp.resolve("d".repeat(200))
                .resolve("e".repeat(200))
                .resolve("f".repeat(200))
                .resolve("g".repeat(200))
                .resolve("h".repeat(200))
                .resolve("vmlinux")
                .toString();
        CliTest.Result r = run("plan", CliTest.CAPTURE, "--kernel", longPath);
        refused(r, 2, "kernel: " + tmp, "characters in all", "missing");
        assertTrue(r.err().length() < 1200, "length " + r.err().length());
    }

    @Test
    void outFailuresSayCannotWrite() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliTest.Result r = run(
                "plan",
                CliTest.CAPTURE,
                "--seed",
                "01",
                "--out",
                file.resolve("sub").toString());
        refused(r, 2, "--out", "cannot write");
        assertFalse(r.err().contains("cannot read"), r.err());
        r = run(
                "map",
                CliTest.CAPTURE,
                "--seed",
                "01",
                "--format",
                "text",
                "--out",
                file.resolve("map.txt").toString());
        refused(r, 2, "--out", "cannot write");
        assertFalse(r.err().contains("cannot read"), r.err());
    }

    @Test
    void unknownOrRepeatedKeysInARequestOrFactsAreRefused() throws Exception {
        Path c = capture();
        Path request = c.resolve("kdump/request");
        Files.writeString(request, "kernel=vmlinux-phdrs\ninird=initrd-zeros\n");
        refused(run("plan", c.toString()), 2, "kdump/request", "line 2", "unknown key 'inird'");
        Files.writeString(request, "kernel=vmlinux-phdrs\nkernel=initrd-zeros\n");
        refused(run("plan", c.toString()), 2, "kdump/request", "kernel is given twice", "lines 1 and 2");
        Files.writeString(request, "kernel=vmlinux-phdrs\njust words\n");
        refused(run("plan", c.toString()), 2, "kdump/request", "line 2", "not key=value");
        Files.writeString(request, "kernel=vmlinux-phdrs\n");

        Path facts = c.resolve("jkexec/facts");
        Files.writeString(facts, "page-size=4096\nmmu=radix\npage-size=65536\n");
        refused(run("plan", c.toString()), 2, "jkexec/facts", "page-size is given twice", "lines 1 and 3");
        Files.writeString(facts, "pagesize=4096\n");
        refused(run("plan", c.toString()), 2, "jkexec/facts", "unknown key 'pagesize'");
    }

    @Test
    void aStandardOutputThatFailsIsAnError() throws Exception {
        java.io.OutputStream broken = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        };
        java.io.StringWriter err = new java.io.StringWriter();
        int status = Main.run(
                new String[] {"plan", CliTest.CAPTURE, "--seed", "01"},
                new java.io.PrintWriter(new java.io.OutputStreamWriter(broken, StandardCharsets.UTF_8)),
                new java.io.PrintWriter(err, true));
        assertEquals(Main.OUTPUT_FAILED, status, err.toString());
        assertTrue(err.toString().contains("cannot write to standard output"), err.toString());

        // the real process, its standard output on a full device
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.jkexec.cli.Main",
                        "plan",
                        CliTest.CAPTURE,
                        "--seed",
                        "01")
                .redirectOutput(new java.io.File("/dev/full"))
                .start();
        String e = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(Main.OUTPUT_FAILED, p.waitFor(), e);
    }

    static java.util.List<String> listing(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void synthAndCaptureWriteANewDirectoryAndNeverThroughALinkInIt() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious");
        for (String[] cmd : new String[][] {
            {"synth", "--memory", "4G", "--cpus", "8", "--crashkernel", "512M"}, {"capture", "--root", CliTest.CAPTURE}
        }) {
            Path dir = Files.createDirectories(tmp.resolve(cmd[0] + "-planted/sys/firmware"))
                    .getParent()
                    .getParent();
            Files.createSymbolicLink(dir.resolve("sys/firmware/fdt"), victim);
            String[] args = new String[cmd.length + 1];
            args[0] = cmd[0];
            args[1] = dir.toString();
            System.arraycopy(cmd, 1, args, 2, cmd.length - 1);
            refused(run(args), 2, cmd[0] + " DIR", "not empty");
            assertEquals("precious", Files.readString(victim));

            Path link = Files.createSymbolicLink(
                    tmp.resolve(cmd[0] + "-link"), Files.createDirectories(tmp.resolve(cmd[0] + "-elsewhere")));
            args[1] = link.toString();
            refused(run(args), 2, cmd[0] + " DIR", "symbolic link");
            assertEquals(java.util.List.of(), listing(tmp.resolve(cmd[0] + "-elsewhere")));

            Path empty = Files.createDirectories(tmp.resolve(cmd[0] + "-empty"));
            args[1] = empty.toString();
            CliTest.Result ok = run(args);
            assertEquals(0, ok.status(), ok.err());
            assertTrue(Files.isRegularFile(empty.resolve("sys/firmware/fdt"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
        assertTrue(listing(tmp).stream().noneMatch(n -> n.contains(".jkexec-")), "no staging left: " + listing(tmp));
    }

    @Test
    void mapOutNeverReplacesALinkOrASpecialFile() throws Exception {
        Path fifo = tmp.resolve("fifo");
        mkfifo(fifo);
        refused(
                run("map", CliTest.CAPTURE, "--seed", "01", "--format", "text", "--out", fifo.toString()),
                2,
                "fifo",
                "FIFO, socket or device");
        Path toStdout = Files.createSymbolicLink(tmp.resolve("stdout"), Path.of("/proc/self/fd/1"));
        refused(
                run("map", CliTest.CAPTURE, "--seed", "01", "--format", "text", "--out", toStdout.toString()),
                2,
                "stdout",
                "symbolic link");
        assertTrue(Files.isSymbolicLink(toStdout));
        refused(
                run("map", CliTest.CAPTURE, "--seed", "01", "--format", "text", "--out", "/dev/null"),
                2,
                "/dev/null",
                "FIFO, socket or device");
        assertTrue(Files.isDirectory(Path.of("/dev/null").getParent()) && !Files.isRegularFile(Path.of("/dev/null")));
        Path picture = tmp.resolve("map.txt");
        assertEquals(
                0,
                run("map", CliTest.CAPTURE, "--seed", "01", "--format", "text", "--out", picture.toString())
                        .status());
        assertEquals(
                0,
                run("map", CliTest.CAPTURE, "--seed", "01", "--format", "text", "--out", picture.toString())
                        .status(),
                "a regular file is replaced");
        assertEquals(java.util.List.of("fifo", "map.txt", "stdout"), listing(tmp));
    }

    @Test
    void aFailedWriteLeavesNoPartialOutput() throws Exception {
        Path root = capture();
        mkfifo(root.resolve("proc/device-tree/chosen/bootargs"));
        Path out = tmp.resolve("cap-out");
        refused(run("capture", out.toString(), "--root", root.toString()), 2, "bootargs", "FIFO");
        assertFalse(Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS), "nothing of the capture is left");

        Path plan = Files.createDirectories(tmp.resolve("plan-out"));
        Files.createDirectory(plan.resolve("segment-05-fdt.bin"));
        refused(
                run("plan", CliTest.CAPTURE, "--seed", "01", "--out", plan.toString(), "--force"),
                2,
                "segment-05-fdt.bin",
                "a directory");
        assertEquals(java.util.List.of("segment-05-fdt.bin"), listing(plan), "no file of the plan was written");
        assertTrue(listing(tmp).stream().noneMatch(n -> n.contains(".jkexec-")), "no staging left: " + listing(tmp));
    }

    @Test
    void aReusedCommandLineKeepsThePrivacyOfTheFileItCameFrom() throws Exception {
        Path c = capture();
        Path secret = Files.writeString(tmp.resolve("secret-cmdline"), "root=/dev/sda password=hunter2\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.delete(c.resolve("proc/cmdline"));
        Files.createSymbolicLink(c.resolve("proc/cmdline"), secret);
        for (String mode : new String[] {"-p", "-l"}) {
            Path out = tmp.resolve("out" + mode);
            CliTest.Result r =
                    run("plan", mode, c.toString(), "--seed", "01", "--reuse-cmdline", "--out", out.toString());
            assertEquals(0, r.status(), r.err());
            int holding = 0;
            try (var files = Files.list(out)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                    if (Files.readString(f, StandardCharsets.ISO_8859_1).contains("hunter2")) {
                        holding++;
                        assertTrue(perms.endsWith("------"), f + " holds the private command line but is " + perms);
                    }
                }
            }
            assertTrue(holding >= 3, "the command line is in the FDT, its source and plan.json: " + holding);
        }
    }

    @Test
    void contradictionsAreRefusedNamingBothSources() throws Exception {
        // crash notes and vmcoreinfo inside crashkernel (0x20000000-0x3fffffff)
        Path c = capture();
        Files.writeString(c.resolve("sys/devices/system/cpu/cpu1/crash_notes"), "20100000\n");
        refused(run("plan", c.toString()), 2, "crash notes of possible CPU #1", "inside crashkernel", c.toString());
        Files.writeString(c.resolve("sys/devices/system/cpu/cpu1/crash_notes"), "ffbb7000\n");
        Files.writeString(c.resolve("sys/kernel/vmcoreinfo"), "0x20100000 1024\n");
        refused(run("plan", c.toString()), 2, "vmcoreinfo note", "inside crashkernel", c.toString());

        // a vmcoreinfo note of size 0
        Files.writeString(c.resolve("sys/kernel/vmcoreinfo"), "0x0000000002386000 0\n");
        refused(run("plan", c.toString()), 2, "sys/kernel/vmcoreinfo", "size 0");
        Files.writeString(c.resolve("sys/kernel/vmcoreinfo"), "0x0000000002386000 1024\n");

        // two directories naming the same CPU
        Path cpu01 = Files.createDirectories(c.resolve("sys/devices/system/cpu/cpu01"));
        Files.writeString(cpu01.resolve("crash_notes"), "ffbc0000\n");
        refused(run("plan", c.toString()), 2, "cpu01", "cpu1", "names CPU 1");
        deleteTree(cpu01);

        // a fact given twice with two values: jkexec/facts against the files that also say it
        Files.writeString(c.resolve("jkexec/facts"), "page-size=4096\nmmu=radix\nkernel-end=0x3000000\n");
        refused(run("plan", c.toString()), 2, "jkexec/facts", "kernel-end=0x3000000", "linux,kernel-end");
        Files.writeString(c.resolve("jkexec/facts"), "page-size=4096\nmmu=hash\n");
        Files.writeString(c.resolve("proc/cpuinfo"), "processor : 0\nMMU\t\t: Radix\n");
        refused(run("plan", c.toString()), 2, "jkexec/facts", "mmu=hash", "proc/cpuinfo");
        Files.writeString(c.resolve("jkexec/facts"), "page-size=65536\nmmu=radix\n");
        Files.createDirectories(c.resolve("proc/self"));
        Files.writeString(c.resolve("proc/self/smaps"), "KernelPageSize:        4 kB\n");
        refused(run("plan", c.toString()), 2, "jkexec/facts", "page-size=65536", "smaps");
        Files.writeString(c.resolve("jkexec/facts"), "page-size=4096\nmmu=radix\n");
        Files.writeString(
                c.resolve("proc/iomem"),
                "00000000-ffffffff : System RAM\n  20000000-3fffffff : Crash kernel\n"
                        + "  30000000-3fffffff : Crash kernel\n");
        refused(run("plan", c.toString()), 2, "proc/iomem", "line 3", "second Crash kernel");
        Files.writeString(c.resolve("proc/iomem"), "00000000-ffffffff : System RAM\n");
        assertEquals(0, run("plan", c.toString(), "--seed", "01").status(), "the capture is whole again");
    }

    static void deleteTree(Path p) throws Exception {
        OutputWriterProperties.deleteTree(p);
    }

    static Path sparse(Path p, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    /** jkexec in a JVM of {@code heap} ({@code -Xmx}): its status and standard error. */
    static CliTest.Result runIn(String heap, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                "org.jkexec.cli.Main"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CliTest.Result(p.waitFor(), "", err);
    }

    @Test
    void largeKernelsAndInitrdsAreNeverReadOntoTheHeap() throws Exception {
        // exactly 2 GiB: one past what a mapping holds; it was read whole before the budget refused it
        Path k = sparse(tmp.resolve("vmlinux-2g"), 1L << 31);
        refused(run("plan", CliTest.CAPTURE, "--kernel", k.toString()), 2, "kernel: " + k, "2 GiB budget");

        // a kernel of 1.5 GiB (symbols, say) whose PT_LOAD is small, and an initrd of 600 MiB for a
        // regular kexec: mapped, so a JVM of 128 MiB plans them and writes the plan out
        Path big = tmp.resolve("vmlinux-big");
        Files.copy(Path.of(CliTest.CAPTURE, "kdump/vmlinux-phdrs"), big);
        sparse(big, 3L << 29);
        Path initrd = sparse(tmp.resolve("initrd-600m"), 600L << 20);
        CliTest.Result r = runIn(
                "128m",
                "plan",
                "-l",
                CliTest.CAPTURE,
                "--kernel",
                big.toString(),
                "--initrd",
                initrd.toString(),
                "--seed",
                "01",
                "--out",
                tmp.resolve("out").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(600L << 20, Files.size(tmp.resolve("out/segment-02-initrd.bin")));
        // and a kdump plan with an initrd of 128 MiB in a JVM of 64 MiB (its size counted, not its bytes read)
        Path kdumpInitrd = sparse(tmp.resolve("initrd-128m"), 128L << 20);
        r = runIn(
                "64m",
                "plan",
                CliTest.CAPTURE,
                "--kernel",
                big.toString(),
                "--initrd",
                kdumpInitrd.toString(),
                "--seed",
                "01");
        assertEquals(0, r.status(), r.err());
    }

    /**
     * Runs {@code script} (bytes: UTF-8 text and raw bytes as given) with /bin/sh under
     * {@code LANG=C LC_ALL=C}, how services often run, {@code $JKEXEC} naming jkexec; its status and standard error.
     */
    CliTest.Result underCLocale(byte[] script) throws Exception {
        Path sh = Files.write(tmp.resolve("run.sh"), script);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", sh.toString()).directory(tmp.toFile());
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        pb.environment()
                .put(
                        "JKEXEC",
                        Path.of(System.getProperty("java.home"), "bin", "java") + " -cp "
                                + System.getProperty("java.class.path") + " org.jkexec.cli.Main");
        pb.environment()
                .put("CAPTURE", Path.of(CliTest.CAPTURE).toAbsolutePath().toString());
        Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CliTest.Result(p.waitFor(), "", err);
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void theLocaleNeverChangesTheBytesOfACommandLineOrAFileName() throws Exception {
        // a UTF-8 command line and a UTF-8 file name, under an ASCII locale
        CliTest.Result r = underCLocale(("cp \"$CAPTURE/kdump/vmlinux-phdrs\" vmlinux-é\n"
                        + "exec $JKEXEC plan \"$CAPTURE\" --kernel vmlinux-é --seed 01 --append 'root=LABEL=données' --out out\n")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(0, r.status(), r.err());
        byte[] dtb = Files.readAllBytes(tmp.resolve("out/kdump.dtb"));
        assertTrue(contains(dtb, "root=LABEL=données".getBytes(StandardCharsets.UTF_8)), "the bytes given, not U+FFFD");
        assertFalse(contains(dtb, new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd}), "no replacement character");

        // bytes that are not UTF-8 are named, not replaced
        byte[] latin1 = "exec $JKEXEC plan \"$CAPTURE\" --seed 01 --append 'root=LABEL=donn\u00e9es'\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        r = underCLocale(latin1);
        refused(r, 2, "argument", "not UTF-8", "0xe9");

        // the same under a UTF-8 locale, from a capture's files: a request's append= that is not UTF-8
        Path c = capture();
        Files.write(
                c.resolve("kdump/request"),
                "kernel=vmlinux-phdrs\nappend=root=donn\u00e9es\n".getBytes(StandardCharsets.ISO_8859_1));
        refused(run("plan", c.toString()), 2, "kdump/request", "not UTF-8", "offset");
        Files.writeString(c.resolve("kdump/request"), "kernel=vmlinux-phdrs\n");
        Files.write(c.resolve("proc/cmdline"), "root=donn\u00e9es\n".getBytes(StandardCharsets.ISO_8859_1));
        refused(run("plan", c.toString(), "--reuse-cmdline"), 2, "proc/cmdline", "not UTF-8");
    }
}
