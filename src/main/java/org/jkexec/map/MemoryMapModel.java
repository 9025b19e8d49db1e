package org.jkexec.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.Segment;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.DrconfMemory;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.RamLayout;
import org.jkexec.ppc64.Region;
import org.jkexec.ppc64.SpecialRegions;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;

/**
 * What the memory map shows, independent of how it is drawn: a title, the regions (RAM runs,
 * the crashkernel, excluded regions, the backup source, placed segments) and the window the
 * detail panel zooms on (normally the crashkernel).
 *
 * @param title       one line naming the machine
 * @param regions     every region, any order; RAM runs must not overlap each other
 * @param focusWindow the window of the detail panel, or null for none
 */
public record MemoryMapModel(String title, List<MapRegion> regions, MapRegion focusWindow) {
    /** Size of the first-kernel memory the purgatory copies to the backup segment. */
    public MemoryMapModel {
        Objects.requireNonNull(title);
        List<MapRegion> sorted = new ArrayList<>(regions);
        sorted.sort(
                Comparator.comparing(MapRegion::start, Long::compareUnsigned).thenComparing(MapRegion::layer));
        regions = List.copyOf(sorted);
    }

    /**
     * The map of a machine and a plan. Reads the machine's RAM, its LMBs (unassigned runs), its
     * special regions, its crashkernel and the plan's segments.
     */
    public static MemoryMapModel from(Ppc64Machine machine, KdumpPlan plan) {
        List<MapRegion> ram = LmbRuns.mergedRam(machine.systemRam(), "System RAM");
        List<MapRegion> out = new ArrayList<>(ram);
        Optional<DrconfMemory> drconf = DrconfMemory.of(machine.liveTree());
        drconf.ifPresent(d -> out.addAll(
                LmbRuns.subtract(LmbRuns.runs(d.count(), d::base, d.lmbSize(), d::isUsable, Boolean.FALSE), ram)));
        for (Region r : new SpecialRegions(machine).all()) {
            if (drawable(r.range())) {
                out.add(new MapRegion(
                        MapLayer.forRegion(r.kind()),
                        r.kind().label(),
                        r.range().start(),
                        r.range().end()));
            }
        }
        for (MemRange cma : machine.crashkernelCma()) {
            out.add(new MapRegion(MapLayer.CRASHKERNEL_CMA, "crashkernel CMA", cma.start(), cma.end()));
        }
        MemRange ck = machine.crashkernel();
        MapRegion focus =
                drawable(ck) ? new MapRegion(MapLayer.CRASHKERNEL, "crashkernel", ck.start(), ck.end()) : null;
        boolean backup = false;
        for (Segment s : plan.segments()) {
            if (s.memsz() == 0) {
                continue;
            }
            MapLayer layer = MapLayer.forSegment(s.kind());
            String label = s.kind().label();
            if (layer == MapLayer.SEG_BACKUP) {
                backup = true;
                label = "backup (copy of [0, 64 KiB))";
            }
            out.add(new MapRegion(layer, label, s.mem(), s.end()));
        }
        if (backup) {
            out.add(new MapRegion(
                    MapLayer.BACKUP_SOURCE,
                    "backup source -> " + Hex.hex(plan.backupStart()),
                    BackupRegion.SOURCE.start(),
                    BackupRegion.SOURCE.start() + plan.backupSize() - 1));
        }
        return new MemoryMapModel(machine.source(), out, focus);
    }

    /** A real range: not inverted, not the whole 2^64 space (what an absent reservation may look like). */
    private static boolean drawable(MemRange r) {
        return Long.compareUnsigned(r.start(), r.end()) <= 0 && r.size() != 0;
    }

    /** Regions of one layer, ascending. */
    public List<MapRegion> regions(MapLayer layer) {
        return regions.stream().filter(r -> r.layer() == layer).toList();
    }

    /** Regions of one row, ascending. */
    public List<MapRegion> regions(MapRow row) {
        return regions.stream().filter(r -> r.layer().row() == row).toList();
    }

    /** Lowest address shown (0 when RAM starts there). */
    public long lowest() {
        return regions.stream().map(MapRegion::start).min(Long::compareUnsigned).orElse(0L);
    }

    /** Highest address shown (inclusive). */
    public long highest() {
        return regions.stream()
                .map(MapRegion::endInclusive)
                .max(Long::compareUnsigned)
                .orElse(0L);
    }

    /**
     * The low-memory window: from 0 to the end of the running kernel or of the backup source,
     * whichever is higher; empty when neither is on the map.
     */
    public Optional<MapRegion> lowWindow() {
        long end = -1;
        for (MapRegion r : regions) {
            if ((r.layer() == MapLayer.KERNEL || r.layer() == MapLayer.BACKUP_SOURCE) && r.start() == 0) {
                end = Math.max(end, r.endInclusive());
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        return Optional.of(new MapRegion(MapLayer.KERNEL, "low memory", 0, end));
    }

    /** One line: RAM (in {@link RamLayout}'s words, as the plan says it), unassigned RAM, crashkernel, segments. */
    public String summary() {
        List<MemRange> ram = new ArrayList<>();
        long unassigned = 0;
        int segs = 0;
        long segBytes = 0;
        for (MapRegion r : regions) {
            switch (r.layer()) {
                case RAM -> ram.add(new MemRange(r.start(), r.endInclusive()));
                case RAM_UNASSIGNED -> unassigned += r.size();
                default -> {
                    if (r.layer().row() == MapRow.KEXEC && r.layer() != MapLayer.BACKUP_SOURCE) {
                        segs++;
                        segBytes += r.size();
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder(RamLayout.describe(ram));
        if (unassigned != 0) {
            sb.append(" (+").append(ByteSize.text(unassigned)).append(" unassigned)");
        }
        if (focusWindow != null) {
            sb.append(" | crashkernel ")
                    .append(ByteSize.text(focusWindow.size()))
                    .append(" at ")
                    .append(Hex.hex(focusWindow.start()));
        }
        sb.append(" | ").append(segs).append(segs == 1 ? " segment" : " segments");
        if (segs > 0) {
            sb.append(", ").append(ByteSize.text(segBytes));
        }
        return sb.toString();
    }
}
