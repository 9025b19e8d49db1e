package org.jkexec.map;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.jkexec.JkexecException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jkexec map}: draws a machine's physical memory and where a kdump plan puts things.
 *
 * <p>The model comes from a {@code Supplier<MemoryMapModel>} given to the constructor, or from
 * a subclass overriding {@link #model()} (for example one that adds the shared plan options as
 * a mixin and returns {@code MemoryMapModel.from(machine, plan)}).
 */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = {"Draw the machine's physical memory and the kdump plan's placement:",
                "a whole-machine overview, a zoom on the crashkernel window and one on low memory.",
                "SVG (default), PNG or text for terminals."})
public class MapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "svg|png|text", defaultValue = "svg",
            description = "Output format: svg (default), png or text.")
    String format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write to FILE (default: standard output for svg and text; required for png).")
    Path out;

    @Option(names = "--width", paramLabel = "N",
            description = "Width: pixels for svg and png (default 1400), columns for text (default 100).")
    Integer width;

    private final Supplier<MemoryMapModel> source;

    /** A command drawing the model {@code source} supplies. */
    public MapCommand(Supplier<MemoryMapModel> source) {
        this.source = source;
    }

    /** For subclasses that override {@link #model()}. */
    protected MapCommand() {
        this.source = null;
    }

    /** The model to draw. */
    protected MemoryMapModel model() {
        if (source == null) {
            // the CLI subclasses this (org.jkexec.cli.MapCli); a bare instance has nothing to draw
            throw new JkexecException("map: no machine or plan to draw (command not wired to the plan options)");
        }
        return source.get();
    }

    @Override
    public Integer call() {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("svg") && !f.equals("png") && !f.equals("text")) {
            throw new JkexecException("--format: '" + format + "' is not svg, png or text");
        }
        boolean text = f.equals("text");
        int w = width != null ? width : text ? TextRenderer.DEFAULT_WIDTH : MapLayout.DEFAULT_WIDTH;
        int min = text ? TextRenderer.MIN_WIDTH : MapLayout.MIN_WIDTH;
        int max = text ? TextRenderer.MAX_WIDTH : MapLayout.MAX_WIDTH;
        if (w < min || w > max) {
            throw new JkexecException("--width: " + w + (text ? " columns" : " pixels") + " is outside " + min + ".." + max);
        }
        if (f.equals("png") && out == null) {
            throw new JkexecException("--format png needs --out FILE (PNG is not written to a terminal)");
        }
        MemoryMapModel model = model();
        byte[] bytes = switch (f) {
            case "text" -> TextRenderer.render(model, w).getBytes(StandardCharsets.UTF_8);
            case "png" -> PngRenderer.bytes(MapLayout.of(model, w));
            default -> SvgRenderer.render(MapLayout.of(model, w)).getBytes(StandardCharsets.UTF_8);
        };
        if (out == null) {
            PrintWriter pw = spec.commandLine().getOut();
            pw.print(new String(bytes, StandardCharsets.UTF_8));
            pw.flush();
        } else {
            try (OutputStream os = Files.newOutputStream(out)) {
                os.write(bytes);
            } catch (IOException e) {
                throw JkexecException.badInput(out, "cannot write: " + e.getMessage());
            }
        }
        return 0;
    }
}
