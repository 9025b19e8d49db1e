package org.jkexec.cli;

import org.jkexec.JkexecException;

import picocli.CommandLine.ITypeConverter;

/** Sizes as users write them: 512M, 4G, 64T, 0x20000000, 65536. */
final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        String v = value.strip();
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return Long.parseUnsignedLong(v.substring(2), 16);
            }
            int shift = switch (Character.toUpperCase(v.charAt(v.length() - 1))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> 0;
            };
            String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
            long n = Long.parseLong(digits);
            if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift))) {
                throw new JkexecException("size '" + value + "' is out of range");
            }
            return n << shift;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new JkexecException("'" + value + "' is not a size (e.g. 512M, 4G, 0x20000000)");
        }
    }
}
