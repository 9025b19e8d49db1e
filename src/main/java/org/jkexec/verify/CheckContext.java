package org.jkexec.verify;

import static org.jkexec.units.Hex.hex;
import static org.jkexec.verify.Ranges.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jkexec.capture.CrashKernelRegion;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.ppc64.Region;

/**
 * What every check of {@code jkexec verify} reads: what the kdump kernel received, what was
 * expected, and the facts derived from them once (crashkernel, RAM, firmware regions, CPUs,
 * usable memory, the dump's PT_LOADs, the backup region). Each check family holds one and
 * reads through it; it holds no check.
 */
final class CheckContext {
    /** First 64 KiB of RAM, which the kernel's purgatory copies to the backup region (crashdump-ppc64.h). */
    static final long KERNEL_BACKUP_SIZE = BackupRegion.SIZE;
    /** jkexec enlarges the backup region only in 64 KiB steps and below 1 GiB. */
    static final long BACKUP_SIZE_LIMIT = 1L << 30;

    final KdumpReceived in;
    final Expected exp;
    final Optional<PlanFacts> plan;

    // derived once
    /** Crashkernel as capture.CrashKernelFacts gives it: the range and where it was read. */
    final Optional<CrashKernelRegion> crash;
    /**
     * The crashkernel=SIZE,cma areas: the kdump kernel may use them and the dump leaves them out
     * (as the kernel's own kexec_file_load plans them); from the capture, else the plan.
     */
    final List<MemRange> cma;

    final Optional<Sourced<List<MemRange>>> ram;
    /** RTAS, OPAL, TCE and reserved-ranges: from the capture's live tree, else the kdump FDT; empty when neither is given. */
    final Optional<Sourced<List<Region>>> firmware;

    final Optional<Sourced<Integer>> cpus;
    final boolean cpusExact;
    final Optional<String> cmdline;
    final Optional<KdumpUsableMemory> usable;
    final List<ProgramHeader> loads;
    /** Bytes of physical 0.. saved to the backup copy: 64 KiB, or what the plan or core header says. */
    final long backupSize;

    final MemRange backupSrc;

    /** A value and where it came from (for details). */
    record Sourced<T>(T value, String source) {}

    CheckContext(KdumpReceived in, Expected exp) {
        this.in = in;
        this.exp = exp;
        this.plan = exp.plan();
        this.cmdline = in.cmdline().or(() -> in.fdt().flatMap(KdumpFdtFacts::bootargs));
        this.loads = in.vmcore()
                .map(v -> v.programHeaders().stream()
                        .filter(p -> p.isLoad() && p.memsz() != 0 && !MemRange.wraps(p.paddr(), p.memsz()))
                        .toList())
                .orElse(List.of());
        this.usable = in.fdt().map(KdumpUsableMemory::read);
        this.backupSize = resolveBackupSize();
        this.backupSrc = new MemRange(0, backupSize - 1);
        this.crash = resolveCrashkernel();
        this.cma = exp.hasMachine()
                ? exp.crashkernelCma()
                : plan.flatMap(PlanFacts::crashkernelCma).orElse(List.of());
        this.ram = resolveRam();
        this.firmware = exp.firmware()
                .map(f -> new Sourced<>(f, "live tree of " + exp.machineSource()))
                .or(() -> in.fdt().map(f -> new Sourced<>(f.firmware(), "the kdump FDT " + f.source())));
        if (exp.crashNotes().isPresent()) {
            cpus = Optional.of(new Sourced<>(exp.crashNotes().get().size(), "crash_notes of " + exp.machineSource()));
            cpusExact = true;
        } else if (plan.flatMap(p -> box(p.possibleCpus())).isPresent()) {
            cpus = Optional.of(new Sourced<>(
                    plan.get().possibleCpus().getAsInt(),
                    "the plan " + plan.get().source()));
            cpusExact = true;
        } else if (in.fdt().isPresent() && in.fdt().get().cpuThreads() > 0) {
            cpus = Optional.of(
                    new Sourced<>(in.fdt().get().cpuThreads(), "cpu nodes of the kdump FDT (a lower bound)"));
            cpusExact = false;
        } else {
            cpus = Optional.empty();
            cpusExact = false;
        }
    }

