package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.SyntheticMachine;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.memory.MemRange;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

/** The four range lists of the reference machine, and their rules on a synthetic one. */
class KdumpRangesTest {
    static final MemRange RTAS = new MemRange(0x2ffff000L, 0x2ffff83bL);

    static KdumpRanges reference() {
        return new KdumpRanges(MachineCapture.read(Reference.capture(Reference.MACHINE)));
    }

    @Test
    void excludeIsTheRunningKernelAndRtasSortedAndMerged() {
        assertEquals(
                List.of(new MemRange(0, 0x7ddfffL), RTAS), reference().exclude().toList());
    }

    @Test
    void usableIsEverythingUpToTheEndOfCrashkernelWithRtasWidenedIn() {
        assertEquals(List.of(new MemRange(0, 0x3fffffffL)), reference().usable().toList());
    }

    @Test
    void crashIsRamMinusCrashkernelWithTheBackupRegionApartAndRtasAdded() {
        assertEquals(
                List.of(
                        BackupRegion.SOURCE,
                        new MemRange(0x10000, 0x1fffffffL),
                        RTAS,
                        new MemRange(0x40000000L, 0xffffffffL)),
                reference().crash().toList());
    }

    @Test
    void reservedIsRtasTceAndFirmwareRangesInThatOrder() {
        assertEquals(List.of(RTAS), reference().reserved().toList());
    }

    @Test
    void anEnlargedBackupRegionIsItsOwnCrashRange() {
        KdumpRanges r =
                new KdumpRanges(MachineCapture.read(Reference.capture(Reference.MACHINE)), 4 * BackupRegion.SIZE);
        assertEquals(
                new MemRange(0, 4 * BackupRegion.SIZE - 1), r.crash().toList().get(0));
        assertEquals(4 * BackupRegion.SIZE, r.crash().toList().get(1).start());
    }

    @Test
    void crashRangesNeverTouchCrashkernelOnASyntheticMachine() {
        SyntheticMachine sm = new SyntheticMachine(64L << 30, 256L << 20, 16, 8, 2, 1L << 30, 10);
        Ppc64Machine m = sm.machine();
        KdumpRanges r = new KdumpRanges(m);
        MemRange ck = m.crashkernel();
        for (MemRange c : r.crash().toList()) {
            boolean firmware =
                    r.regions().rtas().stream().anyMatch(x -> x.range().equals(c));
            assertTrue(firmware || !c.intersects(ck), c + " in crashkernel " + ck);
        }
        assertEquals(0, r.usable().toList().get(0).start());
        assertTrue(r.usable().toList().get(0).end() >= ck.end());
    }
}
