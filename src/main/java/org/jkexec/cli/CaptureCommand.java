package org.jkexec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jkexec.capture.CaptureWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jkexec capture DIR}: copy the running machine's kdump facts into a capture directory. */
@Command(
        name = "capture",
        mixinStandardHelpOptions = true,
        description = "Copy what a kdump load depends on from the running machine into DIR (a machine capture).")
final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path out;

    @Option(names = "--root", defaultValue = "/", hidden = true, description = "Root of the machine to capture.")
    Path root;

    @Override
    public Integer call() {
        for (String f : CaptureWriter.capture(root, out)) {
            spec.commandLine().getOut().println("  " + f);
        }
        spec.commandLine().getOut().println("captured " + root + " into " + out);
        return 0;
    }
}
