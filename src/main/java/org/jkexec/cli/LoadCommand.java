package org.jkexec.cli;

import static org.jkexec.units.Hex.hex;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jkexec.JkexecException;
import org.jkexec.Trace;
import org.jkexec.app.KexecService;
import org.jkexec.app.LoadService;
import org.jkexec.app.Planned;
import org.jkexec.app.SyscallChoice;
import org.jkexec.kexec.CommandLines;
import org.jkexec.kexec.SegmentKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jkexec load -p} (a kdump kernel) or {@code jkexec load -l} (a kernel to reboot into with
 * {@code jkexec exec}): plan on the running machine and load with kexec_load(2), or hand the
 * files to the kernel's kexec_file_load(2) with {@code --file}. Accepts kexec-tools' spellings
 * ({@code -p KERNEL --initrd=I --append=S}).
 */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = "Load a kdump (crash) kernel (-p) or a kernel for a kexec reboot (-l) on this machine.")
final class LoadCommand implements Callable<Integer> {
    /** Where the command prints: set by {@link Main}, whether picocli or {@link LoadLine} read the line. */
    PrintWriter out;

    PrintWriter err;

    @Option(
            names = {"-p", "--load-panic", "--crash"},
            description = "Load a kdump kernel, run when the machine crashes.")
    boolean crash;

    @Option(
            names = {"-l", "--load"},
            description = "Load a kernel that `jkexec exec` reboots into.")
    boolean regular;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KERNEL", description = "The kernel (or --kernel).")
    Path kernelArg;

    @Option(
            names = {"--kernel", "-k"},
            paramLabel = "FILE")
    Path kernel;

    @Option(
            names = {"--initrd", "--ramdisk"},
            paramLabel = "FILE")
    Path initrd;

    @Option(
            names = {"--append", "--command-line"},
            paramLabel = "ARGS")
    String append;

    @Option(
            names = "--reuse-cmdline",
            description = "Start from the running kernel's command line (without BOOT_IMAGE=, "
                    + "and for -p without crashkernel=); --append adds to it.")
    boolean reuseCmdline;

    @Option(
            names = "--dtb",
            paramLabel = "FILE",
            description =
                    "With -l: start the new kernel's device tree from this "
                            + "blob instead of the boot FDT (/sys/firmware/fdt); jkexec still sets bootargs, the initrd and the CPUs.")
    Path dtb;

    @Option(
            names = {"--file", "-s"},
            description = "Use the kernel's kexec_file_load(2) instead of planning here "
                    + "(without it, kexec_file_load is used only under lockdown, and said so).")
    boolean file;

    @Option(
            names = "--dry-run",
            description = "Plan and check everything a load checks (root, lockdown, "
                    + "the segments against crashkernel and the page size), but do not call kexec_load.")
    boolean dryRun;

    @Option(names = "--root", defaultValue = "/", hidden = true)
    Path root;

    @Mixin
    PlanningOptions planning;

    @Override
    public Integer call() {
        if (crash == regular) {
            throw JkexecException.badInput(
                    "load",
                    crash
                            ? "give -p (kdump kernel) or -l (kexec reboot), not both"
                            : "give -p (load a kdump kernel) or -l (load a kernel for jkexec exec)");
        }
        Path k = kernel != null ? kernel : kernelArg;
        if (k == null) {
            throw JkexecException.badInput(
                    "load", "no kernel given (jkexec load " + (crash ? "-p" : "-l") + " --kernel FILE)");
        }
        if (dtb != null && (crash || file)) {
            throw JkexecException.badInput(
                    "load",
                    "--dtb goes with -l and kexec_load: a kdump kernel's device tree, "
                            + "and kexec_file_load's, are built from the boot FDT");
        }
        long t0 = System.nanoTime();
        long commandStart = Main.runStarted != 0 ? Main.runStarted : t0;
        KexecService kexec = KexecService.forMachine(root);
        if (root.equals(Path.of("/")) && !kexec.onPpc64le()) {
            kexec.requireLoadableHost();
        }
        SyscallChoice choice = file ? SyscallChoice.FILE_ONLY : SyscallChoice.PLAN_FIRST;
        Trace.mark("load command checked");
        if (regular) {
            KexecService.LoadedKexec l = kexec.load(
                    root,
                    k,
                    initrd,
                    Optional.ofNullable(append),
                    reuseCmdline,
                    dtb,
                    planning.options(),
                    choice,
                    false,
                    dryRun);
            for (String n : l.notes()) {
                err.println("jkexec: note: " + n);
            }
            if (l.planned() == null) {
                out.println("kexec_file_load: " + k + " loaded for kexec" + (dryRun ? " (dry run)" : "") + " ("
                        + ms(System.nanoTime() - t0) + " ms)");
                return 0;
            }
            KexecService.PlannedKexec p = l.planned();
            for (String w : p.plan().warnings()) {
                err.println("jkexec: warning: " + w);
            }
            out.println("kexec kernel " + k + " loaded" + (dryRun ? " (dry run: nothing loaded)" : "")
                    + ": " + p.plan().segments().size() + " segments, entry "
                    + hex(p.plan().entry()) + ", device tree at "
                    + hex(p.plan().segment(SegmentKind.FDT).mem()) + " (" + ms(System.nanoTime() - t0)
                    + " ms)");
            return 0;
        }
        String append = reuseCmdline
                ? CommandLines.of(KexecService.runningCmdline(root), true, true, this.append)
                : this.append == null ? "" : this.append;
        LoadService.Loaded l =
                LoadService.forMachine(root).load(root, k, initrd, append, planning.options(), choice, false, dryRun);
        for (String n : l.notes()) {
            err.println("jkexec: note: " + n);
        }
        for (String w : l.warnings()) {
            err.println("jkexec: warning: " + w);
        }
        if (l.planned() == null) {
            // concatenation, not printf: a first Formatter use loads locale data, slow at boot
            out.println("kexec_file_load: " + k + " loaded for crash" + (dryRun ? " (dry run)" : "") + " ("
                    + ms(System.nanoTime() - t0) + " ms)");
            return 0;
        }
        Planned p = l.planned();
        for (String n : p.plan().notes()) {
            err.println("jkexec: note: " + n);
        }
        for (String w : p.plan().warnings()) {
            err.println("jkexec: warning: " + w);
        }
        // where the time went, for boot-time budgets (the JVM's own start comes before all this)
        long total = System.nanoTime() - commandStart;
        out.println("kdump kernel " + k + " loaded" + (dryRun ? " (dry run: nothing loaded)" : "")
                + ": " + l.segments().size() + " segments in crashkernel ["
                + hex(p.machine().crashkernel().start()) + "-"
                + hex(p.machine().crashkernel().end()) + "], entry "
                + hex(p.plan().entry()) + ", elfcorehdr="
                + hex(p.plan().elfcorehdrAddr()) + " (" + ms(total) + " ms: command line "
                + ms(t0 - commandStart)
                + ", machine " + ms(l.machineNanos()) + ", kernel and initrd " + ms(l.filesNanos())
                + ", planning "
                + ms(l.planNanos()) + ", " + (dryRun ? "checks " : "kexec_load ") + ms(l.loadNanos()) + ")");
        return 0;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
