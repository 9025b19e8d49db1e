package org.jkexec.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import org.jkexec.app.CrashkernelNeed;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.BootProblem;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KexecPlan;
import org.jkexec.kexec.PlanDocument;
import org.jkexec.kexec.Segment;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.ppc64.CrashkernelEstimate;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.RamLayout;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;

/** Renders a plan for people (text) and programs (JSON). Addresses are hex strings in JSON. */
final class PlanReport {
    private PlanReport() {}

    static String text(Ppc64Machine m, KdumpPlan p) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("machine     %s%n", m.source()));
        sb.append(String.format(
                "            %s, crashkernel %s at 0x%x, %d possible CPU(s), page size %s%n",
                RamLayout.describe(m.systemRam()),
                ByteSize.text(m.crashkernel().size()),
                m.crashkernel().start(),
                m.possibleCpus(),
                ByteSize.text(m.pageSize())));
        sb.append(cmaLine(m));
        sb.append(String.format("%nsegments (kexec order)%n"));
        sb.append(String.format("  %-3s %-11s %-18s %-18s %-10s %-10s%n", "#", "kind", "mem", "end", "memsz", "bufsz"));
        int i = 0;
        for (Segment s : p.segments()) {
            sb.append(String.format(
                    "  %-3d %-11s 0x%016x 0x%016x 0x%-8x 0x%-8x%n",
                    i++, s.kind(), s.mem(), s.end(), s.memsz(), s.bufsz()));
        }
        sb.append(String.format("%nentry       0x%x (purgatory)%n", p.entry()));
        sb.append(String.format(
                "kernel      loaded at 0x%x, backup of [0, %s) at 0x%x%n",
                p.kernelLoadAddr(), ByteSize.text(p.backupSize()), p.backupStart()));
        sb.append(String.format(
                "elfcorehdr  0x%x, %d program headers, advertised size 0x%x%n",
                p.elfcorehdrAddr(), phnum(p.elfCoreHeader()), p.elfcorehdrSize()));
        sb.append(String.format("cmdline     %s%n", p.cmdline()));
        sb.append(String.format("%nkdump kernel's memory%n"));
        sb.append(ranges("  usable (linux,usable-memory)", p.usableRanges()));
        sb.append("  reserve map\n");
        for (ReserveEntry e : p.kdumpFdt().reserveMap()) {
            sb.append(String.format("    0x%016x 0x%016x%n", e.address(), e.size()));
        }
        sb.append(String.format("%ncrashed kernel's memory in /proc/vmcore (one PT_LOAD each)%n"));
        for (int j = 0; j < p.crashRanges().size(); j++) {
            MemRange r = p.crashRanges().get(j);
            String note = r.start() == 0 ? "  <- read from the backup copy at " + Hex.hex(p.backupStart()) : "";
            sb.append(String.format(
                    "    [0x%014x - 0x%014x] %9s%s%n", r.start(), r.end(), ByteSize.text(r.size()), note));
        }
        sb.append(String.format(
                "    /proc/vmcore will be %d bytes%s%n",
                p.vmcoreSize(), p.vmcoreSizeExact() ? "" : " at most (depends on the vmcoreinfo text)"));
        sb.append(ranges("  excluded from placement", p.excludeRanges()));
        CrashkernelEstimate need = CrashkernelNeed.of(m, p);
        sb.append(String.format(
                "%ncrashkernel needed: about %s (this one is %s)%n",
                ByteSize.text(need.bytes()), ByteSize.text(m.crashkernel().size())));
        for (CrashkernelEstimate.Part part : need.parts()) {
            sb.append(String.format("  %9s  %s%n", ByteSize.text(part.bytes()), part.what()));
        }
        if (!p.notes().isEmpty()) {
            sb.append(String.format("%nnotes%n"));
            for (String n : p.notes()) {
                sb.append("  * ").append(n).append('\n');
            }
        }
        if (p.bootProblem().isPresent()) {
            sb.append(String.format(
                    "%ncannot boot (never loaded)%n  ! %s%n",
                    p.bootProblem().get().text()));
        }
        List<String> warnings = warnings(m, p, need);
        if (!warnings.isEmpty()) {
            sb.append(String.format("%nwarnings%n"));
            for (String w : warnings) {
                sb.append("  ! ").append(w).append('\n');
            }
        }
        return sb.toString();
    }

    /** The plan's warnings and, where crashkernel is smaller than the estimate, that one. */
    private static List<String> warnings(Ppc64Machine m, KdumpPlan p, CrashkernelEstimate need) {
        List<String> all = new ArrayList<>(p.warnings());
        need.shortOf(m.crashkernel().size()).ifPresent(all::add);
        return all;
    }

    /** The crashkernel=SIZE,cma areas and what the plan does with them; "" when there are none. */
    static String cmaLine(Ppc64Machine m) {
        if (m.crashkernelCma().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("            crashkernel CMA");
        for (MemRange a : m.crashkernelCma()) {
            sb.append(String.format(" %s at 0x%x,", ByteSize.text(a.size()), a.start()));
        }
        sb.setLength(sb.length() - 1);
        return sb.append(": usable by the kdump kernel, left out of the dump\n").toString();
    }

    /** A regular kexec plan: segments, where each lies against crashkernel, the new kernel's FDT facts. */
    static String text(Ppc64Machine m, KexecPlan p) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("machine     %s%n", m.source()));
        sb.append(String.format(
                "            %s, %s, page size %s, real-mode limit %s%n",
                RamLayout.describe(m.systemRam()),
                m.reservedCrashkernel()
                        .map(ck -> String.format(
                                "crashkernel %s at 0x%x (not excluded: a regular image may use it)",
                                ByteSize.text(ck.size()), ck.start()))
                        .orElse("no crashkernel"),
                ByteSize.text(m.pageSize()),
                m.rmaSize() == -1 ? "none" : String.format("0x%x", m.rmaSize())));
        sb.append(String.format("%nsegments of a regular kexec (kexec order)%n"));
        sb.append(String.format("  %-3s %-11s %-18s %-18s %-10s %-10s%n", "#", "kind", "mem", "end", "memsz", "bufsz"));
        int i = 0;
        for (Segment s : p.segments()) {
            String where = m.reservedCrashkernel()
                    .filter(ck -> ck.intersects(new MemRange(s.mem(), s.end())))
                    .map(ck -> " in crashkernel")
                    .orElse("");
            sb.append(String.format(
                    "  %-3d %-11s 0x%016x 0x%016x 0x%-8x 0x%-8x%s%n",
                    i++, s.kind(), s.mem(), s.end(), s.memsz(), s.bufsz(), where));
        }
        sb.append(String.format("%nentry       0x%x (purgatory)%n", p.entry()));
        sb.append(String.format("kernel      loaded at 0x%x%n", p.kernelLoadAddr()));
        sb.append(String.format(
                "cmdline     %s%n", p.cmdline().isEmpty() ? "(none: /chosen/bootargs deleted)" : p.cmdline()));
        sb.append(String.format("%nnew kernel's FDT (%d bytes, packed)%n", p.fdtBlob().length));
        sb.append("  reserve map\n");
        for (ReserveEntry e : p.fdt().reserveMap()) {
            sb.append(String.format("    0x%016x 0x%016x%n", e.address(), e.size()));
        }
        sb.append(ranges("  excluded from placement", p.excludeRanges()));
        if (!p.warnings().isEmpty()) {
            sb.append(String.format("%nwarnings%n"));
            for (String w : p.warnings()) {
                sb.append("  ! ").append(w).append('\n');
            }
        }
        return sb.toString();
    }

    static String json(Ppc64Machine m, KexecPlan p) {
        PlanDocument.Machine machine = new PlanDocument.Machine(
                m.reservedCrashkernel().map(PlanReport::range).orElse(null),
                cma(m),
                new PlanDocument.Count(m.pageSize()),
                null,
                m.source(),
                ranges(m.systemRam()));
        return write(new PlanDocument(
                null,
                null,
                null,
                p.cmdline(),
                null,
                null,
                new PlanDocument.Hex(p.entry()),
                p.fdtBlob().length,
                "kexec",
                new PlanDocument.Hex(p.kernelLoadAddr()),
                machine,
                null,
                new PlanDocument.Ranges(null, ranges(p.excludeRanges()), ranges(p.reservedRanges()), null),
                reserveMap(p.fdt().reserveMap()),
                segments(p.segments()),
                null,
                p.warnings()));
    }

    private static List<PlanDocument.SegmentInfo> segments(List<Segment> segments) {
        return segments.stream()
                .map(s -> new PlanDocument.SegmentInfo(
                        new PlanDocument.Hex(s.bufsz()),
                        s.kind().label(),
                        new PlanDocument.Hex(s.mem()),
                        new PlanDocument.Hex(s.memsz())))
                .toList();
    }

    private static List<PlanDocument.Reserve> reserveMap(List<ReserveEntry> entries) {
        return entries.stream()
                .map(e -> new PlanDocument.Reserve(new PlanDocument.Hex(e.address()), new PlanDocument.Hex(e.size())))
                .toList();
    }

    private static String write(PlanDocument document) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ranges(String title, MemRanges r) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (int j = 0; j < r.size(); j++) {
            sb.append(String.format(
                    "    [0x%014x - 0x%014x] %9s%n",
                    r.start(j), r.end(j), ByteSize.text(r.get(j).size())));
        }
        return sb.toString();
    }

    static int phnum(byte[] elf) {
        return (elf[56] & 0xff) | (elf[57] & 0xff) << 8;
    }

    /** For StatusCommand until it prints through {@link ByteSize} itself. */
    static String json(Ppc64Machine m, KdumpPlan p) {
        PlanDocument.Machine machine = new PlanDocument.Machine(
                range(m.crashkernel()),
                cma(m),
                new PlanDocument.Count(m.pageSize()),
                new PlanDocument.Count(m.possibleCpus()),
                m.source(),
                ranges(m.systemRam()));
        CrashkernelEstimate need = CrashkernelNeed.of(m, p);
        PlanDocument.Estimate estimate = new PlanDocument.Estimate(
                need.bytes(),
                need.parts().stream()
                        .map(x -> new PlanDocument.EstimatePart(x.bytes(), x.what()))
                        .toList());
        return write(new PlanDocument(
                new PlanDocument.Hex(p.backupSize()),
                new PlanDocument.Hex(p.backupStart()),
                p.bootProblem().map(BootProblem::text).orElse(null),
                p.cmdline(),
                estimate,
                new PlanDocument.ElfCoreHeaderInfo(
                        new PlanDocument.Hex(p.elfcorehdrAddr()),
                        new PlanDocument.Hex(p.elfCoreHeader().length),
                        phnum(p.elfCoreHeader()),
                        new PlanDocument.Hex(p.elfcorehdrSize())),
                new PlanDocument.Hex(p.entry()),
                p.kdumpFdtBlob().length,
                null,
                new PlanDocument.Hex(p.kernelLoadAddr()),
                machine,
                p.notes(),
                new PlanDocument.Ranges(
                        ranges(p.crashRanges()),
                        ranges(p.excludeRanges()),
                        ranges(p.reservedRanges()),
                        ranges(p.usableRanges())),
                reserveMap(p.kdumpFdt().reserveMap()),
                segments(p.segments()),
                new PlanDocument.Vmcore(p.vmcoreSizeExact(), p.vmcoreSize()),
                warnings(m, p, need)));
    }

    private static List<PlanDocument.Range> ranges(MemRanges r) {
        return r.toList().stream().map(PlanReport::range).toList();
    }

    /** The crashkernel=SIZE,cma areas, absent from the JSON when there are none. */
    private static List<PlanDocument.Range> cma(Ppc64Machine m) {
        return m.crashkernelCma().isEmpty() ? null : ranges(m.crashkernelCma());
    }

    private static List<PlanDocument.Range> ranges(List<MemRange> r) {
        return r.stream().map(PlanReport::range).toList();
    }

    private static PlanDocument.Range range(MemRange r) {
        return PlanDocument.Range.of(r.start(), r.end());
    }
}
