package org.jkexec.map;

import java.util.ArrayList;
import java.util.List;

/** Models of real-looking machines for the renderer tests. */
public final class MapFixtures {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long TIB = 1L << 40;
    static final long LMB = 256 * MIB;
    static final int LMBS_64T = 262_144;

    private MapFixtures() {}

    /** The 4 GiB, 2-CPU pseries reference machine with crashkernel=512M@512M and its 6.12 plan. */
    public static MemoryMapModel reference4g() {
        List<MapRegion> r = new ArrayList<>();
        r.add(new MapRegion(MapLayer.RAM, "System RAM", 0, 4 * GIB - 1));
        r.add(new MapRegion(MapLayer.CRASHKERNEL, "crashkernel", 0x20000000L, 0x3fffffffL));
        r.add(new MapRegion(MapLayer.KERNEL, "kernel [0, _end)", 0, 0x7ddfffL));
        r.add(new MapRegion(MapLayer.RTAS, "RTAS", 0x2ffff000L, 0x2ffff83bL));
        r.add(new MapRegion(MapLayer.SEG_KERNEL, "kernel", 0x20000000L, 0x207ddfffL));
        r.add(new MapRegion(MapLayer.SEG_PURGATORY, "purgatory", 0x3ffff000L, 0x3fffffffL));
        r.add(new MapRegion(MapLayer.SEG_BACKUP, "backup (copy of [0, 64 KiB))", 0x207e0000L, 0x207effffL));
        r.add(new MapRegion(MapLayer.SEG_ELFCOREHDR, "elfcorehdr", 0x207f0000L, 0x20860fffL));
        r.add(new MapRegion(MapLayer.SEG_INITRD, "initrd", 0x20861000L, 0x20b3efffL));
        r.add(new MapRegion(MapLayer.SEG_FDT, "fdt", 0x3fff6000L, 0x3fffefffL));
        r.add(new MapRegion(MapLayer.BACKUP_SOURCE, "backup source -> 0x207e0000", 0, 0xffffL));
        return new MemoryMapModel(
                "pseries-4g-2cpu-crash512m (4 GiB, 2 CPUs)",
                r,
                new MapRegion(MapLayer.CRASHKERNEL, "crashkernel", 0x20000000L, 0x3fffffffL));
    }

    /** Whether LMB i of the 64 TiB machine is assigned: a hot-removed block, a few strays, an unassigned tail. */
    static boolean assigned64t(int i) {
        if (i >= 8192 && i < 8192 + 1024) {
            return false;
        }
        if (i >= 100_000 && i < 100_016) {
            return false;
        }
        if (i > 0 && i % 20_000 == 0) {
            return false;
        }
        return i < 245_760;
    }

    /** 64 TiB PowerVM LPAR: 262,144 LMBs of 256 MiB, some unassigned, crashkernel 4 GiB at 512 MiB. */
    public static MemoryMapModel huge64t() {
        List<MapRegion> r = new ArrayList<>(LmbRuns.runs(LMBS_64T, i -> i * LMB, LMB, MapFixtures::assigned64t, null));
        long ck = 512 * MIB;
        long ckEnd = ck + 4 * GIB - 1;
        r.add(new MapRegion(MapLayer.CRASHKERNEL, "crashkernel", ck, ckEnd));
        r.add(new MapRegion(MapLayer.KERNEL, "kernel [0, _end)", 0, 0x2ffffffL));
        r.add(MapRegion.ofSize(MapLayer.RTAS, "RTAS", 0x2fff0000L, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_KERNEL, "kernel", 0x20000000L, 0x2000000));
        r.add(MapRegion.ofSize(MapLayer.SEG_BACKUP, "backup (copy of [0, 64 KiB))", 0x22000000L, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_ELFCOREHDR, "elfcorehdr", 0x22010000L, 0x50000));
        r.add(MapRegion.ofSize(MapLayer.SEG_INITRD, "initrd", 0x22060000L, 0x1000000));
        r.add(MapRegion.ofSize(MapLayer.SEG_FDT, "fdt", 0x11f600000L, 0x9ff000));
        r.add(MapRegion.ofSize(MapLayer.SEG_PURGATORY, "purgatory", 0x11ffff000L, 0x1000));
        r.add(MapRegion.ofSize(MapLayer.BACKUP_SOURCE, "backup source -> 0x22000000", 0, 0x10000));
        return new MemoryMapModel(
                "synthetic 64 TiB, 262144 LMBs of 256 MiB (drconf v2), 1920 CPUs",
                r,
                new MapRegion(MapLayer.CRASHKERNEL, "crashkernel", ck, ckEnd));
    }

