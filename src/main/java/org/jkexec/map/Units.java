package org.jkexec.map;

import java.util.Locale;

/** Human units for addresses and sizes: binary prefixes, hex addresses. */
public final class Units {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Units() {
    }

    /** 0x-prefixed lower-case hex, no padding. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** 0x-prefixed hex padded to {@code digits} digits. */
    public static String hex(long v, int digits) {
        String h = Long.toHexString(v);
        return "0x" + "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    /** Hex digits needed for {@code v}. */
    public static int hexDigits(long v) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
    }

    /**
     * A size in the largest binary unit it reaches: exact values as integers ("512 MiB"),
     * others with three significant digits ("2.06 KiB", "452 KiB"). 0 stands for 2^64 (16 EiB).
     */
    public static String size(long bytes) {
        if (bytes == 0) {
            return "16 EiB";
        }
        return amount(bytes);
    }

    /** An address as an approximate amount: exact ones as they are ("512 MiB"), others after "~" ("~520 MiB"). */
    public static String approx(long value) {
        String a = amount(value);
        if (value == 0 || a.endsWith(" B")) {
            return a;
        }
        int u = UNITS.length - 1;
        while (u > 0 && !a.endsWith(" " + UNITS[u])) {
            u--;
        }
        long unit = 1L << (10 * u);
        return (value & (unit - 1)) == 0 ? a : "~" + a;
    }

    /** An address as an amount ("0", "512 MiB", "2.06 KiB"). */
    public static String amount(long value) {
        if (value == 0) {
            return "0";
        }
        int u = 0;
        while (u < UNITS.length - 1 && Long.compareUnsigned(value >>> (10 * u), 1024) >= 0) {
            u++;
        }
        long unit = 1L << (10 * u);
        if (u == 0) {
            return Long.toUnsignedString(value) + " B";
        }
        if ((value & (unit - 1)) == 0) {
            return Long.toUnsignedString(value >>> (10 * u)) + " " + UNITS[u];
        }
        double v = unsigned(value) / unit;
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

    /** The unsigned value as a double. */
    static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
