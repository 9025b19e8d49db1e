package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.purgatory.Purgatory;
import org.jkexec.testutil.MachineEdits;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jkexec's placement rule on the bundled pseries capture (4 GiB, 2 CPUs, RTAS at 768 MiB) with
 * crashkernel moved: where the kernel's plan leaves the kdump kernel its low memory the plan is
 * the kernel's; where it does not, the backup region grows and everything that depends on it
 * follows; with --placement kernel the kernel's plan is kept and its problem reported.
 */
class LowMemoryPlacementTest {
    static final long MIB = 1L << 20;
    static Ppc64Machine captured;
    static KdumpRequest request;

    @BeforeAll
    static void load() throws Exception {
        captured = MachineCapture.read(Reference.capture(Reference.MACHINE));
        byte[] kernel = Files.readAllBytes(Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs"));
        request = new KdumpRequest(ElfFile.parse(kernel, "vmlinux"), new byte[3 << 20], "console=hvc0 maxcpus=1");
    }

    static Ppc64Machine withCrashkernel(long base, long size) {
        return MachineEdits.withCrashkernel(captured, MemRange.ofSize(base, size));
    }

    static KdumpPlan plan(Ppc64Machine m, PlanOptions.Placement placement) {
        return new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        request,
                        PlanOptions.linux612().withSeeds(1L, new byte[128]).withPlacement(placement));
    }

    @Test
    void whereTheKernelsPlanBootsItIsKeptByteForByte() {
        KdumpPlan ours = plan(captured, PlanOptions.Placement.JKEXEC);
        KdumpPlan kernels = plan(captured, PlanOptions.Placement.KERNEL);
        assertEquals(LowMemory.KERNEL_BACKUP_SIZE, ours.backupSize());
        assertTrue(ours.bootProblem().isEmpty());
        assertTrue(ours.notes().isEmpty());
        assertArrayEquals(kernels.kdumpFdtBlob(), ours.kdumpFdtBlob());
        assertArrayEquals(kernels.elfCoreHeader(), ours.elfCoreHeader());
        assertEquals(kernels.segments().size(), ours.segments().size());
        for (int i = 0; i < ours.segments().size(); i++) {
            Segment a = kernels.segments().get(i);
            Segment b = ours.segments().get(i);
            assertEquals(a.mem(), b.mem());
            assertEquals(a.memsz(), b.memsz());
            assertArrayEquals(a.buffer(), b.buffer());
        }
    }

    @Test
    void crashkernelAboveOneGibGetsAnEnlargedBackupRegionAndEverythingFollowsIt() {
        Ppc64Machine m = withCrashkernel(1024 * MIB, 256 * MIB);
        KdumpPlan kernels = plan(m, PlanOptions.Placement.KERNEL);
        assertEquals(
                "the RTAS user buffer",
                LowMemory.unmet(
                                m,
                                kernels.usableRanges(),
                                kernels.kdumpFdt().reserveMap(),
                                kernels.segments(),
                                LowMemory.needs(m))
                        .orElseThrow()
                        .what());

        KdumpPlan p = plan(m, PlanOptions.Placement.JKEXEC);
        assertTrue(p.bootProblem().isEmpty());
        long b = p.backupSize();
        assertEquals(LowMemory.enlargedBackupSize(LowMemory.needs(m)), b);
        assertTrue(b > LowMemory.KERNEL_BACKUP_SIZE && b % 0x10000 == 0, "enlarged in 64 KiB steps: " + b);
        assertTrue(
                LowMemory.unmet(m, p.usableRanges(), p.kdumpFdt().reserveMap(), p.segments(), LowMemory.needs(m))
                        .isEmpty(),
                "the kdump kernel finds its low memory");
        // the reserve map keeps the crashed kernel's memory below crashkernel, except [0, b)
        List<ReserveEntry> rsv = p.kdumpFdt().reserveMap();
        assertTrue(rsv.contains(new ReserveEntry(b, m.crashkernel().start() - b)), rsv.toString());
        assertTrue(rsv.contains(new ReserveEntry(p.backupStart(), b)), rsv.toString());
        // the backup segment holds the copy, inside crashkernel
        Segment backup = p.segment(SegmentKind.BACKUP);
        assertEquals(b, backup.memsz());
        assertTrue(m.crashkernel().contains(MemRange.ofSize(backup.mem(), b)));
        // the dump reads [0, b) from the copy, and the rest of RAM below crashkernel from where it is
        ProgramHeader zero =
                loads(p).stream().filter(ph -> ph.paddr() == 0).findFirst().orElseThrow();
        assertEquals(b, zero.memsz());
        assertEquals(p.backupStart(), zero.offset());
        assertTrue(loads(p).stream()
                .anyMatch(ph -> ph.paddr() == b
                        && ph.paddr() + ph.memsz() == m.crashkernel().start()));
        // the purgatory copies b bytes
        byte[] purgatory = p.segment(SegmentKind.PURGATORY).buffer();
        assertEquals(
                b / 8,
                ByteBuffer.wrap(purgatory)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong(Purgatory.layout().backupDwordsOffset()));
        assertTrue(p.notes().get(0).contains("backup region enlarged from 64 KiB to"));
    }

