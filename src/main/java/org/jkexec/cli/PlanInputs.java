package org.jkexec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.elf.ElfFile;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.memory.HoleFinder;
import org.jkexec.ppc64.Ppc64KdumpPlanner;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.purgatory.Purgatories;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that plans shares: which machine, which kernel, how to plan. */
final class PlanInputs {
    /** A kernel larger than this is refused before reading (no vmlinux is 2 GiB). */
    static final long MAX_KERNEL = 1L << 31;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CAPTURE",
            description = "Machine capture directory (default: / , the running machine).")
    Path capture;

    @Option(names = {"--kernel", "-k"}, paramLabel = "FILE", description = "kdump kernel (ELF vmlinux).")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "initrd for the kdump kernel.")
    Path initrd;

    @Option(names = {"--append", "--command-line"}, paramLabel = "ARGS",
            description = "kdump kernel command line (elfcorehdr= is prepended).")
    String append;

    @Option(names = "--hole-search", paramLabel = "KERNEL", defaultValue = "linux-6.12",
            description = "Placement to reproduce: linux-6.12 (default) or mainline.")
    String holeSearch;

    @Option(names = "--no-crash-hotplug", description = "Plan as a kernel without CONFIG_CRASH_HOTPLUG (packed FDT, no elfcorehdr slack).")
    boolean noCrashHotplug;

    @Option(names = "--seed", paramLabel = "HEX|random|none", defaultValue = "random",
            description = "kaslr-seed/rng-seed for the kdump FDT: random (default), none, or a hex string (repeatable plans).")
    String seed;

    record Planned(Ppc64Machine machine, KdumpPlan plan) {
    }

    Planned plan() {
        Path root = capture != null ? capture : Path.of("/");
        Ppc64Machine machine = MachineCapture.read(root);
        Map<String, String> recorded = recordedRequest(root);
        Path k = kernel != null ? kernel : recorded.containsKey("kernel") ? root.resolve("kdump").resolve(recorded.get("kernel")) : null;
        if (k == null) {
            throw new JkexecException("no kdump kernel given: use --kernel FILE");
        }
        Path i = initrd != null ? initrd : recorded.containsKey("initrd") ? root.resolve("kdump").resolve(recorded.get("initrd")) : null;
        String cmd = append != null ? append : recorded.getOrDefault("append", "");
        ElfFile elf = ElfFile.parse(read(k), k.toString());
        KdumpRequest req = new KdumpRequest(elf, i == null ? null : read(i), cmd);
        return new Planned(machine, new Ppc64KdumpPlanner(Purgatories.standard()).plan(machine, req, options()));
    }

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

    /** kdump/request of a capture: the kernel, initrd and command line that were loaded when it was made. */
    static Map<String, String> recordedRequest(Path root) {
        Map<String, String> out = new LinkedHashMap<>();
        Path p = root.resolve("kdump/request");
        if (!Files.isRegularFile(p)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(p)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            throw JkexecException.badInput(p, "cannot read: " + e.getMessage());
        }
        return out;
    }

    static byte[] read(Path p) {
        try {
            long size = Files.size(p);
            if (size > MAX_KERNEL) {
                throw JkexecException.badInput(p, "is " + size + " bytes: too large for a kernel or initrd");
            }
            return Files.readAllBytes(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw JkexecException.badInput(p, "no such file");
        } catch (IOException e) {
            throw JkexecException.badInput(p, "cannot read: " + e.getMessage());
        }
    }
}
