package org.jkexec.fdt;

/** Test trees shared by tests and benchmarks. */
public final class FdtBenchmarkTrees {
    private FdtBenchmarkTrees() {}

    /** About 1 MB: 4000 nodes of 12 properties, names from a pool of 300. */
    public static Fdt megabyteTree() {
        return FdtLargeTreeTest.bigTree();
    }
}
