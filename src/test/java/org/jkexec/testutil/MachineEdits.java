package org.jkexec.testutil;

import java.util.List;
import org.jkexec.fdt.Fdt;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64Machine;

/**
 * A machine with one fact changed, the rest kept: the tests that place crashkernel elsewhere,
 * give RTAS another tree, put the machine under a hypervisor or give it crashkernel=SIZE,cma
 * areas each wrote the whole record out.
 */
public final class MachineEdits {
    private MachineEdits() {}

    /** {@code m} with crashkernel reserved at {@code ck}. */
    public static Ppc64Machine withCrashkernel(Ppc64Machine m, MemRange ck) {
        return copy(m, ck, m.liveTree(), m.lpar(), m.crashkernelCma());
    }

    /** {@code m} with the crashkernel=SIZE,cma areas {@code cma}, in that order. */
    public static Ppc64Machine withCrashkernelCma(Ppc64Machine m, List<MemRange> cma) {
        return copy(m, m.reservedCrashkernel().orElse(null), m.liveTree(), m.lpar(), cma);
    }

    /** {@code m} with {@code live} as its live tree. */
    public static Ppc64Machine withLiveTree(Ppc64Machine m, Fdt live) {
        return copy(m, m.reservedCrashkernel().orElse(null), live, m.lpar(), m.crashkernelCma());
    }

    /** {@code m} run as a partition under a hypervisor (lpar), the rest the same. */
    public static Ppc64Machine underAHypervisor(Ppc64Machine m) {
        return copy(m, m.reservedCrashkernel().orElse(null), m.liveTree(), true, m.crashkernelCma());
    }

    private static Ppc64Machine copy(Ppc64Machine m, MemRange ck, Fdt live, boolean lpar, List<MemRange> cma) {
        return new Ppc64Machine(
                m.source(),
                m.bootFdt(),
                m.bootFdtSize(),
                live,
                m.systemRam(),
                ck,
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                m.rmaSize(),
                m.bootFdtAddress(),
                lpar,
                m.threadsPerCore(),
                cma);
    }
}
