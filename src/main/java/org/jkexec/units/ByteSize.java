package org.jkexec.units;

import java.util.Locale;

/**
 * A number of bytes in words: the largest binary unit it reaches, an integer where exact
 * ("512 MiB", "0 B"), else three significant digits ("2.06 KiB", "452 KiB").
 */
public final class ByteSize {
    static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSize() {}

    /** {@code bytes} (unsigned) in words. */
    public static String text(long bytes) {
        int u = unit(bytes);
        long unit = 1L << (10 * u);
        if (u == 0 || (bytes & (unit - 1)) == 0) {
            return Long.toUnsignedString(bytes >>> (10 * u)) + " " + UNITS[u];
        }
        double v = unsigned(bytes) / unit;
        String n;
        if (v < 9.995) {
            n = String.format(Locale.ROOT, "%.2f", v);
        } else if (v < 99.95) {
            n = String.format(Locale.ROOT, "%.1f", v);
        } else {
            n = String.format(Locale.ROOT, "%.0f", v);
        }
        return n + " " + UNITS[u];
    }

    /** True when {@link #text} is the exact value (a whole number of its unit). */
    public static boolean exact(long bytes) {
        return (bytes & ((1L << (10 * unit(bytes))) - 1)) == 0;
    }

    /** The index in {@link #UNITS} of the largest unit {@code bytes} reaches. */
    private static int unit(long bytes) {
        int u = 0;
        while (u < UNITS.length - 1 && Long.compareUnsigned(bytes >>> (10 * u), 1024) >= 0) {
            u++;
        }
        return u;
    }

    /** The unsigned value as a double. */
    public static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
