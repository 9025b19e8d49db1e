package org.jkexec.ppc64;

import org.jkexec.JkexecException;
import org.jkexec.fdt.FdtNode;

/** Reading and writing big-endian device-tree cells. */
public final class Cells {
    private Cells() {}

    /** Reads {@code n} cells (1 or 2, or more with the high ones required zero) at byte {@code offset}. */
    public static long read(byte[] v, int offset, int n) {
        long r = 0;
        for (int i = 0; i < n; i++) {
            int o = offset + 4 * i;
            long cell = ((v[o] & 0xffL) << 24)
                    | ((v[o + 1] & 0xffL) << 16)
                    | ((v[o + 2] & 0xffL) << 8)
                    | (v[o + 3] & 0xffL);
            r = (r << 32) | cell;
        }
        return r;
    }

    /**
     * A number stored in however many cells the property has, read as the kernel reads
     * /chosen's initrd addresses (of_read_number over the whole value: the last two cells
     * count); 0 for a value shorter than a cell. Firmware writes these with one cell (skiboot,
     * QEMU's powernv) or two (the kernel, kexec).
     */
    public static long number(byte[] v) {
        int cells = v.length / 4;
        return cells == 0 ? 0 : read(v, Math.max(0, cells - 2) * 4, Math.min(cells, 2));
    }

    public static long u32(byte[] v, int offset) {
        return read(v, offset, 1);
    }

    public static long u64(byte[] v, int offset) {
        return read(v, offset, 2);
    }

    public static void putU64(byte[] v, int offset, long x) {
        for (int i = 0; i < 8; i++) {
            v[offset + i] = (byte) (x >>> (56 - 8 * i));
        }
    }

    public static void putU32(byte[] v, int offset, long x) {
        for (int i = 0; i < 4; i++) {
            v[offset + i] = (byte) (x >>> (24 - 8 * i));
        }
    }

    /** Encodes {@code values} as big-endian numbers of {@code cells} cells each. */
    public static byte[] encode(int cells, long... values) {
        byte[] out = new byte[values.length * cells * 4];
        for (int i = 0; i < values.length; i++) {
            long x = values[i];
            for (int c = cells - 1; c >= 0; c--) {
                putU32(out, (i * cells + c) * 4, x & 0xffffffffL);
                x >>>= 32;
            }
        }
        return out;
    }

    /** An (address, size) pair in the given cell counts, as fdt_appendprop_addrrange writes it. */
    public static byte[] addressRange(int addressCells, int sizeCells, long address, long size) {
        byte[] a = encode(addressCells, address);
        byte[] s = encode(sizeCells, size);
        byte[] out = new byte[a.length + s.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(s, 0, out, a.length, s.length);
        return out;
    }

    /** {@code #address-cells} a node declares for its children (OF default 1 when absent). */
    public static int addressCells(FdtNode node) {
        return cellCount(node, "#address-cells", 1);
    }

    /** {@code #size-cells} a node declares for its children (OF default 1 when absent). */
    public static int sizeCells(FdtNode node) {
        return cellCount(node, "#size-cells", 1);
    }

    /**
     * Cells of a node's own {@code reg}: the first ancestor declaring {@code #address-cells}
     * ({@code of_n_addr_cells} walks up from the parent), default 1.
     */
    public static int regAddressCells(FdtNode node) {
        return inherited(node, "#address-cells");
    }

    public static int regSizeCells(FdtNode node) {
        return inherited(node, "#size-cells");
    }

    private static int inherited(FdtNode node, String name) {
        for (FdtNode n = node.parent().orElse(null); n != null; n = n.parent().orElse(null)) {
            if (n.hasProperty(name)) {
                return cellCount(n, name, 1);
            }
        }
        return 1;
    }

    private static int cellCount(FdtNode node, String name, int dflt) {
        return node.value(name)
                .map(v -> {
                    if (v.length < 4) {
                        throw JkexecException.badInput(node.path(), name + " is " + v.length + " bytes, expected 4");
                    }
                    long n = u32(v, 0);
                    if (n < 1 || n > 4) {
                        throw JkexecException.badInput(node.path(), name + " = " + n + " is not a usable cell count");
                    }
                    return (int) n;
                })
                .orElse(dflt);
    }

    /** A number property of {@code n} cells read in full; its length must be exactly 4·n or more. */
    public static long number(FdtNode node, String name, byte[] v, int cells) {
        if (v.length < cells * 4) {
            throw JkexecException.badInput(
                    node.path() + "/" + name, v.length + " bytes, expected at least " + cells * 4);
        }
        if (cells > 2) {
            for (int i = 0; i < cells - 2; i++) {
                if (u32(v, 4 * i) != 0) {
                    throw JkexecException.badInput(node.path() + "/" + name, "value does not fit in 64 bits");
                }
            }
            return read(v, 4 * (cells - 2), 2);
        }
        return read(v, 0, cells);
    }
}
