package org.jkexec.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.kexec.BootProblem;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.linux.KexecLoader;
import org.jkexec.linux.LoadRecord;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;

/** Loading a kdump kernel on the running machine: plan here and kexec_load(2), or the kernel's kexec_file_load(2). */
public final class LoadService {
    /**
     * A planned load and where its time went (nanoseconds), for boot-time budgets.
     *
     * @param segments the segments as handed to kexec_load, by address
     */
    public record Loaded(Planned planned, List<Segment> segments, long machineNanos, long filesNanos, long planNanos,
            long loadNanos) {
    }

    private final KexecLoader loader;

    public LoadService(KexecLoader loader) {
        this.loader = loader;
    }

    /**
     * Hands the files to kexec_file_load(2); a dry run does nothing. First refuses a load the
     * kernel would fail: where its FDT size estimate is short of what the kdump FDT needs, the
     * call would fail after all its work (predicted by planning as the kernel would, from the
     * machine at {@code root}). Only that prediction refuses: if the machine cannot be planned
     * here, the kernel is left to decide, and the returned warning says why nothing was predicted.
     */
    public List<String> loadWithKernel(Path root, Path kernel, Optional<Path> initrd, String cmdline, PlanOptions options,
            boolean dryRun) {
        List<String> warnings = new ArrayList<>();
        Optional<BootProblem> problem = Optional.empty();
        try {
            Ppc64Machine machine = MachineCapture.read(root);
            Planned p = PlanService.plan(machine, PlanService.request(kernel, initrd.orElse(null), cmdline, machine.crashkernel()),
                    options.withFdtSizing(PlanOptions.FdtSizing.KERNEL_ESTIMATE).withPlacement(PlanOptions.Placement.KERNEL));
            problem = p.plan().bootProblem();
        } catch (Ppc64KdumpPlanner.FdtEstimateShort e) {
            throw e;
        } catch (JkexecException e) {
            warnings.add("cannot predict kexec_file_load: " + e.getMessage());
        }
        if (problem.isPresent()) {
            // the kernel would load it and its kdump kernel would not boot
            throw new JkexecException("load refused, nothing loaded or unloaded: kexec_file_load would place the kdump "
                    + "kernel where " + problem.get().unmet());
        }
        if (!dryRun) {
            loader.loadCrashFile(kernel, initrd, cmdline);
            new LoadRecord(root).write("kernel " + kernel + initrd.map(i -> ", initrd " + i).orElse("")
                    + " through kexec_file_load (the kernel placed it), loaded at "
                    + java.time.Instant.now().getEpochSecond() + " (seconds since the epoch)");
        }
        return warnings;
    }

    /**
     * Reads the machine at {@code root}, plans, and loads with kexec_load(2). A dry run loads
     * nothing; on the running machine ({@code /}) it still makes every check a load makes.
     */
    public Loaded load(Path root, Path kernel, Path initrd, String cmdline, PlanOptions options, boolean dryRun) {
        long t0 = System.nanoTime();
        Ppc64Machine machine = MachineCapture.read(root);
        long t1 = System.nanoTime();
        KdumpRequest request = PlanService.request(kernel, initrd, cmdline, machine.crashkernel());
        long t2 = System.nanoTime();
        Planned p = PlanService.plan(machine, request, options);
        long t3 = System.nanoTime();
        if (p.plan().bootProblem().isPresent()) {
            // refused before any kexec_load: a kdump kernel already loaded stays loaded
            throw new JkexecException("load refused, nothing loaded or unloaded: " + p.plan().bootProblem().get().text());
        }
        List<Segment> sorted = p.plan().segmentsByAddress();
        if (!dryRun) {
            loader.loadCrash(sorted, p.plan().entry(), options.crashHotplug());
            new LoadRecord(root).write("kernel " + kernel + (initrd != null ? ", initrd " + initrd : "") + ", crashkernel ["
                    + hex(machine.crashkernel().start()) + "-" + hex(machine.crashkernel().end()) + "], backup region "
                    + hex(p.plan().backupSize()) + " bytes at " + hex(p.plan().backupStart()) + ", elfcorehdr="
                    + hex(p.plan().elfcorehdrAddr()) + ", crashkernel needed about "
                    + (CrashkernelNeed.of(machine, p.plan()).bytes() >>> 20) + " MiB (estimate), loaded at " + java.time.Instant.now().getEpochSecond()
                    + " (seconds since the epoch)");
        } else if (root.equals(Path.of("/"))) {
            loader.checkCrashLoad(sorted, p.plan().entry());
        }
        long t4 = System.nanoTime();
        return new Loaded(p, sorted, t1 - t0, t2 - t1, t3 - t2, t4 - t3);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
