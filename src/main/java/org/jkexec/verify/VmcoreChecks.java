package org.jkexec.verify;

import static org.jkexec.units.Hex.hex;
import static org.jkexec.verify.CheckContext.loadRange;
import static org.jkexec.verify.CheckResult.skip;
import static org.jkexec.verify.Ranges.lbl;
import static org.jkexec.verify.Ranges.str;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.elf.VmcoreView;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.ppc64.Region;
import org.jkexec.ppc64.RegionKind;
import org.jkexec.units.ByteSize;

/** /proc/vmcore as a whole: a ppc64 core file, holding all RAM but crashkernel once, of the size and layout its headers describe. */
final class VmcoreChecks implements CheckFamily {
    private final CheckContext ctx;

    VmcoreChecks(CheckContext context) {
        this.ctx = context;
    }

    @Override
    public Map<CheckId, Supplier<CheckResult>> checks() {
        Map<CheckId, Supplier<CheckResult>> checks = new EnumMap<>(CheckId.class);
        checks.put(CheckId.VMCORE_ELF, this::vmcoreElf);
        checks.put(CheckId.VMCORE_RAM, this::vmcoreRam);
        checks.put(CheckId.VMCORE_CRASHKERNEL, this::vmcoreCrashkernel);
        checks.put(CheckId.VMCORE_SIZE, this::vmcoreSize);
        checks.put(CheckId.VMCORE_LAYOUT, this::vmcoreLayout);
        return checks;
    }

    // ---------------------------------------------------------------- vmcore.elf

    CheckResult vmcoreElf() {
        CheckId id = CheckId.VMCORE_ELF;
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        ElfFile v = ctx.in.vmcore().get();
        Findings f = new Findings();
        if (v.type() != ElfFile.ET_CORE) {
            f.fail(v.source() + ": e_type " + v.type() + ", expected ET_CORE (4)");
        }
        if (v.machine() != ElfFile.EM_PPC64) {
            f.fail(v.source() + ": e_machine " + v.machine() + ", expected EM_PPC64 (21)");
        }
        for (ProgramHeader p : v.programHeaders()) {
            if (p.isLoad() && MemRange.wraps(p.paddr(), p.memsz())) {
                f.fail(String.format(
                        "PT_LOAD #%d at 0x%x with 0x%x bytes wraps past the end of the address space",
                        v.programHeaders().indexOf(p), p.paddr(), p.memsz()));
            }
        }
        if (ctx.loads.isEmpty()) {
            f.fail(v.source() + ": no PT_LOAD: the dump holds no memory at all");
        }
        long notes = v.programHeaders().stream().filter(ProgramHeader::isNote).count();
        f.info(String.format(
                "%d program headers: %d PT_NOTE, %d PT_LOAD; %s, %d bytes read",
                v.programHeaders().size(),
                notes,
                ctx.loads.size(),
                v.isLittleEndian() ? "little endian" : "big endian",
                v.length()));
        ctx.in.elfcorehdr().ifPresent(e -> {
            if (e.type() != ElfFile.ET_CORE || e.machine() != ElfFile.EM_PPC64) {
                f.fail(e.source() + ": the core header at elfcorehdr= is not a ppc64 ET_CORE header (e_type " + e.type()
                        + ", e_machine " + e.machine() + ")");
            } else {
                f.info("core header " + e.source() + ": " + e.programHeaders().size() + " program headers");
            }
        });
        return f.done(id);
    }

    // ---------------------------------------------------------------- vmcore.ram

