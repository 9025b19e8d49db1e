package org.jkexec.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Kernel command-line parsing as the kernel does it for {@code elfcorehdr=} (lib/cmdline.c, kernel/crash_dump.c). */
public final class KernelCmdline {
    private KernelCmdline() {
    }

    /** One {@code elfcorehdr=} argument: its text, parsed address (empty if unparsable) and optional size. */
    public record ElfcorehdrArg(String text, OptionalLong address, OptionalLong size, int position, int of) {
        public boolean last() {
            return position == of - 1;
        }
    }

    /** Arguments split as next_arg() does: blanks separate, double quotes group. */
    public static List<String> args(String cmdline) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < cmdline.length(); i++) {
            char c = cmdline.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Every elfcorehdr= in order (the kernel applies each; the last wins). */
    public static List<ElfcorehdrArg> elfcorehdr(String cmdline) {
        List<String> args = args(cmdline);
        List<String> values = new ArrayList<>();
        List<Integer> pos = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith("elfcorehdr=")) {
                values.add(args.get(i).substring("elfcorehdr=".length()));
                pos.add(i);
            }
        }
        List<ElfcorehdrArg> out = new ArrayList<>();
        for (int k = 0; k < values.size(); k++) {
            String v = values.get(k);
            OptionalLong addr = OptionalLong.empty();
            OptionalLong size = OptionalLong.empty();
            long[] first = memparse(v, 0);
            if (first != null) {
                int end = (int) first[1];
                if (end < v.length() && v.charAt(end) == '@') {
                    long[] second = memparse(v, end + 1);
                    if (second != null && second[1] == v.length()) {
                        size = OptionalLong.of(first[0]);
                        addr = OptionalLong.of(second[0]);
                    }
                } else if (end == v.length()) {
                    addr = OptionalLong.of(first[0]);
                }
            }
            out.add(new ElfcorehdrArg(v, addr, size, k, values.size()));
        }
        return out;
    }

    /** True when the (last) elfcorehdr= is the last argument: kexec-tools appends it, the kernel prepends it. */
    public static boolean elfcorehdrIsLastArgument(String cmdline) {
        List<String> a = args(cmdline);
        return !a.isEmpty() && a.get(a.size() - 1).startsWith("elfcorehdr=");
    }

    /**
     * memparse(): simple_strtoull with base 0 (0x → hex, leading 0 → octal, else decimal) and an
     * optional K/M/G/T/P/E suffix. Returns {value, end index} or null when no digit was read.
     */
    public static long[] memparse(String s, int from) {
        int i = from;
        int base = 10;
        if (i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < s.length() && s.charAt(i) == '0') {
            base = 8;
        }
        long v = 0;
        int start = i;
        while (i < s.length() && Character.digit(s.charAt(i), base) >= 0) {
            v = v * base + Character.digit(s.charAt(i), base);
            i++;
        }
        if (i == start) {
            return null;
        }
        if (i < s.length()) {
            int shift = switch (Character.toUpperCase(s.charAt(i))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                case 'P' -> 50;
                case 'E' -> 60;
                default -> 0;
            };
            if (shift != 0) {
                v <<= shift;
                i++;
            }
        }
        return new long[] {v, i};
    }
}
