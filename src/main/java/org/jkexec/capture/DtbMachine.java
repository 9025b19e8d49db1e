package org.jkexec.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.CpuNodes;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.RamLayout;

/**
 * A machine described by a bare device tree blob (a .dtb, or /sys/firmware/fdt copied alone),
 * with the facts a blob lacks given as options. The blob serves as both boot FDT and live
 * tree; RAM comes from its memory nodes and LMBs.
 *
 * @param crashkernel the crashkernel region, or null to read /chosen/linux,crashkernel-base|size by
 *                    {@link CrashKernelFacts}'s rule
 * @param kernelEnd   physical end of the running kernel, or null to read /chosen/linux,kernel-end
 * @param cpus        possible CPUs, or null to count the tree's threads
 * @param pageSize    the running kernel's page size
 * @param mmu         "radix" or "hash"
 */
public record DtbMachine(MemRange crashkernel, Long kernelEnd, Integer cpus, long pageSize, String mmu) {
    /** Where placeholder crash-note buffers are put: the addresses a running kernel would give are unknown. */
    static final long PLACEHOLDER_NOTES = 0x100000000L;

    /** The machine a kdump load is planned for: crashkernel required. */
    public Ppc64Machine read(Path dtb) {
        return read(dtb, true);
    }

    /** @param crashkernelRequired false for a regular kexec plan: a blob without crashkernel is fine */
    public Ppc64Machine read(Path dtb, boolean crashkernelRequired) {
        PagingFacts.check(pageSize, "--page-size");
        String mmuName = PagingFacts.mmuName(mmu, "--mmu");
        byte[] blob = InputFiles.read(dtb, MachineCapture.MAX_FILE, "--dtb");
        Fdt tree = Fdt.parseOwned(blob, dtb.toString());
        String src = dtb.toString();
        FdtNode chosen = tree.node("/chosen").orElse(null);
        MemRange ck = crashkernel != null
                ? crashkernel
                : CrashKernelFacts.ofBlob(src, tree)
                        .region()
                        .map(CrashKernelRegion::range)
                        .orElse(null);
        if (ck == null && crashkernelRequired) {
            throw JkexecException.badInput(
                    src, "no /chosen/linux,crashkernel-base|size in the blob: give --crashkernel SIZE@BASE");
        }
        long end;
        if (kernelEnd != null) {
            end = kernelEnd;
        } else {
            end = chosen == null ? -1 : chosen.u64("linux,kernel-end").orElse(-1L);
            if (end == -1) {
                throw JkexecException.badInput(
                        src, "no /chosen/linux,kernel-end in the blob: give --kernel-end ADDRESS");
            }
        }
        List<MemRange> ram = RamLayout.fromTree(tree);
        if (ram.isEmpty()) {
            throw JkexecException.badInput(src, "no memory node and no assigned LMB: the blob describes no RAM");
        }
        int n = cpus != null ? cpus : CpuNodes.totalThreads(tree);
        if (n < 1 || n > MachineCapture.MAX_CPUS) {
            throw JkexecException.badInput(
                    cpus != null ? "--cpus" : src,
                    n + " CPUs: a ppc64 kernel has 1 to " + MachineCapture.MAX_CPUS
                            + (cpus != null ? "" : "; give --cpus N"));
        }
        List<NoteBuffer> notes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            notes.add(new NoteBuffer(PLACEHOLDER_NOTES + i * 0x1000L, 536));
        }
        // bootargs as UTF-8, strictly: a command line reused from it is written back as these bytes
        String cmdline = chosen == null
                ? ""
                : chosen.value("bootargs")
                        .map(v -> {
                            int nul = 0;
                            while (nul < v.length && v[nul] != 0) {
                                nul++;
                            }
                            return InputFiles.utf8(java.util.Arrays.copyOf(v, nul), dtb + " /chosen/bootargs");
                        })
                        .orElse("");
        long rma = "hash".equals(mmuName) ? MachineCapture.rmaSize("hash", ram) : -1L;
        boolean lpar = tree.node("/rtas")
                .map(r -> r.hasProperty("ibm,hypertas-functions"))
                .orElse(false);
        return new Ppc64Machine(
                src + " (bare blob: crash-note addresses are placeholders)",
                tree,
                blob.length,
                tree.copy(),
                ram,
                ck,
                end,
                cmdline,
                notes,
                new NoteBuffer(PLACEHOLDER_NOTES - 0x10000, 0x1024),
                pageSize,
                rma,
                OptionalLong.empty(),
                lpar,
                CpuNodes.threadsPerCore(tree),
                List.of()); // a bare blob names no crashkernel=SIZE,cma areas
    }
}
