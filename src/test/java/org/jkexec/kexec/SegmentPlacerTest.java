package org.jkexec.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.memory.HoleFinder;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** kexec_add_buffer's rules: page-rounded sizes, page-or-more alignment, the window, the exclude list, 16 segments. */
class SegmentPlacerTest {
    static final long PAGE = 0x10000;
    static final MemRange RAM = new MemRange(0, (4L << 30) - 1);
    static final MemRange CK = new MemRange(0x20000000L, 0x3fffffffL);

    static SegmentPlacer placer(HoleFinder.Strategy s, MemRanges exclude) {
        return new SegmentPlacer(s, List.of(RAM), exclude, CK, PAGE);
    }

    @ParameterizedTest
    @EnumSource(HoleFinder.Strategy.class)
    void bottomUpFromTheStartAndTopDownFromTheEndOfCrashkernel(HoleFinder.Strategy s) {
        SegmentPlacer p = placer(s, new MemRanges());
        Segment low = p.place(SegmentKind.KERNEL, new byte[100], 100, 1, 0, CK.end(), false);
        Segment high = p.place(SegmentKind.FDT, new byte[100], 100, 1, 0, CK.end(), true);
        assertEquals(CK.start(), low.mem());
        assertEquals(PAGE, low.memsz(), "memsz rounded up to the page");
        assertEquals(CK.end() + 1 - PAGE, high.mem());
        assertEquals(List.of(low, high), p.segments());
    }

    @ParameterizedTest
    @EnumSource(HoleFinder.Strategy.class)
    void placedSegmentsAndExcludedRangesAreAvoided(HoleFinder.Strategy s) {
        MemRanges exclude = new MemRanges();
        exclude.add(CK.start(), PAGE);
        SegmentPlacer p = placer(s, exclude);
        Segment a = p.place(SegmentKind.KERNEL, new byte[0], PAGE, PAGE, 0, CK.end(), false);
        Segment b = p.place(SegmentKind.BACKUP, new byte[0], PAGE, PAGE, 0, CK.end(), false);
        assertEquals(CK.start() + PAGE, a.mem(), "past the excluded page");
        assertEquals(a.end() + 1, b.mem(), "past the segment before it");
    }

    @ParameterizedTest
    @EnumSource(HoleFinder.Strategy.class)
    void alignmentIsHonoured(HoleFinder.Strategy s) {
        SegmentPlacer p = placer(s, new MemRanges());
        p.place(SegmentKind.KERNEL, new byte[0], PAGE, PAGE, 0, CK.end(), false);
        Segment aligned = p.place(SegmentKind.INITRD, new byte[0], PAGE, 1L << 24, 0, CK.end(), false);
        assertEquals(0, aligned.mem() % (1L << 24));
        assertTrue(CK.contains(new MemRange(aligned.mem(), aligned.end())));
    }

    @ParameterizedTest
    @EnumSource(HoleFinder.Strategy.class)
    void noRoomIsEaddrnotavailNamingTheSegment(HoleFinder.Strategy s) {
        SegmentPlacer p = placer(s, new MemRanges());
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> p.place(SegmentKind.INITRD, new byte[0], CK.size() + PAGE, PAGE, 0, CK.end(), false));
        assertTrue(e.getMessage().contains("initrd") && e.getMessage().contains("EADDRNOTAVAIL"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(HoleFinder.Strategy.class)
    void atMostSixteenSegments(HoleFinder.Strategy s) {
        SegmentPlacer p = placer(s, new MemRanges());
        for (int i = 0; i < SegmentPlacer.MAX_SEGMENTS; i++) {
            p.place(SegmentKind.KERNEL, new byte[0], PAGE, PAGE, 0, CK.end(), false);
        }
        assertThrows(JkexecException.class, () -> p.place(SegmentKind.FDT, new byte[0], PAGE, PAGE, 0, CK.end(), true));
    }

    @ParameterizedTest
    @EnumSource(HoleFinder.Strategy.class)
    void aRegularImageMayGoAnywhereInRam(HoleFinder.Strategy s) {
        MemRanges exclude = new MemRanges();
        exclude.add(0, 0x2000000);
        SegmentPlacer p = SegmentPlacer.forRegularImage(s, List.of(RAM), exclude, PAGE);
        Segment k = p.place(SegmentKind.KERNEL, new byte[0], PAGE, PAGE, 0, RAM.end(), false);
        assertEquals(0x2000000, k.mem());
    }

    @ParameterizedTest
    @EnumSource(HoleFinder.Strategy.class)
    void replacingABufferKeepsThePlacement(HoleFinder.Strategy s) {
        SegmentPlacer p = placer(s, new MemRanges());
        Segment purg = p.place(SegmentKind.PURGATORY, new byte[16], 16, PAGE, 0, CK.end(), true);
        byte[] built = {1, 2, 3};
        p.replaceBuffer(SegmentKind.PURGATORY, built);
        Segment after = p.segments().get(0);
        assertEquals(purg.mem(), after.mem());
        assertEquals(3, after.bufsz());
        assertThrows(IllegalArgumentException.class, () -> p.replaceBuffer(SegmentKind.FDT, built));
    }
}
