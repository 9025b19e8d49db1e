package org.jkexec.verify;

import static org.jkexec.units.Hex.hex;
import static org.jkexec.verify.CheckResult.skip;
import static org.jkexec.verify.Ranges.entry;
import static org.jkexec.verify.Ranges.str;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.ppc64.Cells;

/** What the kdump kernel got against the plan jkexec made for the load (plan.json). */
final class PlanChecks implements CheckFamily {
    private final CheckContext ctx;

    PlanChecks(CheckContext context) {
        this.ctx = context;
    }

    // ---------------------------------------------------------------- plan

    @Override
    public Map<CheckId, Supplier<CheckResult>> checks() {
        Map<CheckId, Supplier<CheckResult>> checks = new EnumMap<>(CheckId.class);
        if (ctx.plan.isEmpty()) {
            checks.put(CheckId.PLAN, () -> skip(CheckId.PLAN, "no plan given (--plan FILE from 'jkexec plan --json')"));
            return checks;
        }
        PlanFacts p = ctx.plan.get();
        if (ctx.exp.hasMachine()) {
            checks.put(CheckId.PLAN_MACHINE, () -> planMachine(p));
        }
        checks.put(CheckId.PLAN_SEGMENTS, () -> planSegments(p));
        checks.put(CheckId.PLAN_ELFCOREHDR, () -> planElfcorehdr(p));
        checks.put(CheckId.PLAN_RESERVE_MAP, () -> planReserveMap(p));
        checks.put(CheckId.PLAN_USABLE, () -> planUsable(p));
        checks.put(CheckId.PLAN_CRASH_RANGES, () -> planCrashRanges(p));
        checks.put(CheckId.PLAN_CMDLINE, () -> planCmdline(p));
        return checks;
    }

    CheckResult planMachine(PlanFacts p) {
        Findings f = new Findings();
        if (p.crashkernel().isPresent()
                && ctx.exp.crashkernel().isPresent()
                && !p.crashkernel().equals(ctx.exp.crashkernel())) {
            f.fail("the plan's crashkernel " + str(p.crashkernel().get()) + " is not the capture's "
                    + str(ctx.exp.crashkernel().get()));
        }
        if (p.systemRam().isPresent()
                && ctx.exp.systemRam().isPresent()
                && !RangeSet.of(p.systemRam().get())
                        .ranges()
                        .equals(RangeSet.of(ctx.exp.systemRam().get()).ranges())) {
            f.fail("the plan's RAM " + str(p.systemRam().get()) + " is not the capture's "
                    + str(ctx.exp.systemRam().get()));
        }
        if (p.possibleCpus().isPresent()
                && ctx.exp.crashNotes().isPresent()
                && p.possibleCpus().getAsInt() != ctx.exp.crashNotes().get().size()) {
            f.fail("the plan has " + p.possibleCpus().getAsInt() + " possible CPUs, the capture "
                    + ctx.exp.crashNotes().get().size());
        }
        if (f.problems.isEmpty()) {
            f.info("plan " + p.source() + " and capture " + ctx.exp.machineSource() + " agree");
        }
        return f.done(CheckId.PLAN_MACHINE);
    }