    CheckResult vmcoreRam() {
        CheckId id = CheckId.VMCORE_RAM;
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        if (ctx.ram.isEmpty()) {
            return skip(id, "the crashed kernel's RAM is unknown (give --capture, a plan, or the kdump FDT)");
        }
        if (ctx.crash.isEmpty()) {
            return skip(id, "crashkernel is unknown (give --capture or a plan)");
        }
        Findings f = new Findings();
        MemRange ck = ctx.crash.get().range();
        List<ProgramHeader> sorted = new ArrayList<>(ctx.loads);
        sorted.sort(Comparator.comparing(CheckContext::loadRange));
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                MemRange a = loadRange(sorted.get(i));
                MemRange b = loadRange(sorted.get(j));
                if (Long.compareUnsigned(b.start(), a.end()) > 0) {
                    break;
                }
                MemRange both = a.intersect(b).orElseThrow();
                f.fail(ctx.loadLabel(sorted.get(i)) + " and " + ctx.loadLabel(sorted.get(j)) + " overlap at "
                        + str(both) + ": that memory appears twice in the dump");
            }
        }
        List<MemRange> covered = RangeSet.of(
                        ctx.loads.stream().map(CheckContext::loadRange).toList())
                .ranges();
        List<MemRange> notDumped = new ArrayList<>(ctx.cma);
        notDumped.add(ck);
        List<MemRange> expected =
                RangeSet.of(ctx.ram.get().value()).minus(RangeSet.of(notDumped)).ranges();
        for (MemRange gap : RangeSet.of(expected).minus(RangeSet.of(covered)).ranges()) {
            f.fail("RAM " + str(gap) + " (" + hex(gap.size()) + " bytes) is in no PT_LOAD: missing from the dump");
        }
        List<MemRange> allowed = new ArrayList<>(ctx.ram.get().value());
        for (Region r : rtasOpal()) {
            for (long page : pageSizeCandidates()) {
                allowed.add(r.range().roundOut(page));
            }
        }
        for (ProgramHeader p : ctx.loads) {
            for (MemRange x : RangeSet.of(List.of(loadRange(p)))
                    .minus(RangeSet.of(allowed))
                    .ranges()) {
                f.fail(ctx.loadLabel(p) + " exports " + str(x)
                        + ", which is neither RAM nor RTAS/OPAL (reading it may fault)");
            }
        }
        f.info(String.format(
                "%d PT_LOADs; RAM minus crashkernel%s: %s (%s; crashkernel from %s)",
                ctx.loads.size(),
                ctx.cma.isEmpty() ? "" : " and its CMA areas " + str(ctx.cma),
                str(expected),
                ctx.ram.get().source(),
                ctx.crash.get().source()));
        return f.done(id);
    }

    // ---------------------------------------------------------------- vmcore.crashkernel

    CheckResult vmcoreCrashkernel() {
        CheckId id = CheckId.VMCORE_CRASHKERNEL;
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        if (ctx.crash.isEmpty()) {
            return skip(id, "crashkernel is unknown (give --capture or a plan)");
        }
        MemRange ck = ctx.crash.get().range();
        Findings f = new Findings();
        List<MemRange> exact = rtasOpal().stream().map(Region::range).toList();
        List<MemRange> planned = ctx.plan.flatMap(PlanFacts::crash).orElse(List.of());
        boolean any = false;
        for (ProgramHeader p : ctx.loads) {
            List<MemRange> inside = loadRange(p).intersect(ck).stream().toList();
            if (inside.isEmpty()) {
                continue;
            }
            any = true;
            List<MemRange> rest = RangeSet.of(inside).minus(RangeSet.of(exact)).ranges();
            if (rest.isEmpty()) {
                f.info(ctx.loadLabel(p) + " inside crashkernel is " + describeFirmware(loadRange(p))
                        + " (exported on purpose: kernel/ranges.c adds RTAS/OPAL after excluding crashkernel)");
                continue;
            }
            if (planned.contains(loadRange(p))) {
                f.info(ctx.loadLabel(p) + " inside crashkernel is one of the plan's crash ranges (RTAS/OPAL)");
                continue;
            }
            if (ctx.firmware.isEmpty()) {
                return skip(
                        id,
                        ctx.loadLabel(p) + " lies inside crashkernel " + str(ck) + "; without the FDT, a capture "
                                + "or a plan it cannot be told whether it is RTAS/OPAL");
            }
            Optional<String> rounded = roundedFirmware(p);
            if (rounded.isPresent()) {
                f.warn(
                        ctx.loadLabel(p) + " is " + rounded.get() + ": "
                                + hex(RangeSet.of(rest).total())
                                + " bytes of crashkernel (the kdump kernel's own memory) go into the dump too."
                                + " kexec-tools rounds RTAS/OPAL to its page size; the kernel exports the exact range. Harmless");
                continue;
            }
            f.fail(ctx.loadLabel(p) + " exports " + str(rest) + " of crashkernel " + str(ck)
                    + ": that is the kdump kernel's memory, not the crashed kernel's");
        }
        if (!any) {
            f.info("no PT_LOAD intersects crashkernel " + str(ck) + " ("
                    + ctx.crash.get().source() + ")");
        } else {
            f.info("crashkernel " + str(ck) + " (" + ctx.crash.get().source() + "); RTAS/OPAL from "
                    + ctx.firmwareSource());
        }
        return f.done(id);
    }

    private String describeFirmware(MemRange r) {
        List<String> l = new ArrayList<>();
        for (Region g : rtasOpal()) {
            if (g.range().intersects(r)) {
                l.add(lbl(g));
            }
        }
        return String.join(" + ", l);
    }

    /** "RTAS [..] rounded out to 64 KiB pages" when the load is a firmware region rounded to a page size. */
    private Optional<String> roundedFirmware(ProgramHeader p) {
        MemRange lr = loadRange(p);
        for (Region g : rtasOpal()) {
            for (long page : pageSizeCandidates()) {
                MemRange r = g.range().roundOut(page);
                if (r.contains(lr) && lr.intersects(g.range())) {
                    return Optional.of(lbl(g) + " rounded out to " + ByteSize.text(page) + " pages");
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- vmcore size / layout

    /** The size /proc/vmcore's own program headers describe (fs/proc/vmcore.c lays data out page by page). */
    static long describedSize(ElfFile v, long page) {
        long end = ElfFile.EHDR_SIZE + (long) v.programHeaders().size() * ProgramHeader.SIZE;
        for (ProgramHeader p : v.programHeaders()) {
            long len = p.isNote() ? p.filesz() : p.memsz();
            if (!p.isNote() && !p.isLoad()) {
                continue;
            }
            long start = p.offset() & -page;
            long e = start + ((p.offset() - start + len + page - 1) & -page);
            if (Long.compareUnsigned(e, end) > 0) {
                end = e;
            }
        }
        return end;
    }

    CheckResult vmcoreSize() {
        CheckId id = CheckId.VMCORE_SIZE;
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        if (ctx.in.vmcoreSize().isEmpty()) {
            return skip(id, "the size of /proc/vmcore is not given (--vmcore-size, or jkexec/vmcore-size)");
        }
        long page = vmcorePageSize();
        long described = describedSize(ctx.in.vmcore().get(), page);
        long size = ctx.in.vmcoreSize().getAsLong();
        Findings f = new Findings();
        if (size != described) {
            f.fail(String.format(
                    "/proc/vmcore is %d bytes but its program headers describe %d (0x%x): %s",
                    size,
                    described,
                    described,
                    Long.compareUnsigned(size, described) < 0 ? "the dump would be cut short" : "extra data"));
        }
        ctx.in.elfcorehdr().flatMap(h -> predicted(h, page)).ifPresent(view -> {
            if (view.size() != size) {
                f.fail(String.format("the core header predicts a %d-byte /proc/vmcore, it is %d", view.size(), size));
            } else {
                f.info("the core header predicts the same size");
            }
        });
        f.info(String.format("%d bytes (0x%x), %d-byte pages", size, size, page));
        return f.done(id);
    }

    /** /proc/vmcore as the kdump kernel builds it from the loader's header (the merged notes' size taken from /proc/vmcore). */
    private Optional<VmcoreView> predicted(ElfFile hdr, long page) {
        if (ctx.in.vmcore().isEmpty()) {
            return Optional.empty();
        }
        List<ProgramHeader> vn = ctx.in.vmcore().get().programHeaders().stream()
                .filter(ProgramHeader::isNote)
                .toList();
        long merged = vn.stream().mapToLong(ProgramHeader::filesz).sum();
        long align = vn.isEmpty() ? 0 : vn.get(0).align();
        long nNotes =
                hdr.programHeaders().stream().filter(ProgramHeader::isNote).count();
        if (nNotes == 0) {
            return Optional.empty();
        }
        List<Long> sizes = new ArrayList<>();
        sizes.add(merged);
        for (long i = 1; i < nNotes; i++) {
            sizes.add(0L);
        }
        try {
            return Optional.of(VmcoreView.of(hdr.bytes(0, hdr.length()), sizes, page, align));
        } catch (JkexecException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    CheckResult vmcoreLayout() {
        CheckId id = CheckId.VMCORE_LAYOUT;
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        if (ctx.in.elfcorehdr().isEmpty()) {
            return skip(id, "the loader's core header is not available" + ctx.noteFor("elfcorehdr"));
        }
        long page = vmcorePageSize();
        Optional<VmcoreView> view = predicted(ctx.in.elfcorehdr().get(), page);
        Findings f = new Findings();
        if (view.isEmpty()) {
            f.fail("the core header " + ctx.in.elfcorehdr().get().source()
                    + " cannot be turned into a /proc/vmcore view");
            return f.done(id);
        }
        List<ProgramHeader> want = view.get().loads();
        List<ProgramHeader> got = ctx.loads;
        if (want.size() != got.size()) {
            f.fail("/proc/vmcore has " + got.size() + " PT_LOADs, the core header " + want.size());
        }
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            ProgramHeader w = want.get(i);
            ProgramHeader g = got.get(i);
            if (w.paddr() != g.paddr()
                    || w.memsz() != g.memsz()
                    || w.offset() != g.offset()
                    || w.vaddr() != g.vaddr()) {
                f.fail(String.format(
                        "PT_LOAD %d: /proc/vmcore has paddr 0x%x size 0x%x offset 0x%x, the core header gives "
                                + "paddr 0x%x size 0x%x offset 0x%x",
                        i, g.paddr(), g.memsz(), g.offset(), w.paddr(), w.memsz(), w.offset()));
            }
        }
        if (f.problems.isEmpty()) {
            f.info(want.size() + " PT_LOADs match the core header at the offsets the kdump kernel computes");
        }
        return f.done(id);
    }

    List<Region> rtasOpal() {
        return ctx.firmwareRegions().stream()
                .filter(r -> r.kind() == RegionKind.RTAS || r.kind() == RegionKind.OPAL)
                .toList();
    }

    /** Page size of the kdump kernel as /proc/vmcore shows it: the merged PT_NOTE sits at the first page boundary after the headers. */
    long vmcorePageSize() {
        if (ctx.in.vmcore().isPresent()) {
            ElfFile v = ctx.in.vmcore().get();
            long headers = ElfFile.EHDR_SIZE + (long) v.programHeaders().size() * ProgramHeader.SIZE;
            for (ProgramHeader p : v.programHeaders()) {
                if (p.isNote()) {
                    for (long page : new long[] {0x1000, 0x4000, 0x10000}) {
                        if (((headers + page - 1) & -page) == p.offset()) {
                            return page;
                        }
                    }
                }
            }
        }
        return ctx.exp
                .pageSize()
                .orElse(ctx.plan
                        .flatMap(p -> p.pageSize().isPresent()
                                ? Optional.of(p.pageSize().getAsLong())
                                : Optional.<Long>empty())
                        .orElse(4096L));
    }

    List<Long> pageSizeCandidates() {
        List<Long> out = new ArrayList<>();
        ctx.exp.pageSize().ifPresent(out::add);
        ctx.plan.ifPresent(p -> p.pageSize().ifPresent(out::add));
        out.add(vmcorePageSize());
        out.add(0x1000L);
        out.add(0x10000L);
        return out.stream()
                .distinct()
                .filter(x -> x > 0 && Long.bitCount(x) == 1)
                .toList();
    }
}
