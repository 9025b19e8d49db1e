package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
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
        assertEquals(
                List.of(new MemRange(0, 0x7ddfffL)),
                reference().kernel().stream().map(Region::range).toList());
    }

    @Test
    void absentSourcesGiveNothing() {
        SpecialRegions r = reference();
        assertTrue(r.opal().isEmpty()
                && r.tce().isEmpty()
                && r.htab().isEmpty()
                && r.initrd().isEmpty()
                && r.reservedRanges().isEmpty());
        assertTrue(r.opalBaseAndEntry().isEmpty());
    }

    @Test
    void crashkernelAndAllForDisplay() {
        SpecialRegions r = reference();
        assertEquals(new MemRange(0x20000000L, 0x3fffffffL), r.crashkernel().range());
        assertEquals(
                List.of(RegionKind.KERNEL, RegionKind.RTAS, RegionKind.CRASHKERNEL),
                r.all().stream().map(Region::kind).toList());
    }

    /** The reference machine booted with retain_initrd, its /chosen initrd properties set to these values. */
    static SpecialRegions retained(byte[] start, byte[] end) {
        Ppc64Machine m = MachineCapture.read(Reference.capture(Reference.MACHINE));
        Fdt live = m.liveTree().copy();
        FdtNode chosen = live.node("/chosen").orElseThrow();
        chosen.setProperty("linux,initrd-start", start);
        chosen.setProperty("linux,initrd-end", end);
        return new SpecialRegions(new Ppc64Machine(
                m.source(),
                m.bootFdt(),
                m.bootFdtSize(),
                live,
                m.systemRam(),
                m.crashkernel(),
                m.kernelEnd(),
                m.cmdline() + " retain_initrd",
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                m.rmaSize(),
                OptionalLong.empty(),
                m.lpar(),
                m.threadsPerCore(),
                List.of()));
    }

    @Test
    void aRetainedInitrdIsReadFromOneCellOrTwoAsTheKernelReadsIt() {
        // skiboot and QEMU's powernv write one cell, the kernel and kexec two: both are the same range
        // the kernel excludes end - start + 1 bytes from start
        MemRange expected = new MemRange(0x28000000L, 0x2ca2f021L);
        SpecialRegions oneCell = retained(Cells.encode(1, 0x28000000L), Cells.encode(1, 0x2ca2f021L));
        SpecialRegions twoCells = retained(Cells.encode(2, 0x28000000L), Cells.encode(2, 0x2ca2f021L));
        assertEquals(
                List.of(expected), oneCell.initrd().stream().map(Region::range).toList());
        assertEquals(
                List.of(expected), twoCells.initrd().stream().map(Region::range).toList());
    }

    @Test
    void aRetainedInitrdEndingBeforeItStartsIsRefused() {
        SpecialRegions r = retained(Cells.encode(1, 0x28000000L), Cells.encode(1, 0x1000L));
        JkexecException e = assertThrows(JkexecException.class, r::initrd);
        assertTrue(e.getMessage().contains("/chosen"), e.getMessage());
    }
}
