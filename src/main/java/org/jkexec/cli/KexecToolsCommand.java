package org.jkexec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jkexec.app.KexecService;
import org.jkexec.app.LoadService;
import org.jkexec.app.SyscallChoice;
import org.jkexec.kexec.CommandLines;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.kexec.Segment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * jkexec with kexec-tools' command line, for the scripts written for {@code /sbin/kexec}
 * (Debian's kdump-config, RHEL's kdumpctl, SUSE's kdump, systemctl kexec, petitboot). Runs when
 * jkexec is invoked as {@code kexec} or as {@code jkexec kexec ...}.
 *
 * <p>The options below are kexec-tools 2.0.29's for ppc64 (the release Debian 13 ships; 2.0.31
 * has the same table): kexec/kexec.h KEXEC_OPTIONS and KEXEC_OPT_STR, the ppc64
 * KEXEC_ALL_OPTIONS. The picocli model documents them (help, man page, completion); the scan is
 * {@link GetoptLong}, with the model's table written out ({@link #GETOPT}), because scripts rely on getopt_long's exact
 * behaviour; the scan's results act in order as kexec-tools' main() lets them. What each option
 * does here, and where jkexec departs, is docs/kexec-options.md.
 */
@Command(
        name = "kexec",
        version = "jkexec 0.1.0 (kexec-tools 2.0.29 command line)",
        sortOptions = false,
        description = "Load a kernel to kexec into (-l) or a kdump kernel (-p), unload (-u), reboot into it (-e), "
                + "with kexec-tools' options (ppc64). Silent on success, as kexec-tools.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done; with -S: the image asked about is NOT loaded",
            "1:a usage error (as kexec-tools), a refused option, or the load, unload or reboot failed; "
                    + "with -S: the image IS loaded",
            "2:a bad input file (a kernel, initrd or device tree jkexec cannot read or use)",
            "255:no kernel given, an unsupported -t type, or -S when the kernel does not say"
        })
final class KexecToolsCommand {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Print this help and exit.")
    boolean help;

    @Option(
            names = {"-v", "--version"},
            versionHelp = true,
            description = "Print the version and exit.")
    boolean version;

    @Option(
            names = {"-d", "--debug"},
            description = "Print the segments, the entry and the command line on stderr; "
                    + "kexec_file_load gets KEXEC_FILE_DEBUG.")
    boolean debug;

    @Option(
            names = {"-f", "--force"},
            description = "Load KERNEL and reboot into it at once (as -l, then -e).")
    boolean force;

    @Option(
            names = {"-i", "--no-checks"},
            description = "Accepted and ignored, as kexec-tools does on ppc64.")
    boolean noChecks;

    @Option(
            names = {"-x", "--no-ifdown"},
            description = "Accepted: jkexec never takes interfaces down.")
    boolean noIfdown;

    @Option(
            names = {"-y", "--no-sync"},
            description = "With -e or -f: do not sync file systems first.")
    boolean noSync;

    @Option(
            names = {"-l", "--load"},
            description = "Load KERNEL for a kexec reboot.")
    boolean load;

    @Option(
            names = {"-u", "--unload"},
            description = "Unload the kexec kernel (with -p: the kdump kernel).")
    boolean unload;

    @Option(
            names = {"-e", "--exec"},
            description = "Reboot now into the loaded kexec kernel.")
    boolean exec;

    @Option(names = "--exec-live-update", description = "Xen only: refused off Xen, as kexec-tools does.")
    boolean execLiveUpdate;

    @Option(names = "--load-preserve-context", description = "Refused: ppc64 kernels have no kexec jump.")
    boolean loadPreserveContext;

    @Option(names = "--load-jump-back-helper", description = "Refused: ppc64 kernels have no kexec jump.")
    boolean loadJumpBackHelper;

    @Option(names = "--load-live-update", description = "Xen only: refused off Xen, as kexec-tools does.")
    boolean loadLiveUpdate;

    @Option(names = "--entry", paramLabel = "ADDR", description = "Refused: the entry is jkexec's purgatory.")
    String entry;

    @Option(
            names = {"-t", "--type"},
            paramLabel = "TYPE",
            description = "elf-ppc64, the only ppc64 type; " + "any other is refused.")
    String type;

