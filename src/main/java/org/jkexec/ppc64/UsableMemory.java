package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.memory.RangeSet;

/**
 * The properties that confine a kdump kernel to its usable memory (docs/ppc64-kdump.md#usable-memory):
 * {@code linux,drconf-usable-memory} for LMBs and {@code linux,usable-memory} for memory@
 * nodes, as flat arrays of big-endian u64 regardless of the tree's cell sizes.
 */
public final class UsableMemory {
    private UsableMemory() {}

    /** A growable array of u64 values written big-endian at the end. */
    static final class U64Buffer {
        private long[] v = new long[64];
        private int n;

        void add(long x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, n * 2);
            }
            v[n++] = x;
        }

        void set(int i, long x) {
            v[i] = x;
        }

        int size() {
            return n;
        }

        byte[] toBytes() {
            byte[] out = new byte[n * 8];
            for (int i = 0; i < n; i++) {
                Cells.putU64(out, i * 8, v[i]);
            }
            return out;
        }
    }

    /**
     * add_usable_mem: for window {@code [b, e]}, every usable range contained in it, or
     * strictly overlapping it (clipped), as a (base, size) pair, in list order.
     */
    static void addUsable(U64Buffer out, MemRanges usable, long b, long e) {
        byte[] pairs = new byte[16 * usable.size()];
        int n = writeUsable(pairs, 0, usable, b, e);
        for (int i = 0; i < 2 * n; i++) {
            out.add(Cells.u64(pairs, 8 * i));
        }
    }

    /**
     * The pairs of {@link #addUsable} written big-endian into {@code out} at {@code o}, or only
     * counted when {@code out} is null; returns how many pairs.
     */
    private static int writeUsable(byte[] out, int o, MemRanges usable, long b, long e) {
        int pairs = 0;
        for (int i = 0; i < usable.size(); i++) {
            long lb = usable.start(i);
            long le = usable.end(i);
            boolean add = false;
            if (Long.compareUnsigned(lb, b) >= 0 && Long.compareUnsigned(le, e) <= 0) {
                add = true;
            } else if (Long.compareUnsigned(b, le) < 0 && Long.compareUnsigned(e, lb) > 0) {
                if (Long.compareUnsigned(lb, b) < 0) {
                    lb = b;
                }
                if (Long.compareUnsigned(le, e) > 0) {
                    le = e;
                }
                add = true;
            }
            if (add) {
                if (out != null) {
                    Cells.putU64(out, o + 16 * pairs, lb);
                    Cells.putU64(out, o + 16 * pairs + 8, le - lb + 1);
                }
                pairs++;
            }
        }
        return pairs;
    }

    /**
     * linux,drconf-usable-memory: for every LMB (assigned or not), a count then that many pairs.
     * Counted first, then written once into an array of its exact size (2 MiB for 262,144 LMBs).
     */
    public static byte[] drconfUsableMemory(DrconfMemory lmbs, MemRanges usable) {
        long lmbSize = lmbs.lmbSize();
        // Usable ranges are few (crashkernel, RTAS, OPAL, TCEs): an LMB outside all of them
        // contributes a bare zero count, so skip the per-range scan for those cheaply.
        long lo = -1;
        long hi = 0;
        for (int i = 0; i < usable.size(); i++) {
            lo = Long.compareUnsigned(usable.start(i), lo) < 0 ? usable.start(i) : lo;
            hi = Long.compareUnsigned(usable.end(i), hi) > 0 ? usable.end(i) : hi;
        }
        // Ascending LMBs (as firmware lists them) are searched for the few that may meet a usable
        // range; the others each get a count of 0, which the zeroed array already holds.
        int n = lmbs.count();
        int from = 0;
        int to = n;
        if (usable.size() == 0) {
            to = 0;
        } else if (lmbs.ascending()) {
            from = lmbs.firstEndingAtOrAbove(lo);
            to = Math.max(from, lmbs.firstStartingAbove(hi));
        }
        long size = 8L * n;
        for (int i = from; i < to; i++) {
            long b = lmbs.base(i);
            long e = b + lmbSize - 1;
            if (mayOverlap(usable, lo, hi, b, e)) {
                size += 16L * writeUsable(null, 0, usable, b, e);
            }
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw JkexecException.badInput(DrconfMemory.NODE, "linux,drconf-usable-memory would be " + size + " bytes");
        }
        byte[] out = new byte[(int) size];
        int o = 8 * from;
        for (int i = from; i < to; i++) {
            long b = lmbs.base(i);
            long e = b + lmbSize - 1;
            int pairs = mayOverlap(usable, lo, hi, b, e) ? writeUsable(out, o + 8, usable, b, e) : 0;
            if (pairs != 0) {
                Cells.putU64(out, o, pairs);
            }
            o += 8 + 16 * pairs;
        }
        return out;
    }

    /**
     * linux,drconf-usable-memory as the kdump kernel reads it: an entry (a count, then that many
     * pairs) for each usable LMB only. Its readers ({@code early_init_drmem_lmb},
     * {@code numa_setup_drmem_lmb}) skip an unassigned or reserved LMB without reading an entry
     * for it, where the kernel's writer ({@link #drconfUsableMemory}) emits one for every LMB.
     */
    public static byte[] drconfUsableMemoryAsRead(DrconfMemory lmbs, MemRanges usable) {
        long lmbSize = lmbs.lmbSize();
        U64Buffer out = new U64Buffer();
        for (int i = 0; i < lmbs.count(); i++) {
            if (!lmbs.isUsable(i)) {
                continue;
            }
            int count = out.size();
            out.add(0);
            long b = lmbs.base(i);
            addUsable(out, usable, b, b + lmbSize - 1);
            out.set(count, (out.size() - count - 1) / 2);
        }
        return out.toBytes();
    }

    /**
     * The memory a kdump kernel adds from a linux,drconf-usable-memory value {@code prop}: for
     * each usable LMB in order, the next entry's pairs; empty when the value ends before the
     * last usable LMB's entry (the reader would read past it).
     */
    public static Optional<RangeSet> readByKdumpKernel(DrconfMemory lmbs, byte[] prop) {
        List<MemRange> added = new ArrayList<>();
        int o = 0;
        for (int i = 0; i < lmbs.count(); i++) {
            if (!lmbs.isUsable(i)) {
                continue;
            }
            if (o + 8 > prop.length) {
                return Optional.empty();
            }
            long pairs = Cells.u64(prop, o);
            o += 8;
            if (Long.compareUnsigned(pairs, (prop.length - o) / 16) > 0) {
                return Optional.empty();
            }
            for (long p = 0; p < pairs; p++, o += 16) {
                long size = Cells.u64(prop, o + 8);
                if (size != 0) {
                    added.add(MemRange.ofSize(Cells.u64(prop, o), size));
                }
            }
        }
        return Optional.of(RangeSet.of(added));
    }

    private static boolean mayOverlap(MemRanges usable, long lo, long hi, long b, long e) {
        return usable.size() != 0 && Long.compareUnsigned(e, lo) >= 0 && Long.compareUnsigned(b, hi) <= 0;
    }

    /**
     * linux,usable-memory for one memory node, or null when the node has no (or an empty)
     * {@code reg} (the node is then skipped). No intersection gives the (0, 0) pair.
     */
    public static byte[] nodeUsableMemory(FdtNode memoryNode, MemRanges usable) {
        byte[] reg = memoryNode.value("reg").orElse(null);
        if (reg == null || reg.length == 0) {
            return null;
        }
        int ac = Cells.regAddressCells(memoryNode);
        int sc = Cells.regSizeCells(memoryNode);
        int tuple = (ac + sc) * 4;
        if (ac > 2 || sc > 2) {
            throw JkexecException.badInput(memoryNode.path(), "reg cells " + ac + "/" + sc + " exceed 64 bits");
        }
        U64Buffer out = new U64Buffer();
        for (int o = 0; o + tuple <= reg.length; o += tuple) {
            long base = Cells.read(reg, o, ac);
            long size = Cells.read(reg, o + ac * 4, sc);
            addUsable(out, usable, base, base + size - 1);
        }
        if (out.size() == 0) {
            out.add(0);
            out.add(0);
        }
        return out.toBytes();
    }
}
