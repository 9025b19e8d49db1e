package org.jkexec.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jkexec.JkexecException;
import org.jkexec.OutputFiles;
import org.jkexec.app.MapService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jkexec map}: draws a machine's physical memory and where a kdump plan puts things. */
@Command(
        name = "map",
        mixinStandardHelpOptions = true,
        description = {
            "Draw the machine's physical memory and the kdump plan's placement:",
            "a whole-machine overview, a zoom on the crashkernel window and one on low memory.",
            "SVG (default), PNG or text for terminals."
        })
final class MapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PlanInputs inputs;

    @Option(
            names = "--format",
            paramLabel = "svg|png|text",
            defaultValue = "svg",
            completionCandidates = Formats.class,
            description = "Output format: svg (default), png or text.")
    String format;

    /** The values bash completion offers for --format (MapService.Format.parse accepts them). */
    static final class Formats extends ArrayList<String> {
        Formats() {
            super(List.of("svg", "png", "text"));
        }
    }

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write to FILE (default: standard output for svg and text; required for png).")
    Path out;

    @Option(
            names = "--width",
            paramLabel = "N",
            description = "Width: pixels for svg and png (default 1400), columns for text (default 100).")
    Integer width;

    @Override
    public Integer call() {
        MapService.Format f = MapService.Format.parse(format);
        int w = MapService.width(f, width);
        if (f.binary() && out == null) {
            throw JkexecException.usage("--format png needs --out FILE (PNG is not written to a terminal)");
        }
        byte[] bytes = MapService.render(MapService.model(inputs.plan()), f, w);
        if (out == null) {
            PrintWriter pw = spec.commandLine().getOut();
            pw.print(new String(bytes, StandardCharsets.UTF_8));
            pw.flush();
        } else {
            // a picture is replaced freely, but through a new file and a rename: never through a link,
            // and never one that is a link, a device or anything but a regular file
            // (a picture of addresses and sizes jkexec computed: no input's bytes are copied into it)
            OutputFiles.writeFile(out, "--out", bytes, OutputFiles.READABLE, true);
        }
        return 0;
    }
}