    @Option(
            names = {"-p", "--load-panic"},
            description = "Load KERNEL as the kdump (crash) kernel; " + "with -u or -S: that image.")
    boolean panic;

    @Option(names = "--mem-min", paramLabel = "ADDR", description = "Refused: jkexec places by the kernel's rules.")
    String memMin;

    @Option(names = "--mem-max", paramLabel = "ADDR", description = "Refused: jkexec places by the kernel's rules.")
    String memMax;

    @Option(names = "--reuseinitrd", description = "Refused: give the initrd with --initrd.")
    boolean reuseInitrd;

    @Option(
            names = {"-s", "--kexec-file-syscall"},
            description = "Use kexec_file_load(2) only.")
    boolean fileSyscall;

    @Option(
            names = {"-c", "--kexec-syscall"},
            description = "Use kexec_load(2) only (refused under lockdown).")
    boolean classicSyscall;

    @Option(
            names = {"-a", "--kexec-syscall-auto"},
            description = "kexec_file_load(2) first, kexec_load(2) where it " + "cannot (the default).")
    boolean autoSyscall;

    @Option(
            names = {"-S", "--status"},
            description = "Exit 1 if the image (kdump by default, -l: kexec) is loaded, " + "0 if not.")
    boolean status;

    @Option(names = "--print-ckr-size", description = "Print the crashkernel size in bytes and exit.")
    boolean printCkrSize;

    @Option(
            names = "--hotplug",
            description = "Let the kernel update the loaded kdump image on CPU and memory "
                    + "hotplug (jkexec asks for it anyway where the kernel can).")
    boolean hotplug;

    @Option(names = "--elf64-core-headers", description = "Accepted: ppc64 core headers are ELF64 anyway.")
    boolean elf64CoreHeaders;

    @Option(names = "--dt-no-old-root", description = "Accepted: jkexec never copies the old root= anyway.")
    boolean dtNoOldRoot;

    @Option(
            names = {"--command-line", "--append"},
            paramLabel = "STRING",
            description = "The new kernel's command line.")
    String append;

    @Option(
            names = {"--ramdisk", "--initrd"},
            paramLabel = "FILE",
            description = "The initrd.")
    Path initrd;

    @Option(
            names = {"--devicetreeblob", "--dtb"},
            paramLabel = "FILE",
            description = "With -l: the device tree to " + "start from (kexec_load); with -p refused.")
    Path dtb;

    @Option(names = "--args-linux", description = "Accepted and ignored, as kexec-tools does.")
    boolean argsLinux;

