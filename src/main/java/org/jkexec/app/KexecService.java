package org.jkexec.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.OutputFiles;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.RecordedRequest;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.CommandLines;
import org.jkexec.kexec.KexecPlan;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.linux.KexecLoader;
import org.jkexec.linux.KexecStatus;
import org.jkexec.linux.LoadRecord;
import org.jkexec.ppc64.Cells;
import org.jkexec.ppc64.CrashkernelWords;
import org.jkexec.ppc64.Ppc64KexecPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;

/**
 * Regular (non-crash) kexec: plan a kernel to reboot into, load it with kexec_load(2) or the
 * kernel's kexec_file_load(2), unload it, and reboot into it.
 */
public final class KexecService {
    /**
     * A regular kexec plan and the machine it was made for, with the kernel and initrd files it
     * was made from (null when not read from files): their copies keep their privacy.
     */
    public record PlannedKexec(Ppc64Machine machine, KexecPlan plan, Path kernelFile, Path initrdFile) {
        public PlannedKexec(Ppc64Machine machine, KexecPlan plan) {
            this(machine, plan, null, null);
        }
    }

    /**
     * A regular image loaded (or checked, in a dry run).
     *
     * @param planned jkexec's plan (kexec_load), or null (kexec_file_load: the kernel placed it)
     * @param cmdline the command line handed to kexec_file_load, or the plan's
     * @param notes   one line each: why the call is not the one asked for
     */
    public record LoadedKexec(
            SyscallChoice.Call call, PlannedKexec planned, KernelImage kernel, String cmdline, List<String> notes) {}

    /**
     * What the kexec images' state is, jkexec's record of its last kdump load, and, when the
     * running kernel reserved no crashkernel, why, from what its command line asked for.
     */
    public record Status(KexecStatus kexec, Optional<String> lastLoad, Optional<String> whyNoCrashkernel) {}

    /** A device tree blob larger than this is not one. */
    static final long MAX_DTB = 64L << 20;

    private final KexecLoader loader;

    public KexecService(KexecLoader loader) {
        this.loader = loader;
    }

    /** The service for the machine at {@code root}: "/" is the running machine, anything else a capture (tests). */
    public static KexecService forMachine(Path root) {
        return new KexecService(Loaders.forRoot(root));
    }

    /** Whether the kdump and kexec images are loaded, from /sys/kernel; jkexec's record of its last load. */
    public Status status(Path root) {
        KexecStatus s = loader.status();
        Optional<String> why = s.crashSize().isPresent() && s.crashSize().getAsLong() == 0
                ? loader.runningCmdline().map(CrashkernelWords::whyNoneReserved)
                : Optional.empty();
        return new Status(s, new LoadRecord(root).read(), why);
    }

    /** Whether this machine is one jkexec loads on (ppc64le). */
    public boolean onPpc64le() {
        return loader.onPpc64le();
    }

    /** Refuses, in one line (exit 1), a machine jkexec does not load on. */
    public void requireLoadableHost() {
        loader.requireLoadableHost();
    }

    /**
     * The crashkernel reservation's size in bytes, 0 when none (kexec-tools' --print-ckr-size,
     * which reads the same /chosen properties).
     */
    public long crashkernelSize() {
        return loader.status().crashRegion().map(r -> r.size()).orElse(0L);
    }

    /** Whether the running kernel updates a loaded kdump image on hotplug itself (/sys/kernel/crash_elfcorehdr_size). */
    public boolean crashHotplugConfigured() {
        return loader.crashHotplugConfigured();
    }

    /**
     * Loads a regular image as {@code choice} says: jkexec's plan through kexec_load, or the
     * kernel's kexec_file_load. A device tree blob ({@code dtb}) goes with kexec_load only:
     * kexec_file_load has no way to take one.
     */
    public LoadedKexec load(
            Path root,
            Path kernel,
            Path initrd,
            Optional<String> append,
            boolean reuseCmdline,
            Path dtb,
            PlanOptions options,
            SyscallChoice choice,
            boolean debug,
            boolean dryRun) {
        LoadService.prepareSyscalls(loader, root);
        KernelImage image = KernelImage.read(kernel);
        List<String> notes = new ArrayList<>();
        java.util.function.Supplier<Optional<String>> problem = () -> dtb == null
                ? Optional.empty()
                : Optional.of("kexec_file_load takes no device tree blob (--dtb " + dtb + ")");
        return choice.load(loader.lockdown(), problem, notes, call -> {
            if (call == SyscallChoice.Call.KEXEC_LOAD) {
                PlannedKexec p = load(root, image, initrd, append, reuseCmdline, dtb, options, dryRun);
                return new LoadedKexec(call, p, image, p.plan().cmdline(), List.copyOf(notes));
            }
            String cmdline =
                    CommandLines.of(reuseCmdline ? runningCmdline(root) : "", reuseCmdline, false, append.orElse(null));
            image.elf(); // ppc64's kexec_file_load takes an ELF vmlinux only
            if (!dryRun) {
                loader.loadRegularFile(kernel, image.unpacked(), Optional.ofNullable(initrd), cmdline, debug);
            }
            return new LoadedKexec(call, null, image, cmdline, List.copyOf(notes));
        });
    }

