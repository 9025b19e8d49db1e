package org.jkexec.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.jkexec.JkexecException;
import org.jkexec.app.LoadService;
import org.jkexec.app.Planned;
import org.jkexec.linux.KexecLoader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jkexec load -p}: plan on the running machine and load with kexec_load(2), or hand the
 * files to the kernel's kexec_file_load(2) with {@code --file}. Accepts kexec-tools' spellings
 * ({@code -p KERNEL --initrd=I --append=S}).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load a kdump (crash) kernel on this machine.")
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--load-panic", "--crash"}, required = true,
            description = "Load for a crash (kdump); the only kind jkexec loads.")
    boolean crash;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KERNEL", description = "kdump kernel (or --kernel).")
    Path kernelArg;

    @Option(names = {"--kernel", "-k"}, paramLabel = "FILE")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE")
    Path initrd;

    @Option(names = {"--append", "--command-line"}, paramLabel = "ARGS", defaultValue = "")
    String append;

    @Option(names = {"--file", "-s"}, description = "Use the kernel's kexec_file_load(2) instead of planning here.")
    boolean file;

    @Option(names = "--dry-run", description = "Plan and check everything a load checks (root, lockdown, "
            + "the segments against crashkernel and the page size), but do not call kexec_load.")
    boolean dryRun;

    @Option(names = "--root", defaultValue = "/", hidden = true)
    Path root;

    @Mixin
    PlanningOptions planning;

    @Override
    public Integer call() {
        Path k = kernel != null ? kernel : kernelArg;
        if (k == null) {
            throw new JkexecException("load: no kernel given (jkexec load -p --kernel FILE)");
        }
        long t0 = System.nanoTime();
        long commandStart = Main.runStarted != 0 ? Main.runStarted : t0;
        LoadService service = new LoadService(KexecLoader.forThisMachine());
        if (file) {
            for (String w : service.loadWithKernel(root, k, Optional.ofNullable(initrd), append, planning.options(), dryRun)) {
                spec.commandLine().getErr().println("jkexec: warning: " + w);
            }
            // concatenation, not printf: a first Formatter use loads locale data, slow at boot
            spec.commandLine().getOut().println("kexec_file_load: " + k + " loaded for crash" + (dryRun ? " (dry run)" : "")
                    + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
            return 0;
        }
        LoadService.Loaded l = service.load(root, k, initrd, append, planning.options(), dryRun);
        Planned p = l.planned();
        for (String w : p.plan().warnings()) {
            spec.commandLine().getErr().println("jkexec: warning: " + w);
        }
        // where the time went, for boot-time budgets (the JVM's own start comes before all this)
        long total = System.nanoTime() - commandStart;
        spec.commandLine().getOut().println("kdump kernel " + k + " loaded" + (dryRun ? " (dry run: nothing loaded)" : "")
                + ": " + l.segments().size() + " segments in crashkernel [" + hex(p.machine().crashkernel().start()) + "-"
                + hex(p.machine().crashkernel().end()) + "], entry " + hex(p.plan().entry()) + ", elfcorehdr="
                + hex(p.plan().elfcorehdrAddr()) + " (" + ms(total) + " ms: command line " + ms(t0 - commandStart)
                + ", machine " + ms(l.machineNanos()) + ", kernel and initrd " + ms(l.filesNanos()) + ", planning "
                + ms(l.planNanos()) + ", " + (dryRun ? "checks " : "kexec_load ") + ms(l.loadNanos()) + ")");
        return 0;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
