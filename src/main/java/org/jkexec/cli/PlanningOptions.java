package org.jkexec.cli;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.jkexec.JkexecException;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.HoleFinder;

import picocli.CommandLine.Option;

/** How to plan: the options shared by plan, load, map and verify. */
final class PlanningOptions {
    @Option(names = "--hole-search", paramLabel = "KERNEL", defaultValue = "linux-6.12",
            description = "Placement to reproduce: linux-6.12 (default) or mainline.")
    String holeSearch;

    @Option(names = "--no-crash-hotplug", description = "Plan as a kernel without CONFIG_CRASH_HOTPLUG (packed FDT, no elfcorehdr slack).")
    boolean noCrashHotplug;

    @Option(names = "--seed", paramLabel = "HEX|random|none", defaultValue = "random",
            description = "kaslr-seed/rng-seed for the kdump FDT: random (default), none, or a hex string (repeatable plans).")
    String seed;

    PlanOptions options() {
        HoleFinder.Strategy s = switch (holeSearch) {
            case "linux-6.12", "6.12" -> HoleFinder.Strategy.KERNEL_6_12;
            case "mainline" -> HoleFinder.Strategy.MAINLINE;
            default -> throw new JkexecException("--hole-search: '" + holeSearch + "' is neither linux-6.12 nor mainline");
        };
        PlanOptions o = PlanOptions.linux612().withHoleSearch(s).withCrashHotplug(!noCrashHotplug);
        return switch (seed) {
            case "none" -> o.withSeeds(null, null);
            case "random" -> {
                SecureRandom r = new SecureRandom();
                byte[] rng = new byte[128];
                r.nextBytes(rng);
                yield o.withSeeds(r.nextLong(), rng);
            }
            default -> {
                byte[] b;
                try {
                    b = HexFormat.of().parseHex(seed);
                } catch (IllegalArgumentException e) {
                    throw new JkexecException("--seed: '" + seed + "' is not random, none or hex digits");
                }
                yield o.withSeeds(seedLong(b), seedBytes(b));
            }
        };
    }

    private static long seedLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b.length == 0 ? 0 : b[i % b.length] & 0xff);
        }
        return v;
    }

    private static byte[] seedBytes(byte[] b) {
        byte[] out = new byte[128];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.length == 0 ? 0 : b[i % b.length];
        }
        return out;
    }

}
