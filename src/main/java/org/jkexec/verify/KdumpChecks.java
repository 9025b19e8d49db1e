package org.jkexec.verify;

import static org.jkexec.verify.Ranges.hex;
import static org.jkexec.verify.Ranges.str;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jkexec.JkexecException;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.elf.VmcoreView;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.Region;
import org.jkexec.ppc64.RegionKind;
import org.jkexec.kexec.SegmentKind;

/**
 * The checks behind {@code jkexec verify}: did a kdump kernel get everything the crashed
 * kernel should have handed over? Pure: takes what the kdump kernel received and what was
 * expected, reads nothing, returns one {@link CheckResult} per check in a fixed order.
 *
 * <p>Correct for both loaders the reference data covers: the kernel's kexec_file_load (which
 * prepends {@code elfcorehdr=0x...}, exports RTAS/OPAL exactly, writes
 * {@code /chosen/linux,elfcorehdr}) and kexec-tools (appends {@code elfcorehdr=NNNK}, exports
 * RTAS rounded out to its page size, reserves its own FDT, writes no
 * {@code linux,elfcorehdr}). Deviations of the second kind that do not hurt the dump are WARN.
 */
public final class KdumpChecks {
    /** First 64 KiB of RAM, which the kernel's purgatory copies to the backup region (crashdump-ppc64.h). */
    static final long KERNEL_BACKUP_SIZE = BackupRegion.SIZE;
    /** jkexec enlarges the backup region only in 64 KiB steps and below 1 GiB. */
    private static final long BACKUP_SIZE_LIMIT = 1L << 30;
    /** ppc64 NT_PRSTATUS note: 12-byte header, "CORE\0" padded to 8, 504-byte elf_prstatus. */
    static final long PRSTATUS_DESC = 504;
    static final int NT_PRSTATUS = 1;
    /** Smallest VMCOREINFO note: header plus "VMCOREINFO\0" padded to 12, empty descriptor. */
    static final long MIN_VMCOREINFO_NOTE = 24;

    private final KdumpReceived in;
    private final Expected exp;
    private final Optional<PlanFacts> plan;

    // derived once
    private final Optional<Sourced<MemRange>> crash;
    private final Optional<Sourced<List<MemRange>>> ram;
    /** RTAS, OPAL, TCE and reserved-ranges: from the capture's live tree, else the kdump FDT; empty when neither is given. */
    private final Optional<Sourced<List<Region>>> firmware;
    private final Optional<Sourced<Integer>> cpus;
    private final boolean cpusExact;
    private final Optional<String> cmdline;
    private final Optional<Usable> usable;
    private final List<ProgramHeader> loads;
    /** Bytes of physical 0.. saved to the backup copy: 64 KiB, or what the plan or core header says. */
    private final long backupSize;
    private final MemRange backupSrc;

    /** A value and where it came from (for details). */
    record Sourced<T>(T value, String source) {
    }

    /** Usable memory of the kdump kernel as it will read it: ranges with the property they came from. */
    record Usable(List<Origin> ranges, List<String> problems, List<String> warnings) {
        List<MemRange> list() {
            return Ranges.normalize(ranges.stream().map(Origin::range).toList());
        }
    }

    record Origin(MemRange range, String from) {
    }

    private KdumpChecks(KdumpReceived in, Expected exp) {
        this.in = in;
        this.exp = exp;
        this.plan = exp.plan();
        this.cmdline = in.cmdline().or(() -> in.fdt().flatMap(KdumpFdtFacts::bootargs));
        this.loads = in.vmcore().map(v -> v.programHeaders().stream()
                .filter(p -> p.isLoad() && p.memsz() != 0 && !Ranges.wraps(p.paddr(), p.memsz())).toList())
                .orElse(List.of());
        this.usable = in.fdt().map(KdumpChecks::decodeUsable);
        this.backupSize = resolveBackupSize();
        this.backupSrc = new MemRange(0, backupSize - 1);
        this.crash = resolveCrashkernel();
        this.ram = resolveRam();
        this.firmware = exp.firmware().map(f -> new Sourced<>(f, "live tree of " + exp.machineSource()))
                .or(() -> in.fdt().map(f -> new Sourced<>(f.firmware(), "the kdump FDT " + f.source())));
        if (exp.crashNotes().isPresent()) {
            cpus = Optional.of(new Sourced<>(exp.crashNotes().get().size(), "crash_notes of " + exp.machineSource()));
            cpusExact = true;
        } else if (plan.flatMap(p -> box(p.possibleCpus())).isPresent()) {
            cpus = Optional.of(new Sourced<>(plan.get().possibleCpus().getAsInt(), "the plan " + plan.get().source()));
            cpusExact = true;
        } else if (in.fdt().isPresent() && in.fdt().get().cpuThreads() > 0) {
            cpus = Optional.of(new Sourced<>(in.fdt().get().cpuThreads(), "cpu nodes of the kdump FDT (a lower bound)"));
            cpusExact = false;
        } else {
            cpus = Optional.empty();
            cpusExact = false;
        }
    }

    private static Optional<Integer> box(OptionalInt i) {
        return i.isPresent() ? Optional.of(i.getAsInt()) : Optional.empty();
    }

    /** Runs every check. */
    public static VerifyReport run(KdumpReceived in, Expected exp) {
        KdumpChecks c = new KdumpChecks(in, exp);
        List<CheckResult> out = new ArrayList<>();
        out.add(c.guard("vmcore.elf", D_ELF, c::vmcoreElf));
        out.add(c.guard("vmcore.ram", D_RAM, c::vmcoreRam));
        out.add(c.guard("vmcore.crashkernel", D_CK, c::vmcoreCrashkernel));
        out.add(c.guard("vmcore.backup-load", D_BACKUP_LOAD, c::backupLoad));
        out.add(c.guard("backup.source", D_BACKUP_SRC, c::backupSource));
        out.add(c.guard("backup.reserved", D_BACKUP_RSV, c::backupReserved));
        out.add(c.guard("notes.core-header", D_NOTES_HDR, c::notesCoreHeader));
        out.add(c.guard("notes.vmcore", D_NOTES_VMCORE, c::notesVmcore));
        out.add(c.guard("cmdline.elfcorehdr", D_CMDLINE, c::cmdlineElfcorehdr));
        out.add(c.guard("reserve.elfcorehdr", D_RSV_ECH, c::reserveElfcorehdr));
        out.add(c.guard("usable.confined", D_USABLE, c::usableConfined));
        out.add(c.guard("usable.reserved", D_USABLE_RSV, c::usableReserved));
        out.add(c.guard("reserve.firmware", D_RSV_FW, c::reserveFirmware));
        out.add(c.guard("vmcore.size", D_SIZE, c::vmcoreSize));
        out.add(c.guard("vmcore.layout", D_LAYOUT, c::vmcoreLayout));
        out.addAll(c.planChecks());
        return new VerifyReport(out, c.inputSummary());
    }

