package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.MemRange;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.MachineEdits;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

/**
 * The crashkernel estimate: each part as the kdump kernel's code sizes it, and against the
 * smallest crashkernel that dumped on the end-to-end guests (docs/results/crashkernel.md,
 * bisection to 4 MiB): at least that minimum and at most 1.15 times it.
 */
class CrashkernelEstimateTest {
    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;

    /** The e2e guests' kdump initrd: 3.0 MiB of gzip unpacking to 7.2 MiB. */
    static final int INITRD = 3_172_441;

    static final long UNPACKED = 7_555_072;

    static Optional<CrashkernelEstimate.Part> part(CrashkernelEstimate e, String start) {
        return e.parts().stream().filter(p -> p.what().startsWith(start)).findFirst();
    }

    static long sumOfParts(CrashkernelEstimate e) {
        return e.parts().stream().mapToLong(CrashkernelEstimate.Part::bytes).sum();
    }

    /** The reference pseries guest (4 GiB, 2 CPUs, radix, crashkernel 512M@512M) with the kernel's page size. */
    static Ppc64Machine pseries(long page) {
        return MachineEdits.withPageSize(MachineCapture.read(Reference.capture(Reference.MACHINE)), page);
    }

    static KdumpPlan plan(Ppc64Machine m, long kernelMemsz) {
        return new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        new KdumpRequest(
                                ElfFile.parse(SyntheticKernel.ppc64le(kernelMemsz, 0x10000), "k"),
                                new byte[INITRD],
                                "console=hvc0 maxcpus=1"),
                        PlanOptions.linux612().withSeeds(1L, new byte[128]));
    }

    static long estimate(Ppc64Machine m, long kernelMemsz) {
        return CrashkernelEstimate.of(m, plan(m, kernelMemsz), UNPACKED).bytes();
    }

    /** minimum <= estimate <= 1.15 x minimum, for a minimum measured to lie in (lo, hi] MiB. */
    static void withinTheMeasuredBound(long estimate, long lo, long hi) {
        assertTrue(
                estimate >= hi * MIB,
                "below the smallest crashkernel that dumped, " + hi + " MiB: " + (estimate >> 20));
        assertTrue(
                estimate * 100 <= (lo + 1) * MIB * 115, "more than 1.15 x " + (lo + 1) + " MiB: " + (estimate >> 20));
    }

    @Test
    void debiansKernelOnPseriesNeedsAtLeast104MibAndTheEstimateIsWithin115Percent() {
        // Debian 12's 6.1: 40.5 MiB memsz, 64 KiB pages; dumped at 104 MiB, not at 102 MiB
        withinTheMeasuredBound(estimate(pseries(64 * KIB), 0x2880000), 102, 104);
    }

    @Test
    void theSmall612OnPseriesNeedsAtLeast64MibAndTheEstimateIsWithin115Percent() {
        // the harness's 6.12 build: 9 MiB memsz, 4 KiB pages; dumped at 64 MiB, not at 60 MiB
        // (nor would 61-63 MiB: it keeps memory only to 560 MiB there)
        withinTheMeasuredBound(estimate(pseries(4 * KIB), 0x900000), 60, 64);
    }

    @Test
    void debiansKernelOnPowernv9NeedsAtLeast127MibAndTheEstimateIsWithin115Percent() {
        // bare metal, crashkernel at 128 MiB: KVM's area counts; dumped at 127 MiB, not at 124 MiB
        Ppc64Machine nv = KvmAreaTest.powernv(128 * MIB, 512 * MIB);
        withinTheMeasuredBound(estimate(nv, 0x2880000), 124, 127);
    }

    @Test
    void crashkernelEndsOnA16MibBoundaryAndThePartsAddUpToTheEstimate() {
        Ppc64Machine m = pseries(4 * KIB);
        CrashkernelEstimate e = CrashkernelEstimate.of(m, plan(m, 0x900000), UNPACKED);
        assertEquals(
                0, (m.crashkernel().start() + e.bytes()) % (16 * MIB), e.parts().toString());
        assertEquals(e.bytes(), sumOfParts(e), e.parts().toString());
        assertTrue(
                part(e, "up to crashkernel's next 16 MiB boundary").isPresent(),
                e.parts().toString());
    }

    @Property(tries = 60)
    void fromAnyStartTheEstimateEndsOnA16MibBoundaryAndHoldsEveryPart(
            @ForAll @IntRange(min = 32, max = 3000) int startMib, @ForAll boolean smallPages) {
        Ppc64Machine m = pseries(smallPages ? 4 * KIB : 64 * KIB);
        KdumpPlan p = plan(m, 0x1000000);
        Ppc64Machine moved = MachineEdits.withCrashkernel(m, MemRange.ofSize(startMib * MIB, 512 * MIB));
        CrashkernelEstimate e = CrashkernelEstimate.of(moved, p, UNPACKED);
        assertEquals(0, (startMib * MIB + e.bytes()) % (16 * MIB));
        assertEquals(e.bytes(), sumOfParts(e), e.parts().toString());
        long rounding = part(e, "up to crashkernel's next")
                .map(CrashkernelEstimate.Part::bytes)
                .orElse(0L);
        assertTrue(rounding >= 0 && rounding < 16 * MIB, e.parts().toString());
    }

    @Test
    void theMemoryMapCoversEverythingBelowCrashkernelsEnd() {
        // 4 KiB pages: 64 bytes per page of [0, end) in 2 MiB blocks; at 576 MiB, 9 MiB -> 10 MiB
        assertEquals(10 * MIB, CrashkernelEstimate.memmap(576 * MIB, 4 * KIB));
        // 64 KiB pages: 624 MiB need 624 KiB, one 2 MiB block (the kdump kernel's log: one block)
        assertEquals(2 * MIB, CrashkernelEstimate.memmap(624 * MIB, 64 * KIB));
        // the same crashkernel higher up costs more memory map
        Ppc64Machine low = pseries(4 * KIB);
        KdumpPlan p = plan(low, 0x900000);
        Ppc64Machine high = MachineEdits.withCrashkernel(low, MemRange.ofSize(3072 * MIB, 512 * MIB));
        long atLow = part(CrashkernelEstimate.of(low, p, UNPACKED), "memory map")
                .orElseThrow()
                .bytes();
        long atHigh = part(CrashkernelEstimate.of(high, p, UNPACKED), "memory map")
                .orElseThrow()
                .bytes();
        assertEquals(10 * MIB, atLow);
        assertEquals(CrashkernelEstimate.memmap(3072 * MIB + 64 * MIB, 4 * KIB), atHigh);
        assertTrue(atHigh > atLow);
    }

    @Test
    void theSectionRootsArePerPageOfSections() {
        // 2^27 sections of 16 MiB up to 2^51; a root holds a page of 16-byte mem_sections
        assertEquals(4 * MIB, CrashkernelEstimate.sectionRoots(4 * KIB)); // 6.12's log: 4194304 bytes
        assertEquals(256 * KIB, CrashkernelEstimate.sectionRoots(64 * KIB));
    }

    @Test
    void radixHasAProcessTableOfItsPidBitsAndHashHasNone() {
        Ppc64Machine radix = pseries(64 * KIB);
        KdumpPlan p = plan(radix, 0x2880000);
        CrashkernelEstimate r = CrashkernelEstimate.of(radix, p, UNPACKED);
        assertEquals(16 * MIB, part(r, "radix process table").orElseThrow().bytes()); // 2^20 PIDs
        Fdt live = Fdt.parse(radix.liveTree().toBlob(), "test");
        CpuNodes.of(live).get(0).setProperty("ibm,mmu-pid-bits", Cells.encode(1, 16));
        CrashkernelEstimate fewer = CrashkernelEstimate.of(MachineEdits.withLiveTree(radix, live), p, UNPACKED);
        assertEquals(1 * MIB, part(fewer, "radix process table").orElseThrow().bytes());
        CrashkernelEstimate hash = CrashkernelEstimate.of(MachineEdits.withHashMmu(radix, 1L << 30), p, UNPACKED);
        assertFalse(part(hash, "radix process table").isPresent(), hash.parts().toString());
        assertFalse(part(hash, "hash page table").isPresent(), "under a hypervisor the HPT is not the kernel's");
        assertTrue(hash.bytes() < r.bytes());
    }

    @Test
    void aBareMetalHashKernelSizesItsHashPageTableFromItsMemory() {
        // two pages per 128-byte PTEG of the memory rounded up to a power of two, at least 256 KiB
        assertEquals(64 * MIB, CrashkernelEstimate.hashPageTable(4096 * MIB, 4 * KIB));
        assertEquals(256 * KIB, CrashkernelEstimate.hashPageTable(256 * MIB, 64 * KIB));
        assertEquals(1 * MIB, CrashkernelEstimate.hashPageTable(640 * MIB, 64 * KIB));
        Ppc64Machine nv = MachineEdits.withHashMmu(KvmAreaTest.powernv(128 * MIB, 512 * MIB), 1L << 30);
        CrashkernelEstimate e = CrashkernelEstimate.of(nv, plan(nv, 0x2880000), UNPACKED);
        long end = nv.crashkernel().start() + e.bytes();
        assertEquals(
                CrashkernelEstimate.hashPageTable(end, nv.pageSize()),
                part(e, "hash page table").orElseThrow().bytes());
    }

    @Test
    void theRuntimePartIsThreeQuartersOfTheImagePlusPerCpuAreas() {
        Ppc64Machine m = pseries(64 * KIB);
        CrashkernelEstimate e = CrashkernelEstimate.of(m, plan(m, 0x2880000), UNPACKED);
        long image = part(e, "kdump kernel (memsz)").orElseThrow().bytes();
        assertEquals(
                image / 4 * 3 + m.possibleCpus() * 256 * KIB,
                part(e, "kdump kernel's runtime").orElseThrow().bytes());
    }

    @Test
    void bareMetalAddsKvmsAreaOfFivePercentOfTheMemoryBelowCrashkernelsEnd() {
        Ppc64Machine opal = OpalTest.opalMachine(true);
        KdumpPlan plan = OpalTest.plan(opal);
        CrashkernelEstimate e = CrashkernelEstimate.of(opal, plan, 0);
        long cma = part(e, "KVM's contiguous area").orElseThrow().bytes();
        // the fixed point: the area is 5% of crashkernel's base plus the whole estimate, in 16 MiB blocks
        assertEquals(
                CrashkernelEstimate.kvmCma(opal.crashkernel().start() + e.bytes()),
                cma,
                e.parts().toString());
        assertTrue(cma >= 16 * MIB && cma % (16 * MIB) == 0, "whole 16 MiB blocks: " + cma);
        assertEquals(e.bytes(), sumOfParts(e), e.parts().toString());
    }

    @Test
    void underAHypervisorThereIsNoSuchArea() {
        Ppc64Machine opal = OpalTest.opalMachine(true);
        Ppc64Machine lpar = MachineEdits.underAHypervisor(opal);
        KdumpPlan plan = OpalTest.plan(opal);
        CrashkernelEstimate bare = CrashkernelEstimate.of(opal, plan, 0);
        CrashkernelEstimate guest = CrashkernelEstimate.of(lpar, plan, 0);
        assertTrue(part(guest, "KVM's contiguous area").isEmpty(), guest.parts().toString());
        assertTrue(
                bare.bytes() - guest.bytes()
                        >= part(bare, "KVM's contiguous area").orElseThrow().bytes(),
                bare.bytes() + " vs " + guest.bytes());
    }

    @Test
    void theAreaIsWholeBlocksOfFivePercent() {
        assertEquals(0, CrashkernelEstimate.kvmCma(0));
        assertEquals(16 * MIB, CrashkernelEstimate.kvmCma(261 * MIB)); // 13 MiB, one block
        assertEquals(64 * MIB, CrashkernelEstimate.kvmCma(1280 * MIB)); // exactly 64 MiB
        assertEquals(80 * MIB, CrashkernelEstimate.kvmCma(1300 * MIB)); // 65 MiB, five blocks
    }
}
