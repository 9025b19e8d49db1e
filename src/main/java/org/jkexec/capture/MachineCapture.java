package org.jkexec.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.Trace;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.CpuNodes;
import org.jkexec.ppc64.MachineChecks;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.RamLayout;

/**
 * Reads a machine capture: a directory laid out like the root of the machine it describes,
 * holding only the files a kdump load reads (so {@code /} itself is a capture of the running
 * machine). See the README, "Machine captures".
 *
 * <pre>
 *   proc/device-tree/                      unpacked live tree (optional: else the boot FDT)
 *   sys/firmware/fdt                       boot FDT (required)
 *   proc/cmdline  proc/iomem  proc/cpuinfo
 *   sys/devices/system/cpu/possible
 *   sys/devices/system/cpu/cpuN/crash_notes       hex physical address
 *   sys/devices/system/cpu/cpuN/crash_notes_size  decimal
 *   sys/kernel/vmcoreinfo                  "address size", both hex
 *   sys/kernel/kexec_crash_size            decimal
 *   sys/kernel/kexec_crash_cma_ranges      "start-end" (hex) per CMA area (optional)
 *   jkexec/facts                           key=value facts no file above gives
 *                                          (page-size, mmu, kernel-end, fdt-address)
 * </pre>
 */
public final class MachineCapture {
    /** A property file larger than this is not a device-tree property. */
    static final long MAX_FILE = 64L << 20;

    private final Path root;
    /** Whether the facts only a kdump load needs (crashkernel, crash notes, vmcoreinfo) must be there. */
    private final boolean crashFacts;

    private MachineCapture(Path root, boolean crashFacts) {
        this.root = root;
        this.crashFacts = crashFacts;
    }

    /** The machine as a kdump load needs it: crashkernel, crash notes and vmcoreinfo required. */
    public static Ppc64Machine read(Path root) {
        return read(root, true);
    }

    /**
     * The machine as a regular kexec load needs it: a machine without crashkernel or without
     * CONFIG_CRASH_DUMP (no crash notes, no vmcoreinfo) can still kexec.
     */
    public static Ppc64Machine readForRegularKexec(Path root) {
        return read(root, false);
    }

    private static Ppc64Machine read(Path root, boolean crashFacts) {
        if (!Files.isDirectory(root)) {
            throw JkexecException.badInput(
                    root, "not a directory (a machine capture is a directory; use --dtb for a .dtb)");
        }
        return new MachineCapture(root, crashFacts).machine();
    }

    private Ppc64Machine machine() {
        Trace.mark("machine: start");
        Map<String, String> facts = facts();
        Path fdtPath = root.resolve("sys/firmware/fdt");
        byte[] fdtBytes = bytes(fdtPath, true);
        Trace.mark("machine: facts, boot FDT read");
        Fdt boot = Fdt.parseOwned(fdtBytes, fdtPath.toString());
        Trace.mark("machine: boot FDT parsed");
        Path dtDir = root.resolve("proc/device-tree");
        Fdt live;
        if (Files.isDirectory(dtDir)) {
            FdtNode read = Fdt.readDirectoryNodes(dtDir);
            Trace.mark("machine: live tree read");
            live = LiveTreeOrder.order(read, boot);
            Trace.mark("machine: live tree ordered");
        } else {
            live = boot.copy();
        }

        Path cmdlinePath = root.resolve("proc/cmdline");
        String cmdline = Files.exists(cmdlinePath)
                ? InputFiles.utf8(bytes(cmdlinePath, true), cmdlinePath).strip()
                : "";
        if (cmdline.indexOf('\0') >= 0) {
            throw JkexecException.badInput(
                    root.resolve("proc/cmdline"),
                    "holds a NUL byte at " + cmdline.indexOf('\0')
                            + ": a kernel command line is one NUL-terminated string");
        }
        // plain conditionals, not Optional chains, on the load path: each lambda's first linkage
        // costs at boot in small or emulated guests
        Optional<String> iomemText = text("proc/iomem");
        Optional<Iomem> iomem = iomemText.isPresent()
                ? Optional.of(
                        Iomem.parse(iomemText.get(), root.resolve("proc/iomem").toString()))
                : Optional.empty();
        List<MemRange> ram = iomem.isPresent() ? iomem.get().systemRam() : List.of();
        if (ram.isEmpty()) {
            ram = RamLayout.fromTree(live);
        }
        if (ram.isEmpty()) {
            throw JkexecException.badInput(root, "no System RAM in proc/iomem and no memory in the device tree");
        }
        Trace.mark("machine: cmdline, iomem");
        CrashKernelFacts crashFactsFound =
                CrashKernelFacts.of(root, iomem.isPresent() ? iomem.get().crashKernel() : Optional.empty(), live);
        // a regular kexec needs no crashkernel; a kdump load refuses a machine without one
        Optional<CrashKernelRegion> region = crashFacts ? Optional.empty() : crashFactsFound.region();
        MemRange crash = crashFacts
                ? crashFactsFound.required(cmdline).range()
                : region.isPresent() ? region.get().range() : null;
        List<MemRange> crashCma = crashFactsFound.cma();
        long kernelEnd = kernelEnd(live, facts);
        Trace.mark("machine: crashkernel");
        List<NoteBuffer> notes = crashFacts || hasCrashFacts() ? crashNotes() : List.of();
        NoteBuffer vmcoreinfo = crashFacts || hasCrashFacts() ? vmcoreinfo() : new NoteBuffer(0, 0);
        Trace.mark("machine: crash notes, vmcoreinfo");
        long pageSize = PagingFacts.pageSize(fact(facts, "page-size"), root);
        String mmu = PagingFacts.mmu(Optional.ofNullable(facts.get("mmu")), root.resolve("jkexec/facts"), root);
        Trace.mark("machine: page size, MMU");
        long rma = rmaSize(mmu, ram);
        OptionalLong fdtAddress = fact(facts, "fdt-address");
        Optional<FdtNode> rtas = live.node("/rtas");
        boolean lpar = rtas.isPresent() && rtas.get().hasProperty("ibm,hypertas-functions");
        Ppc64Machine m = new Ppc64Machine(
                root.toString(),
                boot,
                headerTotalSize(fdtBytes),
                live,
                ram,
                crash,
                kernelEnd,
                cmdline,
                notes,
                vmcoreinfo,
                pageSize,
                rma,
                fdtAddress,
                lpar,
                CpuNodes.threadsPerCore(live),
                crashCma);
        MachineChecks.checkNoteBuffers(
                m,
                root.resolve("sys/devices/system/cpu/cpu*/crash_notes").toString(),
                root.resolve("sys/kernel/vmcoreinfo").toString());
        Trace.mark("machine: checked");
        return m;
    }

