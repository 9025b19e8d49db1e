package org.jkexec.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.OutputFiles;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.RecordedRequest;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.units.ByteSize;

/** Planning a kdump load: reads the machine and the kdump files, and runs the planner. */
public final class PlanService {
    /** An initrd larger than this is refused before reading. */
    static final long MAX_INITRD = 1L << 31;

    private PlanService() {
    }

    /**
     * Plans for the capture at {@code root}; a kernel, initrd or command line not given is the
     * one its {@code kdump/request} recorded.
     */
    public static Planned planCapture(Path root, Optional<Path> kernel, Optional<Path> initrd, Optional<String> append,
            PlanOptions options) {
        RecordedRequest recorded = RecordedRequest.read(root);
        Path k = kernel.or(recorded::kernel).orElse(null);
        Path i = initrd.or(recorded::initrd).orElse(null);
        String cmd = append.or(recorded::append).orElse("");
        if (k == null) {
            throw JkexecException.usage("no kdump kernel given: use --kernel FILE");
        }
        return plan(MachineCapture.read(root), k, i, cmd, options);
    }

    /** Reads the kdump files for {@code machine} and plans. */
    public static Planned plan(Ppc64Machine machine, Path kernel, Path initrd, String cmdline, PlanOptions options) {
        Planned p = plan(machine, request(kernel, initrd, cmdline, machine.crashkernel()), options);
        return new Planned(p.machine(), p.plan(), kernel, initrd);
    }

    /** Reads the kdump kernel (and initrd) into a request, bounded by the kernel's budgets only. */
    public static KdumpRequest request(Path kernel, Path initrd, String cmdline) {
        return request(kernel, initrd, cmdline, null);
    }

    /**
     * Reads the kdump kernel (and initrd) into a request, each within its budget. The initrd
     * is loaded whole, so one larger than {@code crashkernel} is refused before it is read (a
     * 1 GiB initrd is not read to learn that it does not fit 512 MiB), and the read itself
     * stops at that size whatever the file reported. A vmlinux may carry far more than it
     * loads (symbols, debug information): it is bounded by {@link KernelImage}'s budgets only.
     */
    public static KdumpRequest request(Path kernel, Path initrd, String cmdline, MemRange crashkernel) {
        return request(KernelImage.read(kernel), initrd, cmdline, crashkernel);
    }

    /** As {@link #request(Path, Path, String, MemRange)}, for a kernel already read. */
    public static KdumpRequest request(KernelImage kernel, Path initrd, String cmdline, MemRange crashkernel) {
        return new KdumpRequest(kernel.elf(), initrd == null ? null : readInitrd(initrd, crashkernel),
                cmdline == null ? "" : cmdline);
    }

    private static byte[] readInitrd(Path p, MemRange crashkernel) {
        long size = InputFiles.requireRegular(p, "initrd");
        if (crashkernel == null) {
            return InputFiles.read(p, MAX_INITRD, "initrd");
        }
        if (size > crashkernel.size()) {
            throw new JkexecException("no room for the initrd " + p + " (" + ByteSize.text(size) + ") in crashkernel "
                    + crashkernel + " (" + ByteSize.text(crashkernel.size()) + "): reserve a larger crashkernel= or use a "
                    + "smaller initrd");
        }
        return InputFiles.read(p, Math.min(MAX_INITRD, crashkernel.size()), "initrd");
    }

    public static Planned plan(Ppc64Machine machine, KdumpRequest request, PlanOptions options) {
        return new Planned(machine, new Ppc64KdumpPlanner(Purgatories.standard()).plan(machine, request, options));
    }

    /**
     * Writes a plan's files into {@code out}: kdump.dtb, kdump.dts, elfcorehdr.bin,
     * plan.json ({@code json}) and every segment's bytes.
     */
    public static void writeFiles(Planned p, String json, Path out) {
        writeFiles(p, json, out, false);
    }

    /**
     * As {@link #writeFiles(Planned, String, Path)}: none is written when any exists unless
     * {@code force}, none through a symbolic link (each is written new and renamed into
     * place), and bytes copied from the kernel or initrd are never more readable than their
     * source.
     */
    public static void writeFiles(Planned p, String json, Path out, boolean force) {
        KdumpPlan plan = p.plan();
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, Set<PosixFilePermission>> modes = new LinkedHashMap<>();
        files.put("kdump.dtb", plan.kdumpFdtBlob());
        files.put("kdump.dts", plan.kdumpFdt().toDts().getBytes(StandardCharsets.UTF_8));
        files.put("elfcorehdr.bin", plan.elfCoreHeader());
        files.put("plan.json", (json + "\n").getBytes(StandardCharsets.UTF_8));
        int i = 0;
        for (Segment s : plan.segments()) {
            String name = String.format("segment-%02d-%s.bin", i++, s.kind());
            files.put(name, s.buffer());
            Path source = s.kind() == SegmentKind.KERNEL ? p.kernelFile() : s.kind() == SegmentKind.INITRD ? p.initrdFile() : null;
            if (source != null) {
                modes.put(name, OutputFiles.noWiderThan(OutputFiles.OWNER_ONLY, source));
            }
        }
        OutputFiles.directory(out);
        for (String name : files.keySet()) {
            OutputFiles.refuseExisting(out.resolve(name), force);
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            OutputFiles.write(out.resolve(f.getKey()), f.getValue(), modes.getOrDefault(f.getKey(), OutputFiles.READABLE),
                    force);
        }
    }
}
