package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;

/**
 * The four range lists of a ppc64 kdump load (docs/ppc64-kdump.md#range-lists), built in the kernel's insertion order
 * so that widening, merging and PT_LOAD order come out as the kernel's.
 */
public final class KdumpRanges {
    /** First 64 KiB of RAM: copied by the purgatory to the backup segment (crashdump-ppc64.h). */
    private final Ppc64Machine machine;

    private final SpecialRegions regions;
    /** Bytes of physical 0.. saved by the purgatory: the kernel's 64 KiB, or more (see LowMemory). */
    private final long backupSize;

    public KdumpRanges(Ppc64Machine machine) {
        this(machine, BackupRegion.SIZE);
    }

    public KdumpRanges(Ppc64Machine machine, long backupSize) {
        this.machine = machine;
        this.regions = new SpecialRegions(machine);
        this.backupSize = backupSize;
    }

    public long backupSize() {
        return backupSize;
    }

    public SpecialRegions regions() {
        return regions;
    }

    /** get_exclude_memory_ranges: TCE, initrd, htab, kernel, RTAS, OPAL, reserved-ranges; sorted and merged. */
    public MemRanges exclude() {
        MemRanges r = new MemRanges();
        addAll(r, regions.tce());
        addAll(r, regions.initrd());
        addAll(r, regions.htab());
        addAll(r, regions.kernel());
        addAll(r, regions.rtas());
        addAll(r, regions.opal());
        addAll(r, regions.reservedRanges());
        r.sort(true);
        return r;
    }

    /**
     * get_usable_memory_ranges: [0, crashkernel end], the crashkernel=SIZE,cma areas (Linux 6.17
     * and later), RTAS, OPAL, TCE; insertion order, no sort.
     */
    public MemRanges usable() {
        MemRanges r = new MemRanges();
        r.add(0, machine.crashkernel().end() + 1);
        for (MemRange cma : machine.crashkernelCma()) {
            r.add(cma);
        }
        addAll(r, regions.rtas());
        addAll(r, regions.opal());
        addAll(r, regions.tce());
        return r;
    }

    /**
     * get_crash_memory_ranges: RAM (the backup region split off), merged whenever the list fills
     * its capacity, crashkernel and then each CMA area excluded (crash_exclude_core_ranges, the
     * list grown first whenever it is full), RTAS and OPAL added, the backup region as its own
     * entry, then sorted without merging: one PT_LOAD per entry.
     */
    public MemRanges crash() {
        MemRanges r = new MemRanges();
        for (MemRange ram : machine.systemRam()) {
            long base = ram.start();
            long size = ram.size();
            if (base == BackupRegion.SOURCE.start()) {
                if (Long.compareUnsigned(size, backupSize) > 0) {
                    base = BackupRegion.SOURCE.start() + backupSize;
                    size -= backupSize;
                } else {
                    continue;
                }
            }
            r.add(base, size);
            if (r.size() == r.capacity()) {
                r.sort(true);
            }
        }
        List<MemRange> excluded = new ArrayList<>();
        excluded.add(machine.crashkernel());
        excluded.addAll(machine.crashkernelCma());
        for (MemRange x : excluded) {
            if (r.size() == r.capacity()) {
                r.grow();
            }
            r.exclude(x.start(), x.end());
        }
        addAll(r, regions.rtas());
        addAll(r, regions.opal());
        r.add(BackupRegion.SOURCE.start(), backupSize);
        r.sort(false);
        return r;
    }

    /** get_reserved_memory_ranges: RTAS, TCE, reserved-ranges; never null (empty when none). */
    public MemRanges reserved() {
        MemRanges r = new MemRanges();
        addAll(r, regions.rtas());
        addAll(r, regions.tce());
        addAll(r, regions.reservedRanges());
        return r;
    }

    private static void addAll(MemRanges r, List<Region> list) {
        for (Region g : list) {
            r.add(g.range());
        }
    }
}
