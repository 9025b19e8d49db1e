package org.jkexec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.app.KexecService;
import org.jkexec.app.PlanService;
import org.jkexec.app.Planned;
import org.jkexec.capture.DtbMachine;
import org.jkexec.kexec.CommandLines;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.units.Memparse;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that plans shares: which machine, which kernel, how to plan. */
final class PlanInputs {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CAPTURE",
            description = "Machine capture directory (default: / , the running machine).")
    Path capture;

    @Option(
            names = {"--kernel", "-k"},
            paramLabel = "FILE",
            description = "kdump kernel (ELF vmlinux).")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "initrd for the kdump kernel.")
    Path initrd;

    @Option(
            names = {"--append", "--command-line"},
            paramLabel = "ARGS",
            description = "The new kernel's command line (for kdump, elfcorehdr= is prepended).")
    String append;

    @Option(
            names = "--reuse-cmdline",
            description = "Start from the machine's own command line (without BOOT_IMAGE=, "
                    + "and for kdump without crashkernel=); --append adds to it.")
    boolean reuseCmdline;

    @Option(
            names = "--dtb",
            paramLabel = "FILE",
            description = "Plan for a machine described only by a device tree blob (instead of a capture).")
    Path dtb;

    @Option(
            names = "--crashkernel",
            paramLabel = "SIZE@BASE",
            description = "With --dtb: the crashkernel region (e.g. 512M@512M).")
    String crashkernel;

    @Option(
            names = "--kernel-end",
            paramLabel = "ADDRESS",
            converter = SizeConverter.class,
            description = "With --dtb: physical end of the running kernel (_end).")
    Long kernelEnd;

    @Option(
            names = "--cpus",
            paramLabel = "N",
            description = "With --dtb: possible CPUs (default: the tree's threads).")
    Integer cpus;

    @Option(
            names = "--page-size",
            paramLabel = "BYTES",
            converter = SizeConverter.class,
            description = "With --dtb: the running kernel's page size (default 64K).")
    Long pageSize;

    @Option(
            names = "--mmu",
            paramLabel = "radix|hash",
            completionCandidates = Mmus.class,
            description = "With --dtb: the MMU (default radix).")
    String mmu;

    /** The values bash completion offers for --mmu. */
    static final class Mmus extends ArrayList<String> {
        Mmus() {
            super(List.of("radix", "hash"));
        }
    }

    @Mixin
    PlanningOptions planning;

    Planned plan() {
        refuseBlobFactsWithoutBlob();
        if (dtb != null) {
            Ppc64Machine machine = dtbMachine(true);
            return PlanService.plan(
                            machine,
                            kernel,
                            initrd,
                            CommandLines.of(machine.cmdline(), reuseCmdline, true, append),
                            planning.options())
                    .withTextSources(dtb);
        }
        Path root = capture != null ? capture : Path.of("/");
        Optional<String> cmd = reuseCmdline
                ? Optional.of(CommandLines.of(KexecService.runningCmdline(root), true, true, append))
                : Optional.ofNullable(append);
        return PlanService.planCapture(
                root, Optional.ofNullable(kernel), Optional.ofNullable(initrd), cmd, planning.options());
    }

    /** The files whose bytes a plan's device tree and command line may hold. */
    Path[] textSources() {
        return dtb != null
                ? new Path[] {dtb}
                : PlanService.captureTextSources(capture != null ? capture : Path.of("/"));
    }

    /** A regular kexec plan ({@code plan -l}). */
    KexecService.PlannedKexec planRegular() {
        refuseBlobFactsWithoutBlob();
        if (dtb != null) {
            Ppc64Machine machine = dtbMachine(false);
            return KexecService.plan(
                    machine,
                    kernel,
                    initrd,
                    CommandLines.of(machine.cmdline(), reuseCmdline, false, append),
                    planning.options());
        }
        return KexecService.planCapture(
                capture != null ? capture : Path.of("/"),
                Optional.ofNullable(kernel),
                Optional.ofNullable(initrd),
                Optional.ofNullable(append),
                reuseCmdline,
                planning.options());
    }

    /**
     * The facts a bare blob lacks (--crashkernel, --kernel-end, --cpus, --page-size, --mmu) are
     * refused without --dtb: a capture, or the running machine, gives each itself, and a value
     * given here would otherwise be dropped without a word.
     */
    private void refuseBlobFactsWithoutBlob() {
        if (dtb != null) {
            return;
        }
        String given = crashkernel != null
                ? "--crashkernel"
                : kernelEnd != null
                        ? "--kernel-end"
                        : cpus != null ? "--cpus" : pageSize != null ? "--page-size" : mmu != null ? "--mmu" : null;
        if (given != null) {
            throw JkexecException.usage(given + " describes a bare device tree blob and needs --dtb: a capture (or the "
                    + "running machine) gives it itself");
        }
    }

    private Ppc64Machine dtbMachine(boolean crash) {
        if (capture != null) {
            throw JkexecException.usage("give a capture directory or --dtb, not both");
        }
        if (kernel == null) {
            throw JkexecException.usage("no " + (crash ? "kdump " : "") + "kernel given: use --kernel FILE");
        }
        return new DtbMachine(
                        crashkernel == null ? null : crashRange(crashkernel),
                        kernelEnd,
                        cpus,
                        pageSize == null ? 65536 : pageSize,
                        mmu == null ? "radix" : mmu)
                .read(dtb, crash);
    }

    /** "SIZE@BASE" as the crashkernel= parameter writes it, each part read by {@link Memparse}. */
    static MemRange crashRange(String v) {
        int at = v.indexOf('@');
        if (at < 0) {
            throw JkexecException.usage("--crashkernel: '" + v + "' is not SIZE@BASE (e.g. 512M@512M)");
        }
        long size = part(v, v.substring(0, at), "SIZE");
        long base = part(v, v.substring(at + 1), "BASE");
        if (size == 0) {
            throw JkexecException.usage("--crashkernel: size is 0");
        }
        return MemRange.ofSize(base, size, "--crashkernel");
    }

    private static long part(String whole, String part, String name) {
        try {
            return Memparse.value(part);
        } catch (IllegalArgumentException e) {
            throw JkexecException.usage("--crashkernel " + whole + ": " + name + ": " + e.getMessage());
        }
    }
}