    CheckResult planSegments(PlanFacts p) {
        CheckId id = CheckId.PLAN_SEGMENTS;
        if (p.segments().isEmpty()) {
            return skip(id, "the plan lists no segments");
        }
        Findings f = new Findings();
        ctx.crash.ifPresent(c -> {
            for (PlanFacts.PlanSegment s : p.segments()) {
                if (!c.range().contains(s.range())) {
                    f.fail("plan segment " + s.kind() + " " + str(s.range()) + " is outside crashkernel "
                            + str(c.range()));
                }
            }
        });
        List<String> seen = new ArrayList<>();
        p.segment(SegmentKind.ELFCOREHDR).ifPresent(s -> {
            OptionalLong a = ctx.elfcorehdrAddress();
            if (a.isPresent()) {
                if (a.getAsLong() != s.mem()) {
                    f.fail("elfcorehdr segment planned at " + hex(s.mem()) + ", the kdump kernel got elfcorehdr="
                            + hex(a.getAsLong()));
                } else {
                    seen.add("elfcorehdr " + hex(s.mem()));
                }
            }
        });
        p.segment(SegmentKind.BACKUP).ifPresent(b -> planBackup(p, b, f, seen));
        p.segment(SegmentKind.INITRD).ifPresent(r -> ctx.in.fdt().ifPresent(fdt -> planInitrd(r, fdt, f, seen)));
        p.segment(SegmentKind.FDT)
                .ifPresent(t -> ctx.in.fdt().ifPresent(fdt -> {
                    if (t.bufsz() != 0 && t.bufsz() != fdt.totalSize()) {
                        f.fail("FDT segment planned with " + t.bufsz() + " bytes, the kdump kernel's FDT has totalsize "
                                + fdt.totalSize());
                    } else {
                        seen.add("fdt (" + fdt.totalSize() + " bytes)");
                    }
                }));
        f.info(p.segments().size() + " planned segments; confirmed: "
                + (seen.isEmpty() ? "none visible" : String.join(", ", seen)));
        return f.done(id);
    }

    /** The backup copy is where the plan put it: the core header reads it from there, or the reserve map holds it. */
    private void planBackup(PlanFacts p, PlanFacts.PlanSegment s, Findings f, List<String> seen) {
        if (p.backupStart().isPresent() && p.backupStart().getAsLong() != s.mem()) {
            f.fail("the plan's backupStart " + hex(p.backupStart().getAsLong()) + " is not its backup segment "
                    + hex(s.mem()));
        }
        Optional<ProgramHeader> raw = ctx.rawBackupLoad();
        if (raw.isPresent()) {
            if (raw.get().offset() != s.mem()) {
                f.fail("backup segment planned at " + hex(s.mem()) + ", the core header reads the backup from "
                        + hex(raw.get().offset()));
            } else {
                seen.add("backup " + hex(s.mem()));
            }
        } else if (ctx.in.fdt().isPresent()) {
            if (ctx.in.fdt().get().reserveMap().stream()
                    .noneMatch(e -> e.address() == s.mem() && e.size() == ctx.backupSize)) {
                f.fail("backup segment planned at " + hex(s.mem()) + " but the reserve map has no (" + hex(s.mem())
                        + ", " + hex(ctx.backupSize) + ")");
            } else {
                seen.add("backup " + hex(s.mem()) + " (reserve map)");
            }
        }
    }

    /** /chosen's initrd is the planned segment. */
    private static void planInitrd(PlanFacts.PlanSegment s, KdumpFdtFacts fdt, Findings f, List<String> seen) {
        if (fdt.initrdStart().isEmpty()) {
            f.fail("the plan loads an initrd at " + hex(s.mem()) + " but /chosen has no linux,initrd-start");
        } else if (fdt.initrdStart().getAsLong() != s.mem()) {
            f.fail("initrd planned at " + hex(s.mem()) + ", /chosen/linux,initrd-start is "
                    + hex(fdt.initrdStart().getAsLong()));
        } else if (fdt.initrdEnd().isPresent()
                && s.bufsz() != 0
                && fdt.initrdEnd().getAsLong() - s.mem() != s.bufsz()) {
            f.fail("initrd planned with " + hex(s.bufsz()) + " bytes, /chosen says "
                    + hex(fdt.initrdEnd().getAsLong() - s.mem()));
        } else {
            seen.add("initrd " + hex(s.mem()));
        }
    }

