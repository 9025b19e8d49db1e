package org.jkexec.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.CpuNodes;
import org.jkexec.ppc64.DrconfMemory;
import org.jkexec.ppc64.Region;
import org.jkexec.ppc64.RegionKind;

/** Extracts {@link KdumpFdtFacts} from a kdump kernel's FDT: the only part of verify that reads device trees. */
public final class KdumpFdtReader {
    private KdumpFdtReader() {}

    /** Parses a DTB ({@code /sys/firmware/fdt}); malformed blobs are bad input naming {@code source}. */
    public static KdumpFdtFacts read(byte[] blob, String source) {
        if (blob.length < 40) {
            throw JkexecException.badInput(source, "not a flattened device tree (only " + blob.length + " bytes)");
        }
        if (Cells.u32(blob, 0) != 0xd00dfeedL) {
            throw JkexecException.badInput(source, "not a flattened device tree (bad magic)");
        }
        Fdt fdt = Fdt.parse(blob, source);
        return of(fdt, source, Cells.u32(blob, 4));
    }

    public static KdumpFdtFacts of(Fdt fdt, String source, long totalSize) {
        FdtNode root = fdt.root();
        int ac = Cells.addressCells(root);
        int sc = Cells.sizeCells(root);
        Optional<FdtNode> chosen = fdt.node("/chosen");
        Optional<String> bootargs = chosen.flatMap(c -> c.string("bootargs"));
        Optional<ReserveEntry> elfcorehdr = chosen.flatMap(c -> c.value("linux,elfcorehdr"))
                .flatMap(v -> pairs(v, ac, sc, source + ":/chosen/linux,elfcorehdr").stream()
                        .findFirst());
        List<ReserveEntry> usableRange = chosen.flatMap(c -> c.value("linux,usable-memory-range"))
                .map(v -> pairs(v, ac, sc, source + ":/chosen/linux,usable-memory-range"))
                .orElse(List.of());
        OptionalLong initrdStart = anyCells(chosen, "linux,initrd-start");
        OptionalLong initrdEnd = anyCells(chosen, "linux,initrd-end");

        List<KdumpFdtFacts.MemoryNode> memory = new ArrayList<>();
        List<Region> firmware = new ArrayList<>();
        int threads = 0;
        for (FdtNode n : root.descendants()) {
            String type = n.string("device_type").orElse("");
            if (type.equals("memory")) {
                List<ReserveEntry> reg = n.value("reg")
                        .map(v -> pairs(
                                v, Cells.regAddressCells(n), Cells.regSizeCells(n), source + ":" + n.path() + "/reg"))
                        .orElse(List.of());
                memory.add(new KdumpFdtFacts.MemoryNode(n.path(), reg, n.value("linux,usable-memory")));
            } else if (type.equals("cpu")) {
                threads += CpuNodes.threads(n);
            } else if (type.equals("pci")) {
                Optional<byte[]> b = n.value("linux,tce-base");
                Optional<byte[]> s = n.value("linux,tce-size");
                if (b.isPresent() && s.isPresent()) {
                    region(
                            firmware,
                            RegionKind.TCE,
                            Cells.number(n, "linux,tce-base", b.get(), 2),
                            Cells.number(n, "linux,tce-size", s.get(), 1),
                            n.path());
                }
            }
        }
        fdt.node("/rtas").ifPresent(n -> {
            Optional<byte[]> b = n.value("linux,rtas-base");
            Optional<byte[]> s = n.value("rtas-size");
            if (b.isPresent() && s.isPresent()) {
                region(
                        firmware,
                        RegionKind.RTAS,
                        Cells.number(n, "linux,rtas-base", b.get(), 1),
                        Cells.number(n, "rtas-size", s.get(), 1),
                        "/rtas");
            }
        });
        fdt.node("/ibm,opal").ifPresent(n -> {
            Optional<byte[]> b = n.value("opal-base-address");
            Optional<byte[]> s = n.value("opal-runtime-size");
            if (b.isPresent() && s.isPresent()) {
                region(
                        firmware,
                        RegionKind.OPAL,
                        Cells.number(n, "opal-base-address", b.get(), 2),
                        Cells.number(n, "opal-runtime-size", s.get(), 2),
                        "/ibm,opal");
            }
        });
        root.value("reserved-ranges").ifPresent(v -> {
            for (ReserveEntry e : pairs(v, ac, sc, source + ":/reserved-ranges")) {
                region(firmware, RegionKind.RESERVED_RANGES, e.address(), e.size(), "/reserved-ranges");
            }
        });

        Optional<KdumpFdtFacts.Drconf> drconf = DrconfMemory.of(fdt).map(d -> {
            long[] base = new long[d.count()];
            int[] flags = new int[d.count()];
            for (int i = 0; i < d.count(); i++) {
                base[i] = d.base(i);
                flags[i] = d.flags(i);
            }
            Optional<byte[]> usm = fdt.node(DrconfMemory.NODE).flatMap(n -> n.value("linux,drconf-usable-memory"));
            return new KdumpFdtFacts.Drconf(d.lmbSize(), base, flags, usm);
        });
        return new KdumpFdtFacts(
                source,
                totalSize,
                ac,
                sc,
                new ArrayList<>(fdt.reserveMap()),
                bootargs,
                elfcorehdr,
                usableRange,
                initrdStart,
                initrdEnd,
                memory,
                drconf,
                firmware,
                threads);
    }

    private static void region(List<Region> out, RegionKind kind, long base, long size, String where) {
        if (size != 0) {
            out.add(new Region(kind, MemRange.ofSize(base, size), where));
        }
    }

    /** (address, size) tuples; a trailing partial tuple is bad input. */
    static List<ReserveEntry> pairs(byte[] v, int ac, int sc, String where) {
        int tuple = (ac + sc) * 4;
        if (v.length % tuple != 0) {
            throw JkexecException.badInput(
                    where,
                    v.length + " bytes is not a whole number of " + ac + "+" + sc + "-cell (address, size) pairs");
        }
        List<ReserveEntry> out = new ArrayList<>();
        for (int o = 0; o < v.length; o += tuple) {
            out.add(new ReserveEntry(wide(v, o, ac, where), wide(v, o + ac * 4, sc, where)));
        }
        return out;
    }

    private static long wide(byte[] v, int o, int cells, String where) {
        for (int i = 0; i < cells - 2; i++) {
            if (Cells.u32(v, o + 4 * i) != 0) {
                throw JkexecException.badInput(where, "value does not fit in 64 bits");
            }
        }
        return cells > 2 ? Cells.read(v, o + 4 * (cells - 2), 2) : Cells.read(v, o, cells);
    }

    /** A one- or two-cell number (the kernel reads initrd-start/end with of_read_number of any length). */
    private static OptionalLong anyCells(Optional<FdtNode> node, String name) {
        if (node.isEmpty()) {
            return OptionalLong.empty();
        }
        Optional<byte[]> v = node.get().value(name);
        if (v.isEmpty() || v.get().length < 4) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Cells.number(v.get()));
    }
}