    static int headerTotalSize(byte[] fdt) {
        return (int) Cells.u32(fdt, 4);
    }

    private long kernelEnd(Fdt live, Map<String, String> facts) {
        OptionalLong f = fact(facts, "kernel-end");
        Optional<FdtNode> chosen = live.node("/chosen");
        Optional<Long> tree = chosen.isPresent() ? chosen.get().u64("linux,kernel-end") : Optional.empty();
        if (f.isPresent() && tree.isPresent() && f.getAsLong() != tree.get()) {
            throw JkexecException.badInput(
                    root.resolve("jkexec/facts"),
                    String.format(
                            "kernel-end=0x%x but "
                                    + "/chosen/linux,kernel-end of %s is 0x%x: a fact given twice with two values",
                            f.getAsLong(), root.resolve("proc/device-tree"), tree.get()));
        }
        if (f.isPresent()) {
            return f.getAsLong();
        }
        if (tree.isEmpty()) {
            throw JkexecException.badInput(
                    root,
                    "cannot tell where the running kernel ends: no /chosen/linux,kernel-end and no kernel-end in jkexec/facts");
        }
        return tree.get();
    }

    /** A kernel with CONFIG_CRASH_DUMP exports vmcoreinfo; without it there are no crash facts to read. */
    private boolean hasCrashFacts() {
        return Files.exists(root.resolve("sys/kernel/vmcoreinfo"));
    }

    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");

    /**
     * Most possible CPUs: the largest NR_CPUS the kernel allows on ppc64 (CONFIG_NR_CPUS tops
     * out at 8192). A CPU number at or above it cannot come from a real machine, and a list
     * such as "0-2147483647" would otherwise be a loop and an allocation the file never paid for.
     */
    public static final int MAX_CPUS = 8192;

