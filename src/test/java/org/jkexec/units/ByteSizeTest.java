package org.jkexec.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void exactInTheirUnitOthersToThreeDigits() {
        assertEquals("0 B", ByteSize.text(0), "nothing is nothing, not 2^64");
        assertEquals("1023 B", ByteSize.text(1023));
        assertEquals("64 KiB", ByteSize.text(0x10000));
        assertEquals("512 MiB", ByteSize.text(512L << 20));
        assertEquals("2.06 KiB", ByteSize.text(2110));
        assertEquals("520 MiB", ByteSize.text(0x207e0000L));
        assertEquals("16.0 EiB", ByteSize.text(-1L));
        assertEquals("8 EiB", ByteSize.text(Long.MIN_VALUE));
        assertTrue(ByteSize.exact(1L << 30));
        assertFalse(ByteSize.exact(0x207e0000L));
    }

    @Test
    void hexIsTheKernelsLowerCase() {
        assertEquals("0xc000000000000000", Hex.hex(0xc000000000000000L));
        assertEquals("0x00ff", Hex.padded(0xff, 4));
        assertEquals("0x1000-0x1fff", Hex.range(0x1000, 0x1fff));
        assertEquals(16, Hex.digits(-1L));
    }
}
