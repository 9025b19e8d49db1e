package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.KexecPlan;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.HoleFinder;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.purgatory.PurgatoryInspector;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A regular kexec plan on the bundled pseries capture (4 GiB, radix, crashkernel 512 MiB at
 * 512 MiB): where the segments go, that crashkernel is usable but the exclude list is not, and
 * that the new kernel's FDT has none of a kdump kernel's properties.
 */
class Ppc64KexecPlannerTest {
    static final String CMDLINE = "console=hvc0 crashkernel=512M";
    static final long SEED = 0x0123456789abcdefL;

    static Ppc64Machine machine;
    static KdumpRequest request;
    static KexecPlan plan;

    @BeforeAll
    static void plan() throws Exception {
        machine = MachineCapture.readForRegularKexec(Reference.capture(Reference.MACHINE));
        request = request(CMDLINE);
        plan = planner().plan(machine, request, options());
    }

    static KdumpRequest request(String cmdline) throws Exception {
        var c = Reference.capture(Reference.MACHINE);
        return new KdumpRequest(
                ElfFile.parse(Files.readAllBytes(c.resolve("kdump/vmlinux-phdrs")), "vmlinux"),
                Files.readAllBytes(c.resolve("kdump/initrd-zeros")),
                cmdline);
    }

    static PlanOptions options() {
        return PlanOptions.linux612().withSeeds(SEED, new byte[128]);
    }

    static Ppc64KexecPlanner planner() {
        return new Ppc64KexecPlanner(Purgatories.standard());
    }

    /** The machine as a hash-MMU guest: every segment must then lie below the 1 GiB real-mode limit. */
    static Ppc64Machine hashMmu(Ppc64Machine m) {
        return new Ppc64Machine(
                m.source(),
                m.bootFdt(),
                m.bootFdtSize(),
                m.liveTree(),
                m.systemRam(),
                m.reservedCrashkernel().orElse(null),
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                1L << 30,
                m.bootFdtAddress(),
                m.lpar(),
                m.threadsPerCore(),
                List.of());
    }

    @Test
    void segmentsGoWhereTheKernelPutsARegularImage() {
        List<String> got = plan.segments().stream()
                .map(s -> String.format("%s 0x%x-0x%x", s.kind(), s.mem(), s.end()))
                .toList();
        // kernel: lowest 64 KiB-aligned spot above the running kernel's [0, _end = 0x7de000);
        // purgatory and FDT: top of RAM (radix has no real-mode limit); initrd right after the kernel
        assertEquals(
                List.of(
                        "kernel 0x7e0000-0xfbdfff",
                        "purgatory 0xfffff000-0xffffffff",
                        "initrd 0xfbe000-0x129bfff",
                        "fdt 0xffffa000-0xffffefff"),
                got);
        assertEquals(0xfffff000L, plan.entry());
        assertEquals(0x7e0000L, plan.kernelLoadAddr());
    }

    @Test
    void mainlineSearchPlacesTheSame() {
        KexecPlan mainline = planner().plan(machine, request, options().withHoleSearch(HoleFinder.Strategy.MAINLINE));
        assertEquals(
                plan.segments().stream().map(Segment::mem).toList(),
                mainline.segments().stream().map(Segment::mem).toList());
    }

    @Test
    void crashkernelIsNotExcludedButTheExcludeListIs() {
        // a hash-MMU guest: real-mode limit 1 GiB, the top of which is crashkernel's last page
        Ppc64Machine hash = hashMmu(machine);
        for (HoleFinder.Strategy s : HoleFinder.Strategy.values()) {
            KexecPlan p = planner().plan(hash, request, options().withHoleSearch(s));
            MemRange ck = machine.crashkernel();
            assertEquals(0x3ffff000L, p.segment(SegmentKind.PURGATORY).mem(), s.name());
            assertTrue(ck.contains(p.segment(SegmentKind.PURGATORY).mem()), "purgatory inside crashkernel, " + s);
            assertTrue(ck.contains(p.segment(SegmentKind.FDT).mem()), "FDT inside crashkernel, " + s);
            MemRanges exclude = new KdumpRanges(hash).exclude();
            for (Segment seg : p.segments()) {
                assertFalse(exclude.intersects(seg.mem(), seg.end()), seg.kind() + " overlaps the exclude list");
                assertTrue(Long.compareUnsigned(seg.end(), 1L << 30) < 0, seg.kind() + " above the real-mode limit");
            }
        }
    }

