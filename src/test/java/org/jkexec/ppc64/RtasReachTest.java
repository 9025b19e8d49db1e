package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.BootProblem;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.purgatory.PurgatoryInspector;
import org.jkexec.testutil.MachineEdits;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A kdump kernel above 4 GiB on a machine whose RTAS is 32-bit never boots where it was loaded
 * (measured on the e2e pseries guest with 8 GiB: the kernel's plans of crashkernel=512M@4G and
 * 1G@4G load and stop in the first RTAS call; 1G@2G dumps). The kernel's placement is never
 * loaded there and names a crashkernel= that works; jkexec's lets the kdump kernel copy itself
 * to 0, below 4 GiB, with a backup region that holds it (measured: 512M@4G then dumps).
 */
class RtasReachTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static KdumpRequest request;

    @BeforeAll
    static void load() throws Exception {
        byte[] kernel = Files.readAllBytes(Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs"));
        request = new KdumpRequest(ElfFile.parse(kernel, "vmlinux"), new byte[3 << 20], "console=hvc0 maxcpus=1");
    }

    /** An 8 GiB radix LPAR with 2 CPUs (the e2e guest's shape) and crashkernel at base. */
    static Ppc64Machine pseries8g(long base, long size) {
        Ppc64Machine m = new SyntheticMachine(8 * GIB, 256 * MIB, 2, 1, 2, size, 0).machine();
        return MachineEdits.withCrashkernel(m, MemRange.ofSize(base, size));
    }

    static KdumpPlan plan(Ppc64Machine m, PlanOptions.Placement placement) {
        return new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        request,
                        PlanOptions.linux612().withSeeds(1L, new byte[128]).withPlacement(placement));
    }

    @Test
    void theKernelsPlacementAtFourGibIsNeverLoadedAndNamesOneThatWorks() {
        for (long size : new long[] {512 * MIB, GIB}) {
            Ppc64Machine m = pseries8g(4 * GIB, size);
            String problem = plan(m, PlanOptions.Placement.KERNEL)
                    .bootProblem()
                    .map(BootProblem::text)
                    .orElse(null);
            assertNotNull(problem, String.valueOf(size));
            assertTrue(problem.contains("above 4 GiB, and this machine's RTAS runs in 32-bit mode"), problem);
            assertTrue(problem.contains("kept by --placement kernel"), problem);
            long at = Long.parseLong(problem.replaceAll(".*crashkernel=\\d+M@(\\d+)M.*", "$1")) * MIB;
            assertTrue(at + size <= 4 * GIB, problem);
            // there jkexec's placement keeps the kdump kernel where it is loaded (measured: 512M@3584M dumps)
            assertNull(
                    plan(pseries8g(at, size), PlanOptions.Placement.JKEXEC)
                            .bootProblem()
                            .map(BootProblem::text)
                            .orElse(null),
                    problem);
        }
        assertEquals(
                "crashkernel=512M@3584M",
                RtasReach.suggestion(pseries8g(4 * GIB, 512 * MIB)).orElseThrow());
    }

    @Test
    void jkexecsPlacementAtFourGibRunsTheKdumpKernelAtZero() {
        for (long size : new long[] {512 * MIB, GIB}) {
            Ppc64Machine m = pseries8g(4 * GIB, size);
            KdumpPlan p = plan(m, PlanOptions.Placement.JKEXEC);
            assertNull(p.bootProblem().map(BootProblem::text).orElse(null));
            assertTrue(
                    p.notes().stream().anyMatch(n -> n.startsWith("the kdump kernel runs at 0")),
                    p.notes().toString());
            long span = 0;
            for (var s : p.segments()) {
                if (s.kind() == SegmentKind.KERNEL) {
                    assertTrue(s.mem() >= 4 * GIB, "loaded in crashkernel: " + s);
                    span = Math.max(span, s.end() + 1 - p.kernelLoadAddr());
                }
            }
            // the backup region holds the kernel at 0 and the early allocations above it
            assertTrue(
                    p.backupSize() >= span + LowMemory.enlargedBackupSize(LowMemory.needs(m)) - 0x10000,
                    p.backupSize() + " for a kernel of " + span);
            assertTrue(p.backupSize() < 4 * GIB);
            assertEquals(p.backupSize(), p.segment(SegmentKind.BACKUP).memsz());
            // the kernel's own run_at_load word (not 1): it copies itself to 0
            PurgatoryInspector.Contents purgatory =
                    PurgatoryInspector.decode(p.segment(SegmentKind.PURGATORY).buffer(), "purgatory");
            assertFalse(purgatory.runAtLoad());
            assertEquals(p.backupStart(), purgatory.backupStart());
            assertEquals(p.kernelLoadAddr(), purgatory.kernelLoadAddr());
            // every early need fits beside the kernel at [0, span)
            assertTrue(LowMemory.unmet(
                            m,
                            p.usableRanges(),
                            p.kdumpFdt().reserveMap(),
                            p.segments(),
                            LowMemory.needs(m),
                            List.of(new MemRange(0, span - 1)))
                    .isEmpty());
            // the dump reads [0, backup) from the copy, and the kdump kernel keeps [0, backup) free
            assertTrue(p.crashRanges().toList().contains(new MemRange(0, p.backupSize() - 1)));
            assertTrue(p.kdumpFdt().reserveMap().stream()
                    .anyMatch(e -> e.address() == p.backupSize() && e.address() + e.size() == 4 * GIB));
        }
    }

    @Test
    void aKernelTooLargeToHoldBelowTheRtasLimitIsRefused() throws Exception {
        // a kernel of 1.5 GiB (its first PT_LOAD's memsz): at 0 it would reach past the 1 GiB
        // below which RTAS's buffer must lie
        byte[] kernel = Files.readAllBytes(Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs"));
        ByteBuffer b = ByteBuffer.wrap(kernel).order(ByteOrder.LITTLE_ENDIAN);
        int phoff = (int) b.getLong(32);
        b.putLong(phoff + 40, 3 * GIB / 2);
        KdumpRequest large = new KdumpRequest(ElfFile.parse(kernel, "vmlinux"), new byte[3 << 20], "console=hvc0");
        Ppc64Machine m = pseries8g(4 * GIB, 2 * GIB);
        String problem = new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(m, large, PlanOptions.linux612().withSeeds(1L, new byte[128]))
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null);
        assertNotNull(problem);
        assertTrue(problem.contains("running the kdump kernel at 0 needs a backup region of 1.5"), problem);
        assertTrue(problem.contains("would not fit in the first RAM below crashkernel and 1 GiB"), problem);
    }

    @Test
    void belowFourGibNothingChanges() {
        // measured: 1G@2G dumps with jkexec
        Ppc64Machine m = pseries8g(2 * GIB, GIB);
        assertTrue(RtasReach.problem(m, plan(m, PlanOptions.Placement.KERNEL).segments())
                .isEmpty());
        assertNull(plan(m, PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
    }

    @Test
    void aCrashkernelAcrossFourGibBootsWhileTheKernelLiesBelow() {
        Ppc64Machine m = pseries8g(4 * GIB - 256 * MIB, 512 * MIB);
        KdumpPlan p = plan(m, PlanOptions.Placement.JKEXEC);
        assertNull(p.bootProblem().map(BootProblem::text).orElse(null));
        assertTrue(p.segment(SegmentKind.KERNEL).end() < 4 * GIB);
    }

    @Test
    void sixtyFourBitRtasAndMachinesWithoutRtasAreNotLimited() {
        Ppc64Machine m = pseries8g(4 * GIB, 512 * MIB);
        Fdt tree = Fdt.parse(m.liveTree().toBlob(), "test");
        tree.node("/rtas").orElseThrow().setProperty("linux,rtas-64", Cells.encode(1, 1));
        Ppc64Machine rtas64 = MachineEdits.withLiveTree(m, tree);
        assertTrue(RtasReach.problem(
                        rtas64, plan(rtas64, PlanOptions.Placement.KERNEL).segments())
                .isEmpty());
        // the same guest with a 32-bit RTAS said so explicitly
        tree.node("/rtas").orElseThrow().setProperty("linux,rtas-64", Cells.encode(1, 0));
        assertTrue(RtasReach.thirtyTwoBit(MachineEdits.withLiveTree(m, tree)));
    }

    @Test
    void aMachineWithoutRtasIsNotLimited() {
        // powernv: OPAL, no RTAS (its kdump kernel at 4 GiB fails otherwise, see docs/ppc64-kdump.md)
        Ppc64Machine m = pseries8g(4 * GIB, 512 * MIB);
        Fdt tree = Fdt.parse(m.liveTree().toBlob(), "test");
        tree.root().deleteChild(tree.node("/rtas").orElseThrow());
        Ppc64Machine nv = new Ppc64Machine(
                m.source(),
                m.bootFdt(),
                m.bootFdtSize(),
                tree,
                m.systemRam(),
                m.crashkernel(),
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                m.rmaSize(),
                m.bootFdtAddress(),
                false,
                m.threadsPerCore(),
                List.of());
        assertTrue(!RtasReach.thirtyTwoBit(nv));
        assertTrue(RtasReach.problem(nv, plan(m, PlanOptions.Placement.KERNEL).segments())
                .isEmpty());
    }

    /**
     * Crashkernel anywhere in the 8 GiB guest: the kernel's placement is refused exactly when the
     * kdump kernel reaches 4 GiB, and jkexec's then runs it at 0 instead (never refused).
     */
    @Property(tries = 40)
    void refusedOrRunAtZeroExactlyWhenTheKernelReachesFourGib(
            @ForAll @IntRange(min = 8, max = 480) int base16, @ForAll @IntRange(min = 16, max = 64) int size16) {
        long base = base16 * 16 * MIB;
        long size = size16 * 16 * MIB;
        if (base + size > 8 * GIB
                || (base < 128 * MIB + SyntheticMachine.RTAS_SIZE && base + size > SyntheticMachine.RTAS_BASE)) {
            return;
        }
        Ppc64Machine m = pseries8g(base, size);
        KdumpPlan kernels = plan(m, PlanOptions.Placement.KERNEL);
        boolean above = kernels.segment(SegmentKind.KERNEL).end() >= 4 * GIB;
        String problem = kernels.bootProblem().map(BootProblem::text).orElse(null);
        assertEquals(above, problem != null && problem.contains("RTAS runs in 32-bit mode"), String.valueOf(problem));
        KdumpPlan jkexecs = plan(m, PlanOptions.Placement.JKEXEC);
        if (above) {
            assertNull(jkexecs.bootProblem().map(BootProblem::text).orElse(null));
        }
        assertEquals(above, jkexecs.notes().stream().anyMatch(n -> n.startsWith("the kdump kernel runs at 0")));
        boolean runAtLoad = PurgatoryInspector.decode(
                        jkexecs.segment(SegmentKind.PURGATORY).buffer(), "purgatory")
                .runAtLoad();
        assertEquals(!above, runAtLoad);
    }
}
