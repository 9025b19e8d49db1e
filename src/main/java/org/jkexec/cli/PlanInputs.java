package org.jkexec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.capture.DtbMachine;
import org.jkexec.capture.MachineCapture;
import org.jkexec.elf.ElfFile;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that plans shares: which machine, which kernel, how to plan. */
final class PlanInputs {
    /** A kernel larger than this is refused before reading (no vmlinux is 2 GiB). */
    static final long MAX_KERNEL = 1L << 31;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CAPTURE",
            description = "Machine capture directory (default: / , the running machine).")
    Path capture;

    @Option(names = {"--kernel", "-k"}, paramLabel = "FILE", description = "kdump kernel (ELF vmlinux).")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "initrd for the kdump kernel.")
    Path initrd;

    @Option(names = {"--append", "--command-line"}, paramLabel = "ARGS",
            description = "kdump kernel command line (elfcorehdr= is prepended).")
    String append;

    @Option(names = "--dtb", paramLabel = "FILE",
            description = "Plan for a machine described only by a device tree blob (instead of a capture).")
    Path dtb;

    @Option(names = "--crashkernel", paramLabel = "SIZE@BASE", description = "With --dtb: the crashkernel region (e.g. 512M@512M).")
    String crashkernel;

    @Option(names = "--kernel-end", paramLabel = "ADDRESS", converter = SizeConverter.class,
            description = "With --dtb: physical end of the running kernel (_end).")
    Long kernelEnd;

    @Option(names = "--cpus", paramLabel = "N", description = "With --dtb: possible CPUs (default: the tree's threads).")
    Integer cpus;

    @Option(names = "--page-size", paramLabel = "BYTES", converter = SizeConverter.class, defaultValue = "64K",
            description = "With --dtb: the running kernel's page size (default 64K).")
    long pageSize;

    @Option(names = "--mmu", paramLabel = "radix|hash", defaultValue = "radix", description = "With --dtb: the MMU (default radix).")
    String mmu;

    @Mixin
    PlanningOptions planning;

    record Planned(Ppc64Machine machine, KdumpPlan plan) {
    }

    Planned plan() {
        if (dtb != null) {
            if (capture != null) {
                throw new JkexecException("give a capture directory or --dtb, not both");
            }
            if (kernel == null) {
                throw new JkexecException("no kdump kernel given: use --kernel FILE");
            }
            Ppc64Machine machine = new DtbMachine(crashkernel == null ? null : crashRange(crashkernel), kernelEnd, cpus,
                    pageSize, mmu).read(dtb);
            return plan(machine, kernel, initrd, append == null ? "" : append, planning.options());
        }
        Path root = capture != null ? capture : Path.of("/");
        Map<String, String> recorded = recordedRequest(root);
        Path k = kernel != null ? kernel : recorded.containsKey("kernel") ? root.resolve("kdump").resolve(recorded.get("kernel")) : null;
        Path i = initrd != null ? initrd : recorded.containsKey("initrd") ? root.resolve("kdump").resolve(recorded.get("initrd")) : null;
        String cmd = append != null ? append : recorded.getOrDefault("append", "");
        return plan(root, k, i, cmd, planning.options());
    }

    /** Reads the machine at {@code root} and the kdump files, and plans. */
    static Planned plan(Path root, Path kernel, Path initrd, String cmdline, PlanOptions options) {
        if (kernel == null) {
            throw new JkexecException("no kdump kernel given: use --kernel FILE");
        }
        return plan(MachineCapture.read(root), kernel, initrd, cmdline, options);
    }

    static Planned plan(Ppc64Machine machine, Path kernel, Path initrd, String cmdline, PlanOptions options) {
        return plan(machine, request(kernel, initrd, cmdline), options);
    }

    /** Reads the kdump kernel (and initrd) into a request. */
    static KdumpRequest request(Path kernel, Path initrd, String cmdline) {
        ElfFile elf = ElfFile.parse(read(kernel), kernel.toString());
        return new KdumpRequest(elf, initrd == null ? null : read(initrd), cmdline == null ? "" : cmdline);
    }

    static Planned plan(Ppc64Machine machine, KdumpRequest request, PlanOptions options) {
        return new Planned(machine, new Ppc64KdumpPlanner(Purgatories.standard()).plan(machine, request, options));
    }

    /** "SIZE@BASE" as the crashkernel= parameter writes it. */
    static MemRange crashRange(String v) {
        int at = v.indexOf('@');
        if (at < 0) {
            throw new JkexecException("--crashkernel: '" + v + "' is not SIZE@BASE (e.g. 512M@512M)");
        }
        long size = SizeConverter.parse(v.substring(0, at));
        long base = SizeConverter.parse(v.substring(at + 1));
        if (size == 0) {
            throw new JkexecException("--crashkernel: size is 0");
        }
        return MemRange.ofSize(base, size);
    }

    /** kdump/request of a capture: the kernel, initrd and command line that were loaded when it was made. */
    static Map<String, String> recordedRequest(Path root) {
        Map<String, String> out = new LinkedHashMap<>();
        Path p = root.resolve("kdump/request");
        if (!Files.isRegularFile(p)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(p)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            throw JkexecException.badInput(p, "cannot read: " + e.getMessage());
        }
        return out;
    }

    static byte[] read(Path p) {
        return InputFiles.read(p, MAX_KERNEL);
    }
}