    CheckResult planElfcorehdr(PlanFacts p) {
        CheckId id = CheckId.PLAN_ELFCOREHDR;
        if (p.elfcorehdrAddr().isEmpty()) {
            return skip(id, "the plan has no elfcorehdr.addr");
        }
        long want = p.elfcorehdrAddr().getAsLong();
        Findings f = new Findings();
        OptionalLong got = ctx.elfcorehdrAddress();
        if (got.isPresent() && got.getAsLong() != want) {
            f.fail("elfcorehdr=" + hex(got.getAsLong()) + ", the plan says " + hex(want));
        } else if (got.isEmpty() && ctx.cmdline.isPresent()) {
            f.fail("no usable elfcorehdr= on the command line, the plan says " + hex(want));
        }
        ctx.in.fdt().flatMap(KdumpFdtFacts::elfcorehdr).ifPresent(c -> {
            if (c.address() != want
                    || (p.elfcorehdrSize().isPresent()
                            && c.size() != p.elfcorehdrSize().getAsLong())) {
                f.fail("/chosen/linux,elfcorehdr is " + entry(c) + ", the plan says (" + hex(want)
                        + (p.elfcorehdrSize().isPresent()
                                ? ", " + hex(p.elfcorehdrSize().getAsLong())
                                : "") + ")");
            }
        });
        if (f.problems.isEmpty()) {
            f.info("at " + hex(want) + " as planned");
        }
        return f.done(id);
    }

    CheckResult planReserveMap(PlanFacts p) {
        CheckId id = CheckId.PLAN_RESERVE_MAP;
        if (p.reserveMap().isEmpty()) {
            return skip(id, "the plan has no reserveMap");
        }
        if (ctx.in.fdt().isEmpty()) {
            return skip(id, "no FDT given");
        }
        List<ReserveEntry> want = p.reserveMap().get();
        List<ReserveEntry> got = ctx.in.fdt().get().reserveMap();
        Findings f = new Findings();
        if (!want.equals(got)) {
            for (ReserveEntry e : want) {
                if (!got.contains(e)) {
                    f.fail("planned reserve entry " + entry(e) + " is missing");
                }
            }
            for (ReserveEntry e : got) {
                if (!want.contains(e)) {
                    f.fail("reserve entry " + entry(e) + " is not in the plan");
                }
            }
            if (f.problems.isEmpty()) {
                f.fail("same entries in another order: "
                        + got.stream().map(Ranges::entry).toList());
            }
        } else {
            f.info(want.size() + " entries, in order");
        }
        return f.done(id);
    }

    CheckResult planUsable(PlanFacts p) {
        CheckId id = CheckId.PLAN_USABLE;
        if (p.usable().isEmpty()) {
            return skip(id, "the plan has no ranges.usable");
        }
        if (ctx.in.fdt().isEmpty()) {
            return skip(id, "no FDT given");
        }
        List<MemRange> list = p.usable().get();
        KdumpFdtFacts fdt = ctx.in.fdt().get();
        Findings f = new Findings();
        int nodes = 0;
        for (KdumpFdtFacts.MemoryNode n : fdt.memoryNodes()) {
            if (n.reg().isEmpty()) {
                continue;
            }
            List<Long> want = new ArrayList<>();
            for (ReserveEntry e : n.reg()) {
                if (e.size() != 0) {
                    addUsable(want, list, e.address(), e.address() + e.size() - 1);
                }
            }
            if (want.isEmpty()) {
                want.add(0L);
                want.add(0L);
            }
            byte[] w = u64s(want);
            nodes++;
            if (n.usableMemory().isEmpty()) {
                f.fail(n.path() + " has no linux,usable-memory; the plan gives " + pairs(want));
            } else if (!Arrays.equals(w, n.usableMemory().get())) {
                f.fail(n.path() + "/linux,usable-memory is "
                        + pairs(n.usableMemory().get()) + ", the plan gives " + pairs(want));
            }
        }
        fdt.drconf().ifPresent(d -> {
            // the kernel's value has an entry for every LMB; jkexec's rule writes one for each
            // assigned LMB only where the kdump kernel would misread the kernel's
            // (docs/ppc64-kdump.md#usable-memory): either is what the plan's ranges give
            List<Long> want = new ArrayList<>();
            List<Long> asRead = new ArrayList<>();
            for (int i = 0; i < d.count(); i++) {
                int at = want.size();
                want.add(0L);
                addUsable(want, list, d.base()[i], d.base()[i] + d.lmbSize() - 1);
                want.set(at, (long) (want.size() - at - 1) / 2);
                if (d.isUsable(i)) {
                    asRead.addAll(want.subList(at, want.size()));
                }
            }
            byte[] w = u64s(want);
            if (d.usableMemory().isEmpty()) {
                f.fail("no linux,drconf-usable-memory; the plan gives one for " + d.count() + " LMBs");
            } else if (Arrays.equals(u64s(asRead), d.usableMemory().get()) && !Arrays.equals(w, u64s(asRead))) {
                f.info("linux,drconf-usable-memory has an entry for each assigned LMB only, as the kdump kernel "
                        + "reads it");
            } else if (!Arrays.equals(w, d.usableMemory().get())) {
                f.fail("linux,drconf-usable-memory (" + d.usableMemory().get().length
                        + " bytes) differs from the plan's (" + w.length + " bytes)");
            }
        });
        if (f.problems.isEmpty()) {
            f.info(nodes + " memory node(s)"
                    + (fdt.drconf().isPresent() ? " and " + fdt.drconf().get().count() + " LMBs" : "")
                    + " as planned from " + str(list));
        }
        return f.done(id);
    }