    /**
     * Plans for the capture at {@code root}; a kernel or initrd not given is the one its
     * kdump/request recorded (its command line is a kdump kernel's, so it is not taken).
     */
    public static PlannedKexec planCapture(
            Path root,
            Optional<Path> kernel,
            Optional<Path> initrd,
            Optional<String> append,
            boolean reuseCmdline,
            PlanOptions options) {
        RecordedRequest recorded = RecordedRequest.read(root);
        Path k = kernel.or(recorded::kernel)
                .orElseThrow(() -> JkexecException.usage("no kernel given: use --kernel FILE"));
        Path i = initrd.or(recorded::initrd).orElse(null);
        Ppc64Machine machine = MachineCapture.readForRegularKexec(root);
        return plan(
                machine, k, i, CommandLines.of(machine.cmdline(), reuseCmdline, false, append.orElse(null)), options);
    }

    public static PlannedKexec plan(
            Ppc64Machine machine, Path kernel, Path initrd, String cmdline, PlanOptions options) {
        return plan(machine, KernelImage.read(kernel), initrd, cmdline, options);
    }

    static PlannedKexec plan(
            Ppc64Machine machine, KernelImage kernel, Path initrd, String cmdline, PlanOptions options) {
        return new PlannedKexec(
                machine,
                new Ppc64KexecPlanner(Purgatories.standard())
                        .plan(machine, PlanService.request(kernel, initrd, cmdline, null), options),
                kernel.file(),
                initrd);
    }

    /**
     * Plans on the machine at {@code root} and loads with kexec_load(2). A dry run loads
     * nothing; on the running machine ({@code /}) it still makes every check a load makes.
     *
     * @param dtb the blob to start the new kernel's device tree from instead of the boot FDT, or null
     */
    private PlannedKexec load(
            Path root,
            KernelImage kernel,
            Path initrd,
            Optional<String> append,
            boolean reuseCmdline,
            Path dtb,
            PlanOptions options,
            boolean dryRun) {
        Ppc64Machine machine = MachineCapture.readForRegularKexec(root);
        if (dtb != null) {
            machine = withBootFdt(machine, dtb);
        }
        PlannedKexec p = plan(
                machine,
                kernel,
                initrd,
                CommandLines.of(machine.cmdline(), reuseCmdline, false, append.orElse(null)),
                options);
        List<Segment> sorted = p.plan().segmentsByAddress();
        if (!dryRun) {
            loader.loadRegular(sorted, p.plan().entry());
        } else if (root.equals(Path.of("/"))) {
            loader.checkRegularLoad(sorted, p.plan().entry());
        }
        return p;
    }

    /** Unloads the regular image as {@code choice} says (kexec-tools' -u). */
    public SyscallChoice.Call unload(SyscallChoice choice, boolean dryRun) {
        return choice.unload(loader.lockdown(), dryRun, call -> {
            if (call == SyscallChoice.Call.KEXEC_LOAD) {
                loader.unloadRegular();
            } else {
                loader.unloadRegularFile();
            }
        });
    }

    /** Syncs the file systems unless {@code sync} is false, and reboots into the loaded image; returns only by throwing. */
    public void exec(boolean sync) {
        loader.execLoaded(sync);
    }

    /**
     * The machine with {@code dtb} as the blob the next kernel's device tree starts from
     * ({@code load -l --dtb}). The running kernel's own FDT is not that blob, so none of its
     * reserve entries is taken for the boot FDT's.
     */
    public static Ppc64Machine withBootFdt(Ppc64Machine m, Path dtb) {
        byte[] blob = InputFiles.read(dtb, MAX_DTB);
        Fdt fdt = Fdt.parse(blob, dtb.toString());
        return new Ppc64Machine(
                m.source(),
                fdt,
                (int) Cells.u32(blob, 4),
                m.liveTree(),
                m.systemRam(),
                m.reservedCrashkernel().orElse(null),
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                m.rmaSize(),
                OptionalLong.empty(),
                m.lpar(),
                m.threadsPerCore(),
                m.crashkernelCma());
    }

    /** The command line of the machine at {@code root} (proc/cmdline), for --reuse-cmdline. */
    public static String runningCmdline(Path root) {
        Path p = root.resolve("proc/cmdline");
        return InputFiles.utf8(InputFiles.read(p, 1 << 16), p).strip();
    }

    /**
     * Writes kexec.dtb, kexec.dts, plan.json ({@code json}) and every segment's bytes into
     * {@code out} through {@link OutputFiles} (all or none, earlier files replaced only when
     * {@code force}); copies of the kernel and initrd are readable by their owner only, and the
     * rest no wider than {@code textSources}, the files its device tree and command line come from.
     */
    public static void writeFiles(PlannedKexec p, String json, Path out, boolean force, Path... textSources) {
        KexecPlan plan = p.plan();
        Set<PosixFilePermission> textMode = OutputFiles.noWiderThan(OutputFiles.READABLE, textSources);
        OutputFiles.Batch files = new OutputFiles.Batch();
        files.put("kexec.dtb", plan.fdtBlob(), textMode);
        files.put("kexec.dts", plan.fdt().toDts().getBytes(StandardCharsets.UTF_8), textMode);
        files.put("plan.json", (json + "\n").getBytes(StandardCharsets.UTF_8), textMode);
        PlanService.putSegments(files, plan.segments(), p.kernelFile(), p.initrdFile(), textMode);
        files.writeInto(out, "--out", force);
    }
}
