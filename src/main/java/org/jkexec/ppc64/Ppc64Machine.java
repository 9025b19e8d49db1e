package org.jkexec.ppc64;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.fdt.Fdt;
import org.jkexec.memory.MemRange;

/**
 * Everything about a running ppc64 machine that a kdump load depends on: the values the
 * kernel reads from itself, expressed as inputs (docs/ppc64-kdump.md#inputs). Built from a machine capture or a
 * bare DTB; the planner reads nothing else.
 *
 * @param source        where these facts came from (for messages)
 * @param bootFdt       the boot-time blob (/sys/firmware/fdt): the kdump FDT starts from it
 * @param bootFdtSize   that blob's header totalsize (the kernel sizes the new FDT from it)
 * @param liveTree      the live tree (/proc/device-tree), properties in the kernel's order
 * @param systemRam     memblock.memory regions, ascending ("System RAM" of /proc/iomem)
 * @param crashkernel   the crashkernel reservation (crashk_res); null on a machine read for a
 *                      regular kexec that reserved none
 * @param kernelEnd     physical end of the running kernel ({@code __pa(_end)})
 * @param cmdline       the running kernel's command line
 * @param crashNotes    per possible CPU, in CPU order: its crash_notes buffer
 * @param vmcoreinfo    the vmcoreinfo note buffer
 * @param pageSize      the running kernel's PAGE_SIZE
 * @param rmaSize       ppc64_rma_size; -1 (2^64-1) when unbounded (radix MMU)
 * @param bootFdtAddress physical address of the boot FDT when known (its reserve entry is dropped)
 * @param lpar          running under a hypervisor (FW_FEATURE_LPAR)
 * @param threadsPerCore SMT threads per core (for the CPU-node budget)
 * @param crashkernelCma the kernel's crashk_cma_ranges, in its order: contiguous areas of
 *                      crashkernel=SIZE,cma that the kdump kernel may use and the dump leaves
 *                      out; empty without that form
 */
public record Ppc64Machine(
        String source,
        Fdt bootFdt,
        int bootFdtSize,
        Fdt liveTree,
        List<MemRange> systemRam,
        MemRange crashkernel,
        long kernelEnd,
        String cmdline,
        List<NoteBuffer> crashNotes,
        NoteBuffer vmcoreinfo,
        long pageSize,
        long rmaSize,
        OptionalLong bootFdtAddress,
        boolean lpar,
        int threadsPerCore,
        List<MemRange> crashkernelCma) {

    /** ppc64's PAGE_OFFSET: kernel virtual address of physical 0. */
    public static final long PAGE_OFFSET = 0xc000000000000000L;

    public Ppc64Machine {
        Objects.requireNonNull(source);
        Objects.requireNonNull(bootFdt);
        Objects.requireNonNull(liveTree);
        systemRam = List.copyOf(systemRam);
        Objects.requireNonNull(cmdline);
        crashNotes = List.copyOf(crashNotes);
        Objects.requireNonNull(vmcoreinfo);
        Objects.requireNonNull(bootFdtAddress);
        crashkernelCma = List.copyOf(crashkernelCma);
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a power of two");
        }
    }

    /** The crashkernel reservation; a kdump load cannot be planned without one. */
    @Override
    public MemRange crashkernel() {
        if (crashkernel == null) {
            throw JkexecException.badInput(source, CrashkernelWords.whyNoneReserved(cmdline));
        }
        return crashkernel;
    }

    /** The crashkernel reservation, if the machine has one. */
    public Optional<MemRange> reservedCrashkernel() {
        return Optional.ofNullable(crashkernel);
    }

    public boolean retainInitrd() {
        return cmdline.contains("retain_initrd");
    }

    /** The hash MMU (a bounded real-mode area); radix otherwise. */
    public boolean hashMmu() {
        return rmaSize != -1;
    }

    public int possibleCpus() {
        return crashNotes.size();
    }
}
