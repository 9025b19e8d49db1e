package org.jkexec.verify;

import static org.jkexec.verify.RefFixtures.K612;
import static org.jkexec.verify.RefFixtures.KT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.cli.VerifyCommand;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command and its file loader, on directories laid out like a kdump kernel's root (without an FDT: see VerifyEndToEndTest). */
class VerifyCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    /** Runs the command as Main would (same error handling: one line, exit status of the JkexecException). */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new VerifyCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof JkexecException je) {
                c.getErr().println("jkexec: " + je.getMessage());
                return je.exitCode();
            }
            throw ex;
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** ROOT with proc/vmcore (the 64 KiB prefix), proc/cmdline, jkexec/vmcore-size, and jkexec/elfcorehdr when the run has it. */
    Path kdumpRoot(String ref, boolean withFdt) throws Exception {
        return kdumpRoot(tmp, ref, withFdt);
    }

    static Path kdumpRoot(Path tmp, String ref, boolean withFdt) throws Exception {
        Path root = tmp.resolve(ref);
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("jkexec"));
        Files.write(root.resolve("proc/vmcore"), Reference.bytes(ref, "k2-vmcorehdr.bin"));
        Files.write(root.resolve("proc/cmdline"), Reference.bytes(ref, "k2-cmdline.txt"));
        Files.write(root.resolve("jkexec/vmcore-size"), Reference.bytes(ref, "k2-vmcoresize.txt"));
        if (ref.equals(K612)) {
            Files.write(root.resolve("jkexec/elfcorehdr"), Reference.bytes(ref, "k2-elfcorehdr.bin"));
        }
        if (withFdt) {
            Files.createDirectories(root.resolve("sys/firmware"));
            Files.write(root.resolve("sys/firmware/fdt"), Reference.bytes(ref, "k2-fdt.bin"));
        }
        return root;
    }

    Path planFile() throws Exception {
        Path p = tmp.resolve("plan.json");
        Files.writeString(p, PlanFactsTest.PLAN_612);
        return p;
    }

    @Test
    void loaderReadsAKdumpRoot() throws Exception {
        KdumpReceived r = VerifyInputs.received(
                kdumpRoot(K612, false), java.util.Optional.empty(), java.util.OptionalLong.empty());
        assertEquals(3758112768L, r.vmcoreSize().getAsLong());
        assertEquals(
                "elfcorehdr=0x207f0000 console=hvc0 maxcpus=1 kdmode=none",
                r.cmdline().get());
        assertEquals(7, r.elfcorehdr().get().programHeaders().size());
        assertEquals(65536, r.vmcore().get().length());
        assertTrue(r.fdt().isEmpty());
    }

    @Test
    void offlineRootWithAPlanHolds() throws Exception {
        Run r = run(kdumpRoot(K612, false).toString(), "--plan", planFile().toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("✓ vmcore.ram"), r.out());
        assertTrue(r.out().contains("✓ plan.crash-ranges"), r.out());
        assertTrue(r.out().contains("– usable.confined"), r.out());
        assertTrue(r.out().contains("kdump inputs hold"), r.out());
    }

    @Test
    void kexecToolsRootAloneHolds() throws Exception {
        Run r = run(kdumpRoot(KT, false).toString(), "-v");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("✓ vmcore.size"), r.out());
    }

    @Test
    void jsonOutput() throws Exception {
        Run r = run(kdumpRoot(K612, false).toString(), "--plan", planFile().toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("ok").asBoolean());
        List<String> ids = new ArrayList<>();
        j.get("checks").forEach(c -> ids.add(c.get("id").asText()));
        assertTrue(ids.containsAll(List.of("vmcore.ram", "notes.vmcore", "plan.reserve-map")), ids.toString());
    }

    @Test
    void aFailingCheckExitsOne() throws Exception {
        Path root = kdumpRoot(K612, false);
        Files.writeString(root.resolve("jkexec/vmcore-size"), "12345\n");
        Run r = run(root.toString(), "--plan", planFile().toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("✗ vmcore.size"), r.out());
        assertTrue(r.out().contains("KDUMP INPUTS DO NOT HOLD"), r.out());
        assertEquals(
                0,
                run(root.toString(), "--plan", planFile().toString(), "--vmcore-size", "3758112768")
                        .exit(),
                "--vmcore-size overrides the file");
    }

    @Test
    void badInputsAreOneLineErrorsNamingTheFile() throws Exception {
        Path root = kdumpRoot(K612, false);
        Files.write(root.resolve("proc/vmcore"), new byte[100]);
        assertBad(run(root.toString()), root.resolve("proc/vmcore") + ": not an ELF file (bad magic)");

        Path root2 = kdumpRoot(KT, false);
        Files.write(
                root2.resolve("proc/vmcore"), java.util.Arrays.copyOf(Reference.bytes(KT, "k2-vmcorehdr.bin"), 200));
        assertBad(
                run(root2.toString()),
                root2.resolve("proc/vmcore") + ": program headers at 0x40 (5 of them) extend past the end");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertBad(run(empty.toString()), empty + ": has no proc/vmcore, sys/firmware/fdt or proc/cmdline");
        assertBad(run(tmp.resolve("nope").toString()), tmp.resolve("nope") + ": not a directory");
        assertBad(
                run(
                        kdumpRoot(K612, false).toString(),
                        "--plan",
                        tmp.resolve("missing.json").toString()),
                tmp.resolve("missing.json") + ": missing");
        Path root3 = kdumpRoot(KT, false);
        Path junk = tmp.resolve("junk.json");
        Files.writeString(junk, "{");
        assertBad(run(root3.toString(), "--plan", junk.toString()), junk + ": not JSON");
        assertBad(run(root3.toString(), "--vmcore-size", "lots"), "--vmcore-size: 'lots' is neither a size");
        Files.writeString(root3.resolve("jkexec/vmcore-size"), "huge\n");
        assertBad(run(root3.toString()), root3.resolve("jkexec/vmcore-size") + ": 'huge' is neither a size");
        Path badFdt = kdumpRoot(KT, false);
        Files.createDirectories(badFdt.resolve("sys/firmware"));
        Files.write(badFdt.resolve("sys/firmware/fdt"), new byte[64]);
        assertBad(
                run(badFdt.toString()),
                badFdt.resolve("sys/firmware/fdt") + ": not a flattened device tree (bad magic)");
    }

    static void assertBad(Run r, String prefix) {
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("jkexec: " + prefix), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("✓"));
    }

    @Test
    void vmcorePrefixIsExtendedToTheNotesWhenTheFileHasThem() throws Exception {
        // a longer "vmcore": the 64 KiB prefix plus zeros; the notes of the kexec-tools run lie at 0x10000
        Path root = kdumpRoot(KT, false);
        byte[] b = java.util.Arrays.copyOf(Reference.bytes(KT, "k2-vmcorehdr.bin"), 0x10000 + 0x11a0 + 100);
        Files.write(root.resolve("proc/vmcore"), b);
        KdumpReceived r = VerifyInputs.received(root, java.util.Optional.empty(), java.util.OptionalLong.empty());
        assertEquals(0x10000 + 0x11a0, r.vmcore().get().length());
        // zeros where notes should be: reported, not crashed on
        VerifyReport rep = KdumpChecks.run(r, RefFixtures.machine(KT));
        assertEquals(CheckStatus.FAIL, rep.result("notes.vmcore").get().status(), rep.text(true));
    }

    /** Inside a kdump kernel the core header is read from /dev/mem at elfcorehdr=; a refusal is a note, not an error. */
    @Test
    void coreHeaderFromDevMem() throws Exception {
        Path mem = tmp.resolve("mem");
        byte[] hdr = Reference.bytes(K612, "k2-elfcorehdr.bin");
        byte[] img = new byte[0x3000];
        System.arraycopy(hdr, 0, img, 0x2000, hdr.length);
        Files.write(mem, img);
        List<String> notes = new ArrayList<>();
        java.util.Optional<org.jkexec.elf.ElfFile> e =
                VerifyInputs.readDevMem(mem, "console=hvc0 elfcorehdr=8K", notes);
        assertEquals(7, e.orElseThrow().programHeaders().size(), notes.toString());
        assertTrue(VerifyInputs.readDevMem(mem, "elfcorehdr=0x1000", notes).isEmpty());
        assertTrue(notes.get(0).contains("no ELF header at"), notes.toString());
        assertTrue(VerifyInputs.readDevMem(tmp.resolve("no-such-mem"), "elfcorehdr=0x1000", notes)
                .isEmpty());
        assertTrue(notes.get(1).contains("not readable"), notes.toString());
    }

    @Test
    void aLongProgramHeaderTableIsReadWhole() throws Exception {
        // 1300 PT_LOADs: the table (72 KiB) is longer than the first 64 KiB read
        int n = 1300;
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(64 + n * 56 + 4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] head = Reference.bytes(K612, "k2-vmcorehdr.bin");
        b.put(head, 0, 64);
        b.putShort(56, (short) n);
        for (int i = 0; i < n; i++) {
            org.jkexec.elf.ElfCoreHeader.writePhdr(
                    b,
                    64 + i * 56,
                    new org.jkexec.elf.ProgramHeader(
                            1, 7, 0x20000 + i * 0x10000L, 0, i * 0x10000L, 0x10000, 0x10000, 0));
        }
        Path root = tmp.resolve("long");
        Files.createDirectories(root.resolve("proc"));
        Files.write(root.resolve("proc/vmcore"), b.array());
        KdumpReceived r = VerifyInputs.received(root, java.util.Optional.empty(), java.util.OptionalLong.empty());
        assertEquals(n, r.vmcore().get().programHeaders().size());
    }
}
