package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.testutil.MachineEdits;
import org.junit.jupiter.api.Test;

/** What the crashkernel estimate adds on bare metal, where the kdump kernel keeps KVM's contiguous area. */
class CrashkernelEstimateTest {
    static final long MIB = 1L << 20;

    static Optional<CrashkernelEstimate.Part> cmaPart(CrashkernelEstimate e) {
        return e.parts().stream()
                .filter(p -> p.what().startsWith("KVM's contiguous area"))
                .findFirst();
    }

    @Test
    void bareMetalAddsKvmsAreaOfFivePercentOfTheMemoryBelowCrashkernelsEnd() {
        Ppc64Machine opal = OpalTest.opalMachine(true);
        KdumpPlan plan = OpalTest.plan(opal);
        CrashkernelEstimate e = CrashkernelEstimate.of(opal, plan, 0);
        long cma = cmaPart(e).orElseThrow().bytes();
        // the fixed point: the area is 5% of crashkernel's base plus the whole estimate, in 16 MiB blocks
        assertEquals(
                CrashkernelEstimate.kvmCma(opal.crashkernel().start() + e.bytes()),
                cma,
                e.parts().toString());
        assertTrue(cma >= 16 * MIB && cma % (16 * MIB) == 0, "whole 16 MiB blocks: " + cma);
        long parts =
                e.parts().stream().mapToLong(CrashkernelEstimate.Part::bytes).sum();
        assertTrue(e.bytes() >= parts && e.bytes() - parts < MIB, e.bytes() + " vs parts " + parts);
    }

    @Test
    void underAHypervisorThereIsNoSuchArea() {
        Ppc64Machine opal = OpalTest.opalMachine(true);
        Ppc64Machine lpar = MachineEdits.underAHypervisor(opal);
        KdumpPlan plan = OpalTest.plan(opal);
        CrashkernelEstimate bare = CrashkernelEstimate.of(opal, plan, 0);
        CrashkernelEstimate guest = CrashkernelEstimate.of(lpar, plan, 0);
        assertTrue(cmaPart(guest).isEmpty(), guest.parts().toString());
        assertTrue(
                bare.bytes() - guest.bytes() >= cmaPart(bare).orElseThrow().bytes(),
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
