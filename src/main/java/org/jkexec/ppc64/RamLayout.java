package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.units.ByteSize;

/**
 * memblock.memory as the kernel builds it from a device tree, for machines described only by
 * a tree (a bare DTB, a synthetic machine): memory@ node {@code reg} entries and assigned,
 * non-reserved LMBs, sorted, adjacent blocks merged when they belong to the same NUMA
 * association (memblock merges only regions of one node). On a live machine the
 * "System RAM" lines of /proc/iomem are the better source.
 */
public final class RamLayout {
    private RamLayout() {}

    private record Block(long start, long end, String node) {}

    /**
     * RAM in words, the one wording of plan and map: "4 GiB RAM in 1 range". A range is a
     * stretch of addresses: regions that touch (memblock keeps two where two NUMA nodes meet)
     * count as one.
     */
    public static String describe(List<MemRange> ram) {
        RangeSet stretches = RangeSet.of(ram);
        int n = stretches.ranges().size();
        return ByteSize.text(stretches.total()) + " RAM in " + n + (n == 1 ? " range" : " ranges");
    }

    public static List<MemRange> fromTree(Fdt tree) {
        List<Block> blocks = new ArrayList<>();
        for (FdtNode n : tree.root().descendants()) {
            if (!"memory".equals(n.string("device_type").orElse(null))) {
                continue;
            }
            byte[] reg = n.value("reg").orElse(new byte[0]);
            int ac = Cells.regAddressCells(n);
            int sc = Cells.regSizeCells(n);
            int tuple = (ac + sc) * 4;
            String key = "assoc:"
                    + n.value("ibm,associativity").map(Arrays::toString).orElse("");
            for (int o = 0; o + tuple <= reg.length; o += tuple) {
                long base = Cells.read(reg, o, ac);
                long size = Cells.read(reg, o + ac * 4, sc);
                if (size != 0) { // an entry wrapping past 2^64 is refused, not planned into a dump
                    MemRange r = MemRange.ofSize(base, size, n.path() + "/reg");
                    blocks.add(new Block(r.start(), r.end(), key));
                }
            }
        }
        Optional<DrconfMemory> lmbs = DrconfMemory.of(tree);
        if (lmbs.isPresent()) {
            DrconfMemory d = lmbs.get();
            for (int i = 0; i < d.count(); i++) {
                if (d.isUsable(i)) {
                    blocks.add(new Block(d.base(i), d.base(i) + d.lmbSize() - 1, "aa:" + d.aaIndex(i)));
                }
            }
        }
        blocks.sort(Comparator.comparing(Block::start, Long::compareUnsigned));
        List<MemRange> out = new ArrayList<>();
        Block cur = null;
        for (Block b : blocks) {
            if (cur != null && cur.end() + 1 == b.start() && cur.node().equals(b.node())) {
                cur = new Block(cur.start(), b.end(), cur.node());
            } else if (cur != null && Long.compareUnsigned(b.start(), cur.end()) <= 0) {
                // overlapping descriptions of the same memory: keep one
                cur = new Block(
                        cur.start(), Long.compareUnsigned(b.end(), cur.end()) > 0 ? b.end() : cur.end(), cur.node());
            } else {
                if (cur != null) {
                    out.add(new MemRange(cur.start(), cur.end()));
                }
                cur = b;
            }
        }
        if (cur != null) {
            out.add(new MemRange(cur.start(), cur.end()));
        }
        return out;
    }
}
