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
 */
public record PlanOptions(HoleFinder.Strategy holeSearch, boolean crashHotplug, boolean memoryHotplug,
        int crashMaxMemoryRanges, Long kaslrSeed, byte[] rngSeed) {

    public static final int DEFAULT_CRASH_MAX_MEMORY_RANGES = 8192;

    /** Linux 6.12 as built for the references (crash and memory hotplug on), no seeds. */
    public static PlanOptions linux612() {
        return new PlanOptions(HoleFinder.Strategy.KERNEL_6_12, true, true, DEFAULT_CRASH_MAX_MEMORY_RANGES, null, null);
    }

    public PlanOptions withHoleSearch(HoleFinder.Strategy s) {
        return new PlanOptions(s, crashHotplug, memoryHotplug, crashMaxMemoryRanges, kaslrSeed, rngSeed);
    }

    public PlanOptions withCrashHotplug(boolean on) {
        return new PlanOptions(holeSearch, on, memoryHotplug, crashMaxMemoryRanges, kaslrSeed, rngSeed);
    }

    public PlanOptions withSeeds(Long kaslr, byte[] rng) {
        return new PlanOptions(holeSearch, crashHotplug, memoryHotplug, crashMaxMemoryRanges, kaslr, rng);
    }
}
