package org.jkexec.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Escapes control characters on their way to a terminal: a command line (--append, a
 * capture's kdump/request) or a file's bytes quoted in a message could otherwise move the
 * cursor, rewrite earlier lines or change the terminal's state. Newlines and tabs pass; every
 * other C0 or C1 control character and DEL is written as {@code \xNN}.
 */
final class TerminalSafeWriter extends FilterWriter {
    TerminalSafeWriter(Writer out) {
        super(out);
    }

    static boolean isUnsafe(int c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    /** {@code s} with every unsafe character escaped. */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isUnsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    @Override
    public void write(int c) throws IOException {
        if (isUnsafe(c)) {
            out.write(escape(String.valueOf((char) c)));
        } else {
            out.write(c);
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        write(new String(cbuf, off, len), 0, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        String part = str.substring(off, off + len);
        String safe = escape(part);
        out.write(safe, 0, safe.length());
    }
}
