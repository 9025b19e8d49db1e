package org.jkexec.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code jkexec load}'s command line read without picocli, when it holds only the plain forms a
 * script writes: every option spelled in full, once, with its value after '=' or in the next
 * word, and at most one KERNEL. picocli builds a command's model by reflection over its
 * annotations, which costs more than kexec-tools' whole load in a small or emulated guest, where
 * {@code jkexec load -p} runs at boot. Any other line (help, a repeated or unknown option,
 * bundled short options, an {@code @file}, "--", a value that starts with '-', an empty value)
 * is left to picocli, which reads it as before, its errors included. LoadLineTest keeps this
 * reading equal to picocli's on the lines it takes, and its option names equal to the model's.
 */
final class LoadLine {
    private LoadLine() {}

    /** The command {@code args} (args[0] is "load") asks for, or null: picocli must read it. */
    static LoadCommand parse(String[] args) {
        LoadCommand c = new LoadCommand();
        PlanningOptions p = PlanningOptions.defaults("random");
        c.planning = p;
        c.root = Path.of("/");
        // one bit per option id below: picocli refuses an option given twice
        int seen = 0;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@') {
                return null;
            }
            if (a.charAt(0) != '-') {
                if (c.kernelArg != null || (c.kernelArg = path(a)) == null) {
                    return null;
                }
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            int id = id(name);
            if (id < 0 || (seen & (1 << id)) != 0) {
                return null;
            }
            seen |= 1 << id;
            if (id <= DRY_RUN) {
                if (value != null) {
                    return null;
                }
                switch (id) {
                    case CRASH -> c.crash = true;
                    case REGULAR -> c.regular = true;
                    case REUSE_CMDLINE -> c.reuseCmdline = true;
                    case FILE -> c.file = true;
                    case NO_CRASH_HOTPLUG -> p.noCrashHotplug = true;
                    default -> c.dryRun = true;
                }
                continue;
            }
            if (value == null) {
                if (i + 1 == args.length) {
                    return null;
                }
                value = args[++i];
                if (value.startsWith("-") || value.startsWith("@")) {
                    return null;
                }
            }
            if (value.isEmpty()) {
                return null;
            }
            Path file = id <= ROOT ? path(value) : null;
            switch (id) {
                case KERNEL -> c.kernel = file;
                case INITRD -> c.initrd = file;
                case DTB -> c.dtb = file;
                case ROOT -> c.root = file;
                case APPEND -> c.append = value;
                case HOLE_SEARCH -> p.holeSearch = value;
                case PLACEMENT -> p.placement = value;
                case FDT_SIZE -> p.fdtSize = value;
                default -> p.seed = value;
            }
            if (id <= ROOT && file == null) {
                return null;
            }
        }
        return c;
    }

    // the options without a value first (see parse)
    static final int CRASH = 0;
    static final int REGULAR = 1;
    static final int REUSE_CMDLINE = 2;
    static final int FILE = 3;
    static final int NO_CRASH_HOTPLUG = 4;
    static final int DRY_RUN = 5;
    // then those whose value is a file
    static final int KERNEL = 6;
    static final int INITRD = 7;
    static final int DTB = 8;
    static final int ROOT = 9;
    static final int APPEND = 10;
    static final int HOLE_SEARCH = 11;
    static final int PLACEMENT = 12;
    static final int FDT_SIZE = 13;
    static final int SEED = 14;

    /** The option a name means (LoadCommand's and PlanningOptions' names), or -1. */
    static int id(String name) {
        return switch (name) {
            case "-p", "--load-panic", "--crash" -> CRASH;
            case "-l", "--load" -> REGULAR;
            case "--reuse-cmdline" -> REUSE_CMDLINE;
            case "--file", "-s" -> FILE;
            case "--no-crash-hotplug" -> NO_CRASH_HOTPLUG;
            case "--dry-run" -> DRY_RUN;
            case "--kernel", "-k" -> KERNEL;
            case "--initrd", "--ramdisk" -> INITRD;
            case "--append", "--command-line" -> APPEND;
            case "--dtb" -> DTB;
            case "--root" -> ROOT;
            case "--hole-search" -> HOLE_SEARCH;
            case "--placement" -> PLACEMENT;
            case "--fdt-size" -> FDT_SIZE;
            case "--seed" -> SEED;
            default -> -1;
        };
    }

    /** picocli's reading of a Path, or null where it would fail (it then says why). */
    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
