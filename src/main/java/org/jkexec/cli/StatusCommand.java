package org.jkexec.cli;

import java.util.concurrent.Callable;

import org.jkexec.linux.KexecLoader;
import org.jkexec.linux.KexecStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jkexec status}: is a kdump kernel loaded, and where is crashkernel. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether a kdump kernel is loaded.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        KexecStatus s = KexecLoader.forThisMachine().status();
        var out = spec.commandLine().getOut();
        out.println("kdump kernel loaded: " + s.crashLoaded().map(b -> b ? "yes" : "no").orElse("unknown (no /sys/kernel/kexec_crash_loaded)"));
        out.println("crashkernel size:    " + (s.crashSize().isPresent() ? PlanReport.human(s.crashSize().getAsLong()) : "unknown"));
        s.crashRegion().ifPresent(r -> out.println("crashkernel region:  " + r));
        out.println("kexec kernel loaded: " + s.kexecLoaded().map(b -> b ? "yes" : "no").orElse("unknown"));
        return s.crashLoaded().orElse(false) ? 0 : 1;
    }
}
