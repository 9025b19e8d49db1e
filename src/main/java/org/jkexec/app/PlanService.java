package org.jkexec.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
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

    private PlanService() {}

    /**
     * Plans for the capture at {@code root}; a kernel, initrd or command line not given is the
     * one its {@code kdump/request} recorded.
     */
    public static Planned planCapture(
            Path root, Optional<Path> kernel, Optional<Path> initrd, Optional<String> append, PlanOptions options) {
        RecordedRequest recorded = RecordedRequest.read(root);
        Path k = kernel.or(recorded::kernel).orElse(null);
        Path i = initrd.or(recorded::initrd).orElse(null);
        String cmd = append.or(recorded::append).orElse("");
        if (k == null) {
            throw JkexecException.usage("no kdump kernel given: use --kernel FILE");
        }
        return plan(MachineCapture.read(root), k, i, cmd, options).withTextSources(captureTextSources(root));
    }

    /**
     * The files of a capture whose bytes a plan's device tree and command line may hold: the
     * boot FDT, the machine's command line (--reuse-cmdline) and a recorded request (append=).
     */
    public static Path[] captureTextSources(Path root) {
        return new Path[] {
            root.resolve("sys/firmware/fdt"), root.resolve("proc/cmdline"), root.resolve(RecordedRequest.FILE)
        };
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
     * Reads the kdump kernel (and initrd) into a request, each within its budget, neither onto
     * the heap: both are mapped, the kernel's PT_LOADs and the initrd are views of the files (a
     * vmlinux with symbols is far larger than what it loads; an initrd of gigabytes stays on
     * disk until it is written or loaded); a compressed kernel is decompressed within
     * {@link KernelImage}'s budget. An initrd larger than {@code crashkernel} is refused from its
     * size before it is mapped.
     */
    public static KdumpRequest request(Path kernel, Path initrd, String cmdline, MemRange crashkernel) {
        return request(KernelImage.read(kernel), initrd, cmdline, crashkernel);
    }

    /** As {@link #request(Path, Path, String, MemRange)}, for a kernel already read. */
    public static KdumpRequest request(KernelImage kernel, Path initrd, String cmdline, MemRange crashkernel) {
        return new KdumpRequest(
                kernel.elf(), initrd == null ? null : readInitrd(initrd, crashkernel), cmdline == null ? "" : cmdline);
    }

    private static ByteBuffer readInitrd(Path p, MemRange crashkernel) {
        long size = InputFiles.requireRegular(p, "initrd");
        if (crashkernel != null && size > crashkernel.size()) {
            throw new JkexecException("no room for the initrd " + p + " (" + ByteSize.text(size) + ") in crashkernel "
                    + crashkernel + " (" + ByteSize.text(crashkernel.size())
                    + "): reserve a larger crashkernel= or use a "
                    + "smaller initrd");
        }
        ByteBuffer b = InputFiles.map(
                p, crashkernel == null ? MAX_INITRD : Math.min(MAX_INITRD, crashkernel.size()), "initrd");
        if (b.capacity() == 0) {
            // named here: left for later, an empty initrd becomes a reserve-map entry of size 0
            throw JkexecException.badInput("initrd: " + p, "is empty (0 bytes): give an initrd or none");
        }
        return b;
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
     * As {@link #writeFiles(Planned, String, Path)}: all or none is written (see
     * {@link OutputFiles}), an earlier plan is replaced only with {@code force}, and no file is
     * more readable than what it is made from: segment copies of the kernel or initrd are
     * owner-only and no wider than their file, the rest no wider than the machine files and
     * command line they hold ({@link Planned#textSources()}).
     */
    public static void writeFiles(Planned p, String json, Path out, boolean force) {
        KdumpPlan plan = p.plan();
        Path[] text = p.textSources().toArray(Path[]::new);
        Set<PosixFilePermission> textMode = OutputFiles.noWiderThan(OutputFiles.READABLE, text);
        OutputFiles.Batch files = new OutputFiles.Batch();
        files.put("kdump.dtb", plan.kdumpFdtBlob(), textMode);
        files.put("kdump.dts", plan.kdumpFdt().toDts().getBytes(StandardCharsets.UTF_8), textMode);
        files.put("elfcorehdr.bin", plan.elfCoreHeader(), OutputFiles.READABLE);
        files.put("plan.json", (json + "\n").getBytes(StandardCharsets.UTF_8), textMode);
        putSegments(files, plan.segments(), p.kernelFile(), p.initrdFile(), textMode);
        files.writeInto(out, "--out", force);
    }

    /**
     * Each segment's bytes as segment-NN-KIND.bin: copies of the kernel and initrd owner-only and
     * no wider than their files, the FDT's no wider than {@code textMode}, the rest readable. The
     * initrd is the start of its file: copied by the kernel, its pages never in jkexec's memory.
     */
    static void putSegments(
            OutputFiles.Batch files,
            List<Segment> segments,
            Path kernelFile,
            Path initrdFile,
            Set<PosixFilePermission> textMode) {
        int i = 0;
        for (Segment s : segments) {
            String name = String.format("segment-%02d-%s.bin", i++, s.kind());
            Path source =
                    s.kind() == SegmentKind.KERNEL ? kernelFile : s.kind() == SegmentKind.INITRD ? initrdFile : null;
            boolean copied = s.kind() == SegmentKind.KERNEL || s.kind() == SegmentKind.INITRD;
            files.put(
                    name,
                    s.data(),
                    s.kind() == SegmentKind.INITRD ? source : null,
                    copied
                            ? OutputFiles.noWiderThan(OutputFiles.OWNER_ONLY, source)
                            : s.kind() == SegmentKind.FDT ? textMode : OutputFiles.READABLE);
        }
    }
}
