package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jkexec.capture.MachineCapture;
import org.jkexec.memory.MemRange;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

/** The per-source regions of the reference pseries guest (radix MMU, no OPAL, no TCE, no retained initrd). */
class SpecialRegionsTest {
    static SpecialRegions reference() {
        return new SpecialRegions(MachineCapture.read(Reference.capture(Reference.MACHINE)));
    }

    @Test
    void rtasFromItsNode() {
        List<Region> rtas = reference().rtas();
        assertEquals(1, rtas.size());
        assertEquals(new MemRange(0x2ffff000L, 0x2ffff83bL), rtas.get(0).range());
        assertEquals(RegionKind.RTAS, rtas.get(0).kind());
    }

    @Test
    void theRunningKernelFromZeroToItsEnd() {
        assertEquals(List.of(new MemRange(0, 0x7ddfffL)), reference().kernel().stream().map(Region::range).toList());
    }

    @Test
    void absentSourcesGiveNothing() {
        SpecialRegions r = reference();
        assertTrue(r.opal().isEmpty() && r.tce().isEmpty() && r.htab().isEmpty() && r.initrd().isEmpty()
                && r.reservedRanges().isEmpty());
        assertTrue(r.opalBaseAndEntry().isEmpty());
    }

    @Test
    void crashkernelAndAllForDisplay() {
        SpecialRegions r = reference();
        assertEquals(new MemRange(0x20000000L, 0x3fffffffL), r.crashkernel().range());
        assertEquals(List.of(RegionKind.KERNEL, RegionKind.RTAS, RegionKind.CRASHKERNEL),
                r.all().stream().map(Region::kind).toList());
    }
}
