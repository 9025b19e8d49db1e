package org.jkexec.cli;

import java.util.concurrent.Callable;

import org.jkexec.linux.KexecLoader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jkexec unload -p}: unload the kdump kernel. */
@Command(name = "unload", mixinStandardHelpOptions = true, description = "Unload the kdump (crash) kernel.")
final class UnloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--load-panic", "--crash"}, required = true, description = "The crash kernel (the only kind).")
    boolean crash;

    @Option(names = {"--file", "-s"}, description = "Unload through kexec_file_load(2).")
    boolean file;

    @Override
    public Integer call() {
        KexecLoader loader = KexecLoader.forThisMachine();
        if (file) {
            loader.unloadCrashFile();
        } else {
            loader.unloadCrash();
        }
        spec.commandLine().getOut().println("kdump kernel unloaded");
        return 0;
    }
}
