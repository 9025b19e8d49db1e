package org.jkexec.verify;

import static org.jkexec.units.Hex.hex;
import static org.jkexec.verify.CheckResult.skip;
import static org.jkexec.verify.Ranges.entry;
import static org.jkexec.verify.Ranges.lbl;
import static org.jkexec.verify.Ranges.str;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.ppc64.Region;
import org.jkexec.ppc64.RegionKind;

/** The kdump kernel's memory: confined to crashkernel and the low memory below it, the rest reserved, firmware regions reserved. */
final class UsableMemoryChecks implements CheckFamily {
    private final CheckContext ctx;

    UsableMemoryChecks(CheckContext context) {
        this.ctx = context;
    }

    @Override
    public Map<CheckId, Supplier<CheckResult>> checks() {
        Map<CheckId, Supplier<CheckResult>> checks = new EnumMap<>(CheckId.class);
        checks.put(CheckId.USABLE_CONFINED, this::usableConfined);
        checks.put(CheckId.USABLE_RESERVED, this::usableReserved);
        checks.put(CheckId.RESERVE_FIRMWARE, this::reserveFirmware);
        return checks;
    }

    CheckResult usableConfined() {
        CheckId id = CheckId.USABLE_CONFINED;
        if (ctx.usable.isEmpty()) {
            return skip(id, "no FDT given");
        }
        if (ctx.crash.isEmpty()) {
            return skip(id, "crashkernel is unknown (give --capture or a plan)");
        }
        KdumpUsableMemory u = ctx.usable.get();
        MemRange ck = ctx.crash.get().range();
        Findings f = new Findings();
        u.problems().forEach(f::fail);
        u.warnings().forEach(f::warn);
        if (u.ranges().isEmpty()) {
            f.fail("no usable memory at all: no memory node and no LMB gives the kdump kernel any memory");
            return f.done(id);
        }
        List<MemRange> allowed = new ArrayList<>(ctx.cma);
        allowed.add(new MemRange(0, ck.end()));
        for (Region r : ctx.firmwareRegions()) {
            if (r.kind() != RegionKind.RESERVED_RANGES) {
                allowed.add(r.range());
            }
        }
        for (KdumpUsableMemory.Origin o : u.ranges()) {
            for (MemRange x :
                    RangeSet.of(List.of(o.range())).minus(RangeSet.of(allowed)).ranges()) {
                f.fail(o.from() + " makes " + str(x) + " usable: outside crashkernel " + str(ck)
                        + (ctx.cma.isEmpty() ? "" : ", its CMA areas")
                        + " and the low memory below it; the kdump kernel would run over the crashed kernel's memory");
            }
        }
        List<MemRange> ckRam = ctx.ram
                .map(r -> RangeSet.of(r.value())
                        .intersect(RangeSet.of(List.of(ck)))
                        .ranges())
                .orElse(List.of(ck));
        List<MemRange> missing = RangeSet.of(ckRam).minus(RangeSet.of(u.list())).ranges();
        if (!missing.isEmpty()) {
            if (RangeSet.of(missing).total() == RangeSet.of(ckRam).total()) {
                f.fail("none of crashkernel " + str(ck) + " is usable: the kdump kernel has no memory of its own");
            } else {
                f.warn("part of crashkernel is not usable: " + str(missing));
            }
        }
        if (ctx.in.fdt().get().usableMemoryRange().isEmpty()) {
            f.info("no /chosen/linux,usable-memory-range (kexec-tools does not write it; ppc64 does not read it)");
        } else {
            ReserveEntry e = ctx.in.fdt().get().usableMemoryRange().get(0);
            if (e.address() != ck.start() || e.size() != ck.size()) {
                f.fail("/chosen/linux,usable-memory-range " + entry(e) + " is not crashkernel " + str(ck));
            }
        }
        f.info("usable: " + str(u.list()) + " (low memory [0x0-" + hex(ck.start() - 1) + "] + crashkernel " + str(ck)
                + " from " + ctx.crash.get().source()
                + (ctx.cma.isEmpty() ? "" : " + CMA areas " + str(ctx.cma)) + ")");
        return f.done(id);
    }

