package org.jkexec.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.elf.ElfFile;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;
import org.junit.jupiter.api.Test;

/** MemoryMapModel.from on a planned synthetic machine. */
class MemoryMapAdapterTest {
    record Planned(Ppc64Machine machine, KdumpPlan plan) {}

    static Planned plan(SyntheticMachine sm) {
        Ppc64Machine m = sm.machine();
        KdumpRequest req = new KdumpRequest(
                ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "vmlinux"),
                new byte[4 << 20],
                "console=hvc0");
        KdumpPlan p = new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(m, req, PlanOptions.linux612().withSeeds(1L, new byte[128]));
        return new Planned(m, p);
    }

    @Test
    void mapsMachineAndPlan() {
        // 64 GiB, 256 LMBs of 256 MiB, every 10th unassigned
        SyntheticMachine sm = new SyntheticMachine(64L << 30, 256L << 20, 16, 8, 2, 1L << 30, 10);
        Planned p = plan(sm);
        MemoryMapModel m = MemoryMapModel.from(p.machine(), p.plan());
        assertEquals(p.machine().crashkernel().start(), m.focusWindow().start());
        assertEquals(p.machine().crashkernel().end(), m.focusWindow().endInclusive());
        for (Segment s : p.plan().segments()) {
            assertTrue(
                    m.regions().stream()
                            .anyMatch(r -> r.layer() == MapLayer.forSegment(s.kind())
                                    && r.start() == s.mem()
                                    && r.endInclusive() == s.end()),
                    "segment " + s.kind());
        }
        List<MapRegion> unassigned = m.regions(MapLayer.RAM_UNASSIGNED);
        assertEquals(25, unassigned.size(), "LMBs 10, 20, ..., 250");
        assertTrue(m.regions(MapLayer.BACKUP_SOURCE).size() == 1);
        assertEquals(1, m.regions(MapLayer.RTAS).size());
        assertEquals(1, m.regions(MapLayer.CRASHKERNEL).size());
        SvgRendererTest.parse(SvgRenderer.render(MapLayout.of(m, 1400)));
    }

    @Test
    void largestMachineStaysSmall() {
        Planned p = plan(SyntheticMachine.largest(2));
        MemoryMapModel m = MemoryMapModel.from(p.machine(), p.plan());
        assertTrue(m.regions().size() < 50, "regions: " + m.regions().size());
        assertTrue(SvgRendererTest.elementCount(SvgRenderer.render(MapLayout.of(m, 1400))) < 2000);
    }
}
