package org.jkexec.verify;

import static org.jkexec.units.Hex.hex;
import static org.jkexec.verify.CheckResult.skip;
import static org.jkexec.verify.Ranges.entry;
import static org.jkexec.verify.Ranges.str;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.units.ByteSize;

/** The backup region: the first 64 KiB (or the enlarged low memory) has its own PT_LOAD, is read from the copy, and the copy is reserved. */
final class BackupChecks implements CheckFamily {
    private final CheckContext ctx;

    BackupChecks(CheckContext context) {
        this.ctx = context;
    }

    @Override
    public Map<CheckId, Supplier<CheckResult>> checks() {
        Map<CheckId, Supplier<CheckResult>> checks = new EnumMap<>(CheckId.class);
        checks.put(CheckId.VMCORE_BACKUP_LOAD, this::backupLoad);
        checks.put(CheckId.BACKUP_SOURCE, this::backupSource);
        checks.put(CheckId.BACKUP_RESERVED, this::backupReserved);
        return checks;
    }

    // ---------------------------------------------------------------- backup

    CheckResult backupLoad() {
        CheckId id = CheckId.VMCORE_BACKUP_LOAD;
        if (ctx.in.vmcore().isEmpty()) {
            return skip(id, "no /proc/vmcore given");
        }
        Findings f = new Findings();
        List<ProgramHeader> zero =
                ctx.loads.stream().filter(p -> p.paddr() == 0).toList();
        if (zero.isEmpty()) {
            f.fail("no PT_LOAD starts at physical 0: the crashed kernel's first 64 KiB (exception vectors, "
                    + "saved by the purgatory to the backup region) is missing from the dump");
        } else {
            ProgramHeader p = zero.get(0);
            if (p.memsz() != ctx.backupSize) {
                f.fail(
                        ctx.loadLabel(p) + " is " + hex(p.memsz()) + " bytes: the backup region must be its own "
                                + ByteSize.text(ctx.backupSize)
                                + " PT_LOAD (only those bytes are read from the backup copy; the rest would come from the wrong place)");
            } else {
                f.info(ctx.loadLabel(p) + ", " + hex(ctx.backupSize) + " bytes");
            }
        }
        return f.done(id);
    }

    CheckResult backupSource() {
        CheckId id = CheckId.BACKUP_SOURCE;
        Findings f = new Findings();
        OptionalLong planned = ctx.plan.map(PlanFacts::backupStart).orElse(OptionalLong.empty());
        if (ctx.in.elfcorehdr().isPresent()) {
            Optional<ProgramHeader> b = ctx.rawBackupLoad();
            if (b.isEmpty()) {
                f.fail(ctx.in.elfcorehdr().get().source() + ": the core header has no PT_LOAD for physical 0");
                return f.done(id);
            }
            long off = b.get().offset();
            if (off == 0) {
                f.fail("the core header's PT_LOAD for physical 0 has p_offset 0: /proc/vmcore shows the kdump kernel's "
                        + "first 64 KiB instead of the crashed kernel's (kernel bug fixed by 'powerpc/kexec_file: fix "
                        + "backup region offset update')");
            } else {
                if (ctx.crash.isPresent() && !ctx.crash.get().range().contains(MemRange.ofSize(off, ctx.backupSize))) {
                    f.fail("the backup PT_LOAD reads from " + hex(off) + ", outside crashkernel "
                            + str(ctx.crash.get().range())
                            + ": that memory belonged to the crashed kernel, not a backup copy");
                }
                if (planned.isPresent() && planned.getAsLong() != off) {
                    f.fail("the backup PT_LOAD reads from " + hex(off) + " but the plan's backupStart is "
                            + hex(planned.getAsLong()));
                }
                f.info("core header (" + ctx.in.elfcorehdr().get().source()
                        + "): PT_LOAD for [0x0-0xffff] has p_offset " + hex(off) + " = the backup copy");
            }
            return f.done(id);
        }
        if (planned.isPresent()) {
            long b = planned.getAsLong();
            if (ctx.crash.isPresent() && !ctx.crash.get().range().contains(MemRange.ofSize(b, ctx.backupSize))) {
                f.fail("the plan's backupStart " + hex(b) + " is outside crashkernel "
                        + str(ctx.crash.get().range()));
            }
            if (ctx.in.fdt().isPresent()
                    && ctx.in.fdt().get().reserveMap().stream()
                            .noneMatch(e -> e.address() == b && e.size() == ctx.backupSize)) {
                f.fail("no reserve entry (" + hex(b) + ", " + hex(ctx.backupSize) + ") for the plan's backup region");
            }
            f.info("core header not readable; the plan puts the backup copy at " + hex(b)
                    + (ctx.in.fdt().isPresent() ? " and the reserve map holds it" : ""));
            return f.done(id);
        }
        return skip(
                id,
                "/proc/vmcore's own header has rewritten offsets; the loader's core header "
                        + "(--elfcorehdr, or /dev/mem at elfcorehdr= in the kdump kernel) or a plan is needed"
                        + ctx.noteFor("elfcorehdr"));
    }

    CheckResult backupReserved() {
        CheckId id = CheckId.BACKUP_RESERVED;
        if (ctx.in.fdt().isEmpty()) {
            return skip(id, "no FDT given");
        }
        KdumpFdtFacts fdt = ctx.in.fdt().get();
        Findings f = new Findings();
        OptionalLong known = ctx.rawBackupLoad()
                .filter(p -> p.offset() != 0)
                .map(p -> OptionalLong.of(p.offset()))
                .orElse(ctx.plan.map(PlanFacts::backupStart).orElse(OptionalLong.empty()));
        if (known.isPresent()) {
            MemRange b = MemRange.ofSize(known.getAsLong(), ctx.backupSize);
            if (!RangeSet.of(ctx.reserveUnion()).covers(b)) {
                f.fail("the backup copy " + str(b)
                        + " is not reserved: the kdump kernel may overwrite it before the dump is read");
            } else {
                f.info("backup copy " + str(b) + " is reserved"
                        + (fdt.reserveMap().contains(new ReserveEntry(b.start(), ctx.backupSize))
                                ? " by entry " + entry(new ReserveEntry(b.start(), ctx.backupSize))
                                : ""));
            }
            return f.done(id);
        }
        if (ctx.crash.isEmpty()) {
            return skip(id, "neither the backup address nor crashkernel is known");
        }
        MemRange ck = ctx.crash.get().range();
        OptionalLong ech = ctx.elfcorehdrAddress();
        List<ReserveEntry> cand = fdt.reserveMap().stream()
                .filter(e -> e.size() == ctx.backupSize
                        && ck.contains(MemRange.ofSize(e.address(), e.size()))
                        && (ech.isEmpty() || ech.getAsLong() != e.address()))
                .toList();
        if (cand.isEmpty()) {
            f.fail("no 64 KiB reserve entry inside crashkernel " + str(ck)
                    + ": the backup copy of the first 64 KiB is not protected from the kdump kernel");
        } else {
            f.info("reserve entry " + entry(cand.get(0)) + " inside crashkernel is the backup copy"
                    + " (address not confirmable without the core header or a plan)");
        }
        return f.done(id);
    }
}
