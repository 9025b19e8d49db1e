package org.jkexec.cli;

import java.util.concurrent.Callable;

import org.jkexec.app.KexecService;
import org.jkexec.linux.KexecLoader;
import org.jkexec.linux.LoadRecord;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jkexec unload -p} unloads the kdump kernel, {@code jkexec unload} the kexec image (as kexec -u does). */
@Command(name = "unload", mixinStandardHelpOptions = true,
        description = "Unload the kdump (crash) kernel with -p, else the kernel loaded for a kexec reboot.")
final class UnloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--load-panic", "--crash"}, description = "Unload the kdump kernel.")
    boolean crash;

    @Option(names = {"-l", "--load"}, description = "Unload the kexec image (the default).")
    boolean regular;

    @Option(names = {"--file", "-s"}, description = "Unload through kexec_file_load(2).")
    boolean file;

    @Override
    public Integer call() {
        KexecLoader loader = KexecLoader.forThisMachine();
        if (crash) {
            if (file) {
                loader.unloadCrashFile();
            } else {
                loader.unloadCrash();
            }
        } else {
            new KexecService(loader).unload(file);
        }
        if (crash) {
            LoadRecord.live().remove();
        }
        spec.commandLine().getOut().println(crash ? "kdump kernel unloaded" : "kexec kernel unloaded");
        return 0;
    }
}
