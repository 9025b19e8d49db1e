package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.capture.CrashKernelRegion;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.junit.jupiter.api.Test;

class KexecPreflightTest {
    private static final long PAGE = ReferenceSegments.PAGE;
    private static final KexecStatus STATUS = new KexecStatus(
            Optional.of(false),
            Optional.of(false),
            OptionalLong.of(0x2000_0000L),
            Optional.of(ReferenceSegments.REGION));

    private static String refusal(List<Segment> segments, long entry, KexecStatus status) {
        JkexecException e = assertThrows(
                JkexecException.class, () -> KexecPreflight.checkCrashSegments(segments, entry, PAGE, status));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().startsWith("kexec_load: "), e.getMessage());
        return e.getMessage();
    }

    private static String refusal(List<Segment> segments) {
        return refusal(segments, ReferenceSegments.entry(), STATUS);
    }

    @Test
    void theReferenceLayoutPasses() {
        assertDoesNotThrow(() -> KexecPreflight.checkCrashSegments(
                ReferenceSegments.segments(), ReferenceSegments.entry(), PAGE, STATUS));
    }

    @Test
    void passesWhenTheRegionIsUnknown() {
        KexecStatus unknown =
                new KexecStatus(Optional.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty());
        assertDoesNotThrow(() -> KexecPreflight.checkCrashSegments(
                ReferenceSegments.segments(), ReferenceSegments.entry(), PAGE, unknown));
    }

    @Test
    void refusesAnEmptyListBecauseThatWouldUnload() {
        assertTrue(refusal(List.of()).contains("unload"));
    }

    @Test
    void refusesMoreThanSixteenSegments() {
        List<Segment> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(new Segment(SegmentKind.KERNEL, new byte[0], 0x2000_0000L + i * PAGE, PAGE));
        }
        assertTrue(refusal(many).contains("at most 16"));
    }

    @Test
    void refusesMisalignedAddressAndSize() {
        List<Segment> s = ReferenceSegments.segments();
        s.set(5, new Segment(SegmentKind.FDT, new byte[0x800], 0x2ffe_1000L, PAGE));
        assertTrue(refusal(s).contains("not aligned to the 0x10000 page size"));
        s = ReferenceSegments.segments();
        s.set(5, new Segment(SegmentKind.FDT, new byte[0x800], 0x2ffe_0000L, 0x1000));
        assertTrue(refusal(s).contains("segment 5 (fdt"));
    }

    @Test
    void refusesUnsortedAndOverlapping() {
        List<Segment> s = ReferenceSegments.segments();
        Collections.swap(s, 1, 2);
        assertTrue(refusal(s).contains("not sorted"));
        s = ReferenceSegments.segments();
        s.set(2, new Segment(SegmentKind.ELFCOREHDR, new byte[0x400], 0x2288_0000L, PAGE));
        assertTrue(refusal(s).contains("overlaps segment 1 (backup"));
    }

    @Test
    void refusesSegmentsAndEntryOutsideTheCrashRegion() {
        List<Segment> s = ReferenceSegments.segments();
        s.set(5, new Segment(SegmentKind.FDT, new byte[0x800], 0x4000_0000L, PAGE));
        assertTrue(refusal(s).contains("outside the crashkernel region 0x20000000-0x3fffffff"));
        List<Segment> straddling = ReferenceSegments.segments();
        straddling.set(5, new Segment(SegmentKind.FDT, new byte[0x800], 0x3fff_0000L, 2 * PAGE));
        assertTrue(refusal(straddling).contains("outside"));
        assertTrue(refusal(ReferenceSegments.segments(), 0x1000_0000L, STATUS).contains("entry point 0x10000000"));
    }

    @Test
    void refusesWhenNoCrashMemoryIsReserved() {
        KexecStatus none =
                new KexecStatus(Optional.of(false), Optional.of(false), OptionalLong.of(0), Optional.empty());
        assertTrue(refusal(ReferenceSegments.segments(), ReferenceSegments.entry(), none)
                .contains("crashkernel="));
    }

    @Test
    void refusesWhenNoPageIsLeftForTheControlCode() {
        CrashKernelRegion small = new CrashKernelRegion(0x2000_0000L, 0x2003_ffffL, "test");
        List<Segment> full = List.of(
                new Segment(SegmentKind.KERNEL, new byte[0x100], 0x2000_0000L, 3 * PAGE),
                new Segment(SegmentKind.PURGATORY, new byte[0x200], 0x2003_0000L, PAGE));
        KexecStatus st =
                new KexecStatus(Optional.of(false), Optional.empty(), OptionalLong.of(0x4_0000L), Optional.of(small));
        assertTrue(refusal(full, 0x2003_0000L, st).contains("control code"));

        List<Segment> gap = List.of(
                new Segment(SegmentKind.KERNEL, new byte[0x100], 0x2000_0000L, 2 * PAGE),
                new Segment(SegmentKind.PURGATORY, new byte[0x200], 0x2003_0000L, PAGE));
        assertTrue(KexecPreflight.hasFreeControlPage(gap, small, PAGE));
        assertTrue(KexecPreflight.hasFreeControlPage(ReferenceSegments.segments(), ReferenceSegments.REGION, PAGE));
    }

    @Test
    void refusesAnEntryWithoutTheCopiedHeadBehindIt() {
        List<Segment> s = ReferenceSegments.segments();
        assertTrue(refusal(s, 0x228a_0000L + 0x100, STATUS).contains("fewer than 256 loaded bytes"));
        assertTrue(refusal(s, 0x2fff_0000L, STATUS).contains("not inside any segment"));
    }

    @Test
    void permissionRefusals() {
        KexecPermissions ok =
                new KexecPermissions(Optional.of(true), Optional.of("none"), Optional.of(false), OptionalLong.of(-1));
        assertDoesNotThrow(() -> KexecPreflight.checkPermissions("kexec_load", ok, true));
        assertDoesNotThrow(() -> KexecPreflight.checkPermissions("kexec_load", KexecPermissions.unknown(), true));

        assertTrue(permissionRefusal(
                        new KexecPermissions(
                                Optional.of(false), Optional.of("none"), Optional.of(false), OptionalLong.of(-1)),
                        true)
                .contains("CAP_SYS_BOOT"));
        KexecPermissions locked = new KexecPermissions(
                Optional.of(true), Optional.of("integrity"), Optional.of(false), OptionalLong.of(-1));
        assertTrue(permissionRefusal(locked, true).contains("lockdown is 'integrity'"));
        assertDoesNotThrow(
                () -> KexecPreflight.checkPermissions("kexec_file_load", locked, false),
                "kexec_file_load may still work with a signed kernel");
        assertTrue(permissionRefusal(
                        new KexecPermissions(
                                Optional.of(true), Optional.empty(), Optional.of(true), OptionalLong.empty()),
                        true)
                .contains("kexec_load_disabled"));
        assertTrue(permissionRefusal(
                        new KexecPermissions(Optional.of(true), Optional.empty(), Optional.empty(), OptionalLong.of(0)),
                        true)
                .contains("kexec_load_limit_panic"));
    }

    private static String permissionRefusal(KexecPermissions p, boolean classic) {
        return assertThrows(JkexecException.class, () -> KexecPreflight.checkPermissions("kexec_load", p, classic))
                .getMessage();
    }
}
