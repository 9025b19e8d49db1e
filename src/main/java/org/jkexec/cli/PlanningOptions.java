package org.jkexec.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.HoleFinder;
import picocli.CommandLine.Option;

/** How to plan: the options shared by plan, load, map and verify. */
final class PlanningOptions {
    // the values bash completion offers (picocli reads them from these classes); options() accepts them
    static final class HoleSearches extends ArrayList<String> {
        HoleSearches() {
            super(List.of("linux-6.12", "mainline"));
        }
    }

    static final class Placements extends ArrayList<String> {
        Placements() {
            super(List.of("jkexec", "kernel"));
        }
    }

    static final class FdtSizes extends ArrayList<String> {
        FdtSizes() {
            super(List.of("fit", "linux-6.12"));
        }
    }

    @Option(
            names = "--hole-search",
            paramLabel = "KERNEL",
            defaultValue = "linux-6.12",
            completionCandidates = HoleSearches.class,
            description = "Placement to reproduce: linux-6.12 (default) or mainline.")
    String holeSearch;

    @Option(
            names = "--placement",
            paramLabel = "jkexec|kernel",
            defaultValue = "jkexec",
            completionCandidates = Placements.class,
            description =
                    "jkexec (default): the kernel's placement wherever its kdump kernel boots, an enlarged backup "
                            + "region where it would not; kernel: exactly the kernel's, a plan that cannot boot reported (never loaded).")
    String placement;

    @Option(
            names = "--no-crash-hotplug",
            description = "Plan as a kernel without CONFIG_CRASH_HOTPLUG (packed FDT, no elfcorehdr slack).")
    boolean noCrashHotplug;

    @Option(
            names = "--fdt-size",
            paramLabel = "fit|linux-6.12",
            defaultValue = "fit",
            completionCandidates = FdtSizes.class,
            description =
                    "kdump FDT buffer: the kernel's estimate, or what the tree needs where that estimate is short "
                            + "(fit, default); linux-6.12 fails where the kernel's kexec_file_load would.")
    String fdtSize = "fit";

    @Option(
            names = "--seed",
            paramLabel = "HEX|random|none",
            defaultValue = "random",
            description =
                    "kaslr-seed/rng-seed for the kdump FDT: random (default), none, or a hex string (repeatable plans).")
    String seed;

    /** The defaults picocli fills in, with {@code seed}: for the kexec personality, which takes no planning options. */
    static PlanningOptions defaults(String seed) {
        PlanningOptions o = new PlanningOptions();
        o.holeSearch = "linux-6.12";
        o.placement = "jkexec";
        o.fdtSize = "fit";
        o.seed = seed;
        return o;
    }

    PlanOptions options() {
        HoleFinder.Strategy s = switch (holeSearch) {
            case "linux-6.12", "6.12" -> HoleFinder.Strategy.KERNEL_6_12;
            case "mainline" -> HoleFinder.Strategy.MAINLINE;
            default ->
                throw JkexecException.usage("--hole-search: '" + holeSearch + "' is neither linux-6.12 nor mainline");
        };
        PlanOptions.FdtSizing sizing = switch (fdtSize) {
            case "fit" -> PlanOptions.FdtSizing.FIT;
            case "linux-6.12", "6.12" -> PlanOptions.FdtSizing.KERNEL_ESTIMATE;
            default -> throw JkexecException.usage("--fdt-size: '" + fdtSize + "' is neither fit nor linux-6.12");
        };
        PlanOptions o = PlanOptions.linux612()
                .withHoleSearch(s)
                .withCrashHotplug(!noCrashHotplug)
                .withFdtSizing(sizing)
                .withPlacement(placement(placement));
        return switch (seed) {
            case "none" -> o.withSeeds(null, null);
            case "random" -> {
                byte[] r = randomBytes(8 + 128);
                yield o.withSeeds(seedLong(r), Arrays.copyOfRange(r, 8, r.length));
            }
            default -> {
                byte[] b;
                try {
                    b = HexFormat.of().parseHex(seed);
                } catch (IllegalArgumentException e) {
                    throw JkexecException.usage("--seed: '" + seed + "' is not random, none or hex digits");
                }
                if (b.length == 0) {
                    // an empty seed would be all zero bytes: not what someone asking for a seed meant
                    throw JkexecException.usage("--seed: empty: give random, none or at least one byte of hex digits");
                }
                yield o.withSeeds(seedLong(b), seedBytes(b));
            }
        };
    }

    static PlanOptions.Placement placement(String p) {
        return switch (p == null ? "jkexec" : p) {
            case "jkexec" -> PlanOptions.Placement.JKEXEC;
            case "kernel" -> PlanOptions.Placement.KERNEL;
            default -> throw JkexecException.usage("--placement: '" + p + "' is neither jkexec nor kernel");
        };
    }

    /**
     * Random bytes from /dev/urandom, what the kernel's own seeds come from. SecureRandom is the
     * fallback only: setting up the security providers costs a fifth of a second when
     * {@code jkexec load} runs at boot in a small guest.
     */
    static byte[] randomBytes(int n) {
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            byte[] b = in.readNBytes(n);
            if (b.length == n) {
                return b;
            }
        } catch (IOException e) {
            // no /dev/urandom (not Linux): fall through
        }
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
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
