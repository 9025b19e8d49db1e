package org.jkexec.ppc64;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfFile;
import org.jkexec.elf.ProgramHeader;
import org.jkexec.fdt.Fdt;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.KexecPlan;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.PurgatoryProvider;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.kexec.SegmentPlacer;
import org.jkexec.memory.MemRanges;

/**
 * Plans a regular (non-crash) kexec load on ppc64 the way the kernel's kexec_file_load places
 * one: the kdump planner's phases without the crash-only segments.
 *
 * <p>The placement rule. Every segment must lie below the real-mode limit (ppc64_rma_size,
 * as an inclusive bound, as the kernel passes it) because the purgatory and the new kernel's
 * first instructions run with translation off. The search covers all of RAM, not only free
 * memory, and avoids exactly the exclude list (TCE tables, a retained initrd, the hash page
 * table, the running kernel {@code [0, _end)}, RTAS, OPAL, firmware reserved-ranges) and the
 * segments placed before. <b>crashkernel is not excluded</b>: a regular image's segments are
 * staged in ordinary pages at load time and copied to their destinations only when the
 * machine kexecs, so landing inside crashkernel harms neither the loaded kdump kernel (intact
 * until then) nor the next kernel, which reserves crashkernel again at boot, moves its device
 * tree out of it, and frees an initrd inside it only outside crashkernel. Before the kernel
 * searched all RAM, a crashkernel reserved low left so little free real-mode memory that
 * regular kexec_file loads failed for want of a hole; kexec-tools, by contrast, excludes
 * crashkernel for its own regular loads (see the README).
 *
 * <p>Segment order: kernel PT_LOADs (bottom-up from each p_paddr), purgatory (top-down),
 * initrd (bottom-up), FDT (top-down). The purgatory copies no backup region and does not set
 * the kernel's run-at-load word: the new kernel copies itself down to 0 and boots normally.
 */
public final class Ppc64KexecPlanner {
    private final PurgatoryProvider purgatory;

    public Ppc64KexecPlanner(PurgatoryProvider purgatory) {
        this.purgatory = purgatory;
    }

    /**
     * @param req the new kernel, initrd and command line ("" for none: bootargs is then deleted)
     */
    public KexecPlan plan(Ppc64Machine m, KdumpRequest req, PlanOptions opt) {
        Ppc64KdumpPlanner.checkKernel(req.kernel());
        checkCmdline(req.cmdline());
        MachineChecks.validateRamAndCpuNodes(m);
        KdumpRanges ranges = new KdumpRanges(m);
        long page = m.pageSize();
        MemRanges exclude = ranges.exclude();
        SegmentPlacer placer = SegmentPlacer.forRegularImage(opt.holeSearch(), m.systemRam(), exclude, page);
        // kbuf and pbuf of elf64_load for a regular image: [0, ppc64_rma_size], the bound inclusive
        long bufMax = m.rmaSize();

        // 1. the kernel's PT_LOADs: buf_min = p_paddr, align = p_align, bottom-up
        long kernelLoadAddr = -1;
        long lastPaddr = 0;
        ElfFile k = req.kernel();
        for (ProgramHeader ph : k.loadSegments()) {
            Segment s = placer.place(
                    SegmentKind.KERNEL, k.segmentView(ph), ph.memsz(), ph.align(), ph.paddr(), bufMax, false);
            lastPaddr = ph.paddr();
            if (Long.compareUnsigned(s.mem(), kernelLoadAddr) < 0) {
                kernelLoadAddr = s.mem();
            }
        }

        // 2. purgatory: top-down below the real-mode limit
        long purgatoryAlign = Math.max(purgatory.alignment(), page);
        Segment purg = placer.place(
                SegmentKind.PURGATORY, new byte[purgatory.size()], purgatory.size(), purgatoryAlign, 0, bufMax, true);

        // 3. initrd: bottom-up, page aligned; kbuf still carries the last PT_LOAD's p_paddr as its minimum
        long initrdAddr = 0;
        long initrdLen = 0;
        if (req.initrd() != null) {
            Segment initrd = placer.place(
                    SegmentKind.INITRD, req.initrd(), req.initrd().capacity(), page, lastPaddr, bufMax, false);
            initrdAddr = initrd.mem();
            initrdLen = req.initrd().capacity();
        }

        // 4. FDT: the boot FDT with the regular image's edits, packed, placed top-down
        MemRanges reserved = ranges.reserved();
        String bootargs = req.cmdline().isEmpty() ? null : req.cmdline();
        KdumpFdt fdtBuilder = new KdumpFdt(m);
        Fdt fdt = fdtBuilder.build(KdumpFdt.Inputs.forRegularImage(
                initrdAddr, initrdLen, bootargs, opt.kaslrSeed(), opt.rngSeed(), reserved));
        long alloc = fdtBuilder.allocationSize(bootargs, reserved, false, false);
        if (alloc > Integer.MAX_VALUE) {
            throw new JkexecException("FDT estimate of " + alloc + " bytes is too large");
        }
        byte[] fdtBlob = Ppc64KdumpPlanner.packedBlob(fdt, (int) alloc);
        Segment fdtSeg = placer.place(SegmentKind.FDT, fdtBlob, fdtBlob.length, page, lastPaddr, bufMax, true);

        // 5. purgatory contents: no backup copy, no run-at-load
        long[] opal = ranges.regions().opalBaseAndEntry().orElse(new long[] {0, 0});
        byte[] purgBytes = purgatory.build(
                new PurgatoryProvider.Params(
                        kernelLoadAddr, fdtSeg.mem(), 0, 0, opal[0], opal[1], false, Ppc64KdumpPlanner.kernelHead(k)),
                purg.mem());
        placer.replaceBuffer(SegmentKind.PURGATORY, purgBytes);

        return new KexecPlan(
                placer.segments(),
                purg.mem(),
                kernelLoadAddr,
                fdt,
                fdtBlob,
                req.cmdline(),
                exclude,
                reserved,
                warnings(m, req.cmdline()));
    }

    /** kexec_file_load refuses a command line (with its NUL) longer than COMMAND_LINE_SIZE. */
    static void checkCmdline(String cmdline) {
        int len = cmdline.getBytes(StandardCharsets.UTF_8).length;
        if (len + 1 > Ppc64KdumpPlanner.COMMAND_LINE_SIZE) {
            throw new JkexecException("command line too long: " + len + " bytes, at most "
                    + (Ppc64KdumpPlanner.COMMAND_LINE_SIZE - 1) + " (COMMAND_LINE_SIZE)");
        }
    }

    /** A running kernel with crashkernel= whose successor has none ends up without kdump. */
    static List<String> warnings(Ppc64Machine m, String cmdline) {
        List<String> out = new ArrayList<>();
        if (hasParameter(m.cmdline(), "crashkernel") && !hasParameter(cmdline, "crashkernel")) {
            out.add("the running kernel reserves crashkernel but the new kernel's command line has no crashkernel=: "
                    + "after the kexec no kdump kernel can be loaded (use --reuse-cmdline or add crashkernel=)");
        }
        return out;
    }

    static boolean hasParameter(String cmdline, String name) {
        for (String word : cmdline.trim().split("\\s+")) {
            if (word.equals(name) || word.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }
}
