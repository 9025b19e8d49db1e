package org.jkexec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkexec.app.KexecService;
import org.jkexec.memory.MemRange;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jkexec status}: which images are loaded, and where is crashkernel. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show whether a kdump kernel and a kexec kernel are loaded.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the image asked about is loaded (the kdump kernel; with -l the kexec kernel)",
            "1:it is not loaded, or the kernel does not say (no /sys/kernel/kexec_crash_loaded or kexec_loaded)",
            "2:bad command line"
        })
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-p", "--load-panic"},
            description = "Exit status about the kdump kernel (the default).")
    boolean crash;

    @Option(
            names = {"-l", "--load"},
            description = "Exit status about the kernel loaded for a kexec reboot.")
    boolean regular;

    @Option(names = "--root", defaultValue = "/", hidden = true)
    Path root;

    @Override
    public Integer call() {
        KexecService.Status status = KexecService.forMachine(root).status(root);
        var s = status.kexec();
        var out = spec.commandLine().getOut();
        out.println("kdump kernel loaded: "
                + s.crashLoaded().map(b -> b ? "yes" : "no").orElse("unknown (no /sys/kernel/kexec_crash_loaded)"));
        if (s.crashLoaded().orElse(false)) {
            out.println("last jkexec load:    "
                    + status.lastLoad()
                            .orElse("none recorded since boot (loaded by another tool, or by kexec_file_load)"));
        }
        out.println("crashkernel size:    "
                + (s.crashSize().isPresent() ? ByteSize.text(s.crashSize().getAsLong()) : "unknown"));
        s.crashRegion().ifPresent(r -> out.println("crashkernel region:  " + r));
        for (MemRange a : s.crashCma()) {
            out.println("crashkernel CMA:     " + Hex.range(a.start(), a.end()) + " (" + ByteSize.text(a.size())
                    + ", crashkernel=SIZE,cma: the kdump kernel may use it, the dump leaves it out)");
        }
        status.whyNoCrashkernel().ifPresent(w -> out.println("crashkernel:         " + w));
        out.println("kexec kernel loaded: "
                + s.kexecLoaded().map(b -> b ? "yes" : "no").orElse("unknown (no /sys/kernel/kexec_loaded)"));
        boolean loaded = regular && !crash
                ? s.kexecLoaded().orElse(false)
                : s.crashLoaded().orElse(false);
        return loaded ? 0 : 1;
    }
}
