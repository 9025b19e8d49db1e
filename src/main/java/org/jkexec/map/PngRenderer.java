package org.jkexec.map;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jkexec.map.Drawing.Line;
import org.jkexec.map.Drawing.Rect;
import org.jkexec.map.Drawing.Shape;
import org.jkexec.map.Drawing.Text;

/** Draws a {@link MapLayout} with Java2D (works headless) and encodes it as PNG. */
public final class PngRenderer {
    private PngRenderer() {}

    /** The picture, {@code ceil(width) x ceil(height)} pixels. */
    public static BufferedImage image(MapLayout layout) {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        int w = (int) Math.ceil(layout.width());
        int h = (int) Math.ceil(layout.height());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            Map<String, Font> fonts = new HashMap<>();
            for (Shape s : layout.drawing()) {
                if (s instanceof Rect r) {
                    rect(g, r);
                } else if (s instanceof Line l) {
                    line(g, l);
                } else if (s instanceof Text t) {
                    text(g, t, fonts);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    public static void write(MapLayout layout, OutputStream out) throws IOException {
        if (!ImageIO.write(image(layout), "png", out)) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    public static byte[] bytes(MapLayout layout) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            write(layout, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static void rect(Graphics2D g, Rect r) {
        Rectangle2D.Double shape = new Rectangle2D.Double(r.x(), r.y(), Math.max(0, r.w()), Math.max(0, r.h()));
        if (r.fill() != null) {
            g.setPaint(color(r.fill()));
            g.fill(shape);
        }
        if (r.hatch() != null) {
            g.setPaint(hatch(r.hatch()));
            g.fill(shape);
        }
        if (r.stroke() != null && r.strokeWidth() > 0) {
            g.setPaint(color(r.stroke()));
            g.setStroke(new BasicStroke((float) r.strokeWidth()));
            g.draw(shape);
        }
    }

    private static void line(Graphics2D g, Line l) {
        g.setPaint(color(l.color()));
        g.setStroke(
                l.dashed()
                        ? new BasicStroke(
                                (float) l.width(),
                                BasicStroke.CAP_BUTT,
                                BasicStroke.JOIN_MITER,
                                10,
                                new float[] {4, 3},
                                0)
                        : new BasicStroke((float) l.width()));
        g.draw(new Line2D.Double(l.x1(), l.y1(), l.x2(), l.y2()));
    }

    private static void text(Graphics2D g, Text t, Map<String, Font> fonts) {
        Font f = fonts.computeIfAbsent(
                t.size() + "/" + t.bold(),
                k -> new Font(Font.MONOSPACED, t.bold() ? Font.BOLD : Font.PLAIN, 12).deriveFont((float) t.size()));
        g.setFont(f);
        g.setPaint(color(t.color()));
        FontMetrics fm = g.getFontMetrics();
        double w = fm.getStringBounds(t.text(), g).getWidth();
        double x = switch (t.anchor()) {
            case START -> t.x();
            case MIDDLE -> t.x() - w / 2;
            case END -> t.x() - w;
        };
        g.drawString(t.text(), (float) x, (float) t.y());
    }

    private static TexturePaint hatch(String c) {
        BufferedImage tile = new BufferedImage(6, 6, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = tile.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(color(c));
        g.setStroke(new BasicStroke(1.4f));
        g.draw(new Line2D.Double(-1, 7, 7, -1));
        g.draw(new Line2D.Double(-1, 1, 1, -1));
        g.draw(new Line2D.Double(5, 7, 7, 5));
        g.dispose();
        return new TexturePaint(tile, new Rectangle2D.Double(0, 0, 6, 6));
    }

    static Color color(String hex) {
        return new Color(Integer.parseInt(hex.substring(1), 16));
    }
}
