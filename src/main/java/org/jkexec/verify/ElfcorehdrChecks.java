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
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;

/** elfcorehdr=: where the kdump kernel finds the core header, and that it is reserved. */
final class ElfcorehdrChecks implements CheckFamily {
    private final CheckContext ctx;

    ElfcorehdrChecks(CheckContext context) {
        this.ctx = context;
    }

    @Override
    public Map<CheckId, Supplier<CheckResult>> checks() {
        Map<CheckId, Supplier<CheckResult>> checks = new EnumMap<>(CheckId.class);
        checks.put(CheckId.CMDLINE_ELFCOREHDR, this::cmdlineElfcorehdr);
        checks.put(CheckId.RESERVE_ELFCOREHDR, this::reserveElfcorehdr);
        return checks;
    }

    static final String D_CMDLINE = "elfcorehdr= points inside crashkernel and matches /chosen/linux,elfcorehdr";

    CheckResult cmdlineElfcorehdr() {
        CheckId id = CheckId.CMDLINE_ELFCOREHDR;
        if (ctx.cmdline.isEmpty()) {
            return skip(id, "no /proc/cmdline and no /chosen/bootargs given");
        }
        Findings f = new Findings();
        String cl = ctx.cmdline.get();
        List<KernelCmdline.ElfcorehdrArg> args = KernelCmdline.elfcorehdr(cl);
        if (args.isEmpty()) {
            f.fail("no elfcorehdr= on the command line '" + cl.strip()
                    + "': the kernel has no /proc/vmcore without it");
            return f.done(id);
        }
        KernelCmdline.ElfcorehdrArg last = args.get(args.size() - 1);
        if (last.address().isEmpty()) {
            f.fail("elfcorehdr=" + last.text() + " is not an address the kernel can parse");
            return f.done(id);
        }
        long addr = last.address().getAsLong();
        if (args.size() > 1 && args.stream().anyMatch(a -> !a.address().equals(last.address()))) {
            f.warn("elfcorehdr= appears " + args.size() + " times with different values; the kernel uses the last, "
                    + hex(addr));
        }
        Optional<ReserveEntry> chosen = ctx.in.fdt().flatMap(KdumpFdtFacts::elfcorehdr);
        long size = Math.max(elfcorehdrBytes(), chosen.map(ReserveEntry::size).orElse(0L));
        MemRange hdr = MemRange.ofSize(addr, Math.max(1, elfcorehdrBytes()));
        ctx.crash.ifPresent(ck -> inCrashkernel(ck.range(), last, hdr, chosen, size, f));
        if (ctx.in.fdt().isPresent()) {
            againstTheFdt(last, chosen, f);
        }
        boolean atEnd = KernelCmdline.elfcorehdrIsLastArgument(cl);
        f.info("elfcorehdr=" + last.text() + " = " + hex(addr)
                + (atEnd && KernelCmdline.args(cl).size() > 1
                        ? " (appended at the end, as kexec-tools does)"
                        : " (first argument, as the kernel's loader prepends it)")
                + (ctx.crash.isPresent()
                        ? ", inside crashkernel " + str(ctx.crash.get().range())
                        : "")
                + chosen.map(c -> "; /chosen/linux,elfcorehdr " + entry(c)).orElse(""));
        return f.done(id);
    }

    /** The header, and linux,elfcorehdr's size, lie in crashkernel. */
    private static void inCrashkernel(
            MemRange ck,
            KernelCmdline.ElfcorehdrArg last,
            MemRange hdr,
            Optional<ReserveEntry> chosen,
            long size,
            Findings f) {
        long addr = hdr.start();
        if (!ck.contains(addr)) {
            f.fail("elfcorehdr=" + last.text() + " (" + hex(addr) + ") is outside crashkernel " + str(ck)
                    + ": the core header must be in memory the crashed kernel did not use");
        } else if (!ck.contains(hdr)) {
            f.fail("the core header " + str(hdr) + " runs past the end of crashkernel " + str(ck));
        } else if (chosen.isPresent() && !ck.contains(MemRange.ofSize(addr, Math.max(1, size)))) {
            f.fail("linux,elfcorehdr's size " + hex(chosen.get().size()) + " at " + hex(addr)
                    + " runs past crashkernel " + str(ck));
        }
    }

