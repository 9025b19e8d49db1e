package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.ShortEstimateMachine;
import org.junit.jupiter.api.Test;

/**
 * The kdump FDT's buffer: the kernel's estimate where it suffices (the kernel's bytes), what the
 * tree needs where it is short, and the kernel's failure predicted in kernel-estimate mode.
 */
class FdtSizingTest {
    static final KdumpRequest REQUEST = new KdumpRequest(
            ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "vmlinux"), (byte[]) null, "console=hvc0");
    static final PlanOptions FIT = PlanOptions.linux612().withSeeds(1L, new byte[128]);
    static final PlanOptions KERNEL = FIT.withFdtSizing(PlanOptions.FdtSizing.KERNEL_ESTIMATE);

    static KdumpPlan plan(Ppc64Machine m, PlanOptions o) {
        return new Ppc64KdumpPlanner(Purgatories.standard()).plan(m, REQUEST, o);
    }

    static long estimate(Ppc64Machine m, KdumpPlan p, boolean crashHotplug) {
        return new KdumpFdt(m).allocationSize(p.cmdline(), p.reservedRanges(), crashHotplug);
    }

    @Test
    void where64TiBEstimateSufficesTheBlobIsTheKernelsBuffer() {
        Ppc64Machine m = SyntheticMachine.largest(1).machine();
        KdumpPlan fit = plan(m, FIT);
        KdumpPlan kernel = plan(m, KERNEL);
        assertArrayEquals(kernel.kdumpFdtBlob(), fit.kdumpFdtBlob());
        assertEquals(estimate(m, fit, true), fit.kdumpFdtBlob().length);
        assertTrue(
                fit.warnings().stream().noneMatch(w -> w.contains("NOSPACE")),
                fit.warnings().toString());
    }

    @Test
    void shortEstimateOn64TiBV1GetsWhatTheTreeNeedsPlusCpuHotplugRoom() {
        SyntheticMachine s = SyntheticMachine.largest(1);
        Ppc64Machine m = ShortEstimateMachine.machine(s);
        KdumpPlan p = plan(m, FIT);
        long needed = p.kdumpFdt().inPlaceMinimumSize();
        assertTrue(estimate(m, p, true) < needed, "the machine must make the kernel's estimate short");
        long room = new KdumpFdt(m).cpuHotplugRoom();
        assertEquals(needed + room, p.kdumpFdtBlob().length);
        assertEquals(needed + room, Cells.u32(p.kdumpFdtBlob(), 4), "totalsize");
        assertTrue(
                p.warnings().stream().anyMatch(w -> w.contains("FDT_ERR_NOSPACE") && w.contains("--file")),
                p.warnings().toString());
        // the blob is a well-formed tree with an entry for every LMB of the array
        Fdt parsed = Fdt.parse(p.kdumpFdtBlob(), "kdump fdt");
        byte[] usable = parsed.node(DrconfMemory.NODE)
                .orElseThrow()
                .value("linux,drconf-usable-memory")
                .orElseThrow();
        assertTrue(usable.length >= s.lmbCount() * 8L, "an entry per LMB");
        assertEquals(p.kdumpFdt().firstDifference(parsed), java.util.Optional.empty());
    }

    @Test
    void shortEstimateWithoutCrashHotplugIsPacked() {
        Ppc64Machine m =
                ShortEstimateMachine.machine(new SyntheticMachine(1L << 40, 256L << 20, 64, 8, 1, 1L << 30, 0));
        KdumpPlan p = plan(m, FIT.withCrashHotplug(false));
        assertEquals(p.kdumpFdt().inPlaceContentSize(), p.kdumpFdtBlob().length);
        assertTrue(estimate(m, p, false) < p.kdumpFdt().inPlaceMinimumSize());
    }

    @Test
    void kernelEstimateModePredictsTheKernelsFailure() {
        for (PlanOptions o : List.of(KERNEL, KERNEL.withCrashHotplug(false))) {
            Ppc64Machine m =
                    ShortEstimateMachine.machine(new SyntheticMachine(1L << 40, 256L << 20, 64, 8, 1, 1L << 30, 0));
            Ppc64KdumpPlanner.FdtEstimateShort e =
                    assertThrows(Ppc64KdumpPlanner.FdtEstimateShort.class, () -> plan(m, o));
            assertTrue(
                    e.getMessage().startsWith("kexec_file_load would fail, out of FDT space (FDT_ERR_NOSPACE)"),
                    e.getMessage());
            assertEquals(1, e.exitCode());
        }
    }
}