    static Optional<Integer> box(OptionalInt i) {
        return i.isPresent() ? Optional.of(i.getAsInt()) : Optional.empty();
    }

    // ---------------------------------------------------------------- derived facts

    /** The loader's own core header's PT_LOAD for physical 0, if the header is available. */
    Optional<ProgramHeader> rawBackupLoad() {
        return in.elfcorehdr()
                .flatMap(e -> e.programHeaders().stream()
                        .filter(p -> p.isLoad() && p.paddr() == 0)
                        .findFirst());
    }

    /**
     * The kernel saves 64 KiB; jkexec more where the kernel's placement would leave the kdump
     * kernel no low memory. The plan's backup segment says which, else the loader's own core
     * header (its PT_LOAD for physical 0) when the FDT reserves a copy of exactly that size
     * where it points; a size that is not a 64 KiB multiple below 1 GiB is not a backup region
     * jkexec makes, and the kernel's is assumed (the checks then show it).
     */
    long resolveBackupSize() {
        OptionalLong planned = plan.stream()
                .flatMap(p -> p.segments().stream())
                .filter(s -> s.kind().equals(SegmentKind.BACKUP.label()))
                .mapToLong(PlanFacts.PlanSegment::memsz)
                .findFirst();
        OptionalLong raw = rawBackupLoad()
                .filter(p -> in.fdt().isPresent()
                        && in.fdt().get().reserveMap().contains(new ReserveEntry(p.offset(), p.memsz())))
                .map(p -> OptionalLong.of(p.memsz()))
                .orElse(OptionalLong.empty());
        long b = planned.isPresent() ? planned.getAsLong() : raw.orElse(KERNEL_BACKUP_SIZE);
        boolean plausible = b > 0 && b % KERNEL_BACKUP_SIZE == 0 && Long.compareUnsigned(b, BACKUP_SIZE_LIMIT) <= 0;
        return plausible ? b : KERNEL_BACKUP_SIZE;
    }

    /**
     * Crashkernel, from the best witness given: the capture (its region resolved by
     * capture.CrashKernelFacts, the one rule for a machine's files), the plan (which recorded
     * that rule's result), else what the kdump kernel's FDT implies (its usable-memory-range,
     * or the reserve entry below crashkernel and the end of usable memory).
     */
    Optional<CrashKernelRegion> resolveCrashkernel() {
        if (exp.crashkernel().isPresent()) {
            return Optional.of(region(exp.crashkernel().get(), exp.machineSource()));
        }
        if (plan.flatMap(PlanFacts::crashkernel).isPresent()) {
            return Optional.of(region(plan.get().crashkernel().get(), "the plan"));
        }
        if (in.fdt().isPresent()) {
            KdumpFdtFacts f = in.fdt().get();
            if (!f.usableMemoryRange().isEmpty() && f.usableMemoryRange().get(0).size() != 0) {
                ReserveEntry e = f.usableMemoryRange().get(0);
                return MemRange.span(e.address(), e.size()).map(r -> region(r, "/chosen/linux,usable-memory-range"));
            }
            // the crashed kernel's low memory is reserved as (0x10000, crashk.start - 0x10000) and the
            // usable memory ends where crashkernel ends: infer from those two (consistency, not proof)
            Optional<ReserveEntry> low = f.reserveMap().stream()
                    .filter(e -> e.address() == backupSize)
                    .findFirst();
            if (low.isPresent() && usable.isPresent() && !usable.get().list().isEmpty()) {
                long start = backupSize + low.get().size();
                // the usable range that holds crashkernel's start ends where crashkernel ends;
                // later usable ranges are firmware (OPAL, RTAS) the loader also made usable
                long end = usable.get().list().stream()
                        .filter(r -> r.contains(start))
                        .findFirst()
                        .orElse(usable.get().list().get(usable.get().list().size() - 1))
                        .end();
                if (Long.compareUnsigned(end, start) > 0) {
                    return Optional.of(new CrashKernelRegion(
                            start,
                            end,
                            "inferred from the reserve entry (" + hex(backupSize) + ", "
                                    + hex(low.get().size()) + ") and the end of usable memory"));
                }
            }
        }
        return Optional.empty();
    }