    @Test
    void theKernelsPlacementIsKeptOnRequestAndReportedAsNotBooting() {
        Ppc64Machine m = withCrashkernel(2048 * MIB, 512 * MIB);
        KdumpPlan p = plan(m, PlanOptions.Placement.KERNEL);
        assertEquals(LowMemory.KERNEL_BACKUP_SIZE, p.backupSize());
        assertTrue(p.bootProblem().isPresent());
        assertTrue(
                p.bootProblem().get().text().contains("no 64 KiB free below 1 GiB for the RTAS user buffer"),
                p.bootProblem().toString());
        assertTrue(
                p.bootProblem().get().text().contains("crashkernel=512M@"),
                p.bootProblem().toString());
        assertTrue(plan(m, PlanOptions.Placement.JKEXEC).bootProblem().isEmpty());
    }

    /** The captured guest as if it ran the hash MMU with a real-mode area of {@code rma} bytes. */
    static Ppc64Machine hashWithCrashkernel(long base, long size, long rma) {
        Ppc64Machine m = withCrashkernel(base, size);
        return new Ppc64Machine(
                m.source(),
                m.bootFdt(),
                m.bootFdtSize(),
                m.liveTree(),
                m.systemRam(),
                m.crashkernel(),
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                rma,
                m.bootFdtAddress(),
                m.lpar(),
                m.threadsPerCore(),
                List.of());
    }

    @Test
    void withTheHashMmuCrashkernelAboveTheRealModeAreaIsRefusedWithOneThatFits() {
        // QEMU's POWER8 pseries: a 1 GiB real-mode area; crashkernel=256M@1G (measured: refused, as kexec-tools
        // finds no free area and the kernel's kexec_file_load fails)
        for (PlanOptions.Placement placement : PlanOptions.Placement.values()) {
            JkexecException e = assertThrows(
                    JkexecException.class,
                    () -> plan(hashWithCrashkernel(1024 * MIB, 256 * MIB, 1024 * MIB), placement));
            assertTrue(e.getMessage().contains("above the real-mode area (it ends at 0x40000000)"), e.getMessage());
            assertTrue(e.getMessage().contains("crashkernel=256M@"), e.getMessage());
        }
        // the crashkernel it suggests plans without a boot problem
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> plan(hashWithCrashkernel(1024 * MIB, 256 * MIB, 1024 * MIB), PlanOptions.Placement.JKEXEC));
        long at = Long.parseLong(e.getMessage().replaceAll(".*crashkernel=256M@(\\d+)M.*", "$1"));
        assertTrue(plan(hashWithCrashkernel(at * MIB, 256 * MIB, 1024 * MIB), PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .isEmpty());
    }

    /** Crashkernel anywhere from 64 MiB to the top of the 4 GiB guest, in 16 MiB steps. */
    @Property(tries = 60)
    void everyPlacementEitherLeavesTheLowMemoryOrIsTheKernelsWhereThatWorks(
            @ForAll @IntRange(min = 4, max = 250) int base16, @ForAll @IntRange(min = 8, max = 32) int size16) {
        long base = base16 * 16 * MIB;
        long size = size16 * 16 * MIB;
        if (base + size > 4096 * MIB
                || (base < 768 * MIB && base + size > 768 * MIB)
                || captured.crashNotes().stream().anyMatch(n -> n.address() >= base && n.address() < base + size)) {
            return; // off the end of RAM, or over RTAS or the running kernel's crash notes (not a place it reserves)
        }
        Ppc64Machine m = withCrashkernel(base, size);
        KdumpPlan kernels = plan(m, PlanOptions.Placement.KERNEL);
        KdumpPlan ours = plan(m, PlanOptions.Placement.JKEXEC);
        boolean kernelBoots = LowMemory.unmet(
                        m,
                        kernels.usableRanges(),
                        kernels.kdumpFdt().reserveMap(),
                        kernels.segments(),
                        LowMemory.needs(m))
                .isEmpty();
        assertEquals(kernelBoots, kernels.bootProblem().isEmpty());
        if (kernelBoots) {
            assertArrayEquals(kernels.kdumpFdtBlob(), ours.kdumpFdtBlob());
            assertArrayEquals(kernels.elfCoreHeader(), ours.elfCoreHeader());
        } else {
            assertTrue(ours.bootProblem().isEmpty(), "a 4 GiB pseries always has room for the enlarged backup region");
            assertTrue(LowMemory.unmet(
                            m, ours.usableRanges(), ours.kdumpFdt().reserveMap(), ours.segments(), LowMemory.needs(m))
                    .isEmpty());
        }
        if (base + size <= 1024 * MIB) {
            assertTrue(kernelBoots, "crashkernel below 1 GiB leaves RTAS its memory inside crashkernel");
        }
    }

    static List<ProgramHeader> loads(KdumpPlan p) {
        return ElfFile.parse(p.elfCoreHeader(), "elfcorehdr").programHeaders().stream()
                .filter(ProgramHeader::isLoad)
                .toList();
    }
}
