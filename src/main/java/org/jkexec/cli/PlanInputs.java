package org.jkexec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.elf.ElfFile;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
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

    @Mixin
    PlanningOptions planning;

    record Planned(Ppc64Machine machine, KdumpPlan plan) {
    }

    Planned plan() {
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
        Ppc64Machine machine = MachineCapture.read(root);
        ElfFile elf = ElfFile.parse(read(kernel), kernel.toString());
        KdumpRequest req = new KdumpRequest(elf, initrd == null ? null : read(initrd), cmdline == null ? "" : cmdline);
        return new Planned(machine, new Ppc64KdumpPlanner(Purgatories.standard()).plan(machine, req, options));
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
