package org.jkexec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.jkexec.JkexecException;
import org.jkexec.kexec.Segment;
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

    @Option(names = "--dry-run", description = "Plan and check everything, but do not call the kernel.")
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
        KexecLoader loader = KexecLoader.forThisMachine();
        if (file) {
            if (!dryRun) {
                loader.loadCrashFile(k, Optional.ofNullable(initrd), append);
            }
            spec.commandLine().getOut().printf("kexec_file_load: %s loaded for crash%s (%d ms)%n", k, dryRun ? " (dry run)" : "",
                    (System.nanoTime() - t0) / 1_000_000);
            return 0;
        }
        PlanInputs.Planned p = PlanInputs.plan(root, k, initrd, append, planning.options());
        long t1 = System.nanoTime();
        List<Segment> sorted = new ArrayList<>(p.plan().segments());
        sorted.sort(Comparator.comparing(Segment::mem, Long::compareUnsigned));
        if (!dryRun) {
            loader.loadCrash(sorted, p.plan().entry());
        }
        long t2 = System.nanoTime();
        for (String w : p.plan().warnings()) {
            spec.commandLine().getErr().println("jkexec: warning: " + w);
        }
        spec.commandLine().getOut().printf("kdump kernel %s loaded%s: %d segments in crashkernel [0x%x-0x%x], entry 0x%x, "
                + "elfcorehdr=0x%x (%d ms: reading and planning %d, kexec_load %d)%n", k,
                dryRun ? " (dry run: nothing loaded)" : "", sorted.size(),
                p.machine().crashkernel().start(), p.machine().crashkernel().end(), p.plan().entry(),
                p.plan().elfcorehdrAddr(), (t2 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        return 0;
    }
}
