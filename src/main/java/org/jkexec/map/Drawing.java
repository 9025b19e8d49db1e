package org.jkexec.map;

/**
 * The display list a {@link MapLayout} turns into: rectangles, lines and text in pixel
 * coordinates. The SVG and PNG renderers only translate these, so the two cannot disagree.
 */
public final class Drawing {
    private Drawing() {}

    /** One primitive, drawn in list order (later on top). */
    public sealed interface Shape permits Rect, Line, Text {}

    /**
     * A rectangle.
     *
     * @param fill     #rrggbb or null for none
     * @param stroke   #rrggbb or null for none
     * @param hatch    #rrggbb of diagonal hatching over the fill, or null
     * @param tooltip  hover text (SVG title), or null
     * @param cssClass SVG class (also tells tests what the rectangle is), or null
     */
    public record Rect(
            double x,
            double y,
            double w,
            double h,
            String fill,
            String stroke,
            double strokeWidth,
            String hatch,
            String tooltip,
            String cssClass)
            implements Shape {}

    /** A straight line. */
    public record Line(
            double x1, double y1, double x2, double y2, String color, double width, boolean dashed, String cssClass)
            implements Shape {}

    /** Where a text's x is: its start, middle or end. */
    public enum Anchor {
        START("start"),
        MIDDLE("middle"),
        END("end");

        private final String svg;

        Anchor(String svg) {
            this.svg = svg;
        }

        public String svg() {
            return svg;
        }
    }

    /** One line of text; y is the baseline. */
    public record Text(
            double x, double y, String text, double size, boolean bold, Anchor anchor, String color, String cssClass)
            implements Shape {}
}
