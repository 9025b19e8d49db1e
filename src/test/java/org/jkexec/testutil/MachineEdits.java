package org.jkexec.testutil;

import java.util.List;
import org.jkexec.fdt.Fdt;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64Machine;

/**
 * A machine with one fact changed, the rest kept: the tests that place crashkernel elsewhere,
 * give RTAS another tree or the boot FDT an edit, put the machine under a hypervisor or on bare
 * metal, change its page size or MMU or give it crashkernel=SIZE,cma areas each wrote the whole
 * record out.
 */
public final class MachineEdits {
    private MachineEdits() {}

    /** {@code m} with crashkernel reserved at {@code ck}. */
    public static Ppc64Machine withCrashkernel(Ppc64Machine m, MemRange ck) {
        return edited(m, m.bootFdt(), m.liveTree(), ck, m.pageSize(), m.rmaSize(), m.lpar(), m.crashkernelCma());
    }

    /** {@code m} with the crashkernel=SIZE,cma areas {@code cma}, in that order. */
    public static Ppc64Machine withCrashkernelCma(Ppc64Machine m, List<MemRange> cma) {
        return edited(m, m.bootFdt(), m.liveTree(), crashkernelOf(m), m.pageSize(), m.rmaSize(), m.lpar(), cma);
    }

    /** {@code m} with {@code live} as its live tree. */
    public static Ppc64Machine withLiveTree(Ppc64Machine m, Fdt live) {
        return edited(m, m.bootFdt(), live, crashkernelOf(m), m.pageSize(), m.rmaSize(), m.lpar(), m.crashkernelCma());
    }

    /** {@code m} with {@code boot} as the FDT it booted with (same size: an edited copy of its own). */
    public static Ppc64Machine withBootFdt(Ppc64Machine m, Fdt boot) {
        return edited(m, boot, m.liveTree(), crashkernelOf(m), m.pageSize(), m.rmaSize(), m.lpar(), m.crashkernelCma());
    }

    /** {@code m} with the kernel's PAGE_SIZE {@code page} (a 64 KiB or a 4 KiB kernel on the same machine). */
    public static Ppc64Machine withPageSize(Ppc64Machine m, long page) {
        return edited(m, m.bootFdt(), m.liveTree(), crashkernelOf(m), page, m.rmaSize(), m.lpar(), m.crashkernelCma());
    }

    /** {@code m} with the hash MMU and a real-mode area of {@code rma} bytes. */
    public static Ppc64Machine withHashMmu(Ppc64Machine m, long rma) {
        return edited(m, m.bootFdt(), m.liveTree(), crashkernelOf(m), m.pageSize(), rma, m.lpar(), m.crashkernelCma());
    }

    /** {@code m} run as a partition under a hypervisor (lpar), the rest the same. */
    public static Ppc64Machine underAHypervisor(Ppc64Machine m) {
        return edited(
                m, m.bootFdt(), m.liveTree(), crashkernelOf(m), m.pageSize(), m.rmaSize(), true, m.crashkernelCma());
    }

    /** {@code m} run on bare metal (powernv: no hypervisor), the rest the same. */
    public static Ppc64Machine onBareMetal(Ppc64Machine m) {
        return edited(
                m, m.bootFdt(), m.liveTree(), crashkernelOf(m), m.pageSize(), m.rmaSize(), false, m.crashkernelCma());
    }

    private static MemRange crashkernelOf(Ppc64Machine m) {
        return m.reservedCrashkernel().orElse(null);
    }

    private static Ppc64Machine edited(
            Ppc64Machine m, Fdt boot, Fdt live, MemRange ck, long page, long rma, boolean lpar, List<MemRange> cma) {
        return new Ppc64Machine(
                m.source(),
                boot,
                m.bootFdtSize(),
                live,
                m.systemRam(),
                ck,
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                page,
                rma,
                m.bootFdtAddress(),
                lpar,
                m.threadsPerCore(),
                cma);
    }
}
