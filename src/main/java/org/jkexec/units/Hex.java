package org.jkexec.units;

/** Addresses and sizes in hex, as the kernel prints them: 0x, lower case, no padding unless asked. */
public final class Hex {
    private Hex() {}

    /** "0x" and the unsigned value in lower-case hex. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** As {@link #hex(long)}, padded with zeros to {@code digits} hex digits. */
    public static String padded(long v, int digits) {
        String h = Long.toHexString(v);
        return "0x" + "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    /** Hex digits needed for {@code v} (at least 1). */
    public static int digits(long v) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
    }

    /** An inclusive range as /proc/iomem writes it: "0x1000-0x1fff". */
    public static String range(long start, long end) {
        return hex(start) + "-" + hex(end);
    }
}