    /** A check that trips over malformed values reports FAIL with the reason instead of aborting the others. */
    private CheckResult guard(String id, String desc, java.util.function.Supplier<CheckResult> check) {
        try {
            return check.get();
        } catch (JkexecException | IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
            return new CheckResult(id, desc, CheckStatus.FAIL, List.of("malformed input: " + e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- derived facts

    /**
     * The kernel saves 64 KiB; jkexec more where the kernel's placement would leave the kdump
     * kernel no low memory. The plan's backup segment says which, else the loader's own core
     * header (its PT_LOAD for physical 0) when the FDT reserves a copy of exactly that size
     * where it points; a size that is not a 64 KiB multiple below 1 GiB is not a backup region
     * jkexec makes, and the kernel's is assumed (the checks then show it).
     */
    private static String sizeWords(long bytes) {
        return bytes % 0x100000 == 0 ? (bytes >>> 20) + " MiB" : bytes % 0x400 == 0 ? (bytes >>> 10) + " KiB" : hex(bytes) + "-byte";
    }

    private long resolveBackupSize() {
        OptionalLong planned = plan.stream().flatMap(p -> p.segments().stream())
                .filter(s -> s.kind().equals("backup")).mapToLong(PlanFacts.PlanSegment::memsz).findFirst();
        OptionalLong raw = rawBackupLoad().filter(p -> in.fdt().isPresent() && in.fdt().get().reserveMap()
                .contains(new ReserveEntry(p.offset(), p.memsz())))
                .map(p -> OptionalLong.of(p.memsz())).orElse(OptionalLong.empty());
        long b = planned.isPresent() ? planned.getAsLong() : raw.orElse(KERNEL_BACKUP_SIZE);
        boolean plausible = b > 0 && b % KERNEL_BACKUP_SIZE == 0 && Long.compareUnsigned(b, BACKUP_SIZE_LIMIT) <= 0;
        return plausible ? b : KERNEL_BACKUP_SIZE;
    }

    private Optional<Sourced<MemRange>> resolveCrashkernel() {
        if (exp.crashkernel().isPresent()) {
            return Optional.of(new Sourced<>(exp.crashkernel().get(), exp.machineSource()));
        }
        if (plan.flatMap(PlanFacts::crashkernel).isPresent()) {
            return Optional.of(new Sourced<>(plan.get().crashkernel().get(), "the plan"));
        }
        if (in.fdt().isPresent()) {
            KdumpFdtFacts f = in.fdt().get();
            if (!f.usableMemoryRange().isEmpty() && f.usableMemoryRange().get(0).size() != 0) {
                ReserveEntry e = f.usableMemoryRange().get(0);
                return Ranges.span(e.address(), e.size()).map(r -> new Sourced<>(r, "/chosen/linux,usable-memory-range"));
            }
            // the crashed kernel's low memory is reserved as (0x10000, crashk.start - 0x10000) and the
            // usable memory ends where crashkernel ends: infer from those two (consistency, not proof)
            Optional<ReserveEntry> low = f.reserveMap().stream().filter(e -> e.address() == backupSize).findFirst();
            if (low.isPresent() && usable.isPresent() && !usable.get().list().isEmpty()) {
                long start = backupSize + low.get().size();
                // the usable range that holds crashkernel's start ends where crashkernel ends;
                // later usable ranges are firmware (OPAL, RTAS) the loader also made usable
                long end = usable.get().list().stream().filter(r -> r.contains(start)).findFirst()
                        .orElse(usable.get().list().get(usable.get().list().size() - 1)).end();
                if (Long.compareUnsigned(end, start) > 0) {
                    return Optional.of(new Sourced<>(new MemRange(start, end),
                            "inferred from the reserve entry (" + hex(backupSize) + ", " + hex(low.get().size()) + ") and the end of usable memory"));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Sourced<List<MemRange>>> resolveRam() {
        if (exp.systemRam().isPresent()) {
            return Optional.of(new Sourced<>(Ranges.normalize(exp.systemRam().get()), "System RAM of " + exp.machineSource()));
        }
        if (plan.flatMap(PlanFacts::systemRam).isPresent()) {
            return Optional.of(new Sourced<>(Ranges.normalize(plan.get().systemRam().get()), "the plan's machine.systemRam"));
        }
        if (in.fdt().isPresent()) {
            KdumpFdtFacts f = in.fdt().get();
            List<MemRange> r = new ArrayList<>();
            for (KdumpFdtFacts.MemoryNode n : f.memoryNodes()) {
                for (ReserveEntry e : n.reg()) {
                    Ranges.span(e.address(), e.size()).ifPresent(r::add);
                }
            }
            f.drconf().ifPresent(d -> {
                for (int i = 0; i < d.count(); i++) {
                    if (d.isUsable(i)) {
                        Ranges.span(d.base()[i], d.lmbSize()).ifPresent(r::add);
                    }
                }
            });
            if (!r.isEmpty()) {
                return Optional.of(new Sourced<>(Ranges.normalize(r), "memory nodes' reg in the kdump FDT"));
            }
        }
        return Optional.empty();
    }

    private List<String> inputSummary() {
        List<String> s = new ArrayList<>();
        crash.ifPresent(c -> s.add("crashkernel " + str(c.value()) + " (" + c.source() + ")"));
        ram.ifPresent(r -> s.add("RAM " + str(r.value()) + " (" + r.source() + ")"));
        cpus.ifPresent(c -> s.add((cpusExact ? "" : "at least ") + c.value() + " possible CPU(s) (" + c.source() + ")"));
        s.addAll(in.notes());
        return s;
    }

    private static String lbl(Region r) {
        return r.kind().label() + " " + str(r.range());
    }

    private List<Region> rtasOpal() {
        return firmwareRegions().stream().filter(r -> r.kind() == RegionKind.RTAS || r.kind() == RegionKind.OPAL).toList();
    }

    private List<Region> firmwareRegions() {
        return firmware.map(Sourced::value).orElse(List.of());
    }

    private String firmwareSource() {
        return firmware.map(Sourced::source).orElse("nowhere (no capture, no FDT)");
    }

    private List<MemRange> reserveUnion() {
        return Ranges.normalize(in.fdt().map(f -> f.reserveMap().stream()
                .flatMap(e -> Ranges.span(e.address(), e.size()).stream()).toList()).orElse(List.of()));
    }

    private static String entry(ReserveEntry e) {
        return "(" + hex(e.address()) + ", " + hex(e.size()) + ")";
    }

    private static MemRange loadRange(ProgramHeader p) {
        return MemRange.ofSize(p.paddr(), p.memsz());
    }

    private int loadIndex(ProgramHeader p) {
        return in.vmcore().get().programHeaders().indexOf(p);
    }

    private String loadLabel(ProgramHeader p) {
        return "PT_LOAD #" + loadIndex(p) + " " + str(loadRange(p));
    }

    /** Page size of the kdump kernel as /proc/vmcore shows it: the merged PT_NOTE sits at the first page boundary after the headers. */
    private long vmcorePageSize() {
        if (in.vmcore().isPresent()) {
            ElfFile v = in.vmcore().get();
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
        return exp.pageSize().orElse(plan.flatMap(p -> p.pageSize().isPresent() ? Optional.of(p.pageSize().getAsLong())
                : Optional.<Long>empty()).orElse(4096L));
    }

    private List<Long> pageSizeCandidates() {
        List<Long> out = new ArrayList<>();
        exp.pageSize().ifPresent(out::add);
        plan.ifPresent(p -> p.pageSize().ifPresent(out::add));
        out.add(vmcorePageSize());
        out.add(0x1000L);
        out.add(0x10000L);
        return out.stream().distinct().filter(x -> x > 0 && Long.bitCount(x) == 1).toList();
    }

    private static CheckResult result(String id, String desc, CheckStatus s, List<String> d) {
        return new CheckResult(id, desc, s, d);
    }

    private static CheckResult skip(String id, String desc, String why) {
        return new CheckResult(id, desc, CheckStatus.SKIP, List.of(why));
    }

    /** Collects findings and the worst status. */
    private static final class Findings {
        CheckStatus status = CheckStatus.PASS;
        final List<String> problems = new ArrayList<>();
        final List<String> info = new ArrayList<>();

        void fail(String s) {
            status = status.worst(CheckStatus.FAIL);
            problems.add(s);
        }

        void warn(String s) {
            status = status.worst(CheckStatus.WARN);
            problems.add("warning: " + s);
        }

        void info(String s) {
            info.add(s);
        }

        CheckResult done(String id, String desc) {
            List<String> d = new ArrayList<>(problems);
            d.addAll(info);
            return new CheckResult(id, desc, status, d);
        }
    }

    // ---------------------------------------------------------------- vmcore.elf

    static final String D_ELF = "/proc/vmcore is a ppc64 ELF64 core file with PT_LOADs";

    CheckResult vmcoreElf() {
        String id = "vmcore.elf";
        if (in.vmcore().isEmpty()) {
            return skip(id, D_ELF, "no /proc/vmcore given");
        }
        ElfFile v = in.vmcore().get();
        Findings f = new Findings();
        if (v.type() != ElfFile.ET_CORE) {
            f.fail(v.source() + ": e_type " + v.type() + ", expected ET_CORE (4)");
        }
        if (v.machine() != ElfFile.EM_PPC64) {
            f.fail(v.source() + ": e_machine " + v.machine() + ", expected EM_PPC64 (21)");
        }
        for (ProgramHeader p : v.programHeaders()) {
            if (p.isLoad() && Ranges.wraps(p.paddr(), p.memsz())) {
                f.fail(String.format("PT_LOAD #%d at 0x%x with 0x%x bytes wraps past the end of the address space",
                        v.programHeaders().indexOf(p), p.paddr(), p.memsz()));
            }
        }
        if (loads.isEmpty()) {
            f.fail(v.source() + ": no PT_LOAD: the dump holds no memory at all");
        }
        long notes = v.programHeaders().stream().filter(ProgramHeader::isNote).count();
        f.info(String.format("%d program headers: %d PT_NOTE, %d PT_LOAD; %s, %d bytes read", v.programHeaders().size(),
                notes, loads.size(), v.isLittleEndian() ? "little endian" : "big endian", v.length()));
        in.elfcorehdr().ifPresent(e -> {
            if (e.type() != ElfFile.ET_CORE || e.machine() != ElfFile.EM_PPC64) {
                f.fail(e.source() + ": the core header at elfcorehdr= is not a ppc64 ET_CORE header (e_type "
                        + e.type() + ", e_machine " + e.machine() + ")");
            } else {
                f.info("core header " + e.source() + ": " + e.programHeaders().size() + " program headers");
            }
        });
        return f.done(id, D_ELF);
    }

    // ---------------------------------------------------------------- vmcore.ram

    static final String D_RAM = "Every RAM range of the crashed kernel (minus crashkernel) is in exactly one PT_LOAD";

    CheckResult vmcoreRam() {
        String id = "vmcore.ram";
        if (in.vmcore().isEmpty()) {
            return skip(id, D_RAM, "no /proc/vmcore given");
        }
        if (ram.isEmpty()) {
            return skip(id, D_RAM, "the crashed kernel's RAM is unknown (give --capture, a plan, or the kdump FDT)");
        }
        if (crash.isEmpty()) {
            return skip(id, D_RAM, "crashkernel is unknown (give --capture or a plan)");
        }
        Findings f = new Findings();
        MemRange ck = crash.get().value();
        List<ProgramHeader> sorted = new ArrayList<>(loads);
        sorted.sort(Comparator.comparing(KdumpChecks::loadRange));
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                MemRange a = loadRange(sorted.get(i));
                MemRange b = loadRange(sorted.get(j));
                if (Long.compareUnsigned(b.start(), a.end()) > 0) {
                    break;
                }
                MemRange both = Ranges.intersect(List.of(a), List.of(b)).get(0);
                f.fail(loadLabel(sorted.get(i)) + " and " + loadLabel(sorted.get(j)) + " overlap at " + str(both)
                        + ": that memory appears twice in the dump");
            }
        }
        List<MemRange> covered = Ranges.normalize(loads.stream().map(KdumpChecks::loadRange).toList());
        List<MemRange> expected = Ranges.subtract(ram.get().value(), List.of(ck));
        for (MemRange gap : Ranges.subtract(expected, covered)) {
            f.fail("RAM " + str(gap) + " (" + hex(gap.size()) + " bytes) is in no PT_LOAD: missing from the dump");
        }
        List<MemRange> allowed = new ArrayList<>(ram.get().value());
        for (Region r : rtasOpal()) {
            for (long page : pageSizeCandidates()) {
                allowed.add(Ranges.roundOut(r.range(), page));
            }
        }
        for (ProgramHeader p : loads) {
            for (MemRange x : Ranges.subtract(List.of(loadRange(p)), allowed)) {
                f.fail(loadLabel(p) + " exports " + str(x) + ", which is neither RAM nor RTAS/OPAL (reading it may fault)");
            }
        }
        f.info(String.format("%d PT_LOADs; RAM minus crashkernel: %s (%s; crashkernel from %s)", loads.size(),
                str(expected), ram.get().source(), crash.get().source()));
        return f.done(id, D_RAM);
    }

    // ---------------------------------------------------------------- vmcore.crashkernel

    static final String D_CK = "No PT_LOAD exports crashkernel (RTAS/OPAL inside it excepted)";

    CheckResult vmcoreCrashkernel() {
        String id = "vmcore.crashkernel";
        if (in.vmcore().isEmpty()) {
            return skip(id, D_CK, "no /proc/vmcore given");
        }
        if (crash.isEmpty()) {
            return skip(id, D_CK, "crashkernel is unknown (give --capture or a plan)");
        }
        MemRange ck = crash.get().value();
        Findings f = new Findings();
        List<MemRange> exact = rtasOpal().stream().map(Region::range).toList();
        List<MemRange> planned = plan.flatMap(PlanFacts::crash).orElse(List.of());
        boolean any = false;
        for (ProgramHeader p : loads) {
            List<MemRange> inside = Ranges.intersect(List.of(loadRange(p)), List.of(ck));
            if (inside.isEmpty()) {
                continue;
            }
            any = true;
            List<MemRange> rest = Ranges.subtract(inside, exact);
            if (rest.isEmpty()) {
                f.info(loadLabel(p) + " inside crashkernel is " + describeFirmware(loadRange(p))
                        + " (exported on purpose: kernel/ranges.c adds RTAS/OPAL after excluding crashkernel)");
                continue;
            }
            if (planned.contains(loadRange(p))) {
                f.info(loadLabel(p) + " inside crashkernel is one of the plan's crash ranges (RTAS/OPAL)");
                continue;
            }
            if (firmware.isEmpty()) {
                return skip(id, D_CK, loadLabel(p) + " lies inside crashkernel " + str(ck) + "; without the FDT, a capture "
                        + "or a plan it cannot be told whether it is RTAS/OPAL");
            }
            Optional<String> rounded = roundedFirmware(p);
            if (rounded.isPresent()) {
                f.warn(loadLabel(p) + " is " + rounded.get() + ": " + hex(Ranges.total(rest))
                        + " bytes of crashkernel (the kdump kernel's own memory) go into the dump too."
                        + " kexec-tools rounds RTAS/OPAL to its page size; the kernel exports the exact range. Harmless");
                continue;
            }
            f.fail(loadLabel(p) + " exports " + str(rest) + " of crashkernel " + str(ck)
                    + ": that is the kdump kernel's memory, not the crashed kernel's");
        }
        if (!any) {
            f.info("no PT_LOAD intersects crashkernel " + str(ck) + " (" + crash.get().source() + ")");
        } else {
            f.info("crashkernel " + str(ck) + " (" + crash.get().source() + "); RTAS/OPAL from " + firmwareSource());
        }
        return f.done(id, D_CK);
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
                MemRange r = Ranges.roundOut(g.range(), page);
                if (r.contains(lr) && lr.intersects(g.range())) {
                    return Optional.of(lbl(g) + " rounded out to " + (page >= 1024 ? (page / 1024) + " KiB" : page + " byte")
                            + " pages");
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- backup

    static final String D_BACKUP_LOAD = "The first 64 KiB has a PT_LOAD of its own (the backup region)";

    CheckResult backupLoad() {
        String id = "vmcore.backup-load";
        if (in.vmcore().isEmpty()) {
            return skip(id, D_BACKUP_LOAD, "no /proc/vmcore given");
        }
        Findings f = new Findings();
        List<ProgramHeader> zero = loads.stream().filter(p -> p.paddr() == 0).toList();
        if (zero.isEmpty()) {
            f.fail("no PT_LOAD starts at physical 0: the crashed kernel's first 64 KiB (exception vectors, "
                    + "saved by the purgatory to the backup region) is missing from the dump");
        } else {
            ProgramHeader p = zero.get(0);
            if (p.memsz() != backupSize) {
                f.fail(loadLabel(p) + " is " + hex(p.memsz()) + " bytes: the backup region must be its own " + sizeWords(backupSize)
                        + " PT_LOAD (only those bytes are read from the backup copy; the rest would come from the wrong place)");
            } else {
                f.info(loadLabel(p) + ", " + hex(backupSize) + " bytes");
            }
        }
        return f.done(id, D_BACKUP_LOAD);
    }

    /** The raw core header's PT_LOAD for physical 0, if the header is available. */
    private Optional<ProgramHeader> rawBackupLoad() {
        return in.elfcorehdr().flatMap(e -> e.programHeaders().stream().filter(p -> p.isLoad() && p.paddr() == 0).findFirst());
    }

    static final String D_BACKUP_SRC = "/proc/vmcore reads the first 64 KiB from the backup copy";

    CheckResult backupSource() {
        String id = "backup.source";
        Findings f = new Findings();
        OptionalLong planned = plan.map(PlanFacts::backupStart).orElse(OptionalLong.empty());
        if (in.elfcorehdr().isPresent()) {
            Optional<ProgramHeader> b = rawBackupLoad();
            if (b.isEmpty()) {
                f.fail(in.elfcorehdr().get().source() + ": the core header has no PT_LOAD for physical 0");
                return f.done(id, D_BACKUP_SRC);
            }
            long off = b.get().offset();
            if (off == 0) {
                f.fail("the core header's PT_LOAD for physical 0 has p_offset 0: /proc/vmcore shows the kdump kernel's "
                        + "first 64 KiB instead of the crashed kernel's (kernel bug fixed by 'powerpc/kexec_file: fix "
                        + "backup region offset update')");
            } else {
                if (crash.isPresent() && !crash.get().value().contains(MemRange.ofSize(off, backupSize))) {
                    f.fail("the backup PT_LOAD reads from " + hex(off) + ", outside crashkernel " + str(crash.get().value())
                            + ": that memory belonged to the crashed kernel, not a backup copy");
                }
                if (planned.isPresent() && planned.getAsLong() != off) {
                    f.fail("the backup PT_LOAD reads from " + hex(off) + " but the plan's backupStart is " + hex(planned.getAsLong()));
                }
                f.info("core header (" + in.elfcorehdr().get().source() + "): PT_LOAD for [0x0-0xffff] has p_offset " + hex(off)
                        + " = the backup copy");
            }
            return f.done(id, D_BACKUP_SRC);
        }
        if (planned.isPresent()) {
            long b = planned.getAsLong();
            if (crash.isPresent() && !crash.get().value().contains(MemRange.ofSize(b, backupSize))) {
                f.fail("the plan's backupStart " + hex(b) + " is outside crashkernel " + str(crash.get().value()));
            }
            if (in.fdt().isPresent() && in.fdt().get().reserveMap().stream()
                    .noneMatch(e -> e.address() == b && e.size() == backupSize)) {
                f.fail("no reserve entry (" + hex(b) + ", " + hex(backupSize) + ") for the plan's backup region");
            }
            f.info("core header not readable; the plan puts the backup copy at " + hex(b)
                    + (in.fdt().isPresent() ? " and the reserve map holds it" : ""));
            return f.done(id, D_BACKUP_SRC);
        }
        return skip(id, D_BACKUP_SRC, "/proc/vmcore's own header has rewritten offsets; the loader's core header "
                + "(--elfcorehdr, or /dev/mem at elfcorehdr= in the kdump kernel) or a plan is needed"
                + noteFor("elfcorehdr"));
    }

    private String noteFor(String what) {
        return in.notes().stream().filter(n -> n.contains(what)).findFirst().map(n -> " (" + n + ")").orElse("");
    }

    static final String D_BACKUP_RSV = "The backup copy is reserved in the kdump kernel's reserve map";

    CheckResult backupReserved() {
        String id = "backup.reserved";
        if (in.fdt().isEmpty()) {
            return skip(id, D_BACKUP_RSV, "no FDT given");
        }
        KdumpFdtFacts fdt = in.fdt().get();
        Findings f = new Findings();
        OptionalLong known = rawBackupLoad().filter(p -> p.offset() != 0).map(p -> OptionalLong.of(p.offset()))
                .orElse(plan.map(PlanFacts::backupStart).orElse(OptionalLong.empty()));
        if (known.isPresent()) {
            MemRange b = MemRange.ofSize(known.getAsLong(), backupSize);
            if (!Ranges.covers(reserveUnion(), b)) {
                f.fail("the backup copy " + str(b) + " is not reserved: the kdump kernel may overwrite it before the dump is read");
            } else {
                f.info("backup copy " + str(b) + " is reserved"
                        + (fdt.reserveMap().contains(new ReserveEntry(b.start(), backupSize)) ? " by entry " + entry(new ReserveEntry(b.start(), backupSize)) : ""));
            }
            return f.done(id, D_BACKUP_RSV);
        }
        if (crash.isEmpty()) {
            return skip(id, D_BACKUP_RSV, "neither the backup address nor crashkernel is known");
        }
        MemRange ck = crash.get().value();
        OptionalLong ech = elfcorehdrAddress();
        List<ReserveEntry> cand = fdt.reserveMap().stream()
                .filter(e -> e.size() == backupSize && ck.contains(MemRange.ofSize(e.address(), e.size()))
                        && (ech.isEmpty() || ech.getAsLong() != e.address()))
                .toList();
        if (cand.isEmpty()) {
            f.fail("no 64 KiB reserve entry inside crashkernel " + str(ck)
                    + ": the backup copy of the first 64 KiB is not protected from the kdump kernel");
        } else {
            f.info("reserve entry " + entry(cand.get(0)) + " inside crashkernel is the backup copy"
                    + " (address not confirmable without the core header or a plan)");
        }
        return f.done(id, D_BACKUP_RSV);
    }

    // ---------------------------------------------------------------- notes

    static final String D_NOTES_HDR = "The core header has one PT_NOTE per possible CPU plus one for vmcoreinfo";

    CheckResult notesCoreHeader() {
        String id = "notes.core-header";
        if (in.elfcorehdr().isEmpty()) {
            return skip(id, D_NOTES_HDR, "the loader's core header is not available (--elfcorehdr, or /dev/mem in the kdump kernel)"
                    + noteFor("elfcorehdr") + "; /proc/vmcore merges the PT_NOTEs, see notes.vmcore");
        }
        ElfFile h = in.elfcorehdr().get();
        List<ProgramHeader> notes = h.programHeaders().stream().filter(ProgramHeader::isNote).toList();
        Findings f = new Findings();
        if (exp.crashNotes().isPresent()) {
            List<ProgramHeader> unmatched = new ArrayList<>(notes);
            List<NoteBuffer> cn = exp.crashNotes().get();
            for (int i = 0; i < cn.size(); i++) {
                NoteBuffer n = cn.get(i);
                Optional<ProgramHeader> p = notes.stream().filter(x -> x.paddr() == n.address()).findFirst();
                if (p.isEmpty()) {
                    f.fail("no PT_NOTE for CPU " + i + "'s crash notes at " + hex(n.address()) + " (" + n.size()
                            + " bytes): that CPU's registers are missing from the dump");
                    continue;
                }
                unmatched.remove(p.get());
                if (p.get().filesz() != n.size()) {
                    f.fail("PT_NOTE for CPU " + i + " at " + hex(n.address()) + " is " + hex(p.get().filesz())
                            + " bytes, crash_notes_size is " + hex(n.size()));
                }
            }
            exp.vmcoreinfo().ifPresent(vi -> {
                Optional<ProgramHeader> p = notes.stream().filter(x -> x.paddr() == vi.address()).findFirst();
                if (p.isEmpty()) {
                    f.fail("no PT_NOTE for vmcoreinfo at " + hex(vi.address()) + ": tools cannot read the dump without it");
                } else {
                    unmatched.remove(p.get());
                    if (p.get().filesz() != vi.size()) {
                        f.fail("vmcoreinfo PT_NOTE is " + hex(p.get().filesz()) + " bytes, /sys/kernel/vmcoreinfo says " + hex(vi.size()));
                    }
                }
            });
            for (ProgramHeader p : unmatched) {
                f.fail("PT_NOTE at " + hex(p.paddr()) + " (" + hex(p.filesz()) + " bytes) is neither a CPU's crash notes nor vmcoreinfo");
            }
            f.info(notes.size() + " PT_NOTEs: " + cn.size() + " CPU(s) + vmcoreinfo, addresses and sizes as "
                    + exp.machineSource() + " says");
        } else if (cpus.isPresent()) {
            int n = cpus.get().value();
            if (cpusExact ? notes.size() != n + 1 : notes.size() < n + 1) {
                f.fail(notes.size() + " PT_NOTEs, expected " + (cpusExact ? "" : "at least ") + (n + 1) + ": " + n
                        + " CPU(s) (" + cpus.get().source() + ") + vmcoreinfo");
            } else {
                f.info(notes.size() + " PT_NOTEs for " + n + " CPU(s) (" + cpus.get().source() + ") + vmcoreinfo");
            }
        } else {
            f.info(notes.size() + " PT_NOTEs; the number of possible CPUs is unknown");
        }
        for (ProgramHeader p : notes) {
            if (p.filesz() == 0 || p.filesz() != p.memsz()) {
                f.fail("PT_NOTE at " + hex(p.paddr()) + " has p_filesz " + hex(p.filesz()) + ", p_memsz " + hex(p.memsz()));
            }
        }
        return f.done(id, D_NOTES_HDR);
    }

    /** One note as laid out in a note segment. */
    record RawNote(String name, int type, long namesz, long descsz, byte[] desc) {
        long size() {
            return 12 + ((namesz + 3) & ~3L) + ((descsz + 3) & ~3L);
        }
    }

    /** Walks notes until a zero header or the end; throws on a note claiming bytes past the end. */
    static List<RawNote> walkNotes(byte[] b, ByteOrder order) {
        List<RawNote> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        long pos = 0;
        while (pos + 12 <= b.length) {
            long namesz = Integer.toUnsignedLong(bb.getInt((int) pos));
            long descsz = Integer.toUnsignedLong(bb.getInt((int) pos + 4));
            int type = bb.getInt((int) pos + 8);
            if (namesz == 0) {
                break;
            }
            long descStart = pos + 12 + ((namesz + 3) & ~3L);
            long end = descStart + ((descsz + 3) & ~3L);
            if (end > b.length) {
                throw new IllegalArgumentException(String.format("note at +0x%x (namesz %d, descsz %d) runs past the segment's 0x%x bytes",
                        pos, namesz, descsz, b.length));
            }
            int nl = (int) namesz;
            while (nl > 0 && b[(int) pos + 12 + nl - 1] == 0) {
                nl--;
            }
            String name = new String(b, (int) pos + 12, nl, StandardCharsets.ISO_8859_1);
            out.add(new RawNote(name, type, namesz, descsz, Arrays.copyOfRange(b, (int) descStart, (int) (descStart + descsz))));
            pos = end;
        }
        return out;
    }

    static final String D_NOTES_VMCORE = "/proc/vmcore's notes: one NT_PRSTATUS per possible CPU, one VMCOREINFO, sizes consistent";

    CheckResult notesVmcore() {
        String id = "notes.vmcore";
        if (in.vmcore().isEmpty()) {
            return skip(id, D_NOTES_VMCORE, "no /proc/vmcore given");
        }
        ElfFile v = in.vmcore().get();
        List<ProgramHeader> pn = v.programHeaders().stream().filter(ProgramHeader::isNote).toList();
        Findings f = new Findings();
        if (pn.isEmpty()) {
            f.fail("/proc/vmcore has no PT_NOTE: no CPU registers and no vmcoreinfo in the dump");
            return f.done(id, D_NOTES_VMCORE);
        }
        long total = pn.stream().mapToLong(ProgramHeader::filesz).sum();
        OptionalLong vmcoreinfoMax = exp.vmcoreinfo().map(n -> OptionalLong.of(n.size())).orElse(OptionalLong.empty());
        boolean inPrefix = pn.stream().allMatch(p -> p.offset() >= 0 && p.filesz() >= 0 && p.offset() <= v.length()
                && p.filesz() <= v.length() - p.offset());
        if (!inPrefix) {
            ProgramHeader p = pn.get(0);
            String where = String.format("note data (0x%x bytes at offset 0x%x) lies past the %d bytes of /proc/vmcore given",
                    total, p.offset(), v.length());
            if (cpus.isPresent() && cpusExact) {
                long n = cpus.get().value();
                long rest = total - n * (12 + 8 + PRSTATUS_DESC);
                if (rest < MIN_VMCOREINFO_NOTE || (vmcoreinfoMax.isPresent() && rest > vmcoreinfoMax.getAsLong())) {
                    f.fail(where + "; its size 0x" + Long.toHexString(total) + " cannot be " + n + " NT_PRSTATUS notes (0x20c each) plus "
                            + "a VMCOREINFO note" + (vmcoreinfoMax.isPresent() ? " of at most " + hex(vmcoreinfoMax.getAsLong()) + " bytes" : ""));
                    return f.done(id, D_NOTES_VMCORE);
                }
                return skip(id, D_NOTES_VMCORE, where + "; by size it fits " + n + " NT_PRSTATUS notes (0x20c each) plus a "
                        + hex(rest) + "-byte VMCOREINFO note (read at least " + (p.offset() + p.filesz()) + " bytes to count them)");
            }
            return skip(id, D_NOTES_VMCORE, where);
        }
        List<RawNote> notes = new ArrayList<>();
        long real = 0;
        for (ProgramHeader p : pn) {
            byte[] data = v.bytes(p.offset(), (int) p.filesz());
            try {
                List<RawNote> l = walkNotes(data, v.byteOrder());
                notes.addAll(l);
                long sum = l.stream().mapToLong(RawNote::size).sum();
                real += sum;
                if (sum != p.filesz()) {
                    f.fail(String.format("the notes add up to 0x%x bytes but the PT_NOTE at offset 0x%x says 0x%x: "
                            + "a note buffer had a wrong size in the core header or was cut short", sum, p.offset(), p.filesz()));
                }
            } catch (IllegalArgumentException e) {
                f.fail("malformed notes in /proc/vmcore: " + e.getMessage());
            }
        }
        List<RawNote> prs = notes.stream().filter(n -> n.type() == NT_PRSTATUS && n.name().equals("CORE")).toList();
        List<RawNote> vmci = notes.stream().filter(n -> n.name().equals("VMCOREINFO")).toList();
        for (int i = 0; i < prs.size(); i++) {
            if (prs.get(i).descsz() != PRSTATUS_DESC) {
                f.fail("NT_PRSTATUS note " + i + " has a " + prs.get(i).descsz() + "-byte descriptor; ppc64's elf_prstatus is 504");
            }
        }
        if (cpus.isPresent()) {
            int n = cpus.get().value();
            if (cpusExact ? prs.size() != n : prs.size() < n) {
                f.fail(prs.size() + " NT_PRSTATUS notes for " + (cpusExact ? "" : "at least ") + n + " possible CPU(s) ("
                        + cpus.get().source() + "): " + (prs.size() < n ? "registers of " + (n - prs.size())
                        + " CPU(s) are missing" : "more notes than CPUs"));
            }
        }
        if (vmci.size() != 1) {
            f.fail(vmci.size() + " VMCOREINFO notes, expected exactly one (crash/makedumpfile need it)");
        } else {
            RawNote vi = vmci.get(0);
            if (vmcoreinfoMax.isPresent() && vi.size() > vmcoreinfoMax.getAsLong()) {
                f.fail("the VMCOREINFO note is " + hex(vi.size()) + " bytes, larger than the " + hex(vmcoreinfoMax.getAsLong())
                        + "-byte buffer /sys/kernel/vmcoreinfo announced");
            }
            String text = new String(vi.desc(), StandardCharsets.ISO_8859_1);
            Matcher m = Pattern.compile("OSRELEASE=(\\S+)").matcher(text);
            f.info(String.format("%d NT_PRSTATUS + VMCOREINFO (%s), 0x%x bytes of notes", prs.size(),
                    m.find() ? "OSRELEASE=" + m.group(1) : hex(vi.descsz()) + " bytes", real));
        }
        if (notes.size() != prs.size() + vmci.size()) {
            f.info((notes.size() - prs.size() - vmci.size()) + " other note(s)");
        }
        return f.done(id, D_NOTES_VMCORE);
    }

    // ---------------------------------------------------------------- elfcorehdr=

    /** The elfcorehdr address the kdump kernel uses (last elfcorehdr= that parses). */
    private OptionalLong elfcorehdrAddress() {
        if (cmdline.isEmpty()) {
            return OptionalLong.empty();
        }
        List<KernelCmdline.ElfcorehdrArg> a = KernelCmdline.elfcorehdr(cmdline.get());
        return a.isEmpty() ? OptionalLong.empty() : a.get(a.size() - 1).address();
    }

    /** Bytes of the core header the kdump kernel must be able to read: from the header itself, else what the loader announced. */
    private long elfcorehdrBytes() {
        if (in.elfcorehdr().isPresent()) {
            ElfFile e = in.elfcorehdr().get();
            return e.phoff() + (long) e.programHeaders().size() * ProgramHeader.SIZE;
        }
        if (in.vmcore().isPresent() && cpus.isPresent() && cpusExact) {
            // the loader's header has the same PT_LOADs as /proc/vmcore plus a PT_NOTE per CPU and vmcoreinfo
            return ElfFile.EHDR_SIZE + (long) (loads.size() + cpus.get().value() + 1) * ProgramHeader.SIZE;
        }
        return ElfFile.EHDR_SIZE;
    }

    private String elfcorehdrBytesHow() {
        if (in.elfcorehdr().isPresent()) {
            return "the whole header";
        }
        if (in.vmcore().isPresent() && cpus.isPresent() && cpusExact) {
            return "the header's size from /proc/vmcore's PT_LOADs and " + cpus.get().value() + " CPU notes + vmcoreinfo";
        }
        return "the ELF header only";
    }

    static final String D_CMDLINE = "elfcorehdr= points inside crashkernel and matches /chosen/linux,elfcorehdr";

    CheckResult cmdlineElfcorehdr() {
        String id = "cmdline.elfcorehdr";
        if (cmdline.isEmpty()) {
            return skip(id, D_CMDLINE, "no /proc/cmdline and no /chosen/bootargs given");
        }
        Findings f = new Findings();
        String cl = cmdline.get();
        List<KernelCmdline.ElfcorehdrArg> args = KernelCmdline.elfcorehdr(cl);
        if (args.isEmpty()) {
            f.fail("no elfcorehdr= on the command line '" + cl.strip() + "': the kernel has no /proc/vmcore without it");
            return f.done(id, D_CMDLINE);
        }
        KernelCmdline.ElfcorehdrArg last = args.get(args.size() - 1);
        if (last.address().isEmpty()) {
            f.fail("elfcorehdr=" + last.text() + " is not an address the kernel can parse");
            return f.done(id, D_CMDLINE);
        }
        long addr = last.address().getAsLong();
        if (args.size() > 1 && args.stream().anyMatch(a -> !a.address().equals(last.address()))) {
            f.warn("elfcorehdr= appears " + args.size() + " times with different values; the kernel uses the last, " + hex(addr));
        }
        Optional<ReserveEntry> chosen = in.fdt().flatMap(KdumpFdtFacts::elfcorehdr);
        long size = Math.max(elfcorehdrBytes(), chosen.map(ReserveEntry::size).orElse(0L));
        MemRange hdr = MemRange.ofSize(addr, Math.max(1, elfcorehdrBytes()));
        if (crash.isPresent()) {
            MemRange ck = crash.get().value();
            if (!ck.contains(addr)) {
                f.fail("elfcorehdr=" + last.text() + " (" + hex(addr) + ") is outside crashkernel " + str(ck)
                        + ": the core header must be in memory the crashed kernel did not use");
            } else if (!ck.contains(hdr)) {
                f.fail("the core header " + str(hdr) + " runs past the end of crashkernel " + str(ck));
            } else if (chosen.isPresent() && !ck.contains(MemRange.ofSize(addr, Math.max(1, size)))) {
                f.fail("linux,elfcorehdr's size " + hex(chosen.get().size()) + " at " + hex(addr) + " runs past crashkernel " + str(ck));
            }
        }
        if (in.fdt().isPresent()) {
            if (chosen.isPresent()) {
                if (chosen.get().address() != addr) {
                    f.fail("elfcorehdr=" + last.text() + " (" + hex(addr) + ") but /chosen/linux,elfcorehdr says "
                            + hex(chosen.get().address()));
                }
                if (in.elfcorehdr().isPresent() && Long.compareUnsigned(chosen.get().size(), elfcorehdrBytes()) < 0) {
                    f.fail("/chosen/linux,elfcorehdr size " + hex(chosen.get().size()) + " is smaller than the header ("
                            + hex(elfcorehdrBytes()) + " bytes)");
                }
            } else {
                f.warn("no /chosen/linux,elfcorehdr: kexec-tools does not write it (the kernel's loader does); ppc64 kdump "
                        + "kernels read only elfcorehdr=, so the dump is unaffected");
            }
            Optional<String> bootargs = in.fdt().get().bootargs();
            if (in.cmdline().isPresent() && bootargs.isPresent() && !bootargs.get().strip().equals(in.cmdline().get().strip())) {
                f.info("note: /proc/cmdline differs from /chosen/bootargs '" + bootargs.get().strip() + "'");
            }
        }
        boolean atEnd = KernelCmdline.elfcorehdrIsLastArgument(cl);
        f.info("elfcorehdr=" + last.text() + " = " + hex(addr) + (atEnd && KernelCmdline.args(cl).size() > 1
                ? " (appended at the end, as kexec-tools does)" : " (first argument, as the kernel's loader prepends it)")
                + (crash.isPresent() ? ", inside crashkernel " + str(crash.get().value()) : "")
                + chosen.map(c -> "; /chosen/linux,elfcorehdr " + entry(c)).orElse(""));
        return f.done(id, D_CMDLINE);
    }

    static final String D_RSV_ECH = "The ELF core header is reserved in the reserve map";

    CheckResult reserveElfcorehdr() {
        String id = "reserve.elfcorehdr";
        if (in.fdt().isEmpty()) {
            return skip(id, D_RSV_ECH, "no FDT given");
        }
        OptionalLong addr = elfcorehdrAddress();
        if (addr.isEmpty()) {
            return skip(id, D_RSV_ECH, "no usable elfcorehdr= (see cmdline.elfcorehdr)");
        }
        Findings f = new Findings();
        MemRange hdr = MemRange.ofSize(addr.getAsLong(), elfcorehdrBytes());
        if (!Ranges.covers(reserveUnion(), hdr)) {
            f.fail("the core header " + str(hdr) + " is not reserved: the kdump kernel may reuse that memory before "
                    + "/proc/vmcore is read");
        } else {
            Optional<ReserveEntry> e = in.fdt().get().reserveMap().stream()
                    .filter(x -> x.size() != 0 && MemRange.ofSize(x.address(), x.size()).contains(hdr)).findFirst();
            f.info("reserved" + e.map(x -> " by entry " + entry(x)).orElse("") + " (" + hex(hdr.size())
                    + " bytes checked: " + elfcorehdrBytesHow() + ")");
        }
        return f.done(id, D_RSV_ECH);
    }

    // ---------------------------------------------------------------- usable memory

    /**
     * The ranges the kdump kernel will add to memblock, read as it reads them: a memory node's
     * linux,usable-memory (root cells) instead of its reg, zero sizes ignored; for drconf LMBs
     * that are assigned and not reserved, a count then that many pairs from
     * linux,drconf-usable-memory (other LMBs are skipped without consuming entries).
     */
    static Usable decodeUsable(KdumpFdtFacts f) {
        List<Origin> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int ac = f.rootAddressCells();
        int sc = f.rootSizeCells();
        int pair = (ac + sc) * 4;
        for (KdumpFdtFacts.MemoryNode n : f.memoryNodes()) {
            if (n.usableMemory().isPresent()) {
                byte[] v = n.usableMemory().get();
                if (v.length % pair != 0) {
                    problems.add(n.path() + "/linux,usable-memory is " + v.length + " bytes, not whole "
                            + ac + "+" + sc + "-cell pairs");
                }
                for (int o = 0; o + pair <= v.length; o += pair) {
                    long b = read(v, o, ac);
                    long s = read(v, o + ac * 4, sc);
                    Ranges.span(b, s).ifPresent(r -> out.add(new Origin(r, "linux,usable-memory of " + n.path())));
                }
            } else {
                for (ReserveEntry e : n.reg()) {
                    Ranges.span(e.address(), e.size()).ifPresent(
                            r -> out.add(new Origin(r, "reg of " + n.path() + " (no linux,usable-memory)")));
                }
            }
        }
        f.drconf().ifPresent(d -> {
            if (d.usableMemory().isEmpty()) {
                for (int i = 0; i < d.count(); i++) {
                    if (d.isUsable(i)) {
                        final int lmb = i;
                        Ranges.span(d.base()[i], d.lmbSize()).ifPresent(
                                r -> out.add(new Origin(r, "LMB " + lmb + " (no linux,drconf-usable-memory)")));
                    }
                }
                return;
            }
            byte[] v = d.usableMemory().get();
            int pos = 0;
            boolean unusableSeen = false;
            boolean misaligned = false;
            for (int i = 0; i < d.count(); i++) {
                if (!d.isUsable(i)) {
                    unusableSeen = true;
                    continue;
                }
                if (unusableSeen) {
                    misaligned = true;
                }
                if (pos + sc * 4 > v.length) {
                    problems.add("linux,drconf-usable-memory ends at LMB " + i + " (" + v.length + " bytes): LMBs after it get no memory");
                    break;
                }
                long count = read(v, pos, sc);
                pos += sc * 4;
                if (count > (v.length - pos) / pair) {
                    problems.add("linux,drconf-usable-memory claims " + count + " ranges for LMB " + i + " but holds fewer");
                    break;
                }
                for (long k = 0; k < count; k++) {
                    long b = read(v, pos, ac);
                    long s = read(v, pos + ac * 4, sc);
                    pos += pair;
                    final int lmb = i;
                    Ranges.span(b, s).ifPresent(r -> out.add(new Origin(r, "linux,drconf-usable-memory for LMB " + lmb)));
                }
            }
            if (misaligned) {
                warnings.add("unassigned or reserved LMBs precede assigned ones: the writer emits an entry for every LMB but "
                        + "the kdump kernel consumes entries only for assigned ones, so later LMBs may get the wrong ranges");
            }
        });
        return new Usable(out, problems, warnings);
    }

    private static long read(byte[] v, int o, int cells) {
        if (cells > 2) {
            return Cells.read(v, o + 4 * (cells - 2), 2);
        }
        return Cells.read(v, o, cells);
    }

    static final String D_USABLE = "Usable memory is crashkernel plus the low memory below it (linux,usable-memory, linux,drconf-usable-memory)";

    CheckResult usableConfined() {
        String id = "usable.confined";
        if (usable.isEmpty()) {
            return skip(id, D_USABLE, "no FDT given");
        }
        if (crash.isEmpty()) {
            return skip(id, D_USABLE, "crashkernel is unknown (give --capture or a plan)");
        }
        Usable u = usable.get();
        MemRange ck = crash.get().value();
        Findings f = new Findings();
        u.problems().forEach(f::fail);
        u.warnings().forEach(f::warn);
        if (u.ranges().isEmpty()) {
            f.fail("no usable memory at all: no memory node and no LMB gives the kdump kernel any memory");
            return f.done(id, D_USABLE);
        }
        List<MemRange> allowed = new ArrayList<>();
        allowed.add(new MemRange(0, ck.end()));
        for (Region r : firmwareRegions()) {
            if (r.kind() != RegionKind.RESERVED_RANGES) {
                allowed.add(r.range());
            }
        }
        for (Origin o : u.ranges()) {
            for (MemRange x : Ranges.subtract(List.of(o.range()), allowed)) {
                f.fail(o.from() + " makes " + str(x) + " usable: outside crashkernel " + str(ck)
                        + " and the low memory below it; the kdump kernel would run over the crashed kernel's memory");
            }
        }
        List<MemRange> ckRam = ram.map(r -> Ranges.intersect(r.value(), List.of(ck))).orElse(List.of(ck));
        List<MemRange> missing = Ranges.subtract(ckRam, u.list());
        if (!missing.isEmpty()) {
            if (Ranges.total(missing) == Ranges.total(ckRam)) {
                f.fail("none of crashkernel " + str(ck) + " is usable: the kdump kernel has no memory of its own");
            } else {
                f.warn("part of crashkernel is not usable: " + str(missing));
            }
        }
        if (in.fdt().get().usableMemoryRange().isEmpty()) {
            f.info("no /chosen/linux,usable-memory-range (kexec-tools does not write it; ppc64 does not read it)");
        } else {
            ReserveEntry e = in.fdt().get().usableMemoryRange().get(0);
            if (e.address() != ck.start() || e.size() != ck.size()) {
                f.fail("/chosen/linux,usable-memory-range " + entry(e) + " is not crashkernel " + str(ck));
            }
        }
        f.info("usable: " + str(u.list()) + " (low memory [0x0-" + hex(ck.start() - 1) + "] + crashkernel " + str(ck)
                + " from " + crash.get().source() + ")");
        return f.done(id, D_USABLE);
    }

    static final String D_USABLE_RSV = "Usable memory outside crashkernel is reserved (the crashed kernel's; first 64 KiB excepted)";

    CheckResult usableReserved() {
        String id = "usable.reserved";
        if (usable.isEmpty()) {
            return skip(id, D_USABLE_RSV, "no FDT given");
        }
        if (crash.isEmpty()) {
            return skip(id, D_USABLE_RSV, "crashkernel is unknown (give --capture or a plan)");
        }
        MemRange ck = crash.get().value();
        Findings f = new Findings();
        List<MemRange> outside = Ranges.subtract(usable.get().list(), List.of(ck, backupSrc));
        List<MemRange> rsv = reserveUnion();
        List<MemRange> unreserved = Ranges.subtract(outside, rsv);
        ReserveEntry low = new ReserveEntry(backupSize, ck.start() - backupSize);
        boolean hasLow = in.fdt().get().reserveMap().contains(low);
        for (MemRange x : unreserved) {
            f.fail(str(x) + " is usable but not reserved: the kdump kernel may allocate there and overwrite the crashed "
                    + "kernel's memory before it is dumped" + (hasLow ? "" : "; expected reserve entry " + entry(low)));
        }
        if (unreserved.isEmpty()) {
            f.info(outside.isEmpty() ? "nothing outside crashkernel is usable"
                    : "usable outside crashkernel: " + str(outside) + ", all reserved"
                            + (hasLow ? " (entry " + entry(low) + ")" : ""));
        }
        f.info(str(backupSrc) + " is usable on purpose: the purgatory saved it to the backup copy");
        return f.done(id, D_USABLE_RSV);
    }

    // ---------------------------------------------------------------- reserve.firmware

    static final String D_RSV_FW = "RTAS, OPAL and TCE tables are in the reserve map";

    CheckResult reserveFirmware() {
        String id = "reserve.firmware";
        if (in.fdt().isEmpty()) {
            return skip(id, D_RSV_FW, "no FDT given");
        }
        Findings f = new Findings();
        List<MemRange> rsv = reserveUnion();
        List<String> ok = new ArrayList<>();
        List<Region> regions = new ArrayList<>(firmwareRegions());
        if (!exp.hasMachine()) {
            // the kdump FDT lacks what only the live tree has (linux,tce-base/size): the plan's reserved list has it
            for (MemRange m : plan.flatMap(PlanFacts::reserved).orElse(List.of())) {
                if (regions.stream().noneMatch(g -> g.range().equals(m))) {
                    regions.add(new Region(RegionKind.RESERVED_RANGES, m, "the plan's reserved ranges"));
                }
            }
        }
        for (Region r : regions) {
            List<MemRange> miss = Ranges.subtract(List.of(r.range()), rsv);
            if (!miss.isEmpty()) {
                f.fail(lbl(r) + " (" + r.source() + ") is not reserved" + (miss.size() == 1 && miss.get(0).equals(r.range())
                        ? "" : " (" + str(miss) + ")") + ": the kdump kernel may overwrite firmware memory");
            } else {
                ok.add(lbl(r));
            }
        }
        f.info(ok.isEmpty() && f.problems.isEmpty() ? "no RTAS, OPAL or TCE regions (" + firmwareSource() + ")"
                : "reserved: " + (ok.isEmpty() ? "none" : String.join(", ", ok)) + " (regions from " + firmwareSource() + ")");
        return f.done(id, D_RSV_FW);
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

    static final String D_SIZE = "/proc/vmcore's size is what its program headers describe";

    CheckResult vmcoreSize() {
        String id = "vmcore.size";
        if (in.vmcore().isEmpty()) {
            return skip(id, D_SIZE, "no /proc/vmcore given");
        }
        if (in.vmcoreSize().isEmpty()) {
            return skip(id, D_SIZE, "the size of /proc/vmcore is not given (--vmcore-size, or jkexec/vmcore-size)");
        }
        long page = vmcorePageSize();
        long described = describedSize(in.vmcore().get(), page);
        long size = in.vmcoreSize().getAsLong();
        Findings f = new Findings();
        if (size != described) {
            f.fail(String.format("/proc/vmcore is %d bytes but its program headers describe %d (0x%x): %s", size, described,
                    described, Long.compareUnsigned(size, described) < 0 ? "the dump would be cut short" : "extra data"));
        }
        in.elfcorehdr().flatMap(h -> predicted(h, page)).ifPresent(view -> {
            if (view.size() != size) {
                f.fail(String.format("the core header predicts a %d-byte /proc/vmcore, it is %d", view.size(), size));
            } else {
                f.info("the core header predicts the same size");
            }
        });
        f.info(String.format("%d bytes (0x%x), %d-byte pages", size, size, page));
        return f.done(id, D_SIZE);
    }

    /** /proc/vmcore as the kdump kernel builds it from the loader's header (the merged notes' size taken from /proc/vmcore). */
    private Optional<VmcoreView> predicted(ElfFile hdr, long page) {
        if (in.vmcore().isEmpty()) {
            return Optional.empty();
        }
        List<ProgramHeader> vn = in.vmcore().get().programHeaders().stream().filter(ProgramHeader::isNote).toList();
        long merged = vn.stream().mapToLong(ProgramHeader::filesz).sum();
        long align = vn.isEmpty() ? 0 : vn.get(0).align();
        long nNotes = hdr.programHeaders().stream().filter(ProgramHeader::isNote).count();
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

    static final String D_LAYOUT = "/proc/vmcore's PT_LOADs are the core header's, as the kdump kernel rewrites them";

    CheckResult vmcoreLayout() {
        String id = "vmcore.layout";
        if (in.vmcore().isEmpty()) {
            return skip(id, D_LAYOUT, "no /proc/vmcore given");
        }
        if (in.elfcorehdr().isEmpty()) {
            return skip(id, D_LAYOUT, "the loader's core header is not available" + noteFor("elfcorehdr"));
        }
        long page = vmcorePageSize();
        Optional<VmcoreView> view = predicted(in.elfcorehdr().get(), page);
        Findings f = new Findings();
        if (view.isEmpty()) {
            f.fail("the core header " + in.elfcorehdr().get().source() + " cannot be turned into a /proc/vmcore view");
            return f.done(id, D_LAYOUT);
        }
        List<ProgramHeader> want = view.get().loads();
        List<ProgramHeader> got = loads;
        if (want.size() != got.size()) {
            f.fail("/proc/vmcore has " + got.size() + " PT_LOADs, the core header " + want.size());
        }
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            ProgramHeader w = want.get(i);
            ProgramHeader g = got.get(i);
            if (w.paddr() != g.paddr() || w.memsz() != g.memsz() || w.offset() != g.offset() || w.vaddr() != g.vaddr()) {
                f.fail(String.format("PT_LOAD %d: /proc/vmcore has paddr 0x%x size 0x%x offset 0x%x, the core header gives "
                        + "paddr 0x%x size 0x%x offset 0x%x", i, g.paddr(), g.memsz(), g.offset(), w.paddr(), w.memsz(), w.offset()));
            }
        }
        if (f.problems.isEmpty()) {
            f.info(want.size() + " PT_LOADs match the core header at the offsets the kdump kernel computes");
        }
        return f.done(id, D_LAYOUT);
    }

    // ---------------------------------------------------------------- plan

    List<CheckResult> planChecks() {
        List<CheckResult> out = new ArrayList<>();
        if (plan.isEmpty()) {
            out.add(skip("plan", "The kdump kernel got exactly what the plan says", "no plan given (--plan FILE from 'jkexec plan --json')"));
            return out;
        }
        PlanFacts p = plan.get();
        if (exp.hasMachine()) {
            out.add(guard("plan.machine", D_PLAN_MACHINE, () -> planMachine(p)));
        }
        out.add(guard("plan.segments", D_PLAN_SEG, () -> planSegments(p)));
        out.add(guard("plan.elfcorehdr", D_PLAN_ECH, () -> planElfcorehdr(p)));
        out.add(guard("plan.reserve-map", D_PLAN_RSV, () -> planReserveMap(p)));
        out.add(guard("plan.usable", D_PLAN_USABLE, () -> planUsable(p)));
        out.add(guard("plan.crash-ranges", D_PLAN_CRASH, () -> planCrashRanges(p)));
        out.add(guard("plan.cmdline", D_PLAN_CMD, () -> planCmdline(p)));
        return out;
    }

    static final String D_PLAN_MACHINE = "The plan was made for this machine (crashkernel, RAM, CPUs)";

    CheckResult planMachine(PlanFacts p) {
        Findings f = new Findings();
        if (p.crashkernel().isPresent() && exp.crashkernel().isPresent() && !p.crashkernel().equals(exp.crashkernel())) {
            f.fail("the plan's crashkernel " + str(p.crashkernel().get()) + " is not the capture's " + str(exp.crashkernel().get()));
        }
        if (p.systemRam().isPresent() && exp.systemRam().isPresent()
                && !Ranges.normalize(p.systemRam().get()).equals(Ranges.normalize(exp.systemRam().get()))) {
            f.fail("the plan's RAM " + str(p.systemRam().get()) + " is not the capture's " + str(exp.systemRam().get()));
        }
        if (p.possibleCpus().isPresent() && exp.crashNotes().isPresent() && p.possibleCpus().getAsInt() != exp.crashNotes().get().size()) {
            f.fail("the plan has " + p.possibleCpus().getAsInt() + " possible CPUs, the capture " + exp.crashNotes().get().size());
        }
        if (f.problems.isEmpty()) {
            f.info("plan " + p.source() + " and capture " + exp.machineSource() + " agree");
        }
        return f.done("plan.machine", D_PLAN_MACHINE);
    }

    static final String D_PLAN_SEG = "Segments are where the plan put them (elfcorehdr, backup, initrd, FDT; all in crashkernel)";

    CheckResult planSegments(PlanFacts p) {
        String id = "plan.segments";
        if (p.segments().isEmpty()) {
            return skip(id, D_PLAN_SEG, "the plan lists no segments");
        }
        Findings f = new Findings();
        crash.ifPresent(c -> {
            for (PlanFacts.PlanSegment s : p.segments()) {
                if (!c.value().contains(s.range())) {
                    f.fail("plan segment " + s.kind() + " " + str(s.range()) + " is outside crashkernel " + str(c.value()));
                }
            }
        });
        List<String> seen = new ArrayList<>();
        p.segment(SegmentKind.ELFCOREHDR).ifPresent(s -> {
            OptionalLong a = elfcorehdrAddress();
            if (a.isPresent()) {
                if (a.getAsLong() != s.mem()) {
                    f.fail("elfcorehdr segment planned at " + hex(s.mem()) + ", the kdump kernel got elfcorehdr=" + hex(a.getAsLong()));
                } else {
                    seen.add("elfcorehdr " + hex(s.mem()));
                }
            }
        });
        p.segment(SegmentKind.BACKUP).ifPresent(s -> {
            if (p.backupStart().isPresent() && p.backupStart().getAsLong() != s.mem()) {
                f.fail("the plan's backupStart " + hex(p.backupStart().getAsLong()) + " is not its backup segment " + hex(s.mem()));
            }
            Optional<ProgramHeader> raw = rawBackupLoad();
            if (raw.isPresent()) {
                if (raw.get().offset() != s.mem()) {
                    f.fail("backup segment planned at " + hex(s.mem()) + ", the core header reads the backup from " + hex(raw.get().offset()));
                } else {
                    seen.add("backup " + hex(s.mem()));
                }
            } else if (in.fdt().isPresent()) {
                if (in.fdt().get().reserveMap().stream().noneMatch(e -> e.address() == s.mem() && e.size() == backupSize)) {
                    f.fail("backup segment planned at " + hex(s.mem()) + " but the reserve map has no (" + hex(s.mem()) + ", 0x10000)");
                } else {
                    seen.add("backup " + hex(s.mem()) + " (reserve map)");
                }
            }
        });
        p.segment(SegmentKind.INITRD).ifPresent(s -> in.fdt().ifPresent(fdt -> {
            if (fdt.initrdStart().isEmpty()) {
                f.fail("the plan loads an initrd at " + hex(s.mem()) + " but /chosen has no linux,initrd-start");
            } else if (fdt.initrdStart().getAsLong() != s.mem()) {
                f.fail("initrd planned at " + hex(s.mem()) + ", /chosen/linux,initrd-start is " + hex(fdt.initrdStart().getAsLong()));
            } else if (fdt.initrdEnd().isPresent() && s.bufsz() != 0 && fdt.initrdEnd().getAsLong() - s.mem() != s.bufsz()) {
                f.fail("initrd planned with " + hex(s.bufsz()) + " bytes, /chosen says " + hex(fdt.initrdEnd().getAsLong() - s.mem()));
            } else {
                seen.add("initrd " + hex(s.mem()));
            }
        }));
        p.segment(SegmentKind.FDT).ifPresent(s -> in.fdt().ifPresent(fdt -> {
            if (s.bufsz() != 0 && s.bufsz() != fdt.totalSize()) {
                f.fail("FDT segment planned with " + s.bufsz() + " bytes, the kdump kernel's FDT has totalsize " + fdt.totalSize());
            } else {
                seen.add("fdt (" + fdt.totalSize() + " bytes)");
            }
        }));
        f.info(p.segments().size() + " planned segments; confirmed: " + (seen.isEmpty() ? "none visible" : String.join(", ", seen)));
        return f.done(id, D_PLAN_SEG);
    }

    static final String D_PLAN_ECH = "elfcorehdr= and /chosen/linux,elfcorehdr are the plan's";

    CheckResult planElfcorehdr(PlanFacts p) {
        String id = "plan.elfcorehdr";
        if (p.elfcorehdrAddr().isEmpty()) {
            return skip(id, D_PLAN_ECH, "the plan has no elfcorehdr.addr");
        }
        long want = p.elfcorehdrAddr().getAsLong();
        Findings f = new Findings();
        OptionalLong got = elfcorehdrAddress();
        if (got.isPresent() && got.getAsLong() != want) {
            f.fail("elfcorehdr=" + hex(got.getAsLong()) + ", the plan says " + hex(want));
        } else if (got.isEmpty() && cmdline.isPresent()) {
            f.fail("no usable elfcorehdr= on the command line, the plan says " + hex(want));
        }
        in.fdt().flatMap(KdumpFdtFacts::elfcorehdr).ifPresent(c -> {
            if (c.address() != want || (p.elfcorehdrSize().isPresent() && c.size() != p.elfcorehdrSize().getAsLong())) {
                f.fail("/chosen/linux,elfcorehdr is " + entry(c) + ", the plan says (" + hex(want)
                        + (p.elfcorehdrSize().isPresent() ? ", " + hex(p.elfcorehdrSize().getAsLong()) : "") + ")");
            }
        });
        if (f.problems.isEmpty()) {
            f.info("at " + hex(want) + " as planned");
        }
        return f.done(id, D_PLAN_ECH);
    }

    static final String D_PLAN_RSV = "The reserve map is exactly the plan's";

    CheckResult planReserveMap(PlanFacts p) {
        String id = "plan.reserve-map";
        if (p.reserveMap().isEmpty()) {
            return skip(id, D_PLAN_RSV, "the plan has no reserveMap");
        }
        if (in.fdt().isEmpty()) {
            return skip(id, D_PLAN_RSV, "no FDT given");
        }
        List<ReserveEntry> want = p.reserveMap().get();
        List<ReserveEntry> got = in.fdt().get().reserveMap();
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
                f.fail("same entries in another order: " + got.stream().map(KdumpChecks::entry).toList());
            }
        } else {
            f.info(want.size() + " entries, in order");
        }
        return f.done(id, D_PLAN_RSV);
    }

    static final String D_PLAN_USABLE = "linux,usable-memory / linux,drconf-usable-memory are what the plan's usable ranges give";

    CheckResult planUsable(PlanFacts p) {
        String id = "plan.usable";
        if (p.usable().isEmpty()) {
            return skip(id, D_PLAN_USABLE, "the plan has no ranges.usable");
        }
        if (in.fdt().isEmpty()) {
            return skip(id, D_PLAN_USABLE, "no FDT given");
        }
        List<MemRange> list = p.usable().get();
        KdumpFdtFacts fdt = in.fdt().get();
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
                f.fail(n.path() + "/linux,usable-memory is " + pairs(n.usableMemory().get()) + ", the plan gives " + pairs(want));
            }
        }
        fdt.drconf().ifPresent(d -> {
            List<Long> want = new ArrayList<>();
            for (int i = 0; i < d.count(); i++) {
                int at = want.size();
                want.add(0L);
                addUsable(want, list, d.base()[i], d.base()[i] + d.lmbSize() - 1);
                want.set(at, (long) (want.size() - at - 1) / 2);
            }
            byte[] w = u64s(want);
            if (d.usableMemory().isEmpty()) {
                f.fail("no linux,drconf-usable-memory; the plan gives one for " + d.count() + " LMBs");
            } else if (!Arrays.equals(w, d.usableMemory().get())) {
                f.fail("linux,drconf-usable-memory (" + d.usableMemory().get().length + " bytes) differs from the plan's ("
                        + w.length + " bytes)");
            }
        });
        if (f.problems.isEmpty()) {
            f.info(nodes + " memory node(s)" + (fdt.drconf().isPresent() ? " and " + fdt.drconf().get().count() + " LMBs" : "")
                    + " as planned from " + str(list));
        }
        return f.done(id, D_PLAN_USABLE);
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

    static final String D_PLAN_CRASH = "/proc/vmcore's PT_LOADs are the plan's crash ranges";

    CheckResult planCrashRanges(PlanFacts p) {
        String id = "plan.crash-ranges";
        if (p.crash().isEmpty()) {
            return skip(id, D_PLAN_CRASH, "the plan has no ranges.crash");
        }
        if (in.vmcore().isEmpty()) {
            return skip(id, D_PLAN_CRASH, "no /proc/vmcore given");
        }
        List<MemRange> want = p.crash().get();
        List<MemRange> got = loads.stream().map(KdumpChecks::loadRange).toList();
        Findings f = new Findings();
        if (!want.equals(got)) {
            f.fail("PT_LOADs " + str(got) + ", the plan: " + str(want));
        } else {
            f.info(want.size() + " PT_LOADs, in the plan's order");
        }
        return f.done(id, D_PLAN_CRASH);
    }

    static final String D_PLAN_CMD = "The kdump kernel's command line is the plan's";

    CheckResult planCmdline(PlanFacts p) {
        String id = "plan.cmdline";
        if (p.cmdline().isEmpty()) {
            return skip(id, D_PLAN_CMD, "the plan has no cmdline");
        }
        if (cmdline.isEmpty()) {
            return skip(id, D_PLAN_CMD, "no /proc/cmdline given");
        }
        Findings f = new Findings();
        String want = p.cmdline().get().strip();
        String got = cmdline.get().strip();
        if (!want.equals(got)) {
            f.fail("'" + got + "', the plan: '" + want + "'");
        } else {
            f.info("'" + got + "'");
        }
        return f.done(id, D_PLAN_CMD);
    }
}