    @Test
    void fdtHasNoneOfAKdumpKernelsProperties() {
        Fdt fdt = plan.fdt();
        FdtNode chosen = fdt.node("/chosen").orElseThrow();
        assertFalse(chosen.hasProperty("linux,elfcorehdr"));
        assertFalse(chosen.hasProperty("linux,usable-memory-range"));
        for (FdtNode n : fdt.root().descendants()) {
            assertFalse(n.hasProperty("linux,usable-memory"), n.path());
            assertFalse(n.hasProperty("linux,drconf-usable-memory"), n.path());
        }
        assertEquals(CMDLINE, chosen.string("bootargs").orElseThrow());
        assertTrue(chosen.hasProperty("linux,booted-from-kexec"));
        assertEquals(SEED, chosen.u64("kaslr-seed").orElseThrow());
        Segment initrd = plan.segment(SegmentKind.INITRD);
        assertEquals(initrd.mem(), chosen.u64("linux,initrd-start").orElseThrow());
        assertEquals(
                initrd.mem() + initrd.bufsz(), chosen.u64("linux,initrd-end").orElseThrow());
    }

    @Test
    void reserveMapHoldsTheBootEntriesTheInitrdAndRtasOnly() {
        List<ReserveEntry> map = plan.fdt().reserveMap();
        Segment initrd = plan.segment(SegmentKind.INITRD);
        MemRange rtas = new KdumpRanges(machine).reserved().get(0);
        assertEquals(
                List.of(
                        new ReserveEntry(0x2ffff000L, 0x1000),
                        new ReserveEntry(initrd.mem(), initrd.bufsz()),
                        new ReserveEntry(rtas.start(), rtas.size())),
                map);
        // nothing reserves the crashed kernel's memory or a backup region: the new kernel has all RAM
        assertTrue(map.stream().noneMatch(e -> e.address() == 0x10000));
    }

    @Test
    void fdtIsPackedAndItsBlobIsTheTree() {
        byte[] blob = plan.fdtBlob();
        assertEquals(blob.length, (int) Cells.u32(blob, 4), "totalsize is the blob: packed");
        assertEquals(plan.segment(SegmentKind.FDT).bufsz(), blob.length);
        assertArrayEquals(blob, plan.segment(SegmentKind.FDT).buffer());
        Fdt reparsed = Fdt.parse(blob, "kexec.dtb");
        assertEquals(
                CMDLINE,
                reparsed.node("/chosen").orElseThrow().string("bootargs").orElseThrow());
    }

    @Test
    void purgatoryCopiesNoBackupAndDoesNotSetRunAtLoad() {
        PurgatoryInspector.Contents c =
                PurgatoryInspector.decode(plan.segment(SegmentKind.PURGATORY).buffer(), "purgatory");
        assertEquals(0, c.backupStart());
        assertFalse(c.runAtLoad());
        assertEquals(plan.kernelLoadAddr(), c.kernelLoadAddr());
        assertEquals(plan.segment(SegmentKind.FDT).mem(), c.fdtAddr());
    }

    @Test
    void noCommandLineDeletesBootargs() throws Exception {
        KexecPlan p = planner().plan(machine, request(""), options());
        assertFalse(p.fdt().node("/chosen").orElseThrow().hasProperty("bootargs"));
        assertTrue(p.warnings().get(0).contains("no crashkernel="), p.warnings().toString());
        assertTrue(plan.warnings().isEmpty(), plan.warnings().toString());
    }

    @Test
    void aMachineWithoutCrashkernelCanStillKexec() {
        Ppc64Machine none = new Ppc64Machine(
                machine.source(),
                machine.bootFdt(),
                machine.bootFdtSize(),
                machine.liveTree(),
                machine.systemRam(),
                null,
                machine.kernelEnd(),
                "console=hvc0",
                List.of(),
                machine.vmcoreinfo(),
                machine.pageSize(),
                machine.rmaSize(),
                machine.bootFdtAddress(),
                machine.lpar(),
                machine.threadsPerCore(),
                List.of());
        KexecPlan p = planner().plan(none, request, options());
        assertEquals(
                plan.segments().stream().map(Segment::mem).toList(),
                p.segments().stream().map(Segment::mem).toList());
        assertThrows(JkexecException.class, none::crashkernel);
    }

    @Test
    void anOverlongCommandLineIsRefused() {
        JkexecException e = assertThrows(
                JkexecException.class, () -> planner().plan(machine, request("x".repeat(2048)), options()));
        assertTrue(e.getMessage().contains("COMMAND_LINE_SIZE"), e.getMessage());
    }
}