    /** /chosen/linux,elfcorehdr names the same header, large enough; bootargs and /proc/cmdline agree. */
    private void againstTheFdt(KernelCmdline.ElfcorehdrArg last, Optional<ReserveEntry> chosen, Findings f) {
        long addr = last.address().getAsLong();
        if (chosen.isPresent()) {
            if (chosen.get().address() != addr) {
                f.fail("elfcorehdr=" + last.text() + " (" + hex(addr) + ") but /chosen/linux,elfcorehdr says "
                        + hex(chosen.get().address()));
            }
            if (ctx.in.elfcorehdr().isPresent()
                    && Long.compareUnsigned(chosen.get().size(), elfcorehdrBytes()) < 0) {
                f.fail("/chosen/linux,elfcorehdr size " + hex(chosen.get().size()) + " is smaller than the header ("
                        + hex(elfcorehdrBytes()) + " bytes)");
            }
        } else {
            f.warn("no /chosen/linux,elfcorehdr: kexec-tools does not write it (the kernel's loader does); ppc64 kdump "
                    + "kernels read only elfcorehdr=, so the dump is unaffected");
        }
        Optional<String> bootargs = ctx.in.fdt().get().bootargs();
        if (ctx.in.cmdline().isPresent()
                && bootargs.isPresent()
                && !bootargs.get().strip().equals(ctx.in.cmdline().get().strip())) {
            f.info("note: /proc/cmdline differs from /chosen/bootargs '"
                    + bootargs.get().strip() + "'");
        }
    }

    CheckResult reserveElfcorehdr() {
        CheckId id = CheckId.RESERVE_ELFCOREHDR;
        if (ctx.in.fdt().isEmpty()) {
            return skip(id, "no FDT given");
        }
        OptionalLong addr = ctx.elfcorehdrAddress();
        if (addr.isEmpty()) {
            return skip(id, "no usable elfcorehdr= (see cmdline.elfcorehdr)");
        }
        Findings f = new Findings();
        MemRange hdr = MemRange.ofSize(addr.getAsLong(), elfcorehdrBytes());
        if (!RangeSet.of(ctx.reserveUnion()).covers(hdr)) {
            f.fail("the core header " + str(hdr) + " is not reserved: the kdump kernel may reuse that memory before "
                    + "/proc/vmcore is read");
        } else {
            Optional<ReserveEntry> e = ctx.in.fdt().get().reserveMap().stream()
                    .filter(x -> x.size() != 0
                            && MemRange.ofSize(x.address(), x.size()).contains(hdr))
                    .findFirst();
            f.info("reserved" + e.map(x -> " by entry " + entry(x)).orElse("") + " (" + hex(hdr.size())
                    + " bytes checked: " + elfcorehdrBytesHow() + ")");
        }
        return f.done(id);
    }

    /** Bytes of the core header the kdump kernel must be able to read: from the header itself, else what the loader announced. */
    long elfcorehdrBytes() {
        if (ctx.in.elfcorehdr().isPresent()) {
            ElfFile e = ctx.in.elfcorehdr().get();
            return e.phoff() + (long) e.programHeaders().size() * ProgramHeader.SIZE;
        }
        if (ctx.in.vmcore().isPresent() && ctx.cpus.isPresent() && ctx.cpusExact) {
            // the loader's header has the same PT_LOADs as /proc/vmcore plus a PT_NOTE per CPU and vmcoreinfo
            return ElfFile.EHDR_SIZE + (long) (ctx.loads.size() + ctx.cpus.get().value() + 1) * ProgramHeader.SIZE;
        }
        return ElfFile.EHDR_SIZE;
    }

    String elfcorehdrBytesHow() {
        if (ctx.in.elfcorehdr().isPresent()) {
            return "the whole header";
        }
        if (ctx.in.vmcore().isPresent() && ctx.cpus.isPresent() && ctx.cpusExact) {
            return "the header's size from /proc/vmcore's PT_LOADs and "
                    + ctx.cpus.get().value() + " CPU notes + vmcoreinfo";
        }
        return "the ELF header only";
    }
}
