package org.jkexec.ppc64;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;

/**
 * The LMBs of {@code /ibm,dynamic-reconfiguration-memory} (arch/powerpc/mm/drmem.c): one entry
 * per logical memory block, in the order the kernel's walk visits them (property order; v2
 * sets expanded LMB by LMB). Held in parallel arrays: 262,144 LMBs cost a few MiB.
 */
public final class DrconfMemory {
    public static final String NODE = "/ibm,dynamic-reconfiguration-memory";
    public static final int ASSIGNED = 0x8;
    public static final int AI_INVALID = 0x40;
    public static final int RESERVED = 0x80;
    public static final int HOTREMOVABLE = 0x100;
    /**
     * Largest LMB count we accept: 64 TiB, the most memory a Power partition can have, in
     * 16 MiB LMBs, the smallest LMB size PowerVM uses, is 4 Mi. A v2 set announces its LMB count
     * in four bytes, so the count is what bounds the arrays a small property can make us build.
     */
    static final long MAX_LMBS = 1L << 22;

    private final long lmbSize;
    private final long[] base;
    private final int[] drcIndex;
    private final int[] aaIndex;
    private final int[] flags;
    private final int version;
    /** Whether every LMB starts above the one before it (as firmware lists them). */
    private final boolean ascending;
    /** Whether, besides, every LMB starts above the end of the one before it: no two overlap. */
    private final boolean ascendingApart;

    private DrconfMemory(long lmbSize, long[] base, int[] drcIndex, int[] aaIndex, int[] flags, int version) {
        this.lmbSize = lmbSize;
        this.base = base;
        this.drcIndex = drcIndex;
        this.aaIndex = aaIndex;
        this.flags = flags;
        this.version = version;
        boolean up = true;
        boolean apart = true;
        for (int i = 1; i < base.length && up; i++) {
            up = Long.compareUnsigned(base[i], base[i - 1]) > 0;
            apart &= Long.compareUnsigned(base[i], base[i - 1] + lmbSize - 1) > 0;
        }
        this.ascending = up;
        this.ascendingApart = up && apart;
    }

    /** Parses the node of {@code tree}; empty when the tree has none. */
    public static Optional<DrconfMemory> of(Fdt tree) {
        Optional<FdtNode> node = tree.node(NODE);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        FdtNode root = tree.root();
        int ac = Cells.addressCells(root);
        int sc = Cells.sizeCells(root);
        FdtNode n = node.get();
        byte[] sizeProp =
                n.value("ibm,lmb-size").orElseThrow(() -> JkexecException.badInput(NODE, "has no ibm,lmb-size"));
        long lmbSize = Cells.number(n, "ibm,lmb-size", sizeProp, sc);
        if (lmbSize == 0 || Long.bitCount(lmbSize) != 1) {
            throw JkexecException.badInput(
                    NODE + "/ibm,lmb-size", String.format("0x%x is not a power of two", lmbSize));
        }
        Optional<ByteBuffer> v1 = n.valueView("ibm,dynamic-memory");
        if (v1.isPresent()) {
            return Optional.of(parseV1(v1.get(), ac, lmbSize));
        }
        Optional<ByteBuffer> v2 = n.valueView("ibm,dynamic-memory-v2");
        if (v2.isPresent()) {
            return Optional.of(parseV2(v2.get(), ac, lmbSize));
        }
        throw JkexecException.badInput(NODE, "has neither ibm,dynamic-memory nor ibm,dynamic-memory-v2");
    }

    /** {@code n} cells at byte {@code o}, as {@link Cells#read}. */
    private static long cells(ByteBuffer v, int o, int n) {
        if (n == 2) {
            return v.getLong(o);
        }
        long r = 0;
        for (int i = 0; i < n; i++) {
            r = (r << 32) | (v.getInt(o + 4 * i) & 0xffffffffL);
        }
        return r;
    }

    private static long u32(ByteBuffer v, int o) {
        return v.getInt(o) & 0xffffffffL;
    }

    private static DrconfMemory parseV1(ByteBuffer v, int ac, long lmbSize) {
        String where = NODE + "/ibm,dynamic-memory";
        if (v.capacity() < 4) {
            throw JkexecException.badInput(where, "too short for the LMB count");
        }
        long n = u32(v, 0);
        int entry = ac * 4 + 16;
        if (n > MAX_LMBS || 4 + n * entry > v.capacity()) {
            throw JkexecException.badInput(where, "claims " + n + " LMBs but holds " + (v.capacity() - 4) / entry);
        }
        int count = (int) n;
        long[] base = new long[count];
        int[] drc = new int[count];
        int[] aa = new int[count];
        int[] fl = new int[count];
        int o = 4;
        for (int i = 0; i < count; i++) {
            base[i] = cells(v, o, ac);
            if (Long.compareUnsigned(base[i] + lmbSize - 1, base[i]) < 0) {
                throw JkexecException.badInput(
                        where,
                        String.format(
                                "LMB %d at 0x%x of 0x%x bytes wraps past the end of the address space",
                                i, base[i], lmbSize));
            }
            o += ac * 4;
            drc[i] = v.getInt(o);
            aa[i] = v.getInt(o + 8);
            fl[i] = v.getInt(o + 12);
            o += 16;
        }
        return new DrconfMemory(lmbSize, base, drc, aa, fl, 1);
    }

