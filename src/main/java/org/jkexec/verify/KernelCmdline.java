package org.jkexec.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.units.Memparse;

/** Kernel command-line parsing as the kernel does it for {@code elfcorehdr=} (lib/cmdline.c, kernel/crash_dump.c); numbers through {@link Memparse}. */
public final class KernelCmdline {
    private KernelCmdline() {}

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
            Optional<Memparse.Prefix> first = Memparse.prefix(v, 0);
            if (first.isPresent()) {
                int end = first.get().end();
                if (end < v.length() && v.charAt(end) == '@') {
                    Optional<Memparse.Prefix> second = Memparse.prefix(v, end + 1);
                    if (second.isPresent() && second.get().end() == v.length()) {
                        size = OptionalLong.of(first.get().value());
                        addr = OptionalLong.of(second.get().value());
                    }
                } else if (end == v.length()) {
                    addr = OptionalLong.of(first.get().value());
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
}
