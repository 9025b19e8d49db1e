package org.jkexec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.jkexec.JkexecException;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.Segment;

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
        PlanInputs.Planned p = inputs.plan();
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(PlanReport.json(p.machine(), p.plan()));
        } else {
            w.print(PlanReport.text(p.machine(), p.plan()));
        }
        if (out != null) {
            write(p);
        }
        w.flush();
        return 0;
    }

    private void write(PlanInputs.Planned p) {
        KdumpPlan plan = p.plan();
        try {
            Files.createDirectories(out);
            Files.write(out.resolve("kdump.dtb"), plan.kdumpFdtBlob());
            Files.writeString(out.resolve("kdump.dts"), plan.kdumpFdt().toDts());
            Files.write(out.resolve("elfcorehdr.bin"), plan.elfCoreHeader());
            Files.writeString(out.resolve("plan.json"), PlanReport.json(p.machine(), plan) + "\n");
            int i = 0;
            for (Segment s : plan.segments()) {
                Files.write(out.resolve(String.format("segment-%02d-%s.bin", i++, s.kind())), s.buffer());
            }
        } catch (IOException e) {
            throw JkexecException.badInput(out, "cannot write: " + e.getMessage());
        }
    }
}
