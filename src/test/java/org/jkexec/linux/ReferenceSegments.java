package org.jkexec.linux;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.capture.CrashKernelRegion;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.purgatory.Purgatory;
import org.jkexec.purgatory.PurgatoryParams;

/**
 * The segment layout kexec-tools chose on the reference machine (512 MiB crashkernel at 512 MiB,
 * 64 KiB pages; from kexec-tools' debug output of the reference run), with our purgatory as segment 3.
 */
final class ReferenceSegments {
    static final long PAGE = 0x10000;
    static final long PURGATORY = 0x228a_0000L;
    static final CrashKernelRegion REGION = new CrashKernelRegion(0x2000_0000L, 0x3fff_ffffL, "test");

    private ReferenceSegments() {}

    static List<Segment> segments() {
        byte[] purgatory = Purgatory.build(
                new PurgatoryParams(0x2000_0000L, 0x2ffe_0000L, 0x2288_0000L, 0, 0, true, new byte[256]), PURGATORY);
        return new ArrayList<>(List.of(
                new Segment(SegmentKind.KERNEL, new byte[0x1000], 0x2000_0000L, 0x288_0000L),
                new Segment(SegmentKind.BACKUP, new byte[0x1000], 0x2288_0000L, 0x1_0000L),
                new Segment(SegmentKind.ELFCOREHDR, new byte[0x400], 0x2289_0000L, 0x1_0000L),
                new Segment(SegmentKind.PURGATORY, purgatory, PURGATORY, 0x1_0000L),
                new Segment(SegmentKind.INITRD, new byte[0x2000], 0x228b_0000L, 0x2e_0000L),
                new Segment(SegmentKind.FDT, new byte[0x800], 0x2ffe_0000L, 0x1_0000L)));
    }

    static long entry() {
        return PURGATORY + Purgatory.entryOffset();
    }
}
