package org.jkexec.app;

import static org.jkexec.units.Hex.hex;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.jkexec.Background;
import org.jkexec.JkexecException;
import org.jkexec.Trace;
import org.jkexec.capture.MachineCapture;
import org.jkexec.kexec.BootProblem;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.linux.KexecLoader;
import org.jkexec.linux.LoadRecord;
import org.jkexec.ppc64.CrashkernelEstimate;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;

/**
 * Loading and unloading a kdump kernel on the running machine: jkexec's plan through
 * kexec_load(2), or the kernel's own placement through kexec_file_load(2), chosen by
 * {@link SyscallChoice}.
 */
public final class LoadService {
    /**
     * A load made (or, in a dry run, checked) and where its time went (nanoseconds), for
     * boot-time budgets.
     *
     * @param call     the syscall that loaded it
     * @param planned  jkexec's plan (kexec_load), or null (kexec_file_load: the kernel placed it)
     * @param segments the segments as handed to kexec_load, by address (empty for kexec_file_load)
     * @param kernel   the kernel as read (its compression, its decompressed size)
     * @param notes    one line each: why the call is not the one asked for
     * @param warnings one line each: what could not be predicted
     */
    public record Loaded(
            SyscallChoice.Call call,
            Planned planned,
            List<Segment> segments,
            KernelImage kernel,
            List<String> notes,
            List<String> warnings,
            long machineNanos,
            long filesNanos,
            long planNanos,
            long loadNanos) {}

    private final KexecLoader loader;

    public LoadService(KexecLoader loader) {
        this.loader = loader;
    }

    /** The service for the machine at {@code root}: "/" is the running machine, anything else a capture (tests). */
    public static LoadService forMachine(Path root) {
        return new LoadService(Loaders.forRoot(root));
    }

    /**
     * Loads the kdump kernel as {@code choice} says: reads the machine at {@code root}, plans
     * where kexec_load is used, predicts the kernel's own placement where kexec_file_load is
     * (and refuses one that would not boot before the call). A dry run calls nothing; on the
     * running machine ({@code /}) it still makes every check a kexec_load makes.
     *
     * @param debug ask kexec_file_load for KEXEC_FILE_DEBUG (kexec-tools' -d)
     */
    public Loaded load(
            Path root,
            Path kernel,
            Path initrd,
            String cmdline,
            PlanOptions options,
            SyscallChoice choice,
            boolean debug,
            boolean dryRun) {
        long t0 = System.nanoTime();
        prepareSyscalls(loader, root);
        Trace.mark("JNA's start begun");
        KernelImage image = KernelImage.read(kernel);
        long tFiles = System.nanoTime() - t0;
        Trace.mark("kernel read");
        Inputs in = new Inputs(root, image, initrd, cmdline);
        List<String> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Supplier<Optional<String>> problem = once(() -> predict(in, options, warnings));
        return choice.load(
                loader.lockdown(),
                problem,
                notes,
                call -> call == SyscallChoice.Call.KEXEC_LOAD
                        ? withKexecLoad(in, options, dryRun, notes, warnings, tFiles)
                        : withKexecFileLoad(in, debug, dryRun, notes, warnings, tFiles));
    }

    /**
     * On the running machine, JNA starts while the machine is read and planned (see
     * {@link KexecLoader#prepare()}): a load there makes a syscall, a dry run its checks.
     */
    static void prepareSyscalls(KexecLoader loader, Path root) {
        if ((root.equals(Path.of("/")) || archiveTraining()) && loader.onPpc64le()) {
            loader.prepare();
        }
    }

    /** The system property that asks a dry run of a capture to start JNA as a load does (see {@link #archiveTraining()}). */
    public static final String ARCHIVE_TRAINING = "jkexec.archiveTraining";

    /**
     * Whether this run trains the package's class-data archive (update-class-archive sets
     * {@link #ARCHIVE_TRAINING}): a dry run of a capture then also starts JNA and asks it the
     * page size, as a load on the running machine does, so that JNA's classes and what they
     * load (some 300) are mapped from the archive at boot instead of read and verified. No
     * kexec syscall is made.
     */
    static boolean archiveTraining() {
        return Boolean.getBoolean(ARCHIVE_TRAINING);
    }

    /** What a load reads, each part read once whichever call is made. */
    private static final class Inputs {
        final Path root;
        final KernelImage kernel;
        final Path initrd;
        final String cmdline;
        private Ppc64Machine machine;
        private KdumpRequest request;
        long machineNanos;
        long filesNanos;

        Inputs(Path root, KernelImage kernel, Path initrd, String cmdline) {
            this.root = root;
            this.kernel = kernel;
            this.initrd = initrd;
            this.cmdline = cmdline == null ? "" : cmdline;
        }

        Ppc64Machine machine() {
            if (machine == null) {
                long t = System.nanoTime();
                machine = MachineCapture.read(root);
                machineNanos = System.nanoTime() - t;
            }
            return machine;
        }

        KdumpRequest request() {
            if (request == null) {
                Ppc64Machine m = machine();
                long t = System.nanoTime();
                request = PlanService.request(kernel, initrd, cmdline, m.crashkernel());
                filesNanos = System.nanoTime() - t;
                Trace.mark("initrd read");
            }
            return request;
        }
    }