    /** add_usable_mem (docs/ppc64-kdump.md#usable-memory): contained ranges as they are, strictly overlapping ones clipped. */
    static void addUsable(List<Long> out, List<MemRange> usable, long b, long e) {
        for (MemRange r : usable) {
            long lb = r.start();
            long le = r.end();
            if (Long.compareUnsigned(lb, b) >= 0 && Long.compareUnsigned(le, e) <= 0) {
                // contained
            } else if (Long.compareUnsigned(b, le) < 0 && Long.compareUnsigned(e, lb) > 0) {
                lb = Long.compareUnsigned(lb, b) < 0 ? b : lb;
                le = Long.compareUnsigned(le, e) > 0 ? e : le;
            } else {
                continue;
            }
            out.add(lb);
            out.add(le - lb + 1);
        }
    }

    private static byte[] u64s(List<Long> v) {
        byte[] out = new byte[v.size() * 8];
        for (int i = 0; i < v.size(); i++) {
            Cells.putU64(out, i * 8, v.get(i));
        }
        return out;
    }

    private static String pairs(List<Long> v) {
        StringBuilder sb = new StringBuilder("<");
        for (int i = 0; i < v.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(hex(v.get(i)));
        }
        return sb.append('>').toString();
    }

    private static String pairs(byte[] v) {
        List<Long> l = new ArrayList<>();
        for (int o = 0; o + 8 <= v.length; o += 8) {
            l.add(Cells.u64(v, o));
        }
        return pairs(l);
    }

    CheckResult planCrashRanges(PlanFacts p) {
        CheckId id = CheckId.PLAN_CRASH_RANGES;
        if (p.crash().isEmpty()) {
            return skip(id, "the plan has no ranges.crash");
        }
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        List<MemRange> want = p.crash().get();
        List<MemRange> got = ctx.loads.stream().map(CheckContext::loadRange).toList();
        Findings f = new Findings();
        if (!want.equals(got)) {
            f.fail("PT_LOADs " + str(got) + ", the plan: " + str(want));
        } else {
            f.info(want.size() + " PT_LOADs, in the plan's order");
        }
        return f.done(id);
    }

    CheckResult planCmdline(PlanFacts p) {
        CheckId id = CheckId.PLAN_CMDLINE;
        if (p.cmdline().isEmpty()) {
            return skip(id, "the plan has no cmdline");
        }
        if (ctx.cmdline.isEmpty()) {
            return skip(id, "no /proc/cmdline given");
        }
        Findings f = new Findings();
        String want = p.cmdline().get().strip();
        String got = ctx.cmdline.get().strip();
        if (!want.equals(got)) {
            f.fail("'" + got + "', the plan: '" + want + "'");
        } else {
            f.info("'" + got + "'");
        }
        return f.done(id);
    }
}