    /**
     * A crowded PowerNV-like machine: two memory nodes far apart, OPAL inside the crashkernel and
     * covered again by firmware reserved-ranges (overlapping excluded regions), TCE tables, a hash
     * page table, a retained initrd.
     */
    public static MemoryMapModel powernv() {
        List<MapRegion> r = new ArrayList<>();
        r.add(new MapRegion(MapLayer.RAM, "System RAM (node 0)", 0, 32 * GIB - 1));
        r.add(MapRegion.ofSize(MapLayer.RAM, "System RAM (node 8)", 0x200000000000L, 32 * GIB));
        long ck = 512 * MIB;
        r.add(MapRegion.ofSize(MapLayer.CRASHKERNEL, "crashkernel", ck, GIB));
        r.add(new MapRegion(MapLayer.KERNEL, "kernel [0, _end)", 0, 0x1ffffffL));
        r.add(MapRegion.ofSize(MapLayer.OPAL, "OPAL", 0x30000000L, 0x1000000));
        r.add(MapRegion.ofSize(MapLayer.RESERVED_RANGES, "firmware reserved-ranges", 0x30000000L, 0x3000000));
        r.add(MapRegion.ofSize(MapLayer.RESERVED_RANGES, "firmware reserved-ranges", 0x7fd800000L, 0x400000));
        r.add(MapRegion.ofSize(MapLayer.RESERVED_RANGES, "firmware reserved-ranges", 0x2007fd800000L, 0x400000));
        for (int i = 0; i < 4; i++) {
            r.add(MapRegion.ofSize(MapLayer.TCE, "TCE table", 0x780000000L + i * 0x800000L, 0x800000));
        }
        r.add(MapRegion.ofSize(MapLayer.HTAB, "hash page table", 0x7c0000000L, 0x10000000));
        r.add(MapRegion.ofSize(MapLayer.RETAINED_INITRD, "retained initrd", 0x2800000L, 0x2800000));
        r.add(MapRegion.ofSize(MapLayer.SEG_KERNEL, "kernel", ck, 0x2000000));
        r.add(MapRegion.ofSize(MapLayer.SEG_BACKUP, "backup (copy of [0, 64 KiB))", ck + 0x2000000, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_ELFCOREHDR, "elfcorehdr", ck + 0x2010000, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_INITRD, "initrd", ck + 0x2020000, 0x2000000));
        r.add(MapRegion.ofSize(MapLayer.SEG_FDT, "fdt", ck + GIB - 0x11000, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_PURGATORY, "purgatory", ck + GIB - 0x1000, 0x1000));
        r.add(MapRegion.ofSize(MapLayer.BACKUP_SOURCE, "backup source -> 0x22000000", 0, 0x10000));
        return new MemoryMapModel(
                "powernv 64 GiB, 2 nodes (crowded)", r, MapRegion.ofSize(MapLayer.CRASHKERNEL, "crashkernel", ck, GIB));
    }

    /**
     * A powernv9-like machine (QEMU powernv9, 4 GiB): RAM 0 - 4 GiB, OPAL and firmware ranges in
     * low memory up to 0x32c02000, and firmware reserved-ranges near 32 TiB, far above RAM.
     */
    public static MemoryMapModel powernv9() {
        List<MapRegion> r = new ArrayList<>();
        r.add(new MapRegion(MapLayer.RAM, "System RAM", 0, 4 * GIB - 1));
        long ck = 256 * MIB;
        r.add(MapRegion.ofSize(MapLayer.CRASHKERNEL, "crashkernel", ck, 512 * MIB));
        r.add(new MapRegion(MapLayer.KERNEL, "kernel [0, _end)", 0, 0x1ffffffL));
        r.add(MapRegion.ofSize(MapLayer.OPAL, "OPAL", 0x30000000L, 0x1000000));
        r.add(new MapRegion(MapLayer.RESERVED_RANGES, "firmware reserved-ranges", 0x31000000L, 0x32c01fffL));
        r.add(MapRegion.ofSize(MapLayer.RESERVED_RANGES, "firmware reserved-ranges", 0x1fff00000000L, 0x10000000));
        r.add(MapRegion.ofSize(MapLayer.SEG_KERNEL, "kernel", ck, 0x2000000));
        r.add(MapRegion.ofSize(MapLayer.SEG_BACKUP, "backup (copy of [0, 64 KiB))", ck + 0x2000000, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_ELFCOREHDR, "elfcorehdr", ck + 0x2010000, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_FDT, "fdt", ck + 512 * MIB - 0x11000, 0x10000));
        r.add(MapRegion.ofSize(MapLayer.SEG_PURGATORY, "purgatory", ck + 512 * MIB - 0x1000, 0x1000));
        r.add(MapRegion.ofSize(MapLayer.BACKUP_SOURCE, "backup source -> 0x12000000", 0, 0x10000));
        return new MemoryMapModel(
                "powernv9 4 GiB", r, MapRegion.ofSize(MapLayer.CRASHKERNEL, "crashkernel", ck, 512 * MIB));
    }
}