    private List<NoteBuffer> crashNotes() {
        Path cpus = root.resolve("sys/devices/system/cpu");
        Optional<String> possibleText = text("sys/devices/system/cpu/possible");
        List<Integer> possible = possibleText.isPresent()
                ? cpuList(possibleText.get().strip(), cpus.resolve("possible").toString())
                : null;
        Map<Integer, NoteBuffer> found = new LinkedHashMap<>();
        Map<Integer, Path> dirs = new java.util.HashMap<>();
        if (Files.isDirectory(cpus)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(cpus)) {
                for (Path p : s) {
                    Matcher m = CPU_DIR.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        int cpu = cpuNumber(m.group(1), p.toString());
                        Path other = dirs.putIfAbsent(cpu, p);
                        if (other != null) {
                            // cpu01 beside cpu1: which one's notes are CPU 1's cannot be told
                            throw JkexecException.badInput(p, "names CPU " + cpu + " as " + other + " does");
                        }
                        NoteBuffer n = noteBuffer(p);
                        if (n != null) {
                            found.put(cpu, n);
                        }
                    }
                }
            } catch (IOException e) {
                throw JkexecException.badInput(cpus, "cannot list: " + e.getMessage());
            }
        }
        if (possible == null) {
            List<Integer> sorted = new ArrayList<>(found.keySet());
            Collections.sort(sorted);
            possible = sorted;
        }
        if (possible.isEmpty()) {
            throw JkexecException.badInput(
                    cpus,
                    "no CPU crash_notes: the running kernel lacks CONFIG_CRASH_DUMP or the capture is incomplete");
        }
        List<NoteBuffer> out = new ArrayList<>();
        for (int cpu : possible) {
            NoteBuffer n = found.get(cpu);
            if (n == null) {
                throw JkexecException.badInput(
                        cpus.resolve("cpu" + cpu), "possible CPU " + cpu + " has no crash_notes");
            }
            out.add(n);
        }
        return out;
    }

    /** CPU directory {@code dir}'s crash notes: null when it has none (an offline or absent CPU). */
    private static NoteBuffer noteBuffer(Path dir) {
        Path notes = dir.resolve("crash_notes");
        byte[] address = InputFiles.readIfPresent(notes, MAX_FILE, null);
        if (address == null) {
            return null;
        }
        Path sizeFile = dir.resolve("crash_notes_size");
        byte[] size = InputFiles.readIfPresent(sizeFile, MAX_FILE, null);
        return new NoteBuffer(
                hex(latin1(address).strip(), notes.toString()),
                size == null ? 0 : dec(latin1(size).strip(), sizeFile.toString()));
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A CPU number below {@link #MAX_CPUS}. */
    static int cpuNumber(String digits, String where) {
        if (digits.length() > 5 || Integer.parseInt(digits) >= MAX_CPUS) {
            throw JkexecException.badInput(
                    where,
                    "CPU number " + abbreviate(digits) + " is not below " + MAX_CPUS
                            + ", the kernel's largest NR_CPUS on ppc64");
        }
        return Integer.parseInt(digits);
    }

    /** Parses a kernel CPU list such as "0-3,8": ascending, no repeats, every CPU below {@link #MAX_CPUS}. */
    static List<Integer> cpuList(String s, String where) {
        List<Integer> out = new ArrayList<>();
        if (!s.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
            throw JkexecException.badInput(where, "bad CPU list '" + abbreviate(s) + "'");
        }
        for (String part : s.split(",")) {
            String[] ab = part.split("-");
            int a = cpuNumber(ab[0], where);
            int b = ab.length > 1 ? cpuNumber(ab[1], where) : a;
            if (b < a || (!out.isEmpty() && a <= out.get(out.size() - 1))) {
                throw JkexecException.badInput(where, "bad CPU range " + part + " (ranges ascend and do not repeat)");
            }
            for (int i = a; i <= b; i++) {
                out.add(i);
            }
        }
        return out;
    }

    /** At most 40 characters of {@code s}, for messages about hostile text. */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private NoteBuffer vmcoreinfo() {
        Path p = root.resolve("sys/kernel/vmcoreinfo");
        Optional<String> text = text("sys/kernel/vmcoreinfo");
        if (text.isEmpty()) {
            throw JkexecException.badInput(p, "missing (the kernel's vmcoreinfo note address and size)");
        }
        String t = text.get();
        String[] f = t.strip().split("\\s+");
        if (f.length != 2) {
            throw JkexecException.badInput(p, "expected 'address size', got '" + t.strip() + "'");
        }
        long size = hex(f[1], p.toString());
        if (size == 0) {
            // the kernel prints its note buffer's fixed size there: never 0
            throw JkexecException.badInput(p, "vmcoreinfo size 0: the kernel's vmcoreinfo note is never empty");
        }
        return new NoteBuffer(hex(f[0], p.toString()), size);
    }

    /** ppc64_rma_size: unbounded under radix; min(first memory block, 1 GiB) under hash. */
    static long rmaSize(String mmu, List<MemRange> ram) {
        if (!mmu.equals(PagingFacts.HASH)) {
            return -1L;
        }
        long first = ram.get(0).size();
        return Long.compareUnsigned(first, 1L << 30) < 0 ? first : 1L << 30;
    }

    /** The keys jkexec/facts may hold. */
    static final java.util.Set<String> FACT_KEYS = java.util.Set.of("page-size", "mmu", "kernel-end", "fdt-address");

    private Map<String, String> facts() {
        Optional<String> t = text("jkexec/facts");
        return t.isPresent() ? KeyValueFile.parse(t.get(), root.resolve("jkexec/facts"), FACT_KEYS) : Map.of();
    }

    private OptionalLong fact(Map<String, String> facts, String key) {
        String v = facts.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        String where = root.resolve("jkexec/facts") + " " + key;
        return OptionalLong.of(v.startsWith("0x") ? hex(v, where) : dec(v, where));
    }

    /** The text of an optional file: empty when absent, refused when present but not a regular file. */
    private Optional<String> text(String rel) {
        Path p = root.resolve(rel);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        return Optional.of(bytesText(p));
    }

    private static String bytesText(Path p) {
        return latin1(bytes(p, true));
    }

    static byte[] bytes(Path p, boolean required) {
        return InputFiles.read(p, MAX_FILE);
    }

    static long hex(String s, String where) {
        String v = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        try {
            return Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException e) {
            throw JkexecException.badInput(where, "'" + s + "' is not a hexadecimal number");
        }
    }

    static long dec(String s, String where) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw JkexecException.badInput(where, "'" + s + "' is not a decimal number");
        }
    }
}
