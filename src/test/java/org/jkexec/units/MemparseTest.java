package org.jkexec.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MemparseTest {
    @Test
    void readsAsTheKernelsMemparse() {
        assertEquals(8L << 30, Memparse.value("8G"));
        assertEquals(3L << 20, Memparse.value("3m"));
        assertEquals(8L, Memparse.value("010"), "leading 0 is octal");
        assertEquals(0L, Memparse.value("0"));
        assertEquals(0x1fL, Memparse.value("0X1F"));
        assertEquals(5L << 50, Memparse.value("5P"));
        assertEquals(1L << 60, Memparse.value("1E"));
        assertEquals(-1L, Memparse.value("18446744073709551615"), "2^64 - 1 is the largest size");
        assertEquals(0x20000000L, Memparse.value("0x20000000"));
        assertEquals(Optional.empty(), Memparse.prefix("K", 0));
        assertEquals(
                Optional.of(new Memparse.Prefix(0, 1)),
                Memparse.prefix("0x", 0),
                "'0x' without digits reads the 0 only");
        assertEquals(Optional.of(new Memparse.Prefix(0, 1)), Memparse.prefix("09", 0), "9 is no octal digit");
        assertEquals(Optional.of(new Memparse.Prefix(1L << 20, 3)), Memparse.prefix("x1M@2", 1));
    }

    /** Where the kernel's memparse wraps silently or stops early, a whole value is refused. */
    @Test
    void refusesWhatIsNotExactlyOneSize() {
        for (String bad : new String[] {
            "", "-512M", "512M,high", "512M@512M", "512MB", "0x", "09", " 512M", "1.5G", "\u0663", "\uff11G"
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Memparse.value(bad), bad);
            assertTrue(e.getMessage().contains("is not a size"), e.getMessage());
        }
        for (String big :
                new String[] {"18446744073709551616", "16E", "16384P", "0x10000000000000000", "02000000000000000000000"
                }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Memparse.value(big), big);
            assertTrue(e.getMessage().contains("does not fit in 64 bits"), e.getMessage());
            assertEquals(Optional.empty(), Memparse.prefix(big, 0), big);
        }
    }

    @Property
    void everySuffixedSizeThatFitsReadsBack(@ForAll long any, @ForAll @IntRange(min = 0, max = 6) int unit) {
        int shift = 10 * unit;
        long n = any >>> shift;
        String text = Long.toUnsignedString(n) + (unit == 0 ? "" : "KMGTPE".substring(unit - 1, unit));
        assertEquals(n << shift, Memparse.value(text));
        assertEquals(n << shift, Memparse.value(text.toLowerCase(java.util.Locale.ROOT)));
    }

    @Property
    void hexAsWrittenReadsBack(@ForAll long v) {
        assertEquals(v, Memparse.value(Hex.hex(v)));
    }
}
