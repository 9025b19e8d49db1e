package org.jkexec.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jkexec.fdt.ReserveEntry;
import org.jkexec.app.CrashkernelNeed;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.ppc64.CrashkernelEstimate;
import org.jkexec.kexec.KexecPlan;
import org.jkexec.kexec.Segment;
import org.jkexec.map.Units;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.ppc64.Ppc64Machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Renders a plan for people (text) and programs (JSON). Addresses are hex strings in JSON. */
final class PlanReport {
    private PlanReport() {
    }

    static String text(Ppc64Machine m, KdumpPlan p) {
        StringBuilder sb = new StringBuilder();
        long ram = m.systemRam().stream().mapToLong(MemRange::size).sum();
        sb.append(String.format("machine     %s%n", m.source()));
        sb.append(String.format("            %s RAM in %d region(s), crashkernel %s at 0x%x, %d possible CPU(s), page size %s%n",
                human(ram), m.systemRam().size(), human(m.crashkernel().size()), m.crashkernel().start(),
                m.possibleCpus(), human(m.pageSize())));
        sb.append(String.format("%nsegments (kexec order)%n"));
        sb.append(String.format("  %-3s %-11s %-18s %-18s %-10s %-10s%n", "#", "kind", "mem", "end", "memsz", "bufsz"));
        int i = 0;
        for (Segment s : p.segments()) {
            sb.append(String.format("  %-3d %-11s 0x%016x 0x%016x 0x%-8x 0x%-8x%n", i++, s.kind(), s.mem(), s.end(),
                    s.memsz(), s.bufsz()));
        }
        sb.append(String.format("%nentry       0x%x (purgatory)%n", p.entry()));
        sb.append(String.format("kernel      loaded at 0x%x, backup of [0, %s) at 0x%x%n", p.kernelLoadAddr(),
                human(p.backupSize()), p.backupStart()));
        sb.append(String.format("elfcorehdr  0x%x, %d program headers, advertised size 0x%x%n", p.elfcorehdrAddr(),
                phnum(p.elfCoreHeader()), p.elfcorehdrSize()));
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
            String note = r.start() == 0 ? "  <- read from the backup copy at 0x" + Long.toHexString(p.backupStart()) : "";
            sb.append(String.format("    [0x%014x - 0x%014x] %9s%s%n", r.start(), r.end(), human(r.size()), note));
        }
        sb.append(String.format("    /proc/vmcore will be %d bytes%s%n", p.vmcoreSize(),
                p.vmcoreSizeExact() ? "" : " at most (depends on the vmcoreinfo text)"));
        sb.append(ranges("  excluded from placement", p.excludeRanges()));
        CrashkernelEstimate need = CrashkernelNeed.of(m, p);
        sb.append(String.format("%ncrashkernel needed: about %s (this one is %s)%n", human(need.bytes()),
                human(m.crashkernel().size())));
        for (CrashkernelEstimate.Part part : need.parts()) {
            sb.append(String.format("  %9s  %s%n", human(part.bytes()), part.what()));
        }
        if (!p.notes().isEmpty()) {
            sb.append(String.format("%nnotes%n"));
            for (String n : p.notes()) {
                sb.append("  * ").append(n).append('\n');
            }
        }
        if (p.bootProblem() != null) {
            sb.append(String.format("%ncannot boot (never loaded)%n  ! %s%n", p.bootProblem()));
        }
        if (!p.warnings().isEmpty()) {
            sb.append(String.format("%nwarnings%n"));
            for (String w : p.warnings()) {
                sb.append("  ! ").append(w).append('\n');
            }
        }
        return sb.toString();
    }

    /** A regular kexec plan: segments, where each lies against crashkernel, the new kernel's FDT facts. */
    static String text(Ppc64Machine m, KexecPlan p) {
        StringBuilder sb = new StringBuilder();
        long ram = m.systemRam().stream().mapToLong(MemRange::size).sum();
        sb.append(String.format("machine     %s%n", m.source()));
        sb.append(String.format("            %s RAM in %d region(s), %s, page size %s, real-mode limit %s%n",
                human(ram), m.systemRam().size(), m.reservedCrashkernel().map(ck -> String.format(
                        "crashkernel %s at 0x%x (not excluded: a regular image may use it)", human(ck.size()), ck.start()))
                        .orElse("no crashkernel"), human(m.pageSize()),
                m.rmaSize() == -1 ? "none" : String.format("0x%x", m.rmaSize())));
        sb.append(String.format("%nsegments of a regular kexec (kexec order)%n"));
        sb.append(String.format("  %-3s %-11s %-18s %-18s %-10s %-10s%n", "#", "kind", "mem", "end", "memsz", "bufsz"));
        int i = 0;
        for (Segment s : p.segments()) {
            String where = m.reservedCrashkernel().filter(ck -> ck.intersects(new MemRange(s.mem(), s.end())))
                    .map(ck -> " in crashkernel").orElse("");
            sb.append(String.format("  %-3d %-11s 0x%016x 0x%016x 0x%-8x 0x%-8x%s%n", i++, s.kind(), s.mem(), s.end(),
                    s.memsz(), s.bufsz(), where));
        }
        sb.append(String.format("%nentry       0x%x (purgatory)%n", p.entry()));
        sb.append(String.format("kernel      loaded at 0x%x%n", p.kernelLoadAddr()));
        sb.append(String.format("cmdline     %s%n", p.cmdline().isEmpty() ? "(none: /chosen/bootargs deleted)" : p.cmdline()));
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
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("source", m.source());
        m.reservedCrashkernel().ifPresent(ck -> machine.put("crashkernel", range(ck)));
        machine.put("systemRam", m.systemRam().stream().map(PlanReport::range).toList());
        machine.put("pageSize", m.pageSize());
        root.put("machine", machine);
        root.put("image", "kexec");
        root.put("segments", segments(p.segments()));
        root.put("entry", hex(p.entry()));
        root.put("kernelLoadAddr", hex(p.kernelLoadAddr()));
        root.put("cmdline", p.cmdline());
        root.put("fdtSize", p.fdtBlob().length);
        root.put("reserveMap", p.fdt().reserveMap().stream()
                .map(e -> Map.of("address", hex(e.address()), "size", hex(e.size()))).toList());
        root.put("ranges", Map.of("exclude", list(p.excludeRanges()), "reserved", list(p.reservedRanges())));
        root.put("warnings", p.warnings());
        return write(root);
    }

    private static List<Map<String, Object>> segments(List<Segment> segments) {
        List<Map<String, Object>> segs = new ArrayList<>();
        for (Segment s : segments) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", s.kind().label());
            o.put("mem", hex(s.mem()));
            o.put("memsz", hex(s.memsz()));
            o.put("bufsz", hex(s.bufsz()));
            segs.add(o);
        }
        return segs;
    }

    private static String write(Map<String, Object> root) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ranges(String title, MemRanges r) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (int j = 0; j < r.size(); j++) {
            sb.append(String.format("    [0x%014x - 0x%014x] %9s%n", r.start(j), r.end(j), human(r.get(j).size())));
        }
        return sb.toString();
    }

    static int phnum(byte[] elf) {
        return (elf[56] & 0xff) | (elf[57] & 0xff) << 8;
    }

    static String human(long bytes) {
        return Units.size(bytes);
    }

    static String json(Ppc64Machine m, KdumpPlan p) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("source", m.source());
        machine.put("crashkernel", range(m.crashkernel()));
        machine.put("systemRam", m.systemRam().stream().map(PlanReport::range).toList());
        machine.put("pageSize", m.pageSize());
        machine.put("possibleCpus", m.possibleCpus());
        root.put("machine", machine);
        root.put("segments", segments(p.segments()));
        root.put("entry", hex(p.entry()));
        root.put("kernelLoadAddr", hex(p.kernelLoadAddr()));
        root.put("backupStart", hex(p.backupStart()));
        root.put("backupSize", hex(p.backupSize()));
        root.put("elfcorehdr", Map.of("addr", hex(p.elfcorehdrAddr()), "size", hex(p.elfcorehdrSize()),
                "headerBytes", hex(p.elfCoreHeader().length), "programHeaders", phnum(p.elfCoreHeader())));
        root.put("cmdline", p.cmdline());
        root.put("fdtSize", p.kdumpFdtBlob().length);
        root.put("reserveMap", p.kdumpFdt().reserveMap().stream()
                .map(e -> Map.of("address", hex(e.address()), "size", hex(e.size()))).toList());
        root.put("ranges", Map.of("exclude", list(p.excludeRanges()), "usable", list(p.usableRanges()),
                "crash", list(p.crashRanges()), "reserved", list(p.reservedRanges())));
        root.put("vmcore", Map.of("size", p.vmcoreSize(), "exact", p.vmcoreSizeExact()));
        root.put("warnings", p.warnings());
        root.put("notes", p.notes());
        CrashkernelEstimate need = CrashkernelNeed.of(m, p);
        Map<String, Object> est = new LinkedHashMap<>();
        est.put("bytes", need.bytes());
        est.put("parts", need.parts().stream().map(x -> Map.of("what", x.what(), "bytes", x.bytes())).toList());
        root.put("crashkernelEstimate", est);
        if (p.bootProblem() != null) {
            root.put("bootProblem", p.bootProblem());
        }
        return write(root);
    }

    private static List<Map<String, String>> list(MemRanges r) {
        return r.toList().stream().map(PlanReport::range).toList();
    }

    private static Map<String, String> range(MemRange r) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("start", hex(r.start()));
        o.put("end", hex(r.end()));
        return o;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
