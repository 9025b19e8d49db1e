package org.jkexec.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.jkexec.JkexecException;
import org.jkexec.app.KexecService;
import org.jkexec.app.LoadService;
import org.jkexec.kexec.CommandLines;
import org.jkexec.linux.KexecLoader;
import org.jkexec.linux.KexecStatus;
import org.jkexec.linux.KexecSystemFiles;
import org.jkexec.linux.LinuxArch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * jkexec with kexec-tools' command line, for scripts written for {@code /sbin/kexec}: Debian's
 * kdump-config ({@code kexec -p [-s] --args-linux ARGS --command-line="..." --initrd=I K},
 * {@code kexec -p -u}) and RHEL's kdumpctl ({@code kexec -d -p --dt-no-old-root
 * --command-line=... --initrd=I K}). Runs when jkexec is invoked as {@code kexec} or as
 * {@code jkexec kexec ...}.
 *
 * <p>As kexec-tools: silent on success; the exit status is what those scripts read (0 done,
 * non-zero failed); {@code -S} exits 1 when the image asked about is loaded and 0 when not.
 * Options that change nothing for a ppc64 ELF kernel ({@code --args-linux}, {@code -d},
 * {@code --dt-no-old-root}, {@code -c}, {@code -i}, {@code -x}) are accepted and ignored.
 */
@Command(name = "kexec", mixinStandardHelpOptions = true, version = "jkexec 0.1.0 (kexec-tools command line)",
        description = "Load a kernel to kexec into (-l) or a kdump kernel (-p), unload (-u), reboot into it (-e), "
                + "with kexec-tools' options.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done; with -S: the image asked about is NOT loaded",
            "1:the load, unload or reboot failed; with -S: the image IS loaded",
            "2:bad command line or input file"})
final class KexecToolsCommand implements Callable<Integer> {
    @Option(names = {"-l", "--load"}, description = "Load KERNEL for a kexec reboot (the default image).")
    boolean load;

    @Option(names = {"-p", "--load-panic"}, description = "Load KERNEL as the kdump (crash) kernel; with -u or -S: that image.")
    boolean panic;

    @Option(names = {"-u", "--unload"}, description = "Unload the kexec kernel (with -p: the kdump kernel).")
    boolean unload;

    @Option(names = {"-e", "--exec"}, description = "Reboot now into the loaded kexec kernel.")
    boolean exec;

    @Option(names = {"-f", "--force"}, description = "Load KERNEL and reboot into it at once (-l then -e).")
    boolean force;

    @Option(names = {"-S", "--status"}, description = "Exit 1 if the image (kdump by default, -l: kexec) is loaded, 0 if not.")
    boolean status;

    @Option(names = {"-s", "--kexec-file-syscall"}, description = "Use kexec_file_load(2).")
    boolean fileSyscall;

    @Option(names = {"-c", "--kexec-syscall"}, description = "Use kexec_load(2) (the default).")
    boolean classicSyscall;

    @Option(names = {"-a", "--kexec-syscall-auto"}, description = "Accepted: jkexec uses kexec_load(2) unless -s is given.")
    boolean autoSyscall;

    @Option(names = {"--initrd", "--ramdisk"}, paramLabel = "FILE")
    Path initrd;

    @Option(names = {"--append", "--command-line"}, paramLabel = "STRING")
    String append;

    @Option(names = "--reuse-cmdline", description = "Start from /proc/cmdline (without BOOT_IMAGE=, for -p without crashkernel=).")
    boolean reuseCmdline;

    @Option(names = "--dtb", paramLabel = "FILE", description = "With -l: the device tree to start from instead of the boot FDT.")
    Path dtb;

    @Option(names = {"-d", "--debug"}, hidden = true)
    boolean debug;

    @Option(names = {"--args-linux", "--dt-no-old-root", "-i", "--no-checks", "-x", "--no-ifdown"}, hidden = true)
    boolean ignored;

    @Option(names = {"-y", "--no-sync"}, description = "With -e: do not sync file systems first.", hidden = true)
    boolean noSync;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KERNEL")
    Path kernel;

    /** Root of the machine (tests plan against a capture); / is the running machine. */
    @Option(names = "--root", defaultValue = "/", hidden = true)
    Path root;

    /** Plan and check, load nothing (tests; kexec-tools has no such option). */
    @Option(names = "--dry-run", hidden = true)
    boolean dryRun;

    @Mixin
    PlanningOptions planning;

    @Override
    public Integer call() {
        KexecLoader loader = root.equals(Path.of("/")) ? KexecLoader.forThisMachine()
                : new KexecLoader(org.jkexec.linux.KexecSyscalls::system, new KexecSystemFiles(root), LinuxArch.host());
        if (status) {
            KexecStatus s = loader.status();
            boolean loaded = panic ? s.crashLoaded().orElse(false) : load ? s.kexecLoaded().orElse(false)
                    : s.crashLoaded().orElse(false);
            return loaded ? 1 : 0;
        }
        if (unload) {
            if (panic) {
                if (fileSyscall) {
                    loader.unloadCrashFile();
                } else {
                    loader.unloadCrash();
                }
            } else {
                new KexecService(loader).unload(fileSyscall);
            }
            return 0;
        }
        if (exec && kernel == null && !force) {
            new KexecService(loader).exec();
            return 0;
        }
        if (kernel == null) {
            throw JkexecException.badInput("kexec", "no kernel given (kexec -l|-p KERNEL, or -u, -e, -S)");
        }
        if (!panic && !load && !force) {
            throw JkexecException.badInput("kexec", "give -l (load for a kexec reboot), -p (load a kdump kernel) or -f;"
                    + " jkexec does not shut the system down itself");
        }
        if (root.equals(Path.of("/")) && !fileSyscall && !dryRun && !loader.onPpc64le()) {
            throw new JkexecException(KexecLoader.notPpc64leMessage());
        }
        if (panic) {
            loadCrash(loader);
        } else {
            loadRegular(loader);
            if ((force || exec) && !dryRun) {
                new KexecService(loader).exec();
            }
        }
        return 0;
    }

    private void loadCrash(KexecLoader loader) {
        String cmdline = reuseCmdline ? CommandLines.of(KexecService.runningCmdline(root), true, true, append)
                : append == null ? "" : append;
        LoadService service = new LoadService(loader);
        if (fileSyscall) {
            service.loadWithKernel(root, kernel, Optional.ofNullable(initrd), cmdline, planning.options(), dryRun);
        } else {
            service.load(root, kernel, initrd, cmdline, planning.options(), dryRun);
        }
    }

    private void loadRegular(KexecLoader loader) {
        KexecService service = new KexecService(loader);
        if (fileSyscall) {
            String cmdline = CommandLines.of(reuseCmdline ? KexecService.runningCmdline(root) : "", reuseCmdline, false,
                    append);
            service.loadWithKernel(kernel, Optional.ofNullable(initrd), cmdline, dryRun);
        } else {
            service.load(root, kernel, initrd, Optional.ofNullable(append), reuseCmdline, dtb, planning.options(), dryRun);
        }
    }
}
