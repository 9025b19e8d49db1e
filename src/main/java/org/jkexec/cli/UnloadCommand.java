package org.jkexec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkexec.app.KexecService;
import org.jkexec.app.LoadService;
import org.jkexec.app.SyscallChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jkexec unload -p} unloads the kdump kernel, {@code jkexec unload} the kexec image (as kexec -u does). */
@Command(
        name = "unload",
        mixinStandardHelpOptions = true,
        description = "Unload the kdump (crash) kernel with -p, else the kernel loaded for a kexec reboot.")
final class UnloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-p", "--load-panic", "--crash"},
            description = "Unload the kdump kernel.")
    boolean crash;

    @Option(
            names = {"-l", "--load"},
            description = "Unload the kexec image (the default).")
    boolean regular;

    @Option(
            names = {"--file", "-s"},
            description = "Unload through kexec_file_load(2) (without it, only under lockdown).")
    boolean file;

    @Option(names = "--root", defaultValue = "/", hidden = true)
    Path root;

    @Option(names = "--dry-run", hidden = true)
    boolean dryRun;

    @Override
    public Integer call() {
        KexecService kexec = KexecService.forMachine(root);
        if (root.equals(Path.of("/")) && !kexec.onPpc64le()) {
            kexec.requireLoadableHost();
        }
        SyscallChoice choice = file ? SyscallChoice.FILE_ONLY : SyscallChoice.PLAN_FIRST;
        SyscallChoice.Call call =
                crash ? LoadService.forMachine(root).unload(root, choice, dryRun) : kexec.unload(choice, dryRun);
        spec.commandLine()
                .getOut()
                .println((crash ? "kdump kernel unloaded" : "kexec kernel unloaded") + " with " + call
                        + (dryRun ? " (dry run: nothing unloaded)" : ""));
        return 0;
    }
}
