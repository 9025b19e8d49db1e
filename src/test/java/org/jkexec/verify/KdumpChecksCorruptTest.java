package org.jkexec.verify;

import static org.jkexec.verify.RefFixtures.K612;
import static org.jkexec.verify.RefFixtures.KT;
import static org.jkexec.verify.RefFixtures.elf;
import static org.jkexec.verify.RefFixtures.phdrs;
import static org.jkexec.verify.RefFixtures.withFilesz;
import static org.jkexec.verify.RefFixtures.withMemsz;
import static org.jkexec.verify.RefFixtures.withOffset;
import static org.jkexec.verify.RefFixtures.withPaddr;
import static org.jkexec.verify.RefFixtures.withPhdrs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Corrupt variants of the two references: each is reported as a FAIL of the right check, with a specific message. */
class KdumpChecksCorruptTest {
    static CheckResult assertFails(KdumpReceived in, Expected exp, String id, String... texts) {
        VerifyReport r = KdumpChecks.run(in, exp);
        CheckResult c = r.result(id).orElseThrow();
        assertEquals(CheckStatus.FAIL, c.status(), id + " should fail:\n" + r.text(true));
        for (String t : texts) {
            assertTrue(c.mentions(t), id + " should mention '" + t + "': " + c.details());
        }
        assertEquals(1, r.exitCode());
        assertTrue(r.text(false).contains("✗ " + id));
        return c;
    }

    static KdumpReceived withVmcorePhdrs(String ref, java.util.function.UnaryOperator<List<ProgramHeader>> edit) {
        byte[] b = RefFixtures.vmcoreBytes(ref);
        List<ProgramHeader> ph = new ArrayList<>(phdrs(b));
        return RefFixtures.received(ref).withVmcore(elf(withPhdrs(b, edit.apply(ph)), "corrupt vmcore"));
    }

    static KdumpReceived withCoreHeaderPhdrs(java.util.function.UnaryOperator<List<ProgramHeader>> edit) {
        byte[] b = Reference.bytes(K612, "k2-elfcorehdr.bin");
        List<ProgramHeader> ph = new ArrayList<>(phdrs(b));
        List<ProgramHeader> out = edit.apply(ph);
        byte[] big = java.util.Arrays.copyOf(b, Math.max(b.length, 64 + out.size() * 56));
        return RefFixtures.received(K612).withElfcorehdr(elf(withPhdrs(big, out), "corrupt elfcorehdr"));
    }

    static int loadAt(List<ProgramHeader> ph, long paddr) {
        for (int i = 0; i < ph.size(); i++) {
            if (ph.get(i).isLoad() && ph.get(i).paddr() == paddr) {
                return i;
            }
        }
        throw new AssertionError("no PT_LOAD at " + paddr);
    }