    @Option(
            names = "--reuse-cmdline",
            description = "Start from /proc/cmdline (without BOOT_IMAGE=; for -p without " + "crashkernel=).")
    boolean reuseCmdline;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "KERNEL",
            description = "A vmlinux, or one compressed with " + "gzip, xz, lzma or zstd.")
    Path kernel;

    /** Root of the machine (tests plan against a capture); / is the running machine. jkexec's own, spelled in full. */
    @Option(names = "--root", hidden = true)
    Path root;

    /** Plan and check, load nothing (tests; kexec-tools has no such option). */
    @Option(names = "--dry-run", hidden = true)
    boolean dryRun;

    /** kaslr-seed/rng-seed of the kdump FDT (tests: repeatable plans). */
    @Option(names = "--seed", hidden = true)
    String seed;

    /** The exit status of a kexec-tools usage error ({@code usage(); return 1;} in main()). */
    static final int USAGE = 1;
    /** kexec-tools' EFAILED (-1) as an exit status: no kernel given, an unknown type. */
    static final int FAILED = 255;

    /**
     * The getopt table: the options above in their order, each with whether it takes a value;
     * the hidden ones are jkexec's, matched in full only. Written out rather than read from the
     * picocli model, whose building (reflection over every annotation) costs more than
     * kexec-tools' whole load in a small or emulated guest where kdump-tools reloads at boot;
     * KexecToolsOptionsTest keeps it equal to the model's.
     */
    static final GetoptLong GETOPT = new GetoptTable()
            .flag("-h", "--help")
            .flag("-v", "--version")
            .flag("-d", "--debug")
            .flag("-f", "--force")
            .flag("-i", "--no-checks")
            .flag("-x", "--no-ifdown")
            .flag("-y", "--no-sync")
            .flag("-l", "--load")
            .flag("-u", "--unload")
            .flag("-e", "--exec")
            .flag("--exec-live-update")
            .flag("--load-preserve-context")
            .flag("--load-jump-back-helper")
            .flag("--load-live-update")
            .value("--entry")
            .value("-t", "--type")
            .flag("-p", "--load-panic")
            .value("--mem-min")
            .value("--mem-max")
            .flag("--reuseinitrd")
            .flag("-s", "--kexec-file-syscall")
            .flag("-c", "--kexec-syscall")
            .flag("-a", "--kexec-syscall-auto")
            .flag("-S", "--status")
            .flag("--print-ckr-size")
            .flag("--hotplug")
            .flag("--elf64-core-headers")
            .flag("--dt-no-old-root")
            .value("--command-line", "--append")
            .value("--ramdisk", "--initrd")
            .value("--devicetreeblob", "--dtb")
            .flag("--args-linux")
            .flag("--reuse-cmdline")
            .hiddenValue("--root")
            .hiddenFlag("--dry-run")
            .hiddenValue("--seed")
            .build();

    /** Builds {@link #GETOPT}: the id of an option is its longest name, as picocli's longestName(). */
    static final class GetoptTable {
        private final List<GetoptLong.LongOption> longs = new ArrayList<>();
        private final List<GetoptLong.ShortOption> shorts = new ArrayList<>();

        GetoptTable flag(String... names) {
            return add(GetoptLong.Arg.NONE, false, names);
        }

        GetoptTable value(String... names) {
            return add(GetoptLong.Arg.REQUIRED, false, names);
        }

        GetoptTable hiddenFlag(String name) {
            return add(GetoptLong.Arg.NONE, true, name);
        }

        GetoptTable hiddenValue(String name) {
            return add(GetoptLong.Arg.REQUIRED, true, name);
        }

        /** One option with its names in the order picocli keeps them. */
        GetoptTable add(GetoptLong.Arg arg, boolean hidden, String... names) {
            String id = names[0];
            for (String n : names) {
                if (n.length() > id.length()) {
                    id = n;
                }
            }
            for (String n : names) {
                if (n.startsWith("--")) {
                    longs.add(new GetoptLong.LongOption(n.substring(2), arg, id, hidden));
                } else {
                    shorts.add(new GetoptLong.ShortOption(n.charAt(1), arg, id));
                }
            }
            return this;
        }

        GetoptLong build() {
            // in KEXEC_OPT_STR: getopt returns '?' for it, which main() takes as a usage error
            shorts.add(new GetoptLong.ShortOption('?', GetoptLong.Arg.NONE, "-?"));
            return new GetoptLong(longs, shorts);
        }
    }

    /** The picocli model, built only for help and the version. */
    private static CommandLine model() {
        return new CommandLine(new KexecToolsCommand());
    }

    /** Runs kexec-tools' command line; returns the exit status. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        GetoptLong.Scan scan = GETOPT.scan(Arrays.asList(args));
        KexecToolsRequest r = new KexecToolsRequest();
        for (GetoptLong.Event e : scan.events()) {
            if (e.isError()) {
                err.println("kexec: " + e.error() + " (see: kexec --help)");
                return USAGE;
            }
            switch ((String) e.id()) {
                case "-?" -> {
                    model().usage(out);
                    return USAGE;
                }
                case "--help" -> {
                    model().usage(out);
                    return 0;
                }
                case "--version" -> {
                    out.println(model().getCommandSpec().version()[0]);
                    return 0;
                }
                case "--print-ckr-size" -> {
                    // as kexec-tools: printed when met, nothing after it is looked at
                    out.println(KexecService.forMachine(r.root).crashkernelSize());
                    return 0;
                }
                case "--exec-live-update" -> {
                    err.println("kexec: --exec-live-update only works under xen.");
                    return USAGE;
                }
                default -> {
                    Optional<String> bad = r.apply((String) e.id(), e.value());
                    if (bad.isPresent()) {
                        err.println("kexec: " + bad.get() + " (see: kexec --help)");
                        return USAGE;
                    }
                }
            }
        }
        r.operands = scan.operands();
        return r.execute(out, err);
    }

    /**
     * The state kexec-tools' main() builds from its options, in its variables' terms, and what
     * jkexec does with it.
     */
    static final class KexecToolsRequest {
        boolean hasOptLoad;
        boolean doLoad = true;
        boolean doExec;
        boolean doShutdown = true;
        boolean doSync = true;
        boolean skipSync;
        boolean doUnload;
        boolean doStatus;
        boolean debug;
        boolean hotplug;
        boolean jumpBackHelper;
        /** kexec_flags: KEXEC_ON_CRASH (-p) or another image kind that a later option replaced it by. */
        boolean crashFlag;
        /** kexec_file_flags' KEXEC_FILE_ON_CRASH: -p anywhere. */
        boolean fileOnCrash;

        String refused;
        SyscallChoice syscall = SyscallChoice.AUTO;
        String type;
        String append;
        Path initrd;
        Path dtb;
        boolean reuseCmdline;
        /** A loader option (kexec-tools' opt >= OPT_ARCH_MAX), which only a load may carry. */
        String loaderOption;

        Path root = Path.of("/");
        boolean dryRun;
        String seed = "random";
        /** -a, -s or -c given: the syscall is the user's choice, not the default's. */
        boolean syscallGiven;

        List<String> operands = List.of();

        private void chooseSyscall(SyscallChoice choice) {
            syscall = choice;
            syscallGiven = true;
        }

        /**
         * The syscall of a load. A seed given with --seed asks for jkexec's own plan (the kernel
         * chooses its seeds itself), so with no syscall option it is loaded with kexec_load as
         * jkexec load does, and with kexec_file_load only where lockdown forbids kexec_load.
         */
        SyscallChoice loadSyscall() {
            return !syscallGiven && !seed.equals("random") ? SyscallChoice.PLAN_FIRST : syscall;
        }

        /** One option, as main()'s switch takes it; a usage error is returned as its message. */
        Optional<String> apply(String id, String value) {
            switch (id) {
                case "--debug" -> debug = true;
                case "--no-ifdown", "--no-checks", "--elf64-core-headers", "--dt-no-old-root" -> {
                    // see docs/kexec-options.md: nothing to do on ppc64, or already jkexec's only way
                }
                case "--no-sync" -> skipSync = true;
                case "--force" -> {
                    doLoad = true;
                    doShutdown = false;
                    doSync = true;
                    doExec = true;
                }
                case "--load" -> {
                    hasOptLoad = true;
                    doLoad = true;
                    doExec = false;
                    doShutdown = false;
                }
                case "--unload" -> {
                    doLoad = false;
                    doShutdown = false;
                    doSync = false;
                    doUnload = true;
                }
                case "--exec" -> {
                    doLoad = false;
                    doShutdown = false;
                    doSync = true;
                    doExec = true;
                }
                case "--load-jump-back-helper", "--load-preserve-context" -> {
                    crashFlag = false;
                    jumpBackHelper = id.equals("--load-jump-back-helper");
                    doLoad = !jumpBackHelper;
                    doExec = false;
                    doShutdown = false;
                    refused = id + ": ppc64 kernels have no kexec jump (CONFIG_KEXEC_JUMP is x86 only); nothing loaded";
                }
                case "--load-live-update" -> {
                    doLoad = true;
                    doExec = false;
                    doShutdown = false;
                    refused = "--load-live-update can only be used with xen";
                }
                case "--entry", "--mem-min", "--mem-max" -> {
                    if (!StrtoulSyntax.valid(value)) {
                        return Optional.of("Bad option value in " + id + "=" + value);
                    }
                    refused = id + ": jkexec places the segments by the kernel's rules and enters its own purgatory;"
                            + " it takes no addresses";
                }
                case "--type" -> type = value;
                case "--load-panic" -> {
                    doLoad = true;
                    doExec = false;
                    doShutdown = false;
                    doSync = false;
                    fileOnCrash = true;
                    crashFlag = true;
                }
                case "--reuseinitrd" ->
                    refused = "--reuseinitrd: jkexec does not reuse the running kernel's initrd;"
                            + " give it with --initrd";
                case "--kexec-file-syscall" -> chooseSyscall(SyscallChoice.FILE_ONLY);
                case "--kexec-syscall" -> chooseSyscall(SyscallChoice.LOAD_ONLY);
                case "--kexec-syscall-auto" -> chooseSyscall(SyscallChoice.AUTO);
                case "--status" -> doStatus = true;
                case "--hotplug" -> hotplug = true;
                // loader options, which only a load may carry (no lambdas: each costs a first
                // linkage at boot)
                case "--command-line" -> append = loader(id, value);
                case "--ramdisk" -> initrd = Path.of(loader(id, value));
                case "--devicetreeblob" -> dtb = Path.of(loader(id, value));
                case "--args-linux" -> loader(id, value);
                case "--reuse-cmdline" -> {
                    loader(id, value);
                    reuseCmdline = true;
                }
                case "--root" -> root = Path.of(value);
                case "--dry-run" -> dryRun = true;
                case "--seed" -> seed = value;
                default -> throw new IllegalStateException("option without a rule: " + id);
            }
            return Optional.empty();
        }

        /** Notes a loader option; returns its value. */
        private String loader(String id, String value) {
            loaderOption = id;
            return value;
        }

        /** What main() does after its options, in its order. */
        int execute(PrintWriter out, PrintWriter err) {
            if (skipSync) {
                doSync = false;
            }
            if (doStatus) {
                // -S does nothing else
                doLoad = false;
                doUnload = false;
                doExec = false;
            }
            KexecService kexec = KexecService.forMachine(root);
            if (hotplug && !kexec.crashHotplugConfigured()) {
                err.println("kexec: Path /sys/kernel/crash_elfcorehdr_size does not exist, the kernel needs"
                        + " CONFIG_CRASH_HOTPLUG");
                return USAGE;
            }
            if (!doLoad && loaderOption != null) {
                // main()'s "check for bogus options": loader options go with a load only
                err.println("kexec: " + loaderOption + " goes with a load (-l, -p or -f), not with -u, -e or -S"
                        + " (see: kexec --help)");
                return USAGE;
            }
            if (doStatus) {
                return status();
            }
            if (refused != null && (doLoad || jumpBackHelper)) {
                // these options change a load only (the jump-back helper is a load of its own)
                err.println("kexec: " + refused);
                return USAGE;
            }
            if (doUnload) {
                SyscallChoice.Call call = fileOnCrash
                        ? LoadService.forMachine(root).unload(root, syscall, dryRun)
                        : kexec.unload(syscall, dryRun);
                if (debug) {
                    err.println("kexec: debug: unloaded the " + (fileOnCrash ? "kdump" : "kexec") + " kernel with "
                            + call + (dryRun ? " (dry run)" : ""));
                }
            }
            if (doLoad) {
                int loaded = load(kexec, err);
                if (loaded != 0) {
                    return loaded;
                }
            }
            if (doExec && !dryRun) {
                kexec.exec(doSync);
            }
            return 0;
        }

        private int load(KexecService kexec, PrintWriter err) {
            if (operands.isEmpty()) {
                err.println("kexec: No kernel specified (see: kexec --help)");
                return FAILED;
            }
            if (type != null && !type.equals("elf-ppc64")) {
                err.println("kexec: Unsupported kernel type " + type + " (ppc64 has elf-ppc64 only)");
                return FAILED;
            }
            if (doShutdown) {
                err.println("kexec: without -l, -p or -f kexec-tools loads and then runs shutdown -r now; jkexec does"
                        + " not shut the system down: load with -l, then reboot with systemctl kexec or kexec -e");
                return USAGE;
            }
            if (root.equals(Path.of("/")) && !kexec.onPpc64le()) {
                kexec.requireLoadableHost();
            }
            Path kernel = Path.of(operands.get(0));
            PlanOptions options = PlanningOptions.defaults(seed).options();
            if (crashFlag || fileOnCrash) {
                if (dtb != null) {
                    err.println("kexec: --dtb with -p: jkexec builds the kdump kernel's device tree from the running"
                            + " machine's and takes none; nothing loaded or unloaded");
                    return USAGE;
                }
                String cmdline = reuseCmdline
                        ? CommandLines.of(KexecService.runningCmdline(root), true, true, append)
                        : append == null ? "" : append;
                LoadService.Loaded l = LoadService.forMachine(root)
                        .load(root, kernel, initrd, cmdline, options, loadSyscall(), debug, dryRun);
                for (String n : l.notes()) {
                    err.println("kexec: note: " + n);
                }
                for (String w : l.warnings()) {
                    err.println("kexec: warning: " + w);
                }
                if (debug) {
                    debugCrash(l, cmdline, err);
                }
                return 0;
            }
            KexecService.LoadedKexec l = kexec.load(
                    root,
                    kernel,
                    initrd,
                    Optional.ofNullable(append),
                    reuseCmdline,
                    dtb,
                    options,
                    syscall,
                    debug,
                    dryRun);
            for (String n : l.notes()) {
                err.println("kexec: note: " + n);
            }
            if (debug) {
                debug(
                        l.call(),
                        l.kernel(),
                        l.planned() == null ? List.of() : l.planned().plan().segmentsByAddress(),
                        l.planned() == null ? 0 : l.planned().plan().entry(),
                        l.cmdline(),
                        err);
            }
            return 0;
        }

        private int status() {
            KexecService.Status s = KexecService.forMachine(root).status(root);
            // main(): -S asks about the crash image unless -l was given or another image kind set
            boolean crash = crashFlag || !hasOptLoad;
            Optional<Boolean> loaded =
                    crash ? s.kexec().crashLoaded() : s.kexec().kexecLoaded();
            return loaded.map(b -> b ? 1 : 0).orElse(FAILED);
        }

        private void debugCrash(LoadService.Loaded l, String cmdline, PrintWriter err) {
            debug(
                    l.call(),
                    l.kernel(),
                    l.segments(),
                    l.planned() == null ? 0 : l.planned().plan().entry(),
                    l.planned() == null ? cmdline : l.planned().plan().cmdline(),
                    err);
        }

        /** What kexec-tools' -d shows that matters: the call, the segments, the entry, the command line. */
        private void debug(
                SyscallChoice.Call call,
                org.jkexec.app.KernelImage k,
                List<Segment> segments,
                long entry,
                String cmdline,
                PrintWriter err) {
            err.println("kexec: debug: kernel " + k.file()
                    + (k.compression() == null
                            ? ""
                            : " (" + k.compression() + ", " + k.unpacked().length + " bytes decompressed)")
                    + (initrd != null ? ", initrd " + initrd : "") + ", " + call + (dryRun ? " (dry run)" : ""));
            if (call == SyscallChoice.Call.KEXEC_LOAD) {
                err.println(
                        "kexec: debug: nr_segments = " + segments.size() + ", entry = 0x" + Long.toHexString(entry));
                for (int i = 0; i < segments.size(); i++) {
                    Segment s = segments.get(i);
                    err.println("kexec: debug: segment[" + i + "] " + s.kind() + ": mem 0x" + Long.toHexString(s.mem())
                            + " memsz 0x" + Long.toHexString(s.memsz()) + " bufsz 0x"
                            + Long.toHexString(s.buffer().length));
                }
            }
            err.println("kexec: debug: command line: " + cmdline);
        }
    }

    /** strtoul(optarg, &end, 0) leaving *end at the string's end: what main() accepts for an address. */
    static final class StrtoulSyntax {
        private StrtoulSyntax() {}

        static boolean valid(String s) {
            int i = 0;
            while (i < s.length() && Character.isWhitespace(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            int start = i;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int radix = 10;
            if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
                if (i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
                    radix = 16;
                    i += 2;
                }
            } else if (s.startsWith("0", i)) {
                radix = 8;
            }
            int digits = i;
            while (i < s.length() && s.charAt(i) < 128 && Character.digit(s.charAt(i), radix) >= 0) {
                i++;
            }
            if (i == digits) {
                // no number: strtoul leaves end at the very start, so only the empty string passes
                return start == s.length() && s.isEmpty();
            }
            return i == s.length();
        }
    }
}