    private static DrconfMemory parseV2(ByteBuffer v, int ac, long lmbSize) {
        String where = NODE + "/ibm,dynamic-memory-v2";
        if (v.capacity() < 4) {
            throw JkexecException.badInput(where, "too short for the set count");
        }
        long sets = u32(v, 0);
        int entry = 4 + ac * 4 + 12;
        if (4 + sets * entry > v.capacity()) {
            throw JkexecException.badInput(where, "claims " + sets + " sets but holds " + (v.capacity() - 4) / entry);
        }
        long total = 0;
        for (int s = 0, o = 4; s < sets; s++, o += entry) {
            long seq = u32(v, o);
            long b = cells(v, o + 4, ac);
            // the set's last LMB ends at b + seq * lmbSize - 1: refused when that passes 2^64
            long room = b == 0 ? Long.divideUnsigned(-1L, lmbSize) : Long.divideUnsigned(-b, lmbSize);
            if (Long.compareUnsigned(seq, room) > 0) {
                throw JkexecException.badInput(
                        where,
                        String.format(
                                "set %d: %d LMBs of 0x%x bytes from 0x%x " + "wrap past the end of the address space",
                                s, seq, lmbSize, b));
            }
            total += seq;
            if (total > MAX_LMBS) {
                throw JkexecException.badInput(where, "more than " + MAX_LMBS + " LMBs (64 TiB in 16 MiB LMBs)");
            }
            // LMBs that do not overlap and end below 2 PiB are at most 2 PiB / lmb-size (checked
            // before the arrays are made; RAM itself is no bound: unassigned LMBs describe memory
            // that may be hot-added later)
            if (total > MachineChecks.MAX_PHYSICAL / lmbSize) {
                throw JkexecException.badInput(
                        where, String.format("%d LMBs of 0x%x bytes do not fit below 2 PiB", total, lmbSize));
            }
        }
        int count = (int) total;
        long[] base = new long[count];
        int[] drc = new int[count];
        int[] aa = new int[count];
        int[] fl = new int[count];
        int k = 0;
        for (int s = 0, o = 4; s < sets; s++, o += entry) {
            long seq = u32(v, o);
            long b = cells(v, o + 4, ac);
            int p = o + 4 + ac * 4;
            long d = u32(v, p);
            int a = v.getInt(p + 4);
            int f = v.getInt(p + 8);
            int end = k + (int) seq;
            Arrays.fill(aa, k, end, a);
            Arrays.fill(fl, k, end, f);
            for (long j = 0; k < end; j++, k++) {
                base[k] = b + j * lmbSize;
                drc[k] = (int) (d + j);
            }
        }
        return new DrconfMemory(lmbSize, base, drc, aa, fl, 2);
    }

    public long lmbSize() {
        return lmbSize;
    }

    public int count() {
        return base.length;
    }

    public int version() {
        return version;
    }

    public long base(int i) {
        return base[i];
    }

    public int drcIndex(int i) {
        return drcIndex[i];
    }

    public int aaIndex(int i) {
        return aaIndex[i];
    }

    public int flags(int i) {
        return flags[i];
    }

    /** Whether every LMB starts above the one before it: then LMBs can be searched by address. */
    public boolean ascending() {
        return ascending;
    }

    /** Whether LMBs are ascending and none overlaps the one before it (so none overlaps any other). */
    public boolean ascendingApart() {
        return ascendingApart;
    }

    /**
     * For ascending LMBs: the index of the first LMB that ends at or above {@code address}
     * (unsigned), or {@link #count()} when none does.
     */
    public int firstEndingAtOrAbove(long address) {
        return firstWhere(i -> Long.compareUnsigned(base[i] + lmbSize - 1, address) >= 0);
    }

    /** For ascending LMBs: the index of the first LMB starting above {@code address} (unsigned), or {@link #count()}. */
    public int firstStartingAbove(long address) {
        return firstWhere(i -> Long.compareUnsigned(base[i], address) > 0);
    }

    /** Binary search over ascending LMBs: the first index where {@code test} holds (it then holds for every later one). */
    private int firstWhere(IntPredicate test) {
        if (!ascending) {
            throw new IllegalStateException("LMBs are not in ascending order");
        }
        int lo = 0;
        int hi = base.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (test.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Assigned to this partition and not reserved: the kernel adds it to memblock. */
    public boolean isUsable(int i) {
        return (flags[i] & ASSIGNED) != 0 && (flags[i] & RESERVED) == 0;
    }

    /** One past the highest LMB end ({@code drmem_lmb_memory_max}). */
    public long memoryMax() {
        long max = 0;
        for (long b : base) {
            long end = b + lmbSize;
            if (Long.compareUnsigned(end, max) > 0) {
                max = end;
            }
        }
        return max;
    }

    /** Index of the first LMB that is not usable but precedes a usable one (the kdump kernel then reads later LMBs' entries misaligned: docs/ppc64-kdump.md#usable-memory), or -1. */
    public int firstUnusableBeforeUsable() {
        int firstUnusable = -1;
        for (int i = 0; i < base.length; i++) {
            if (!isUsable(i)) {
                if (firstUnusable < 0) {
                    firstUnusable = i;
                }
            } else if (firstUnusable >= 0) {
                return firstUnusable;
            }
        }
        return -1;
    }
}
