package org.jkexec.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.capture.RecordedRequest;
import org.jkexec.elf.ElfFile;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;

/** Planning a kdump load: reads the machine and the kdump files, and runs the planner. */
public final class PlanService {
    /** A kernel larger than this is refused before reading (no vmlinux is 2 GiB). */
    static final long MAX_KERNEL = 1L << 31;

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
            throw new JkexecException("no kdump kernel given: use --kernel FILE");
        }
        return plan(MachineCapture.read(root), request(k, i, cmd), options);
    }

    /** Reads the kdump kernel (and initrd) into a request. */
    public static KdumpRequest request(Path kernel, Path initrd, String cmdline) {
        ElfFile elf = ElfFile.parse(InputFiles.read(kernel, MAX_KERNEL), kernel.toString());
        return new KdumpRequest(elf, initrd == null ? null : InputFiles.read(initrd, MAX_KERNEL), cmdline == null ? "" : cmdline);
    }

    public static Planned plan(Ppc64Machine machine, KdumpRequest request, PlanOptions options) {
        return new Planned(machine, new Ppc64KdumpPlanner(Purgatories.standard()).plan(machine, request, options));
    }

    /**
     * Writes a plan's files into {@code out}: kdump.dtb, kdump.dts, elfcorehdr.bin,
     * plan.json ({@code json}) and every segment's bytes.
     */
    public static void writeFiles(Planned p, String json, Path out) {
        KdumpPlan plan = p.plan();
        try {
            Files.createDirectories(out);
            Files.write(out.resolve("kdump.dtb"), plan.kdumpFdtBlob());
            Files.writeString(out.resolve("kdump.dts"), plan.kdumpFdt().toDts());
            Files.write(out.resolve("elfcorehdr.bin"), plan.elfCoreHeader());
            Files.writeString(out.resolve("plan.json"), json + "\n");
            int i = 0;
            for (Segment s : plan.segments()) {
                Files.write(out.resolve(String.format("segment-%02d-%s.bin", i++, s.kind())), s.buffer());
            }
        } catch (IOException e) {
            throw JkexecException.badInput(out, "cannot write: " + e.getMessage());
        }
    }
}
