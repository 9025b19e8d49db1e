package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;

/** The CPU nodes of a tree and their hardware threads. */
public final class CpuNodes {
    private CpuNodes() {}

    public static boolean isCpu(FdtNode n) {
        return "cpu".equals(n.string("device_type").orElse(null));
    }

    /** Nodes with device_type "cpu", in tree order (the kernel's for_each_node_by_type). */
    public static List<FdtNode> of(Fdt tree) {
        List<FdtNode> out = new ArrayList<>();
        for (FdtNode n : tree.root().descendants()) {
            if (isCpu(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Hardware threads of one CPU node: its ibm,ppc-interrupt-server#s entries, at least one. */
    public static int threads(FdtNode cpu) {
        return Math.max(
                1,
                cpu.value("ibm,ppc-interrupt-server#s").map(v -> v.length / 4).orElse(1));
    }

    /** Threads of every CPU node together. */
    public static int totalThreads(Fdt tree) {
        return of(tree).stream().mapToInt(CpuNodes::threads).sum();
    }

    /** SMT threads per core: those of the first CPU node (1 without CPU nodes). */
    public static int threadsPerCore(Fdt tree) {
        List<FdtNode> cpus = of(tree);
        return cpus.isEmpty() ? 1 : threads(cpus.get(0));
    }
}