    private static CrashKernelRegion region(MemRange r, String source) {
        return new CrashKernelRegion(r.start(), r.end(), source);
    }

    Optional<Sourced<List<MemRange>>> resolveRam() {
        if (exp.systemRam().isPresent()) {
            return Optional.of(
                    new Sourced<>(RangeSet.of(exp.systemRam().get()).ranges(), "System RAM of " + exp.machineSource()));
        }
        if (plan.flatMap(PlanFacts::systemRam).isPresent()) {
            return Optional.of(
                    new Sourced<>(RangeSet.of(plan.get().systemRam().get()).ranges(), "the plan's machine.systemRam"));
        }
        if (in.fdt().isPresent()) {
            KdumpFdtFacts f = in.fdt().get();
            List<MemRange> r = new ArrayList<>();
            for (KdumpFdtFacts.MemoryNode n : f.memoryNodes()) {
                for (ReserveEntry e : n.reg()) {
                    MemRange.span(e.address(), e.size()).ifPresent(r::add);
                }
            }
            f.drconf().ifPresent(d -> {
                for (int i = 0; i < d.count(); i++) {
                    if (d.isUsable(i)) {
                        MemRange.span(d.base()[i], d.lmbSize()).ifPresent(r::add);
                    }
                }
            });
            if (!r.isEmpty()) {
                return Optional.of(new Sourced<>(RangeSet.of(r).ranges(), "memory nodes' reg in the kdump FDT"));
            }
        }
        return Optional.empty();
    }

    List<String> inputSummary() {
        List<String> s = new ArrayList<>();
        crash.ifPresent(c -> s.add("crashkernel " + str(c.range()) + " (" + c.source() + ")"));
        ram.ifPresent(r -> s.add("RAM " + str(r.value()) + " (" + r.source() + ")"));
        cpus.ifPresent(
                c -> s.add((cpusExact ? "" : "at least ") + c.value() + " possible CPU(s) (" + c.source() + ")"));
        s.addAll(in.notes());
        return s;
    }

    List<Region> firmwareRegions() {
        return firmware.map(Sourced::value).orElse(List.of());
    }

    String firmwareSource() {
        return firmware.map(Sourced::source).orElse("nowhere (no capture, no FDT)");
    }

    List<MemRange> reserveUnion() {
        return RangeSet.of(in.fdt()
                        .map(f -> f.reserveMap().stream()
                                .flatMap(e -> MemRange.span(e.address(), e.size()).stream())
                                .toList())
                        .orElse(List.of()))
                .ranges();
    }

    static MemRange loadRange(ProgramHeader p) {
        return MemRange.ofSize(p.paddr(), p.memsz());
    }

    int loadIndex(ProgramHeader p) {
        return in.vmcore().get().programHeaders().indexOf(p);
    }

    String loadLabel(ProgramHeader p) {
        return "PT_LOAD #" + loadIndex(p) + " " + str(loadRange(p));
    }

    String noteFor(String what) {
        return in.notes().stream()
                .filter(n -> n.contains(what))
                .findFirst()
                .map(n -> " (" + n + ")")
                .orElse("");
    }

    // ---------------------------------------------------------------- elfcorehdr=

    /** The elfcorehdr address the kdump kernel uses (last elfcorehdr= that parses). */
    OptionalLong elfcorehdrAddress() {
        if (cmdline.isEmpty()) {
            return OptionalLong.empty();
        }
        List<KernelCmdline.ElfcorehdrArg> a = KernelCmdline.elfcorehdr(cmdline.get());
        return a.isEmpty() ? OptionalLong.empty() : a.get(a.size() - 1).address();
    }
}