    // ------------------------------------------------------------ PT_LOADs

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void aMissingPtLoadIsAHoleInTheDump(String ref) {
        KdumpReceived in = withVmcorePhdrs(ref, ph -> {
            ph.remove(loadAt(ph, 0x40000000L));
            return ph;
        });
        assertFails(
                in,
                RefFixtures.machine(ref),
                "vmcore.ram",
                "RAM [0x40000000-0xffffffff] (0xc0000000 bytes) is in no PT_LOAD");
        if (ref.equals(K612)) { // the last PT_LOAD: /proc/vmcore would be longer than its headers say
            assertFails(in, RefFixtures.machine(ref), "vmcore.size", "its program headers describe");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void overlappingPtLoadsAreReported(String ref) {
        KdumpReceived in = withVmcorePhdrs(ref, ph -> {
            ProgramHeader big = ph.get(loadAt(ph, 0x40000000L));
            ph.add(withMemsz(withPaddr(big, 0x80000000L), 0x10000000L));
            return ph;
        });
        assertFails(in, RefFixtures.machine(ref), "vmcore.ram", "overlap at [0x80000000-0x8fffffff]");
    }

    @Test
    void aPtLoadInsideCrashkernelThatIsNotFirmwareFails() {
        KdumpReceived in = withVmcorePhdrs(K612, ph -> {
            int i = loadAt(ph, 0x2ffff000L);
            ph.set(i, withMemsz(withPaddr(ph.get(i), 0x2ff00000L), 0x100000L));
            return ph;
        });
        assertFails(
                in,
                RefFixtures.machine(K612),
                "vmcore.crashkernel",
                "exports [0x2ff00000-0x2fffefff], [0x2ffff83c-0x2fffffff] of crashkernel");
    }

    @Test
    void aMissingBackupPtLoadFails() {
        KdumpReceived in = withVmcorePhdrs(K612, ph -> {
            ph.remove(loadAt(ph, 0));
            return ph;
        });
        assertFails(in, RefFixtures.machine(K612), "vmcore.backup-load", "no PT_LOAD starts at physical 0");
        assertFails(in, RefFixtures.machine(K612), "vmcore.ram", "RAM [0x0-0xffff]");
    }

    @Test
    void aBackupPtLoadMergedWithTheRestOfRamFails() {
        KdumpReceived in = withVmcorePhdrs(KT, ph -> {
            ph.set(loadAt(ph, 0), withMemsz(ph.get(loadAt(ph, 0)), 0x20000000L));
            ph.remove(loadAt(ph, 0x10000));
            return ph;
        });
        assertFails(in, RefFixtures.machine(KT), "vmcore.backup-load", "must be its own 64 KiB PT_LOAD");
    }

    @Test
    void backupReadFromPhysicalZeroIsTheKnownKernelBug() {
        KdumpReceived in = withCoreHeaderPhdrs(ph -> {
            ph.set(loadAt(ph, 0), withOffset(ph.get(loadAt(ph, 0)), 0));
            return ph;
        });
        assertFails(in, RefFixtures.machine(K612), "backup.source", "p_offset 0", "fix backup region offset update");
    }

    @Test
    void backupCopyOutsideCrashkernelFails() {
        KdumpReceived in = withCoreHeaderPhdrs(ph -> {
            ph.set(loadAt(ph, 0), withOffset(ph.get(loadAt(ph, 0)), 0x1000000L));
            return ph;
        });
        assertFails(in, RefFixtures.machine(K612), "backup.source", "reads from 0x1000000, outside crashkernel");
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void anUnreservedBackupCopyFails(String ref) {
        long backup = ref.equals(K612) ? 0x207e0000L : 0x22880000L;
        KdumpFdtFacts f = RefFixtures.fdt(ref);
        List<ReserveEntry> map = new ArrayList<>(f.reserveMap());
        map.remove(new ReserveEntry(backup, 0x10000));
        KdumpReceived in = RefFixtures.received(ref).withFdt(f.withReserveMap(map));
        assertFails(
                in,
                RefFixtures.machine(ref),
                "backup.reserved",
                ref.equals(K612)
                        ? "[0x207e0000-0x207effff] is not reserved"
                        : "no 64 KiB reserve entry inside crashkernel");
    }

    // ------------------------------------------------------------ notes

    @Test
    void aMissingCpuNoteInTheCoreHeaderFails() {
        KdumpReceived in = withCoreHeaderPhdrs(ph -> {
            ph.removeIf(p -> p.isNote() && p.paddr() == 0xffbb7000L);
            return ph;
        });
        assertFails(
                in, RefFixtures.machine(K612), "notes.core-header", "no PT_NOTE for CPU 1's crash notes at 0xffbb7000");
        // and without the machine's addresses, by count
        assertFails(
                in,
                RefFixtures.machine(K612).withCrashNotes(null).withPlan(planWithCpus(2)),
                "notes.core-header",
                "2 PT_NOTEs, expected 3");
    }

    static PlanFacts planWithCpus(int n) {
        return PlanFacts.parse("{\"segments\":[], \"machine\":{\"possibleCpus\":" + n + "}}", "plan.json");
    }

    @Test
    void aWrongCpuNoteSizeInTheCoreHeaderFails() {
        KdumpReceived in = withCoreHeaderPhdrs(ph -> {
            for (int i = 0; i < ph.size(); i++) {
                if (ph.get(i).isNote() && ph.get(i).paddr() == 0xffba8000L) {
                    ph.set(i, withFilesz(ph.get(i), 0x100));
                }
            }
            return ph;
        });
        assertFails(
                in,
                RefFixtures.machine(K612),
                "notes.core-header",
                "PT_NOTE for CPU 0 at 0xffba8000 is 0x100 bytes, crash_notes_size is 0x218");
    }

    @Test
    void aMissingCpuNoteInVmcoreFails() {
        byte[] b = RefFixtures.vmcoreBytes(K612);
        List<ProgramHeader> ph = new ArrayList<>(phdrs(b));
        ProgramHeader note = ph.get(0);
        int off = (int) note.offset();
        int one = 12 + 8 + 504;
        System.arraycopy(b, off + 2 * one, b, off + one, (int) note.filesz() - 2 * one);
        java.util.Arrays.fill(b, off + (int) note.filesz() - one, off + (int) note.filesz(), (byte) 0);
        ph.set(0, withFilesz(note, note.filesz() - one));
        KdumpReceived in = RefFixtures.received(K612).withVmcore(elf(withPhdrs(b, ph), "vmcore"));
        assertFails(
                in,
                RefFixtures.machine(K612),
                "notes.vmcore",
                "1 NT_PRSTATUS notes for 2 possible CPU(s)",
                "registers of 1 CPU(s) are missing");
    }

    @Test
    void aWrongMergedNoteSizeInVmcoreFails() {
        KdumpReceived in = withVmcorePhdrs(K612, ph -> {
            ph.set(0, withFilesz(ph.get(0), ph.get(0).filesz() + 0x100));
            return ph;
        });
        assertFails(
                in,
                RefFixtures.machine(K612),
                "notes.vmcore",
                "the notes add up to 0x11e0 bytes but the PT_NOTE at offset 0x1000 says 0x12e0");
    }

    @Test
    void aMergedNoteSizeTooSmallForTheCpusFailsEvenPastThePrefix() {
        KdumpReceived in = withVmcorePhdrs(KT, ph -> {
            ph.set(0, withFilesz(ph.get(0), 0x400)); // less than two 0x20c-byte NT_PRSTATUS notes
            return ph;
        });
        assertFails(in, RefFixtures.machine(KT), "notes.vmcore", "cannot be 2 NT_PRSTATUS notes");
    }

    @Test
    void aTruncatedPrstatusDescriptorFails() {
        byte[] b = RefFixtures.vmcoreBytes(K612);
        // first note's descsz 504 -> 500: its descriptor is then 4 bytes short of elf_prstatus
        int off = (int) phdrs(b).get(0).offset();
        b[off + 4] = (byte) 0xf4;
        List<ProgramHeader> ph = new ArrayList<>(phdrs(b));
        KdumpReceived in = RefFixtures.received(K612).withVmcore(elf(b, "vmcore"));
        CheckResult c = assertFails(in, RefFixtures.machine(K612), "notes.vmcore");
        assertTrue(
                c.mentions("500-byte descriptor") || c.mentions("malformed"),
                c.details().toString());
        assertEquals(5, ph.size());
    }

    // ------------------------------------------------------------ usable memory and reserve map

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void aUsableRangeOutsideCrashkernelFails(String ref) {
        KdumpFdtFacts f = RefFixtures.fdt(ref);
        KdumpFdtFacts bad = f.withMemoryNodes(List.of(new KdumpFdtFacts.MemoryNode(
                "/memory@0",
                List.of(new ReserveEntry(0, 0x100000000L)),
                Optional.of(RefFixtures.u64(0, 0x40000000L, 0x40000000L, 0x10000000L)))));
        KdumpReceived in = RefFixtures.received(ref).withFdt(bad);
        assertFails(
                in,
                RefFixtures.machine(ref),
                "usable.confined",
                "linux,usable-memory of /memory@0 makes [0x40000000-0x4fffffff] usable: outside crashkernel [0x20000000-0x3fffffff]");
        assertFails(
                in, RefFixtures.machine(ref), "usable.reserved", "[0x40000000-0x4fffffff] is usable but not reserved");
    }

    @Test
    void aMemoryNodeWithoutUsableMemoryGivesAllOfItsRam() {
        KdumpFdtFacts f = RefFixtures.fdt(K612);
        KdumpReceived in = RefFixtures.received(K612)
                .withFdt(f.withMemoryNodes(List.of(new KdumpFdtFacts.MemoryNode(
                        "/memory@0", List.of(new ReserveEntry(0, 0x100000000L)), Optional.empty()))));
        assertFails(
                in,
                RefFixtures.machine(K612),
                "usable.confined",
                "reg of /memory@0 (no linux,usable-memory) makes [0x40000000-0xffffffff] usable");
    }

    /** The 6.12 reference machine's facts with {@code ram} as its RAM (LMBs added above 4 GiB). */
    private static Expected expectedWithRam(List<org.jkexec.memory.MemRange> ram) {
        return new Expected(
                "machine",
                Optional.of(RefFixtures.CRASHKERNEL),
                Optional.of(ram),
                Optional.of(RefFixtures.crashNotes(K612)),
                Optional.of(RefFixtures.vmcoreinfo(K612)),
                Optional.of(List.of(RefFixtures.rtas(K612))),
                OptionalLong.of(4096),
                Optional.empty(),
                List.of());
    }

    @Test
    void drconfLmbsOutsideCrashkernelFailAndEmptyOnesPass() {
        // four 256 MiB LMBs above 4 GiB, all assigned: the right property gives each a count of 0
        long lmb = 0x10000000L;
        long[] base = {0x100000000L, 0x110000000L, 0x120000000L, 0x130000000L};
        int[] flags = {8, 8, 8, 8};
        KdumpFdtFacts.Drconf good =
                new KdumpFdtFacts.Drconf(lmb, base, flags, Optional.of(RefFixtures.u64(0, 0, 0, 0)));
        List<org.jkexec.memory.MemRange> ram =
                List.of(RefFixtures.RAM, new org.jkexec.memory.MemRange(0x100000000L, 0x13fffffffL));
        Expected exp = expectedWithRam(ram);
        KdumpReceived ok =
                RefFixtures.received(K612).withFdt(RefFixtures.fdt(K612).withDrconf(Optional.of(good)));
        assertEquals(
                CheckStatus.PASS,
                KdumpChecks.run(ok, exp).result("usable.confined").get().status());

        KdumpFdtFacts.Drconf bad = new KdumpFdtFacts.Drconf(
                lmb, base, flags, Optional.of(RefFixtures.u64(0, 1, 0x110000000L, 0x1000000L, 0, 0)));
        KdumpReceived in =
                RefFixtures.received(K612).withFdt(RefFixtures.fdt(K612).withDrconf(Optional.of(bad)));
        assertFails(
                in,
                exp,
                "usable.confined",
                "linux,drconf-usable-memory for LMB 1 makes [0x110000000-0x110ffffff] usable");

        KdumpFdtFacts.Drconf none = new KdumpFdtFacts.Drconf(lmb, base, flags, Optional.empty());
        KdumpReceived in2 =
                RefFixtures.received(K612).withFdt(RefFixtures.fdt(K612).withDrconf(Optional.of(none)));
        assertFails(
                in2,
                exp,
                "usable.confined",
                "LMB 0 (no linux,drconf-usable-memory) makes [0x100000000-0x10fffffff] usable");

        KdumpFdtFacts.Drconf shortProp = new KdumpFdtFacts.Drconf(lmb, base, flags, Optional.of(RefFixtures.u64(0, 0)));
        KdumpReceived in3 =
                RefFixtures.received(K612).withFdt(RefFixtures.fdt(K612).withDrconf(Optional.of(shortProp)));
        assertFails(in3, exp, "usable.confined", "linux,drconf-usable-memory ends at LMB 2");
    }

    @Test
    void entriesForEveryLmbAfterAnUnassignedOneWarnAndEntriesAsReadDoNot() {
        // LMB 0 unassigned, the three after it assigned: an entry for every LMB leaves the last
        // unread; an entry for each assigned LMB only is read to its end
        long lmb = 0x10000000L;
        long[] base = {0x100000000L, 0x110000000L, 0x120000000L, 0x130000000L};
        int[] flags = {0, 8, 8, 8};
        List<org.jkexec.memory.MemRange> ram =
                List.of(RefFixtures.RAM, new org.jkexec.memory.MemRange(0x110000000L, 0x13fffffffL));
        Expected exp = expectedWithRam(ram);
        KdumpFdtFacts.Drconf everyLmb =
                new KdumpFdtFacts.Drconf(lmb, base, flags, Optional.of(RefFixtures.u64(0, 0, 0, 0)));
        CheckResult kernels = KdumpChecks.run(
                        RefFixtures.received(K612).withFdt(RefFixtures.fdt(K612).withDrconf(Optional.of(everyLmb))),
                        exp)
                .result("usable.confined")
                .get();
        assertEquals(CheckStatus.WARN, kernels.status(), kernels.toString());
        assertTrue(kernels.toString().contains("later LMBs may get the wrong ranges"), kernels.toString());
        KdumpFdtFacts.Drconf asRead = new KdumpFdtFacts.Drconf(lmb, base, flags, Optional.of(RefFixtures.u64(0, 0, 0)));
        assertEquals(
                CheckStatus.PASS,
                KdumpChecks.run(
                                RefFixtures.received(K612)
                                        .withFdt(RefFixtures.fdt(K612).withDrconf(Optional.of(asRead))),
                                exp)
                        .result("usable.confined")
                        .get()
                        .status());
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void lowMemoryNotReservedFails(String ref) {
        KdumpFdtFacts f = RefFixtures.fdt(ref);
        List<ReserveEntry> map = new ArrayList<>(f.reserveMap());
        map.remove(new ReserveEntry(0x10000, 0x1fff0000L));
        KdumpReceived in = RefFixtures.received(ref).withFdt(f.withReserveMap(map));
        assertFails(
                in,
                RefFixtures.machine(ref),
                "usable.reserved",
                "[0x10000-0x1fffffff] is usable but not reserved",
                "expected reserve entry (0x10000, 0x1fff0000)");
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void aReserveMapWithoutRtasFails(String ref) {
        KdumpFdtFacts f = RefFixtures.fdt(ref);
        long rtas = RefFixtures.rtas(ref).start();
        List<ReserveEntry> map = new ArrayList<>(f.reserveMap());
        map.removeIf(e -> e.address() == rtas);
        KdumpReceived in = RefFixtures.received(ref).withFdt(f.withReserveMap(map));
        assertFails(
                in,
                RefFixtures.machine(ref),
                "reserve.firmware",
                "RTAS [" + String.format("0x%x-0x%x", rtas, rtas + 0x83b) + "] (/rtas) is not reserved");
    }

    @Test
    void aTceTableOfTheCapturedMachineMustBeReservedToo() {
        org.jkexec.ppc64.Region tce = new org.jkexec.ppc64.Region(
                org.jkexec.ppc64.RegionKind.TCE,
                org.jkexec.memory.MemRange.ofSize(0x3f000000L, 0x800000L),
                "/pci@800000020000000");
        Expected exp = RefFixtures.machine(K612).withFirmware(List.of(RefFixtures.rtas(K612), tce));
        assertFails(RefFixtures.received(K612), exp, "reserve.firmware", "TCE table [0x3f000000-0x3f7fffff]");
    }

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void anUnreservedCoreHeaderFails(String ref) {
        long ech = ref.equals(K612) ? 0x207f0000L : 0x22890000L;
        KdumpFdtFacts f = RefFixtures.fdt(ref);
        List<ReserveEntry> map = new ArrayList<>(f.reserveMap());
        map.removeIf(e -> e.address() == ech);
        KdumpReceived in = RefFixtures.received(ref).withFdt(f.withReserveMap(map));
        assertFails(in, RefFixtures.machine(ref), "reserve.elfcorehdr", "is not reserved");
    }

    // ------------------------------------------------------------ elfcorehdr=

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void elfcorehdrOutsideCrashkernelFails(String ref) {
        String cl = RefFixtures.cmdline(ref).replaceAll("elfcorehdr=\\S+", "elfcorehdr=262144K");
        KdumpReceived in = RefFixtures.received(ref).withCmdline(cl);
        assertFails(
                in,
                RefFixtures.machine(ref),
                "cmdline.elfcorehdr",
                "elfcorehdr=262144K (0x10000000) is outside crashkernel [0x20000000-0x3fffffff]");
        if (ref.equals(K612)) {
            assertFails(
                    in, RefFixtures.machine(ref), "cmdline.elfcorehdr", "but /chosen/linux,elfcorehdr says 0x207f0000");
        }
    }

    @Test
    void noElfcorehdrOnTheCommandLineFails() {
        KdumpReceived in = RefFixtures.received(KT).withCmdline("console=hvc0 maxcpus=1");
        assertFails(in, RefFixtures.machine(KT), "cmdline.elfcorehdr", "no elfcorehdr= on the command line");
    }

    @Test
    void chosenElfcorehdrDisagreeingWithTheCommandLineFails() {
        KdumpFdtFacts f = RefFixtures.fdt(K612);
        KdumpReceived in = RefFixtures.received(K612)
                .withFdt(f.withChosen(f.bootargs(), Optional.of(new ReserveEntry(0x20800000L, 0x71000))));
        assertFails(
                in,
                RefFixtures.machine(K612),
                "cmdline.elfcorehdr",
                "elfcorehdr=0x207f0000 (0x207f0000) but /chosen/linux,elfcorehdr says 0x20800000");
    }

    // ------------------------------------------------------------ size and layout

    @ParameterizedTest
    @ValueSource(strings = {K612, KT})
    void aWrongVmcoreSizeFails(String ref) {
        KdumpReceived in = RefFixtures.received(ref)
                .withVmcoreSize(OptionalLong.of(RefFixtures.vmcoreSize(ref).getAsLong() - 4096));
        assertFails(in, RefFixtures.machine(ref), "vmcore.size", "the dump would be cut short");
    }

    @Test
    void aVmcoreNotMadeFromTheCoreHeaderFails() {
        KdumpReceived in = withCoreHeaderPhdrs(ph -> {
            int i = loadAt(ph, 0x40000000L);
            ph.set(i, withMemsz(ph.get(i), 0xb0000000L));
            return ph;
        });
        assertFails(
                in,
                RefFixtures.machine(K612),
                "vmcore.layout",
                "PT_LOAD 3: /proc/vmcore has paddr 0x40000000 size 0xc0000000");
    }
}
