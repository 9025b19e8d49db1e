package org.jkexec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkexec.JkexecException;
import org.jkexec.app.KexecService;
import org.jkexec.app.PlanService;
import org.jkexec.app.Planned;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jkexec plan}: compute a kdump load (or with -l a regular kexec load) offline and show or write it. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = "Compute a kdump load (or with -l a regular kexec load) for a machine capture (or a .dtb) "
                + "without loading anything.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PlanInputs inputs;

    @Option(
            names = {"-p", "--load-panic"},
            hidden = true,
            description = "Accepted for symmetry with load -p: a kdump load is what plan computes by default.")
    boolean crash;

    @Option(
            names = {"-l", "--load"},
            description = "Plan a regular kexec (the kernel `jkexec exec` reboots into) " + "instead of a kdump load.")
    boolean regular;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write kdump.dtb, kdump.dts, elfcorehdr.bin, plan.json and each segment's bytes to DIR.")
    Path out;

    @Option(names = "--force", description = "With --out: replace the files of an earlier plan in DIR.")
    boolean force;

    @Override
    public Integer call() {
        if (regular) {
            if (crash) {
                throw JkexecException.usage("give -p (kdump) or -l (regular kexec), not both");
            }
            return callRegular();
        }
        Planned p = inputs.plan();
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(PlanReport.json(p.machine(), p.plan()));
        } else {
            w.print(PlanReport.text(p.machine(), p.plan()));
        }
        if (out != null) {
            PlanService.writeFiles(p, PlanReport.json(p.machine(), p.plan()), out, force);
        }
        w.flush();
        if (p.plan().bootProblem().isPresent()) {
            spec.commandLine()
                    .getErr()
                    .println("jkexec: this plan cannot boot a kdump kernel and would be refused: "
                            + p.plan().bootProblem().get().text());
            return 1;
        }
        return 0;
    }

    private Integer callRegular() {
        KexecService.PlannedKexec p = inputs.planRegular();
        PrintWriter w = spec.commandLine().getOut();
        String json = PlanReport.json(p.machine(), p.plan());
        w.print(this.json ? json + "\n" : PlanReport.text(p.machine(), p.plan()));
        if (out != null) {
            KexecService.writeFiles(p, json, out, force, inputs.textSources());
        }
        w.flush();
        return 0;
    }
}