    private Loaded withKexecLoad(
            Inputs in,
            PlanOptions options,
            boolean dryRun,
            List<String> notes,
            List<String> warnings,
            long kernelNanos) {
        Trace.mark("kexec_load chosen");
        Ppc64Machine machine = in.machine();
        KdumpRequest request = in.request();
        long t2 = System.nanoTime();
        Planned p = PlanService.plan(machine, request, options);
        long t3 = System.nanoTime();
        Trace.mark("planned");
        if (p.plan().bootProblem().isPresent()) {
            // refused before any kexec_load: a kdump kernel already loaded stays loaded
            throw new JkexecException("load refused, nothing loaded or unloaded: "
                    + p.plan().bootProblem().get().text());
        }
        List<Segment> sorted = p.plan().segmentsByAddress();
        // the estimate unpacks the initramfs: done meanwhile, on another thread
        FutureTask<CrashkernelEstimate> need = CrashkernelNeed.inBackground(machine, p.plan());
        if (!dryRun) {
            loader.loadCrash(sorted, p.plan().entry(), options.crashHotplug());
            new LoadRecord(in.root)
                    .write("kernel " + in.kernel.file() + (in.initrd != null ? ", initrd " + in.initrd : "")
                            + ", crashkernel [" + hex(machine.crashkernel().start()) + "-"
                            + hex(machine.crashkernel().end())
                            + "], backup region " + hex(p.plan().backupSize()) + " bytes at "
                            + hex(p.plan().backupStart())
                            + ", elfcorehdr=" + hex(p.plan().elfcorehdrAddr()) + ", crashkernel needed about "
                            + (Background.take(need).bytes() >>> 20) + " MiB (estimate), loaded at "
                            + java.time.Instant.now().getEpochSecond() + " (seconds since the epoch)");
        } else if (in.root.equals(Path.of("/"))) {
            loader.checkCrashLoad(sorted, p.plan().entry());
        } else if (archiveTraining() && loader.onPpc64le()) {
            loader.pageSize();
        }
        Optional<String> small =
                Background.take(need).shortOf(machine.crashkernel().size());
        if (small.isPresent()) {
            warnings.add(small.get());
        }
        long t4 = System.nanoTime();
        return new Loaded(
                SyscallChoice.Call.KEXEC_LOAD,
                p,
                sorted,
                in.kernel,
                List.copyOf(notes),
                List.copyOf(warnings),
                in.machineNanos,
                kernelNanos + in.filesNanos,
                t3 - t2,
                t4 - t3);
    }

    private Loaded withKexecFileLoad(
            Inputs in, boolean debug, boolean dryRun, List<String> notes, List<String> warnings, long kernelNanos) {
        long t = System.nanoTime();
        in.kernel
                .elf(); // ppc64's kexec_file_load takes an ELF vmlinux only: anything else is refused here, in one line
        if (!dryRun) {
            loader.loadCrashFile(
                    in.kernel.file(), in.kernel.unpacked(), Optional.ofNullable(in.initrd), in.cmdline, debug);
            new LoadRecord(in.root)
                    .write("kernel " + in.kernel.file() + (in.initrd != null ? ", initrd " + in.initrd : "")
                            + " through kexec_file_load (the kernel placed it), loaded at "
                            + java.time.Instant.now().getEpochSecond() + " (seconds since the epoch)");
        }
        return new Loaded(
                SyscallChoice.Call.KEXEC_FILE_LOAD,
                null,
                List.of(),
                in.kernel,
                List.copyOf(notes),
                List.copyOf(warnings),
                in.machineNanos,
                kernelNanos + in.filesNanos,
                0,
                System.nanoTime() - t);
    }

    /**
     * Why kexec_file_load would not do here, predicted by planning as the kernel places: its
     * kdump kernel would not boot (with a crashkernel= that works, where one is known), or its
     * FDT estimate is short. Empty when it would do, or when the machine cannot be planned here
     * (the kernel is then left to decide, and {@code warnings} says why nothing was predicted).
     */
    private static Optional<String> predict(Inputs in, PlanOptions options, List<String> warnings) {
        try {
            return fileLoadProblem(in.machine(), in.request(), options);
        } catch (Ppc64KdumpPlanner.FdtEstimateShort e) {
            return Optional.of(e.getMessage());
        } catch (JkexecException e) {
            warnings.add("cannot predict kexec_file_load: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The kernel's placement's boot problem for {@code machine}, in kexec_file_load's words. */
    public static Optional<String> fileLoadProblem(Ppc64Machine machine, KdumpRequest request, PlanOptions options) {
        Planned p = PlanService.plan(
                machine,
                request,
                options.withFdtSizing(PlanOptions.FdtSizing.KERNEL_ESTIMATE)
                        .withPlacement(PlanOptions.Placement.KERNEL));
        Optional<BootProblem> problem = p.plan().bootProblem();
        // the planner's words name its --placement option; here what matters is the crashkernel= that works
        return problem.map(b -> "kexec_file_load would place the kdump kernel where " + b.unmet()
                + b.fix().map(f -> "; " + f + " would work").orElse(""));
    }

    /**
     * Unloads the kdump kernel as {@code choice} says (kexec-tools' -u with -p); forgets jkexec's
     * record of the load.
     */
    public SyscallChoice.Call unload(Path root, SyscallChoice choice, boolean dryRun) {
        return choice.unload(loader.lockdown(), dryRun, call -> {
            if (call == SyscallChoice.Call.KEXEC_LOAD) {
                loader.unloadCrash();
            } else {
                loader.unloadCrashFile();
            }
            new LoadRecord(root).remove();
        });
    }

    /** The first answer of {@code s}, kept: the prediction costs a plan, made only when asked and once. */
    static <T> Supplier<T> once(Supplier<T> s) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public T get() {
                if (!done) {
                    value = s.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
