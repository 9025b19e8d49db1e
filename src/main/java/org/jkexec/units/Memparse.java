package org.jkexec.units;

import java.util.Optional;

/**
 * Sizes and addresses as the kernel reads them from its command line ({@code memparse()} in
 * lib/cmdline.c): a number in {@code simple_strtoull}'s base 0 (0x or 0X then hex digits, a
 * leading 0 for octal, else decimal), then at most one of the suffixes K, M, G, T, P, E in
 * either case. Every size option of jkexec and every size it reads from a command line goes
 * through here, so {@code --crashkernel 512M} means what {@code crashkernel=512M} means.
 *
 * <p>Where the kernel wraps silently (a number or a shifted suffix beyond 64 bits), this
 * refuses: such a value is a mistake, never a size a machine has. Only ASCII digits count, as
 * in the kernel: bytes stay bytes.
 */
public final class Memparse {
    private Memparse() {}

    /** A number read from the front of a text, and the index where reading stopped. */
    public record Prefix(long value, int end) {}

    /** How a scan ended: read a value, found no digit, or overflowed 64 bits. */
    private record Scan(long value, int end, boolean digits, boolean overflow) {}

    /**
     * The number at {@code from}, read as memparse reads it, and where it stops; empty when no
     * digit is there or when the value does not fit in 64 bits.
     */
    public static Optional<Prefix> prefix(String s, int from) {
        Scan r = scan(s, from);
        return r.digits() && !r.overflow() ? Optional.of(new Prefix(r.value(), r.end())) : Optional.empty();
    }

    /**
     * A whole value: exactly one memparse number and nothing after it.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text} (it quotes the text)
     */
    public static long value(String text) {
        Scan r = scan(text, 0);
        if (!r.digits() || r.end() != text.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (a number with an optional K, M, G, T, P "
                    + "or E suffix, 0x for hex, as the kernel's crashkernel= takes it; e.g. 512M, 4G, 0x20000000)");
        }
        if (r.overflow()) {
            throw new IllegalArgumentException("'" + text + "' does not fit in 64 bits");
        }
        return r.value();
    }

    private static Scan scan(String s, int from) {
        int i = from;
        int base = 10;
        if (i + 2 < s.length()
                && s.charAt(i) == '0'
                && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < s.length() && s.charAt(i) == '0') {
            base = 8;
        }
        long v = 0;
        boolean overflow = false;
        int start = i;
        for (int d; i < s.length() && (d = digit(s.charAt(i), base)) >= 0; i++) {
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            v = v * base + d;
        }
        if (i == start) {
            return new Scan(0, from, false, false);
        }
        int shift = i < s.length() ? shift(s.charAt(i)) : 0;
        if (shift != 0) {
            overflow |= Long.numberOfLeadingZeros(v) < shift;
            v <<= shift;
            i++;
        }
        return new Scan(v, i, true, overflow);
    }

    /** The shift a suffix stands for; 0 for a character that is none. */
    private static int shift(char c) {
        return switch (c) {
            case 'K', 'k' -> 10;
            case 'M', 'm' -> 20;
            case 'G', 'g' -> 30;
            case 'T', 't' -> 40;
            case 'P', 'p' -> 50;
            case 'E', 'e' -> 60;
            default -> 0;
        };
    }

    /** The value of an ASCII digit in {@code base}, or -1 (Character.digit would take any script's digits). */
    private static int digit(char c, int base) {
        int d = c >= '0' && c <= '9'
                ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        return d < base ? d : -1;
    }
}
