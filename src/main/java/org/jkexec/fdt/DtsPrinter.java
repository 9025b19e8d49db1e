package org.jkexec.fdt;

import java.util.Arrays;

/**
 * DTS text exactly as {@code dtc -I dtb -O dts} prints it (dtc 1.5 and later: treesource.c).
 *
 * <p>A blob carries no types, so dtc guesses each value's form ({@code guess_value_type}):
 * <ul>
 *   <li>a string (list) if the last byte is NUL, every byte is printable ASCII, NUL or one of
 *       {@code \a\b\t\n\v\f\r}, and NULs are no more than the other bytes; printed as one quoted
 *       string with C escapes, inner NULs as {@code \0} ({@code "a\0b"});</li>
 *   <li>else cells if the length is a multiple of 4: {@code <0x%02x ...>};</li>
 *   <li>else bytes: {@code [%02x ...]}.</li>
 * </ul>
 * An empty value prints as {@code name;}. Labels and phandle references do not exist in a
 * blob without __symbols__, so none are printed. Names are printed as they are (one char per
 * byte, like the rest of the text).
 *
 * <p>dtc also runs its checks before printing, and one of them changes the tree:
 * {@code check_name_properties} deletes a {@code name} property whose value is exactly the
 * node's base name (the name up to '@') plus NUL, as redundant. Linux copies the live tree's
 * {@code name} properties into the kdump FDT's cpu nodes, so dtc's text lacks them there. That
 * check only runs when every {@code name} property in the tree is a single string (its
 * prerequisite {@code name_is_string}); otherwise dtc reports an error and prints nothing
 * unless forced, and forced it keeps them all, which is what is printed here then.
 */
final class DtsPrinter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DtsPrinter() {}

    static String print(Fdt fdt) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("/dts-v1/;\n\n");
        for (ReserveEntry e : fdt.reserveMap()) {
            sb.append(String.format("/memreserve/\t0x%016x 0x%016x;\n", e.address(), e.size()));
        }
        boolean dropRedundantNames = allNamePropertiesAreStrings(fdt.root());
        node(sb, fdt.root(), 0, dropRedundantNames);
        return sb.toString();
    }

    private static void node(StringBuilder sb, FdtNode n, int level, boolean dropRedundantNames) {
        indent(sb, level);
        sb.append(n.name().isEmpty() ? "/" : n.name()).append(" {\n");
        for (FdtProperty p : n.properties()) {
            if (dropRedundantNames && isRedundantName(n, p)) {
                continue;
            }
            indent(sb, level + 1);
            sb.append(p.name());
            value(sb, p.rawValue());
        }
        for (FdtNode k : n.children()) {
            sb.append('\n');
            node(sb, k, level + 1, dropRedundantNames);
        }
        indent(sb, level);
        sb.append("};\n");
    }

    /** dtc's data_is_one_string for every "name" property (check name_is_string). */
    private static boolean allNamePropertiesAreStrings(FdtNode root) {
        for (FdtNode n : root.descendants()) {
            for (FdtProperty p : n.properties()) {
                if (p.name().equals("name") && !isOneString(p.rawValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isOneString(byte[] v) {
        if (v.length == 0 || v[v.length - 1] != 0) {
            return false;
        }
        for (int i = 0; i < v.length - 1; i++) {
            if (v[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** dtc's check_name_properties test: length basename + 1 and the basename bytes equal. */
    private static boolean isRedundantName(FdtNode n, FdtProperty p) {
        if (!p.name().equals("name")) {
            return false;
        }
        byte[] nodeName = n.nameBytes();
        int baseLength = 0;
        while (baseLength < nodeName.length && nodeName[baseLength] != '@') {
            baseLength++;
        }
        byte[] v = p.rawValue();
        return v.length == baseLength + 1 && Arrays.equals(v, 0, baseLength, nodeName, 0, baseLength);
    }

    private static void indent(StringBuilder sb, int level) {
        for (int i = 0; i < level; i++) {
            sb.append('\t');
        }
    }

    private static void value(StringBuilder sb, byte[] v) {
        if (v.length == 0) {
            sb.append(";\n");
            return;
        }
        sb.append(" = ");
        if (looksLikeString(v)) {
            string(sb, v);
        } else if (v.length % 4 == 0) {
            sb.append('<');
            for (int i = 0; i < v.length; i += 4) {
                if (i > 0) {
                    sb.append(' ');
                }
                String hex = Integer.toHexString(FdtFormat.getInt(v, i)); // unsigned
                sb.append(hex.length() < 2 ? "0x0" : "0x").append(hex); // dtc: "0x%02x"
            }
            sb.append('>');
        } else {
            sb.append('[');
            for (int i = 0; i < v.length; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(HEX[(v[i] >> 4) & 0xf]).append(HEX[v[i] & 0xf]);
            }
            sb.append(']');
        }
        sb.append(";\n");
    }

    /** dtc's guess_value_type test for TYPE_STRING (no labels in a blob). */
    static boolean looksLikeString(byte[] v) {
        if (v.length == 0 || v[v.length - 1] != 0) {
            return false;
        }
        int nuls = 0;
        for (byte b : v) {
            int c = b & 0xff;
            if (c == 0) {
                nuls++;
            } else if (!isPrint(c) && !(c >= 0x07 && c <= 0x0d)) { // \a \b \t \n \v \f \r
                return false;
            }
        }
        return nuls <= v.length - nuls;
    }

    private static boolean isPrint(int c) {
        return c >= 0x20 && c < 0x7f;
    }

    /** dtc's write_propval_string: the value without its final NUL, quoted and escaped. */
    private static void string(StringBuilder sb, byte[] v) {
        sb.append('"');
        for (int i = 0; i < v.length - 1; i++) {
            int c = v[i] & 0xff;
            switch (c) {
                case 0x07 -> sb.append("\\a");
                case 0x08 -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case 0x0b -> sb.append("\\v");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case 0 -> sb.append("\\0");
                default -> {
                    if (isPrint(c)) {
                        sb.append((char) c);
                    } else {
                        sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        sb.append('"');
    }
}
