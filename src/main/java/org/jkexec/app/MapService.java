package org.jkexec.app;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jkexec.JkexecException;
import org.jkexec.map.MapLayout;
import org.jkexec.map.MemoryMapModel;
import org.jkexec.map.PngRenderer;
import org.jkexec.map.SvgRenderer;
import org.jkexec.map.TextRenderer;

/** Drawing the memory map of a plan in one of its formats. */
public final class MapService {
    /** The formats {@code jkexec map} draws. */
    public enum Format {
        SVG,
        PNG,
        TEXT;

        /** "svg", "png" or "text", in any case. */
        public static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "svg" -> SVG;
                case "png" -> PNG;
                case "text" -> TEXT;
                default -> throw JkexecException.usage("--format: '" + name + "' is not svg, png or text");
            };
        }

        /** PNG is binary: it goes to a file, never to a terminal. */
        public boolean binary() {
            return this == PNG;
        }
    }

    private MapService() {}

    /** The map of a planned machine. */
    public static MemoryMapModel model(Planned p) {
        return MemoryMapModel.from(p.machine(), p.plan());
    }

    /** Checks a width (pixels, or columns for text; null for the default) and returns the one to use. */
    public static int width(Format f, Integer asked) {
        boolean text = f == Format.TEXT;
        int w = asked != null ? asked : text ? TextRenderer.DEFAULT_WIDTH : MapLayout.DEFAULT_WIDTH;
        int min = text ? TextRenderer.MIN_WIDTH : MapLayout.MIN_WIDTH;
        int max = text ? TextRenderer.MAX_WIDTH : MapLayout.MAX_WIDTH;
        if (w < min || w > max) {
            throw JkexecException.usage(
                    "--width: " + w + (text ? " columns" : " pixels") + " is outside " + min + ".." + max);
        }
        return w;
    }

    /** The map drawn in {@code f} at width {@code w}. */
    public static byte[] render(MemoryMapModel model, Format f, int w) {
        return switch (f) {
            case TEXT -> TextRenderer.render(model, w).getBytes(StandardCharsets.UTF_8);
            case PNG -> PngRenderer.bytes(MapLayout.of(model, w));
            case SVG -> SvgRenderer.render(MapLayout.of(model, w)).getBytes(StandardCharsets.UTF_8);
        };
    }
}
