package org.jkexec.fdt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A line-by-line port of the libfdt functions the kernel uses to edit a device tree
 * (fdt_open_into, fdt_setprop, fdt_appendprop, fdt_delprop, fdt_nop_property, fdt_add_subnode,
 * fdt_del_node, fdt_add_mem_rsv, fdt_del_mem_rsv), working on a byte buffer exactly as libfdt
 * does: every edit is a memmove of the rest of the data. It is the oracle for the tree-based
 * {@link Fdt#toBlobInPlace}: same edits, same bytes. Test code only; it trusts its input.
 */
final class LibfdtSimulator {
    /** FDT_ERR_NOSPACE. */
    static final class NoSpace extends RuntimeException {
        NoSpace() {
            super("FDT_ERR_NOSPACE");
        }
    }

    private final byte[] buf;

    private LibfdtSimulator(byte[] buf) {
        this.buf = buf;
    }

    byte[] buffer() {
        return buf.clone();
    }

    // ---- header ----
    private int h(int off) {
        return FdtFormat.getInt(buf, off);
    }

    private void setH(int off, int v) {
        FdtFormat.putInt(buf, off, v);
    }

    private int offStruct() {
        return h(8);
    }

    private int offStrings() {
        return h(12);
    }

    private int offRsv() {
        return h(16);
    }

    private int sizeStrings() {
        return h(32);
    }

    private int sizeStruct() {
        return h(36);
    }

    int dataSize() {
        return offStrings() + sizeStrings();
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    // ---- fdt_open_into (buffer initially zero: the kernel's is uninitialised) ----
    static LibfdtSimulator openInto(byte[] fdt, int bufsize) {
        int numRsv = 0;
        int rsv = FdtFormat.getInt(fdt, 16);
        while (FdtFormat.getLong(fdt, rsv + numRsv * 16 + 8) != 0) {
            numRsv++;
        }
        int memRsvSize = (numRsv + 1) * 16;
        int version = FdtFormat.getInt(fdt, 20);
        int offStruct = FdtFormat.getInt(fdt, 8);
        int structSize;
        if (version >= 17) {
            structSize = FdtFormat.getInt(fdt, 36);
        } else {
            int off = 0;
            while (true) {
                int tag = FdtFormat.getInt(fdt, offStruct + off);
                int next = nextTagOffset(fdt, offStruct, off);
                off = next;
                if (tag == FdtFormat.END) {
                    break;
                }
            }
            structSize = off;
        }
        int totalsize = FdtFormat.getInt(fdt, 4);
        int offStrings = FdtFormat.getInt(fdt, 12);
        int sizeStrings = FdtFormat.getInt(fdt, 32);
        boolean misordered = rsv < 40
                || offStruct < rsv + memRsvSize
                || offStrings < offStruct + structSize
                || totalsize < offStrings + sizeStrings;
        byte[] buf = new byte[bufsize];
        LibfdtSimulator s = new LibfdtSimulator(buf);
        if (!misordered) {
            if (totalsize > bufsize) {
                throw new NoSpace();
            }
            System.arraycopy(fdt, 0, buf, 0, totalsize);
            s.setH(20, 17);
            s.setH(36, structSize);
            s.setH(4, bufsize);
            return s;
        }
        int newsize = 40 + memRsvSize + structSize + sizeStrings;
        if (bufsize < newsize) {
            throw new NoSpace();
        }
        // fdt_packblocks_
        int memRsvOff = 40;
        int structOff = memRsvOff + memRsvSize;
        int stringsOff = structOff + structSize;
        System.arraycopy(fdt, rsv, buf, memRsvOff, memRsvSize);
        s.setH(16, memRsvOff);
        System.arraycopy(fdt, offStruct, buf, structOff, structSize);
        s.setH(8, structOff);
        s.setH(36, structSize);
        System.arraycopy(fdt, offStrings, buf, stringsOff, sizeStrings);
        s.setH(12, stringsOff);
        s.setH(32, sizeStrings);
        s.setH(0, FdtFormat.MAGIC);
        s.setH(4, bufsize);
        s.setH(20, 17);
        s.setH(24, 16);
        s.setH(28, FdtFormat.getInt(fdt, 28));
        return s;
    }

    // ---- fdt_next_tag (offsets relative to the struct block) ----
    private static int nextTagOffset(byte[] b, int structBase, int offset) {
        int tag = FdtFormat.getInt(b, structBase + offset);
        int o = offset + 4;
        switch (tag) {
            case FdtFormat.BEGIN_NODE -> {
                while (b[structBase + o] != 0) {
                    o++;
                }
                o++;
            }
            case FdtFormat.PROP -> o += 8 + FdtFormat.getInt(b, structBase + o);
            default -> {}
        }
        return align(o);
    }

    private int tagAt(int offset) {
        return h(offStruct() + offset);
    }

    private int next(int offset) {
        return nextTagOffset(buf, offStruct(), offset);
    }

    // ---- splicing ----
    private void splice(int p, int oldlen, int newlen) {
        int end = dataSize();
        if (end - oldlen + newlen > h(4)) {
            throw new NoSpace();
        }
        System.arraycopy(buf, p + oldlen, buf, p + newlen, end - p - oldlen);
    }

    private void spliceMemRsv(int p, int oldn, int newn) {
        int delta = (newn - oldn) * 16;
        splice(p, oldn * 16, newn * 16);
        setH(8, offStruct() + delta);
        setH(12, offStrings() + delta);
    }

    private void spliceStruct(int p, int oldlen, int newlen) {
        int delta = newlen - oldlen;
        splice(p, oldlen, newlen);
        setH(36, sizeStruct() + delta);
        setH(12, offStrings() + delta);
    }

    private void spliceString(int newlen) {
        splice(offStrings() + sizeStrings(), 0, newlen);
        setH(32, sizeStrings() + newlen);
    }

    private int findAddString(String s) {
        byte[] nb = (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
        int strtab = offStrings();
        int size = sizeStrings();
        for (int p = 0; p <= size - nb.length; p++) {
            if (Arrays.equals(buf, strtab + p, strtab + p + nb.length, nb, 0, nb.length)) {
                return p;
            }
        }
        int at = size;
        spliceString(nb.length);
        System.arraycopy(nb, 0, buf, strtab + at, nb.length);
        return at;
    }

    private String stringAt(int off) {
        int start = offStrings() + off;
        int end = start;
        while (buf[end] != 0) {
            end++;
        }
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    // ---- nodes and properties ----
    /** Offset of the root node's BEGIN_NODE. */
    int rootOffset() {
        int o = 0;
        while (tagAt(o) == FdtFormat.NOP) {
            o = next(o);
        }
        return o;
    }

    private String nodeName(int nodeOffset) {
        int start = offStruct() + nodeOffset + 4;
        int end = start;
        while (buf[end] != 0) {
            end++;
        }
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** The child of the node at {@code parent} named exactly {@code name}, or -1. */
    int childOffset(int parent, String name) {
        int o = next(parent);
        int depth = 0;
        while (true) {
            int tag = tagAt(o);
            if (tag == FdtFormat.BEGIN_NODE) {
                if (depth == 0 && nodeName(o).equals(name)) {
                    return o;
                }
                depth++;
            } else if (tag == FdtFormat.END_NODE) {
                if (depth == 0) {
                    return -1;
                }
                depth--;
            }
            o = next(o);
        }
    }

    /** Node offset for an absolute path of exact names. */
    int pathOffset(String path) {
        int o = rootOffset();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                o = childOffset(o, part);
                if (o < 0) {
                    throw new IllegalArgumentException("no node " + path);
                }
            }
        }
        return o;
    }

    private int propertyOffset(int node, String name) {
        int o = next(node);
        while (true) {
            int tag = tagAt(o);
            if (tag == FdtFormat.PROP) {
                if (stringAt(h(offStruct() + o + 8)).equals(name)) {
                    return o;
                }
            } else if (tag != FdtFormat.NOP) {
                return -1;
            }
            o = next(o);
        }
    }

    /** fdt_add_property_: returns the property offset with tag, nameoff and len written. */
    private int addProperty(int node, String name, int len) {
        int nextoffset = next(node);
        int namestroff = findAddString(name);
        int prop = nextoffset;
        spliceStruct(offStruct() + prop, 0, 12 + align(len));
        setH(offStruct() + prop, FdtFormat.PROP);
        setH(offStruct() + prop + 8, namestroff);
        setH(offStruct() + prop + 4, len);
        return prop;
    }

    void setprop(String path, String name, byte[] val) {
        int node = pathOffset(path);
        int prop = propertyOffset(node, name);
        if (prop >= 0) {
            int oldlen = h(offStruct() + prop + 4);
            spliceStruct(offStruct() + prop + 12, align(oldlen), align(val.length));
            setH(offStruct() + prop + 4, val.length);
        } else {
            prop = addProperty(node, name, val.length);
        }
        System.arraycopy(val, 0, buf, offStruct() + prop + 12, val.length);
    }

    void appendprop(String path, String name, byte[] val) {
        int node = pathOffset(path);
        int prop = propertyOffset(node, name);
        if (prop >= 0) {
            int oldlen = h(offStruct() + prop + 4);
            int newlen = oldlen + val.length;
            spliceStruct(offStruct() + prop + 12, align(oldlen), align(newlen));
            setH(offStruct() + prop + 4, newlen);
            System.arraycopy(val, 0, buf, offStruct() + prop + 12 + oldlen, val.length);
        } else {
            prop = addProperty(node, name, val.length);
            System.arraycopy(val, 0, buf, offStruct() + prop + 12, val.length);
        }
    }

    void delprop(String path, String name) {
        int prop = propertyOffset(pathOffset(path), name);
        int len = h(offStruct() + prop + 4);
        spliceStruct(offStruct() + prop, 12 + align(len), 0);
    }

    void nopProperty(String path, String name) {
        int prop = propertyOffset(pathOffset(path), name);
        int len = h(offStruct() + prop + 4);
        for (int p = 0; p < len + 12; p += 4) {
            setH(offStruct() + prop + p, FdtFormat.NOP);
        }
    }

    void addSubnode(String parentPath, String name) {
        int parent = pathOffset(parentPath);
        int offset = next(parent);
        while (tagAt(offset) == FdtFormat.PROP || tagAt(offset) == FdtFormat.NOP) {
            offset = next(offset);
        }
        byte[] nb = name.getBytes(StandardCharsets.ISO_8859_1);
        int nodelen = 4 + align(nb.length + 1) + 4;
        int nh = offStruct() + offset;
        spliceStruct(nh, 0, nodelen);
        setH(nh, FdtFormat.BEGIN_NODE);
        Arrays.fill(buf, nh + 4, nh + 4 + align(nb.length + 1), (byte) 0);
        System.arraycopy(nb, 0, buf, nh + 4, nb.length);
        setH(nh + nodelen - 4, FdtFormat.END_NODE);
    }

    void delNode(String path) {
        int node = pathOffset(path);
        int o = next(node);
        int depth = 0;
        while (true) {
            int tag = tagAt(o);
            o = next(o);
            if (tag == FdtFormat.BEGIN_NODE) {
                depth++;
            } else if (tag == FdtFormat.END_NODE) {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
        }
        spliceStruct(offStruct() + node, o - node, 0);
    }

    int numMemRsv() {
        int n = 0;
        while (FdtFormat.getLong(buf, offRsv() + n * 16 + 8) != 0) {
            n++;
        }
        return n;
    }

    void addMemRsv(long address, long size) {
        int re = offRsv() + numMemRsv() * 16;
        spliceMemRsv(re, 0, 1);
        FdtFormat.putLong(buf, re, address);
        FdtFormat.putLong(buf, re + 8, size);
    }

    void delMemRsv(int n) {
        spliceMemRsv(offRsv() + n * 16, 1, 0);
    }

    /** Number of FDT_NOP tags in the struct block. */
    int countNops() {
        int n = 0;
        int o = 0;
        while (true) {
            int tag = tagAt(o);
            if (tag == FdtFormat.NOP) {
                n++;
            }
            if (tag == FdtFormat.END) {
                return n;
            }
            o = next(o);
        }
    }
}
