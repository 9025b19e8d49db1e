package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.List;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The native struct kexec_segment array, read back field by field (no syscall is made). */
class KexecSegmentTableTest {

    @Test
    void layoutIsFourMachineWordsPerSegment() {
        Assumptions.assumeTrue(Native.POINTER_SIZE == 8, "64-bit host");
        assertEquals(0, KexecSegmentTable.BUF_OFFSET);
        assertEquals(8, KexecSegmentTable.BUFSZ_OFFSET);
        assertEquals(16, KexecSegmentTable.MEM_OFFSET);
        assertEquals(24, KexecSegmentTable.MEMSZ_OFFSET);
        assertEquals(32, KexecSegmentTable.ENTRY_SIZE);
        assertEquals(8, Native.SIZE_T_SIZE);
    }

    @Test
    void everyFieldIsWhereTheKernelReadsIt() {
        Assumptions.assumeTrue(Native.POINTER_SIZE == 8, "64-bit host");
        byte[] kernel = {1, 2, 3, 4, 5};
        byte[] fdt = {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed};
        List<Segment> segments = List.of(
                new Segment(SegmentKind.KERNEL, kernel, 0x2000_0000L, 0x288_0000L),
                new Segment(SegmentKind.BACKUP, new byte[0], 0x2288_0000L, 0x1_0000L),
                new Segment(SegmentKind.FDT, fdt, 0xffff_ffff_fffe_0000L, 0x1_0000L));
        try (KexecSegmentTable t = KexecSegmentTable.of(segments)) {
            Pointer p = t.address();
            assertEquals(3, t.count());

            assertArrayEquals(kernel, p.getPointer(0).getByteArray(0, 5));
            assertEquals(5, p.getLong(8));
            assertEquals(0x2000_0000L, p.getLong(16));
            assertEquals(0x288_0000L, p.getLong(24));

            assertNull(p.getPointer(32), "an empty buffer is passed as NULL");
            assertEquals(0, p.getLong(40));
            assertEquals(0x2288_0000L, p.getLong(48));
            assertEquals(0x1_0000L, p.getLong(56));

            assertArrayEquals(fdt, p.getPointer(64).getByteArray(0, 4));
            assertEquals(4, p.getLong(72));
            assertEquals(0xffff_ffff_fffe_0000L, p.getLong(80), "full 64-bit addresses survive");
            assertEquals(0x1_0000L, p.getLong(88));
        }
    }

    @Test
    void buffersAreCopiesTakenAtMarshallingTime() {
        byte[] data = {9, 9, 9};
        try (KexecSegmentTable t = KexecSegmentTable.of(List.of(new Segment(SegmentKind.INITRD, data, 0, 0x1000)))) {
            data[0] = 0;
            assertEquals(9, t.address().getPointer(0).getByte(0));
        }
    }

    @Test
    void emptyListIsANullArray() {
        try (KexecSegmentTable t = KexecSegmentTable.of(List.of())) {
            assertNull(t.address());
            assertEquals(0, t.count());
        }
    }
}
