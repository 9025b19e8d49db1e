package org.jkexec.testutil;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.Segment;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.memory.RangeSet;
import org.jkexec.ppc64.KdumpRanges;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.SpecialRegions;

/**
 * What every plan jkexec makes must satisfy, whatever the machine: the checks of the property
 * test and of the fuzz targets. Each failure is an AssertionError naming the broken rule.
 */
public final class PlanInvariants {
    private PlanInvariants() {}

    public static void check(Ppc64Machine m, KdumpPlan plan) {
        MemRange ck = m.crashkernel();
        long page = m.pageSize();
        List<Segment> byAddress = plan.segmentsByAddress();
        MemRanges exclude = new KdumpRanges(m).exclude(); // the plan's own list has the placed segments added
        Segment prev = null;
        for (Segment s : byAddress) {
            require(s.memsz() > 0, () -> "segment " + s.kind() + " is empty");
            require(
                    (s.mem() & (page - 1)) == 0 && (s.memsz() & (page - 1)) == 0,
                    () -> "segment " + s.kind() + " at 0x" + Long.toHexString(s.mem()) + " is not page-aligned");
            MemRange r = new MemRange(s.mem(), s.end());
            require(Long.compareUnsigned(r.end(), r.start()) >= 0, () -> "segment " + s.kind() + " wraps");
            require(ck.contains(r), () -> "segment " + s.kind() + " " + r + " is outside crashkernel " + ck);
            require(
                    !exclude.intersects(r.start(), r.end()),
                    () -> "segment " + s.kind() + " " + r + " touches an excluded range");
            Segment before = prev;
            if (before != null) {
                require(
                        Long.compareUnsigned(before.end(), s.mem()) < 0,
                        () -> "segments " + before.kind() + " and " + s.kind() + " overlap");
            }
            prev = s;
        }
        // the dump: every PT_LOAD in RAM, none in crashkernel except the backup copy of the first
        // 64 KiB and the firmware regions the kernel adds to the dump wherever they are (RTAS, OPAL)
        SpecialRegions regions = new SpecialRegions(m);
        List<MemRange> firmware = new ArrayList<>();
        regions.rtas().forEach(r -> firmware.add(r.range()));
        regions.opal().forEach(r -> firmware.add(r.range()));
        Segment backup = plan.segment(org.jkexec.kexec.SegmentKind.BACKUP);
        MemRange backupRange = new MemRange(backup.mem(), backup.mem() + plan.backupSize() - 1);
        ElfFile core = ElfFile.parse(plan.elfCoreHeader(), "elfcorehdr");
        List<MemRange> dumped = new ArrayList<>();
        for (ProgramHeader ph : core.programHeaders()) {
            if (!ph.isLoad()) {
                continue;
            }
            MemRange r = MemRange.ofSize(ph.paddr(), ph.memsz());
            require(Long.compareUnsigned(r.end(), r.start()) >= 0, () -> "PT_LOAD " + r + " wraps");
            require(insideAll(m.systemRam(), r), () -> "PT_LOAD " + r + " is not inside System RAM");
            require(
                    !r.intersects(ck)
                            || backupRange.contains(r)
                            || firmware.stream().anyMatch(f -> f.contains(r)),
                    () -> "PT_LOAD " + r + " reads crashkernel " + ck);
            // crashkernel=SIZE,cma areas hold the first kernel's movable pages: left out, as the kernel does
            for (MemRange cma : m.crashkernelCma()) {
                require(
                        !r.intersects(cma) || firmware.stream().anyMatch(f -> f.contains(r)),
                        () -> "PT_LOAD " + r + " reads the crashkernel CMA area " + cma);
            }
            dumped.add(r);
        }
        // and the dump is complete: all RAM but crashkernel and the CMA areas
        List<MemRange> notDumped = new ArrayList<>(m.crashkernelCma());
        notDumped.add(ck);
        List<MemRange> missing = RangeSet.of(m.systemRam())
                .minus(RangeSet.of(notDumped))
                .minus(RangeSet.of(dumped))
                .ranges();
        require(missing.isEmpty(), () -> "RAM " + missing + " is in no PT_LOAD");
        // the kdump kernel may use every CMA area: the usable list the FDT is written from holds each
        RangeSet usable = RangeSet.of(plan.usableRanges().toList());
        for (MemRange cma : m.crashkernelCma()) {
            require(
                    RangeSet.of(List.of(cma)).minus(usable).ranges().isEmpty(),
                    () -> "the crashkernel CMA area " + cma + " is not in the kdump kernel's usable memory");
        }
        // the kdump FDT parses back to the same tree; the reserved ranges the plan adds to its
        // reserve map are sorted (the boot FDT's own entries keep the kernel's order before them),
        // each is in the map, and no entry wraps
        Fdt back = Fdt.parse(plan.kdumpFdtBlob(), "kdump.dtb");
        require(back.firstDifference(plan.kdumpFdt()).isEmpty(), () -> "the kdump FDT does not parse back to itself");
        List<MemRange> reserved = plan.reservedRanges().toList();
        for (int i = 1; i < reserved.size(); i++) {
            require(
                    Long.compareUnsigned(
                                    reserved.get(i - 1).start(), reserved.get(i).start())
                            <= 0,
                    () -> "reserved ranges not sorted: " + reserved);
        }
        List<ReserveEntry> map = back.reserveMap();
        for (ReserveEntry e : map) {
            require(
                    Long.compareUnsigned(e.address() + e.size() - 1, e.address()) >= 0,
                    () -> "reserve map entry wraps: " + e);
        }
        for (MemRange r : reserved) {
            require(
                    map.stream().anyMatch(e -> e.address() == r.start() && e.size() == r.size()),
                    () -> "reserved range " + r + " missing from the reserve map");
        }
    }

    private static boolean insideAll(List<MemRange> ram, MemRange r) {
        MemRanges left = MemRanges.of(new ArrayList<>(List.of(r)));
        for (MemRange x : ram) {
            left.exclude(x.start(), x.end());
        }
        return left.isEmpty();
    }

    private static void require(boolean ok, Supplier<String> rule) {
        if (!ok) { // the message is made only then: fuzzing checks millions of plans
            throw new AssertionError(rule.get());
        }
    }
}
