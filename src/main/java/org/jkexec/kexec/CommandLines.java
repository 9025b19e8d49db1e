package org.jkexec.kexec;

import java.util.ArrayList;
import java.util.List;

/**
 * The next kernel's command line from the options kexec-tools users know: {@code --reuse-cmdline}
 * takes the running kernel's, and {@code --append}/{@code --command-line} adds to it.
 */
public final class CommandLines {
    private CommandLines() {}

    /**
     * The command line to load.
     *
     * @param running the running kernel's command line (/proc/cmdline), used only when {@code reuse}
     * @param reuse   {@code --reuse-cmdline}: start from the running kernel's, without its
     *                {@code BOOT_IMAGE=} (names the old kernel's file) and, for a crash load, without
     *                {@code crashkernel=} (a kdump kernel must not reserve memory for another)
     * @param crash   the load is for a kdump kernel
     * @param append  {@code --append}, or null; joined after the reused line with one space
     */
    public static String of(String running, boolean reuse, boolean crash, String append) {
        String base = reuse ? reused(running, crash) : null;
        if (base == null || base.isEmpty()) {
            return append == null ? (base == null ? "" : base) : append;
        }
        return append == null || append.isEmpty() ? base : base + " " + append;
    }

    /** The running kernel's line without the parameters a reused line must drop. */
    static String reused(String running, boolean crash) {
        String line = running.strip();
        line = removeParameter(line, "BOOT_IMAGE");
        if (crash) {
            line = removeParameter(line, "crashkernel");
        }
        return line;
    }

    /** Drops every {@code name} and {@code name=value} word (a quoted value counts as part of its word). */
    static String removeParameter(String line, String name) {
        List<String> kept = new ArrayList<>();
        for (String word : words(line)) {
            if (!(word.equals(name) || word.startsWith(name + "="))) {
                kept.add(word);
            }
        }
        return String.join(" ", kept);
    }

    /** Splits at blanks outside double quotes, as the kernel's parameter parser does. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
