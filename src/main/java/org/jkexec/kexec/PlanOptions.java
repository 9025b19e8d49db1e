package org.jkexec.kexec;

import org.jkexec.memory.HoleFinder;

/**
 * How to plan: which kernel's behaviour to reproduce where kernels differ.
 *
 * @param holeSearch            placement algorithm (Linux 6.12's by default: the references show it)
 * @param crashHotplug          CONFIG_CRASH_HOTPLUG behaviour: elfcorehdr slack, unpacked FDT with
 *                              room for possible CPUs (on in the 6.12 reference kernel)
 * @param memoryHotplug         CONFIG_MEMORY_HOTPLUG (the elfcorehdr slack needs both)
 * @param crashMaxMemoryRanges  CONFIG_CRASH_MAX_MEMORY_RANGES
 * @param kaslrSeed             value for /chosen/kaslr-seed, or null to omit (kernel with no RNG)
 * @param rngSeed               128 bytes for /chosen/rng-seed, or null to omit
 * @param fdtSizing             how large the kdump FDT's buffer is
 * @param placement             jkexec's placement (the kernel's, departing only where the kdump
 *                              kernel could not boot from it) or the kernel's alone
 */
public record PlanOptions(
        HoleFinder.Strategy holeSearch,
        boolean crashHotplug,
        boolean memoryHotplug,
        int crashMaxMemoryRanges,
        Long kaslrSeed,
        byte[] rngSeed,
        FdtSizing fdtSizing,
        Placement placement) {

    /**
     * The kdump FDT's buffer. The kernel allocates an estimate (boot FDT size plus budgets for
     * what it adds); on very large machines the estimate can fall short of what the edited tree
     * needs, and the kernel's load then fails.
     */
    public enum FdtSizing {
        /**
         * jkexec's own loads: the kernel's estimate wherever it suffices (so the blob is the
         * kernel's, byte for byte), else exactly what the tree needs plus the crash-hotplug
         * room for possible CPUs.
         */
        FIT,
        /** What kexec_file_load does: the estimate, and a load that fails when it is short. */
        KERNEL_ESTIMATE
    }

    /** Whose placement rules apply. */
    public enum Placement {
        /** The kernel's plan wherever its kdump kernel boots; an enlarged backup region where it would not. */
        JKEXEC,
        /** Exactly what kexec_file_load would do, a plan that cannot boot included (reported, never loaded). */
        KERNEL
    }

    public PlanOptions(
            HoleFinder.Strategy holeSearch,
            boolean crashHotplug,
            boolean memoryHotplug,
            int crashMaxMemoryRanges,
            Long kaslrSeed,
            byte[] rngSeed,
            FdtSizing fdtSizing) {
        this(
                holeSearch,
                crashHotplug,
                memoryHotplug,
                crashMaxMemoryRanges,
                kaslrSeed,
                rngSeed,
                fdtSizing,
                Placement.JKEXEC);
    }

    public static final int DEFAULT_CRASH_MAX_MEMORY_RANGES = 8192;

    /** Linux 6.12 as built for the references (crash and memory hotplug on), no seeds. */
    public static PlanOptions linux612() {
        return new PlanOptions(
                HoleFinder.Strategy.KERNEL_6_12,
                true,
                true,
                DEFAULT_CRASH_MAX_MEMORY_RANGES,
                null,
                null,
                FdtSizing.FIT,
                Placement.JKEXEC);
    }

    public PlanOptions withHoleSearch(HoleFinder.Strategy s) {
        return new PlanOptions(
                s, crashHotplug, memoryHotplug, crashMaxMemoryRanges, kaslrSeed, rngSeed, fdtSizing, placement);
    }

    public PlanOptions withCrashHotplug(boolean on) {
        return new PlanOptions(
                holeSearch, on, memoryHotplug, crashMaxMemoryRanges, kaslrSeed, rngSeed, fdtSizing, placement);
    }

    public PlanOptions withSeeds(Long kaslr, byte[] rng) {
        return new PlanOptions(
                holeSearch, crashHotplug, memoryHotplug, crashMaxMemoryRanges, kaslr, rng, fdtSizing, placement);
    }

    public PlanOptions withFdtSizing(FdtSizing sizing) {
        return new PlanOptions(
                holeSearch, crashHotplug, memoryHotplug, crashMaxMemoryRanges, kaslrSeed, rngSeed, sizing, placement);
    }

    public PlanOptions withPlacement(Placement p) {
        return new PlanOptions(
                holeSearch, crashHotplug, memoryHotplug, crashMaxMemoryRanges, kaslrSeed, rngSeed, fdtSizing, p);
    }
}
