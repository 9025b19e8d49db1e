package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;

/**
 * The per-source range adders of arch/powerpc/kexec/ranges.c, read from the live tree
 * (docs/ppc64-kdump.md#range-lists). Each returns the regions in the order the kernel adds them; an absent source gives
 * nothing; a source that is present but malformed is an error (the kernel fails the load).
 */
public final class SpecialRegions {
    private final Ppc64Machine machine;
    private final Fdt tree;

    /** TCE tables, found once: the only adder that walks the whole tree, and three lists use it. */
    private List<Region> tce;

    public SpecialRegions(Ppc64Machine machine) {
        this.machine = machine;
        this.tree = machine.liveTree();
    }

    /** Every node with device_type "pci" carrying both linux,tce-base (u64) and linux,tce-size (u32). */
    public List<Region> tce() {
        if (tce == null) {
            tce = List.copyOf(findTce());
        }
        return tce;
    }

    private List<Region> findTce() {
        List<Region> out = new ArrayList<>();
        for (FdtNode n : tree.root().descendants()) {
            if (!"pci".equals(n.string("device_type").orElse(null))) {
                continue;
            }
            Optional<byte[]> base = n.value("linux,tce-base");
            Optional<byte[]> size = n.value("linux,tce-size");
            if (base.isEmpty() || size.isEmpty()) {
                continue;
            }
            long b = Cells.number(n, "linux,tce-base", base.get(), 2);
            long s = Cells.number(n, "linux,tce-size", size.get(), 1);
            add(out, RegionKind.TCE, b, s, n.path());
        }
        return out;
    }

    /** The running kernel's initrd, only when booted with retain_initrd (size end - start + 1, as the kernel adds it). */
    public List<Region> initrd() {
        List<Region> out = new ArrayList<>();
        if (!machine.retainInitrd()) {
            return out;
        }
        tree.node("/chosen")
                .ifPresent(c -> ChosenInitrd.of(c).ifPresent(i -> {
                    if (!i.cellsValid() || Long.compareUnsigned(i.end(), i.start()) < 0) {
                        throw JkexecException.badInput(
                                c.path(),
                                "linux,initrd-start/end do not describe a range: " + Long.toHexString(i.start()) + ".."
                                        + Long.toHexString(i.end()));
                    }
                    add(out, RegionKind.INITRD, i.start(), i.end() - i.start() + 1, "/chosen/linux,initrd-*");
                }));
        return out;
    }

    /** Hash page table (hash MMU only): /chosen linux,htab-base, linux,htab-size. */
    public List<Region> htab() {
        List<Region> out = new ArrayList<>();
        tree.node("/chosen").ifPresent(c -> {
            Optional<Long> b = c.u64("linux,htab-base");
            Optional<Long> s = c.u64("linux,htab-size");
            if (b.isPresent() && s.isPresent()) {
                add(out, RegionKind.HTAB, b.get(), s.get(), "/chosen/linux,htab-*");
            }
        });
        return out;
    }

    /** The running kernel: [0, _end). */
    public List<Region> kernel() {
        List<Region> out = new ArrayList<>();
        add(out, RegionKind.KERNEL, 0, machine.kernelEnd(), "kernel _end");
        return out;
    }

    /** /rtas linux,rtas-base and rtas-size (both u32). */
    public List<Region> rtas() {
        return firmwareRegion(RegionKind.RTAS, "/rtas", "linux,rtas-base", "rtas-size", 1);
    }

    /** /ibm,opal opal-base-address and opal-runtime-size (both u64). */
    public List<Region> opal() {
        return firmwareRegion(RegionKind.OPAL, "/ibm,opal", "opal-base-address", "opal-runtime-size", 2);
    }

    /** The region a firmware node gives as a base and a size property, if the node exists. */
    private List<Region> firmwareRegion(RegionKind kind, String path, String baseName, String sizeName, int cells) {
        List<Region> out = new ArrayList<>();
        tree.node(path)
                .ifPresent(n -> add(out, kind, required(n, baseName, cells), required(n, sizeName, cells), path));
        return out;
    }

    /** OPAL base and entry for the purgatory's r8/r9; empty without /ibm,opal. */
    public Optional<long[]> opalBaseAndEntry() {
        return tree.node("/ibm,opal")
                .map(n -> new long[] {required(n, "opal-base-address", 2), required(n, "opal-entry-address", 2)});
    }

    /** Root property reserved-ranges: (address, size) tuples in the root's cells. */
    public List<Region> reservedRanges() {
        List<Region> out = new ArrayList<>();
        FdtNode root = tree.root();
        Optional<byte[]> v = root.value("reserved-ranges");
        if (v.isEmpty()) {
            return out;
        }
        int ac = Cells.addressCells(root);
        int sc = Cells.sizeCells(root);
        int tuple = (ac + sc) * 4;
        byte[] bytes = v.get();
        for (int o = 0; o + tuple <= bytes.length; o += tuple) {
            long b = Cells.read(bytes, o, ac);
            long s = Cells.read(bytes, o + ac * 4, sc);
            add(out, RegionKind.RESERVED_RANGES, b, s, "/reserved-ranges");
        }
        return out;
    }

    public Region crashkernel() {
        return new Region(RegionKind.CRASHKERNEL, machine.crashkernel(), "crashkernel");
    }

    /** Every special region, for display. */
    public List<Region> all() {
        List<Region> out = new ArrayList<>();
        out.addAll(kernel());
        out.addAll(rtas());
        out.addAll(opal());
        out.addAll(tce());
        out.addAll(htab());
        out.addAll(initrd());
        out.addAll(reservedRanges());
        out.add(crashkernel());
        return out;
    }

    private static long required(FdtNode n, String name, int cells) {
        byte[] v = n.value(name)
                .orElseThrow(() -> JkexecException.badInput(
                        n.path(), "has no " + name + " (the kernel refuses a kdump load without it)"));
        return Cells.number(n, name, v, cells);
    }

    private void add(List<Region> out, RegionKind kind, long base, long size, String source) {
        if (size != 0) {
            out.add(new Region(kind, MemRange.ofSize(base, size, machine.source() + " " + source), source));
        }
    }
}
