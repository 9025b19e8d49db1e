package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jkexec.JkexecException;
import org.jkexec.capture.SyntheticKernel;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.purgatory.PurgatoryInspector;
import org.jkexec.testutil.MachineEdits;
import org.junit.jupiter.api.Test;

/** An OPAL (powernv) machine: OPAL is avoided, dumped, usable, and its base/entry reach the purgatory (r8/r9). */
class OpalTest {
    static final long OPAL_BASE = 0x30000000L;
    static final long OPAL_SIZE = 0x1000000L;
    static final long OPAL_ENTRY = 0x30001234L;

    static Ppc64Machine opalMachine(boolean withEntry) {
        Ppc64Machine m = new SyntheticMachine(8L << 30, 256L << 20, 4, 4, 2, 1L << 30, 0).machine();
        Fdt live = m.liveTree();
        FdtNode opal = live.root().addChild("ibm,opal");
        if (withEntry) {
            opal.setProperty("opal-entry-address", Cells.encode(2, OPAL_ENTRY));
        }
        opal.setProperty("opal-runtime-size", Cells.encode(2, OPAL_SIZE));
        opal.setProperty("opal-base-address", Cells.encode(2, OPAL_BASE));
        return MachineEdits.onBareMetal(MachineEdits.withLiveTree(m, live));
    }

    static KdumpPlan plan(Ppc64Machine m) {
        return new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        new KdumpRequest(
                                ElfFile.parse(SyntheticKernel.ppc64le(0x2000000, 0x10000), "k"),
                                (byte[]) null,
                                "quiet"),
                        PlanOptions.linux612().withSeeds(null, null));
    }

    @Test
    void opalIsInEveryListAndReachesThePurgatory() {
        KdumpPlan p = plan(opalMachine(true));
        MemRange opal = MemRange.ofSize(OPAL_BASE, OPAL_SIZE);
        assertTrue(p.excludeRanges().toList().stream().anyMatch(r -> r.contains(opal)), "excluded");
        assertTrue(p.crashRanges().toList().stream().anyMatch(r -> r.contains(opal)), "dumped");
        assertTrue(p.usableRanges().toList().stream().anyMatch(r -> r.contains(opal)), "usable by the kdump kernel");
        p.segments()
                .forEach(s -> assertTrue(!opal.intersects(new MemRange(s.mem(), s.end())), s.kind() + " avoids OPAL"));
        PurgatoryInspector.Contents c =
                PurgatoryInspector.decode(p.segment(SegmentKind.PURGATORY).buffer(), "purgatory");
        assertEquals(OPAL_BASE, c.opalBase());
        assertEquals(OPAL_ENTRY, c.opalEntry());
        assertEquals(p.segment(SegmentKind.FDT).mem(), c.fdtAddr());
        assertEquals(p.backupStart(), c.backupStart());
        assertEquals(p.kernelLoadAddr(), c.kernelLoadAddr());
    }

    @Test
    void opalWithoutEntryIsRefusedLikeTheFixedKernel() {
        JkexecException e = assertThrows(JkexecException.class, () -> plan(opalMachine(false)));
        assertTrue(e.getMessage().contains("opal-entry-address"), e.getMessage());
    }
}
