package org.jkexec.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Segments and their kinds: labels as plans print them, bufsz within memsz. */
class SegmentTest {
    @Test
    void kindsPrintAsTheirLabelsAndParseBack() {
        assertEquals(
                "kernel elfcorehdr fdt", SegmentKind.KERNEL + " " + SegmentKind.ELFCOREHDR + " " + SegmentKind.FDT);
        for (SegmentKind k : SegmentKind.values()) {
            assertEquals(Optional.of(k), SegmentKind.ofLabel(k.label()));
        }
        assertEquals(Optional.empty(), SegmentKind.ofLabel("ima"));
        assertEquals(
                6,
                Arrays.stream(SegmentKind.values())
                        .map(SegmentKind::label)
                        .distinct()
                        .count());
    }

    @Test
    void aBufferLargerThanItsDestinationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Segment(SegmentKind.FDT, new byte[0x2000], 0, 0x1000));
        Segment s = new Segment(SegmentKind.FDT, new byte[0x800], 0x3000, 0x1000);
        assertEquals(0x800, s.bufsz());
        assertEquals(0x3fff, s.end());
    }

    @Test
    void theBackupRegionIsTheFirst64KiB() {
        assertEquals(0x10000, BackupRegion.SIZE);
        assertEquals(0, BackupRegion.SOURCE.start());
        assertEquals(0xffff, BackupRegion.SOURCE.end());
    }
}