    CheckResult usableReserved() {
        CheckId id = CheckId.USABLE_RESERVED;
        if (ctx.usable.isEmpty()) {
            return skip(id, "no FDT given");
        }
        if (ctx.crash.isEmpty()) {
            return skip(id, "crashkernel is unknown (give --capture or a plan)");
        }
        MemRange ck = ctx.crash.get().range();
        Findings f = new Findings();
        List<MemRange> ownMemory = new ArrayList<>(ctx.cma);
        ownMemory.add(ck);
        ownMemory.add(ctx.backupSrc);
        List<MemRange> outside = RangeSet.of(ctx.usable.get().list())
                .minus(RangeSet.of(ownMemory))
                .ranges();
        List<MemRange> rsv = ctx.reserveUnion();
        List<MemRange> unreserved = RangeSet.of(outside).minus(RangeSet.of(rsv)).ranges();
        ReserveEntry low = new ReserveEntry(ctx.backupSize, ck.start() - ctx.backupSize);
        boolean hasLow = ctx.in.fdt().get().reserveMap().contains(low);
        for (MemRange x : unreserved) {
            f.fail(str(x)
                    + " is usable but not reserved: the kdump kernel may allocate there and overwrite the crashed "
                    + "kernel's memory before it is dumped" + (hasLow ? "" : "; expected reserve entry " + entry(low)));
        }
        if (unreserved.isEmpty()) {
            f.info(
                    outside.isEmpty()
                            ? "nothing outside crashkernel is usable"
                            : "usable outside crashkernel: " + str(outside) + ", all reserved"
                                    + (hasLow ? " (entry " + entry(low) + ")" : ""));
        }
        f.info(str(ctx.backupSrc) + " is usable on purpose: the purgatory saved it to the backup copy");
        return f.done(id);
    }

    // ---------------------------------------------------------------- reserve.firmware

    CheckResult reserveFirmware() {
        CheckId id = CheckId.RESERVE_FIRMWARE;
        if (ctx.in.fdt().isEmpty()) {
            return skip(id, "no FDT given");
        }
        Findings f = new Findings();
        List<MemRange> rsv = ctx.reserveUnion();
        List<String> ok = new ArrayList<>();
        List<Region> regions = new ArrayList<>(ctx.firmwareRegions());
        if (!ctx.exp.hasMachine()) {
            // the kdump FDT lacks what only the live tree has (linux,tce-base/size): the plan's reserved list has it
            for (MemRange m : ctx.plan.flatMap(PlanFacts::reserved).orElse(List.of())) {
                if (regions.stream().noneMatch(g -> g.range().equals(m))) {
                    regions.add(new Region(RegionKind.RESERVED_RANGES, m, "the plan's reserved ranges"));
                }
            }
        }
        for (Region r : regions) {
            List<MemRange> miss =
                    RangeSet.of(List.of(r.range())).minus(RangeSet.of(rsv)).ranges();
            if (!miss.isEmpty()) {
                f.fail(lbl(r) + " (" + r.source() + ") is not reserved"
                        + (miss.size() == 1 && miss.get(0).equals(r.range()) ? "" : " (" + str(miss) + ")")
                        + ": the kdump kernel may overwrite firmware memory");
            } else {
                ok.add(lbl(r));
            }
        }
        f.info(
                ok.isEmpty() && f.problems.isEmpty()
                        ? "no RTAS, OPAL or TCE regions (" + ctx.firmwareSource() + ")"
                        : "reserved: " + (ok.isEmpty() ? "none" : String.join(", ", ok)) + " (regions from "
                                + ctx.firmwareSource() + ")");
        return f.done(id);
    }
}
