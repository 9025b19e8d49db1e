package org.jkexec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.jkexec.app.PlanService;
import org.jkexec.app.Planned;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jkexec plan}: compute a kdump load offline and show or write it. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Compute a kdump load for a machine capture (or a .dtb) without loading anything.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PlanInputs inputs;

    @Option(names = {"-p", "--load-panic"}, hidden = true,
            description = "Accepted for symmetry with load -p: kdump is the only kind of load jkexec plans.")
    boolean crash;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write kdump.dtb, kdump.dts, elfcorehdr.bin, plan.json and each segment's bytes to DIR.")
    Path out;

    @Override
    public Integer call() {
        Planned p = inputs.plan();
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(PlanReport.json(p.machine(), p.plan()));
        } else {
            w.print(PlanReport.text(p.machine(), p.plan()));
        }
        if (out != null) {
            PlanService.writeFiles(p, PlanReport.json(p.machine(), p.plan()), out);
        }
        w.flush();
        return 0;
    }
}
