package org.jkexec.map;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jkexec.map.Drawing.Line;
import org.jkexec.map.Drawing.Rect;
import org.jkexec.map.Drawing.Shape;
import org.jkexec.map.Drawing.Text;

/** Writes a {@link MapLayout} as a standalone SVG document (hand-written XML, no dependencies). */
public final class SvgRenderer {
    static final String FONTS = "DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace";

    private SvgRenderer() {}

    public static String render(MapLayout layout) {
        List<Shape> shapes = layout.drawing();
        StringBuilder sb = new StringBuilder(64 * shapes.size() + 1024);
        String w = num(layout.width());
        String h = num(layout.height());
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(h)
                .append("\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" font-family=\"")
                .append(FONTS)
                .append("\">\n");
        sb.append("<title>")
                .append(esc("Physical memory for kdump: " + layout.model().title()))
                .append("</title>\n");
        Set<String> hatches = new LinkedHashSet<>();
        for (Shape s : shapes) {
            if (s instanceof Rect r && r.hatch() != null) {
                hatches.add(r.hatch());
            }
        }
        if (!hatches.isEmpty()) {
            sb.append("<defs>\n");
            for (String c : hatches) {
                sb.append("<pattern id=\"")
                        .append(hatchId(c))
                        .append(
                                "\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">")
                        .append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"")
                        .append(c)
                        .append("\" stroke-width=\"2\"/></pattern>\n");
            }
            sb.append("</defs>\n");
        }
        for (Shape s : shapes) {
            if (s instanceof Rect r) {
                rect(sb, r);
            } else if (s instanceof Line l) {
                line(sb, l);
            } else if (s instanceof Text t) {
                text(sb, t);
            }
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void rect(StringBuilder sb, Rect r) {
        sb.append("<rect");
        cls(sb, r.cssClass());
        sb.append(" x=\"")
                .append(num(r.x()))
                .append("\" y=\"")
                .append(num(r.y()))
                .append("\" width=\"")
                .append(num(Math.max(0, r.w())))
                .append("\" height=\"")
                .append(num(Math.max(0, r.h())))
                .append('"');
        sb.append(" fill=\"").append(r.fill() == null ? "none" : r.fill()).append('"');
        if (r.stroke() != null) {
            sb.append(" stroke=\"")
                    .append(r.stroke())
                    .append("\" stroke-width=\"")
                    .append(num(r.strokeWidth()))
                    .append('"');
        }
        if (r.tooltip() != null) {
            sb.append("><title>").append(esc(r.tooltip())).append("</title></rect>\n");
        } else {
            sb.append("/>\n");
        }
        if (r.hatch() != null) {
            sb.append("<rect class=\"hatch\" x=\"")
                    .append(num(r.x()))
                    .append("\" y=\"")
                    .append(num(r.y()))
                    .append("\" width=\"")
                    .append(num(Math.max(0, r.w())))
                    .append("\" height=\"")
                    .append(num(Math.max(0, r.h())))
                    .append("\" fill=\"url(#")
                    .append(hatchId(r.hatch()))
                    .append(")\" pointer-events=\"none\"/>\n");
        }
    }

    private static void line(StringBuilder sb, Line l) {
        sb.append("<line");
        cls(sb, l.cssClass());
        sb.append(" x1=\"")
                .append(num(l.x1()))
                .append("\" y1=\"")
                .append(num(l.y1()))
                .append("\" x2=\"")
                .append(num(l.x2()))
                .append("\" y2=\"")
                .append(num(l.y2()))
                .append("\" stroke=\"")
                .append(l.color())
                .append("\" stroke-width=\"")
                .append(num(l.width()))
                .append('"');
        if (l.dashed()) {
            sb.append(" stroke-dasharray=\"4 3\"");
        }
        sb.append("/>\n");
    }

    private static void text(StringBuilder sb, Text t) {
        sb.append("<text");
        cls(sb, t.cssClass());
        sb.append(" x=\"")
                .append(num(t.x()))
                .append("\" y=\"")
                .append(num(t.y()))
                .append("\" font-size=\"")
                .append(num(t.size()))
                .append("\" fill=\"")
                .append(t.color())
                .append('"');
        if (t.bold()) {
            sb.append(" font-weight=\"bold\"");
        }
        if (t.anchor() != Drawing.Anchor.START) {
            sb.append(" text-anchor=\"").append(t.anchor().svg()).append('"');
        }
        sb.append(" xml:space=\"preserve\">").append(esc(t.text())).append("</text>\n");
    }

    private static void cls(StringBuilder sb, String c) {
        if (c != null) {
            sb.append(" class=\"").append(esc(c)).append('"');
        }
    }

    private static String hatchId(String color) {
        return "hatch-" + color.replace("#", "");
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** XML text and attribute escaping; drops characters XML 1.0 forbids. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        if (c != 0xfffe && c != 0xffff) {
                            sb.append(c);
                        }
                    }
                }
            }
        }
        return sb.toString();
    }
}
