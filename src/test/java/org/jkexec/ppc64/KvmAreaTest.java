package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jkexec.capture.SyntheticKernel;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.BootProblem;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.MemRange;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.MachineEdits;
import org.junit.jupiter.api.Test;

/**
 * KVM's area in a bare-metal kdump kernel grows with crashkernel's end (measured on powernv9:
 * 512M@2G dumps with 128 MiB of it; 512M@4G, 240 MiB, runs out of memory; with
 * kvm_cma_resv_ratio=0 it dumps): jkexec turns the area off where it would take more than a
 * third, and with the kernel's placement or a ratio the user chose never loads such a plan.
 */
class KvmAreaTest {
    static final long MIB = 1L << 20;

    /** The OPAL machine of OpalTest (8 GiB, bare metal, no RTAS) with crashkernel at base. */
    static Ppc64Machine powernv(long base, long size) {
        Ppc64Machine m = OpalTest.opalMachine(true);
        Fdt live = Fdt.parse(m.liveTree().toBlob(), "test");
        live.root().deleteChild(live.node("/rtas").orElseThrow());
        return MachineEdits.withCrashkernel(MachineEdits.withLiveTree(m, live), MemRange.ofSize(base, size));
    }

    static KdumpPlan plan(Ppc64Machine m, String cmdline, PlanOptions.Placement placement) {
        return new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        new KdumpRequest(
                                ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "k"),
                                (byte[]) null,
                                cmdline),
                        PlanOptions.linux612().withSeeds(null, null).withPlacement(placement));
    }

    @Test
    void theAreaIsFivePercentOfCrashkernelsEndInSixteenMibBlocks() {
        // measured: "245760K cma-reserved" in the kdump kernel at 512M@4G
        assertEquals(240 * MIB, KvmArea.bytes((4608 * MIB) - 1, 5));
        assertEquals(128 * MIB, KvmArea.bytes((2560 * MIB) - 1, 5));
        assertEquals(0, KvmArea.bytes((4608 * MIB) - 1, 0));
    }

    @Test
    void fiveTwelveAtFourGibGetsTheAreaTurnedOff() {
        // measured: with kvm_cma_resv_ratio=0 the kdump kernel at 512M@4G dumps completely
        KdumpPlan p = plan(powernv(4096 * MIB, 512 * MIB), "quiet", PlanOptions.Placement.JKEXEC);
        assertNull(p.bootProblem().map(BootProblem::text).orElse(null));
        assertTrue(p.cmdline().endsWith(" quiet kvm_cma_resv_ratio=0"), p.cmdline());
        assertTrue(
                p.notes().stream()
                        .anyMatch(n -> n.startsWith("kvm_cma_resv_ratio=0 added")
                                && n.contains("240 MiB below crashkernel's end")),
                p.notes().toString());
        assertEquals(0, KvmArea.percent(p.cmdline()));
        assertEquals("kvm_cma_resv_ratio=0", KvmArea.turnedOff(" "));
    }

    @Test
    void fiveTwelveAtFourGibIsRefusedWithTheKernelsPlacementOrTheUsersRatio() {
        Ppc64Machine m = powernv(4096 * MIB, 512 * MIB);
        for (String cmdline : new String[] {"quiet", "quiet kvm_cma_resv_ratio=5"}) {
            for (PlanOptions.Placement placement : PlanOptions.Placement.values()) {
                if (placement == PlanOptions.Placement.JKEXEC && cmdline.equals("quiet")) {
                    continue; // turned off, above
                }
                KdumpPlan p = plan(m, cmdline, placement);
                String problem = p.bootProblem().map(BootProblem::text).orElse(null);
                assertNotNull(problem, placement + " " + cmdline);
                assertTrue(problem.contains("240 MiB, more than a third of crashkernel"), problem);
                assertTrue(problem.contains("add kvm_cma_resv_ratio=0 to the kdump kernel's command line"), problem);
                assertTrue(problem.contains("crashkernel=512M@2688M would work"), problem);
                assertTrue(p.cmdline().endsWith(cmdline), p.cmdline());
            }
        }
        assertNull(plan(powernv(2688 * MIB, 512 * MIB), "quiet", PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
    }

    @Test
    void withTheAreaTurnedOffOrSmallTheSamePlacementLoads() {
        Ppc64Machine m = powernv(4096 * MIB, 512 * MIB);
        assertNull(plan(m, "quiet kvm_cma_resv_ratio=0", PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
        assertNull(plan(m, "kvm_cma_resv_ratio=5 kvm_cma_resv_ratio=1", PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
        assertNotNull(plan(m, "kvm_cma_resv_ratio=0 kvm_cma_resv_ratio=5", PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
        assertEquals(5, KvmArea.percent("kvm_cma_resv_ratio=x"));
        assertEquals(0, KvmArea.percent("kvm_cma_resv_ratio=99999999999999999"));
        assertEquals(5, KvmArea.percent("kvm_cma_resv_ratio=999999999999999999999"));
    }

    @Test
    void whatDumpsIsUnchanged() {
        // measured: powernv9 512M@2G and the automatic 512M (at 128 MiB) dump
        assertNull(plan(powernv(2048 * MIB, 512 * MIB), "quiet", PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
        assertNull(plan(powernv(128 * MIB, 512 * MIB), "quiet", PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
        // a larger crashkernel at 4 GiB leaves its kernel enough: 1G@4G has 256 MiB of area, a quarter
        assertNull(plan(powernv(4096 * MIB, 1024 * MIB), "quiet", PlanOptions.Placement.JKEXEC)
                .bootProblem()
                .map(BootProblem::text)
                .orElse(null));
    }

    @Test
    void theEstimateAtFourGibIsACrashkernelThatIsNotRefused() {
        Ppc64Machine m = powernv(4096 * MIB, 512 * MIB);
        KdumpPlan p = plan(powernv(2048 * MIB, 512 * MIB), "quiet", PlanOptions.Placement.JKEXEC);
        CrashkernelEstimate e = CrashkernelEstimate.of(m, p, 0);
        Ppc64Machine sized = powernv(4096 * MIB, e.bytes());
        assertTrue(KvmArea.problem(sized, "quiet").isEmpty(), e.parts().toString());
        assertTrue(e.bytes() > 512 * MIB, "512M@4G is refused, so the estimate there is larger: " + e.bytes());
        long parts =
                e.parts().stream().mapToLong(CrashkernelEstimate.Part::bytes).sum();
        assertTrue(e.bytes() >= parts && e.bytes() - parts < MIB, e.bytes() + " vs parts " + parts);
    }

    @Test
    void withTheAreaTurnedOffTheEstimateHasNone() {
        Ppc64Machine m = powernv(4096 * MIB, 512 * MIB);
        KdumpPlan p = plan(m, "quiet kvm_cma_resv_ratio=0", PlanOptions.Placement.JKEXEC);
        CrashkernelEstimate e = CrashkernelEstimate.of(m, p, 0);
        assertTrue(e.bytes() < 512 * MIB, e.parts().toString());
        assertTrue(
                e.parts().stream().anyMatch(x -> x.what().startsWith("KVM's contiguous area") && x.bytes() == 0),
                e.parts().toString());
    }

    @Test
    void underAHypervisorThereIsNoArea() {
        Ppc64Machine nv = powernv(4096 * MIB, 512 * MIB);
        Ppc64Machine lpar = MachineEdits.underAHypervisor(nv);
        assertTrue(KvmArea.problem(lpar, "quiet").isEmpty());
    }
}
