package org.jkexec.verify;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.ppc64.Cells;

/**
 * The usable memory of a kdump kernel as it will read it from its FDT: each range with the
 * property it came from, and what is wrong with those properties.
 *
 * @param ranges   in the order read, each with its origin
 * @param problems properties the kdump kernel would misread
 * @param warnings layouts that may give later LMBs the wrong ranges
 */
record KdumpUsableMemory(List<Origin> ranges, List<String> problems, List<String> warnings) {
    /** One range and the property it came from. */
    record Origin(MemRange range, String from) {}

    /** The ranges as a sorted, merged list. */
    List<MemRange> list() {
        return RangeSet.of(ranges.stream().map(Origin::range).toList()).ranges();
    }

    /**
     * The ranges the kdump kernel will add to memblock, read as it reads them: a memory node's
     * linux,usable-memory (root cells) instead of its reg, zero sizes ignored; for drconf LMBs
     * that are assigned and not reserved, a count then that many pairs from
     * linux,drconf-usable-memory (other LMBs are skipped without consuming entries).
     */
    static KdumpUsableMemory read(KdumpFdtFacts f) {
        List<Origin> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int ac = f.rootAddressCells();
        int sc = f.rootSizeCells();
        for (KdumpFdtFacts.MemoryNode n : f.memoryNodes()) {
            decodeMemoryNode(n, ac, sc, out, problems);
        }
        f.drconf().ifPresent(d -> decodeDrconf(d, ac, sc, out, problems, warnings));
        return new KdumpUsableMemory(out, problems, warnings);
    }

    /** A memory node's linux,usable-memory pairs, else its reg. */
    private static void decodeMemoryNode(
            KdumpFdtFacts.MemoryNode n, int ac, int sc, List<Origin> out, List<String> problems) {
        int pair = (ac + sc) * 4;
        if (n.usableMemory().isEmpty()) {
            for (ReserveEntry e : n.reg()) {
                MemRange.span(e.address(), e.size())
                        .ifPresent(r -> out.add(new Origin(r, "reg of " + n.path() + " (no linux,usable-memory)")));
            }
            return;
        }
        byte[] v = n.usableMemory().get();
        if (v.length % pair != 0) {
            problems.add(n.path() + "/linux,usable-memory is " + v.length + " bytes, not whole " + ac + "+" + sc
                    + "-cell pairs");
        }
        for (int o = 0; o + pair <= v.length; o += pair) {
            long b = cells(v, o, ac);
            long s = cells(v, o + ac * 4, sc);
            MemRange.span(b, s).ifPresent(r -> out.add(new Origin(r, "linux,usable-memory of " + n.path())));
        }
    }

    /** The drconf LMBs' ranges as the kdump kernel consumes linux,drconf-usable-memory: entries only for usable LMBs. */
    private static void decodeDrconf(
            KdumpFdtFacts.Drconf d, int ac, int sc, List<Origin> out, List<String> problems, List<String> warnings) {
        if (d.usableMemory().isEmpty()) {
            for (int i = 0; i < d.count(); i++) {
                if (d.isUsable(i)) {
                    final int lmb = i;
                    MemRange.span(d.base()[i], d.lmbSize())
                            .ifPresent(r -> out.add(new Origin(r, "LMB " + lmb + " (no linux,drconf-usable-memory)")));
                }
            }
            return;
        }
        int pair = (ac + sc) * 4;
        byte[] v = d.usableMemory().get();
        int pos = 0;
        boolean unusableSeen = false;
        boolean misaligned = false;
        for (int i = 0; i < d.count(); i++) {
            if (!d.isUsable(i)) {
                unusableSeen = true;
                continue;
            }
            misaligned |= unusableSeen;
            if (pos + sc * 4 > v.length) {
                problems.add("linux,drconf-usable-memory ends at LMB " + i + " (" + v.length
                        + " bytes): LMBs after it get no memory");
                break;
            }
            long count = cells(v, pos, sc);
            pos += sc * 4;
            if (count > (v.length - pos) / pair) {
                problems.add(
                        "linux,drconf-usable-memory claims " + count + " ranges for LMB " + i + " but holds fewer");
                break;
            }
            for (long k = 0; k < count; k++) {
                long b = cells(v, pos, ac);
                long s = cells(v, pos + ac * 4, sc);
                pos += pair;
                final int lmb = i;
                MemRange.span(b, s).ifPresent(r -> out.add(new Origin(r, "linux,drconf-usable-memory for LMB " + lmb)));
            }
        }
        // a value with an entry for every LMB (the kernel's) read this way leaves entries unread;
        // one written as the kdump kernel reads it (jkexec's rule) is read to its end
        if (misaligned && pos < v.length) {
            warnings.add(
                    "unassigned or reserved LMBs precede assigned ones: the writer emits an entry for every LMB but "
                            + "the kdump kernel consumes entries only for assigned ones, so later LMBs may get the wrong ranges");
        }
    }

    /** A number of {@code cells} cells; more than two: the low two, as the kernel's of_read_number keeps. */
    static long cells(byte[] v, int o, int cells) {
        if (cells > 2) {
            return Cells.read(v, o + 4 * (cells - 2), 2);
        }
        return Cells.read(v, o, cells);
    }
}
