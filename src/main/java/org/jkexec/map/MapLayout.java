package org.jkexec.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jkexec.map.Drawing.Anchor;
import org.jkexec.map.Drawing.Line;
import org.jkexec.map.Drawing.Rect;
import org.jkexec.map.Drawing.Shape;
import org.jkexec.map.Drawing.Text;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;

/**
 * The picture of a {@link MemoryMapModel}, computed once in pixels and drawn by both the SVG and
 * the PNG renderer: a title, an overview of the whole machine on a segmented axis, a linear zoom
 * on the crashkernel window ("A") and one on low memory ("B"), a legend and notes.
 *
 * <p>Each panel has rows (kexec, crashkernel, RAM, excluded) of bars; labels go inside a bar when
 * they fit, else in a band above (kexec, crashkernel) or below (excluded) the rows, joined to the
 * bar by a leader. Text is monospaced and measured as {@value #CHAR} em per character, the same
 * for every renderer.
 */
public final class MapLayout {
    public static final int DEFAULT_WIDTH = 1400;
    public static final int MIN_WIDTH = 640;
    public static final int MAX_WIDTH = 16384;

    static final double FONT = 11;
    static final double LINE = 13;
    static final double CHAR = 0.61;
    static final double TITLE_FONT = 16;
    static final double PANEL_FONT = 12;
    static final double MARGIN = 16;
    static final double GUTTER = 88;
    static final double LANE_H = 32;
    static final double RAM_LANE_H = 26;
    static final double ROW_GAP = 3;
    static final double MIN_BAR = 6;
    static final double PANEL_GAP = 22;
    static final String INK = "#222222";
    static final String GREY = "#666666";
    static final String GRID = "#e2e2e2";
    static final String HIGHLIGHT_A = "#eaf1fb";
    static final String HIGHLIGHT_B = "#f7efe3";

    /** An axis-aligned box. */
    public record Box(double x, double y, double w, double h) {
        public double x1() {
            return x + w;
        }

        public double y1() {
            return y + h;
        }

        /** True when the boxes, each grown by {@code margin} / 2 on every side, overlap. */
        public boolean intersects(Box o, double margin) {
            return x < o.x1() + margin && o.x < x1() + margin && y < o.y1() + margin && o.y < y1() + margin;
        }

        Box shift(double dy) {
            return new Box(x, y + dy, w, h);
        }
    }

    /** A bar and where it is drawn. */
    public record PlacedBar(MapBar bar, Box box) {}

    /**
     * A label: its lines, its box, and (unless inline) the leader from the bar to the box.
     *
     * @param inline   drawn inside its bar, no leader
     * @param leaderX  x of the vertical leader
     * @param leaderY0 y where the leader leaves the bar
     * @param leaderY1 y where it meets the box
     */
    public record Label(
            MapBar bar, List<String> lines, Box box, boolean inline, double leaderX, double leaderY0, double leaderY1) {
        Label shift(double dy) {
            return new Label(bar, lines, box.shift(dy), inline, leaderX, leaderY0 + dy, leaderY1 + dy);
        }
    }

    /** A labelled axis tick. */
    public record Tick(long address, double x, List<String> lines, Box box) {}

    /** A row of a panel: its band of y and its lanes. */
    public record RowBand(MapRow row, double y, double h, int lanes) {}

    /** A zoom window marked on the overview: bracket from x0 to x1 with a tag. */
    public record Mark(String tag, String text, double x0, double x1, double y, String tint) {}

    /**
     * One panel.
     *
     * @param id         "overview", "crashkernel" or "low"
     * @param frame      the panel's whole area
     * @param rowsTop    top of the first row
     * @param rowsBottom bottom of the last row
     * @param axisY      y of the axis line
     */
    public record Panel(
            String id,
            String title,
            Box frame,
            AxisScale scale,
            List<RowBand> rows,
            List<PlacedBar> bars,
            List<Label> labels,
            List<Tick> ticks,
            List<Double> minorTicks,
            List<Mark> marks,
            double rowsTop,
            double rowsBottom,
            double axisY) {}

    /** A legend entry. */
    public record LegendItem(MapLayer layer, Box swatch, double textX, double textY) {}

    private final MemoryMapModel model;
    private final double width;
    private double height;
    private final List<Panel> panels = new ArrayList<>();
    private final List<LegendItem> legend = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private double legendTop;
    private double notesTop;

    private MapLayout(MemoryMapModel model, double width) {
        this.model = model;
        this.width = width;
    }

    /** Lays out the model on a picture {@code width} pixels wide (the height follows). */
    public static MapLayout of(MemoryMapModel model, int width) {
        if (width < MIN_WIDTH || width > MAX_WIDTH) {
            throw new IllegalArgumentException("width " + width + " is outside " + MIN_WIDTH + ".." + MAX_WIDTH);
        }
        MapLayout l = new MapLayout(model, width);
        l.build();
        return l;
    }

    public MemoryMapModel model() {
        return model;
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    public List<Panel> panels() {
        return List.copyOf(panels);
    }

    public Optional<Panel> panel(String id) {
        return panels.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Every label of every panel. */
    public List<Label> labels() {
        return panels.stream().flatMap(p -> p.labels().stream()).toList();
    }

    public List<LegendItem> legend() {
        return List.copyOf(legend);
    }

    static double textWidth(String s, double size) {
        return s.length() * size * CHAR;
    }

    static double textWidth(List<String> lines, double size) {
        return lines.stream().mapToDouble(s -> textWidth(s, size)).max().orElse(0);
    }

    private double left() {
        return MARGIN + GUTTER;
    }

    private double right() {
        return width - MARGIN;
    }

    private void build() {
        double y = MARGIN + TITLE_FONT + 2 * LINE + 10;
        long lo = model.lowest();
        long hi = model.highest();
        List<MapRegion> regions = model.regions();
        if (regions.isEmpty()) {
            lo = 0;
            hi = 0xfff;
        }
        List<Mark> marks = new ArrayList<>();
        MapRegion focus = model.focusWindow();
        Optional<MapRegion> low = model.lowWindow();
        AxisScale overview = AxisScale.segmented(overviewRegions(model), lo, hi, left(), right());
        if (focus != null) {
            marks.add(new Mark(
                    "A",
                    "A: crashkernel, zoomed below",
                    overview.x(focus.start()),
                    overview.xAfter(focus.endInclusive()),
                    0,
                    HIGHLIGHT_A));
        }
        if (low.isPresent()) {
            marks.add(new Mark(
                    "B",
                    "B: low memory",
                    overview.x(low.get().start()),
                    overview.xAfter(low.get().endInclusive()),
                    0,
                    HIGHLIGHT_B));
        }
        String kind = "not to scale: each stretch between boundaries gets a width growing with the log of its length";
        Panel p = panel(
                "overview",
                "Whole machine  " + Hex.hex(lo) + " - " + Hex.hex(hi) + "  (" + ByteSize.text(hi - lo + 1) + "), "
                        + kind,
                overview,
                regions,
                y,
                marks);
        panels.add(p);
        y = p.frame().y1() + PANEL_GAP;
        if (focus != null) {
            AxisScale s = AxisScale.linear(focus.start(), focus.endInclusive(), left(), right());
            p = panel(
                    "crashkernel",
                    "A: crashkernel window  " + Hex.hex(focus.start()) + " - " + Hex.hex(focus.endInclusive()) + "  ("
                            + ByteSize.text(focus.size()) + "), linear",
                    s,
                    regions,
                    y,
                    List.of());
            panels.add(p);
            y = p.frame().y1() + PANEL_GAP;
        }
        if (low.isPresent()) {
            MapRegion w = low.get();
            long end = niceEnd(w.endInclusive());
            AxisScale s = AxisScale.linear(0, end, left(), right());
            p = panel(
                    "low",
                    "B: low memory  0x0 - " + Hex.hex(end) + "  (" + ByteSize.text(end + 1)
                            + "), linear: the running kernel and the backup source",
                    s,
                    regions,
                    y,
                    List.of());
            panels.add(p);
            y = p.frame().y1() + PANEL_GAP;
        }
        legendTop = y;
        y = layoutLegend(y);
        notesTop = y + 6;
        notes.add("Hover a bar in the SVG for its exact range. Bars narrower than " + (int) MIN_BAR
                + " px are widened to stay visible; text map: jkexec map --format text.");
        height = Math.ceil(notesTop + notes.size() * LINE + MARGIN);
    }

    /** The end of the low window rounded up to a sixteenth of its power of two, inclusive. */
    static long niceEnd(long endInclusive) {
        long n = endInclusive + 1;
        long p = Long.highestOneBit(n);
        long step = Math.max(1, p / 16);
        return ((n + step - 1) / step) * step - 1;
    }

    /** The regions the overview's axis is built from: the model's, plus the focus window if no region marks it. */
    static List<MapRegion> overviewRegions(MemoryMapModel model) {
        MapRegion focus = model.focusWindow();
        List<MapRegion> out = new ArrayList<>(model.regions());
        if (focus != null
                && out.stream()
                        .noneMatch(r -> r.layer() == MapLayer.CRASHKERNEL
                                && r.start() == focus.start()
                                && r.endInclusive() == focus.endInclusive())) {
            out.add(new MapRegion(MapLayer.CRASHKERNEL, focus.label(), focus.start(), focus.endInclusive()));
        }
        return out;
    }

    private Panel panel(
            String id, String title, AxisScale scale, List<MapRegion> regions, double top, List<Mark> marks) {
        double l = scale.x0();
        double r = scale.x1();
        Map<MapRow, List<MapBar>> byRow = new EnumMap<>(MapRow.class);
        for (MapRow row : MapRow.values()) {
            List<MapBar> bars = RowLayout.layout(row, regions, scale, MIN_BAR);
            if (!bars.isEmpty() || row == MapRow.RAM) {
                byRow.put(row, bars);
            }
        }
        // rows, relative to the top of the first row
        List<RowBand> rows = new ArrayList<>();
        double y = 0;
        for (Map.Entry<MapRow, List<MapBar>> e : byRow.entrySet()) {
            int lanes = Math.max(1, RowLayout.lanes(e.getValue()));
            double h = lanes * laneHeight(e.getKey());
            rows.add(new RowBand(e.getKey(), y, h, lanes));
            y += h + ROW_GAP;
        }
        double rowsH = y - ROW_GAP;
        List<PlacedBar> bars = new ArrayList<>();
        for (RowBand band : rows) {
            double lh = laneHeight(band.row());
            for (MapBar b : byRow.get(band.row())) {
                int slot = band.row().labelsAbove() ? b.lane() : band.lanes() - 1 - b.lane();
                bars.add(new PlacedBar(b, new Box(b.x0(), band.y() + slot * lh + 2, b.width(), lh - 4)));
            }
        }
        // labels: inline where they fit, else in the band above or below
        double middle = (l + r) / 2;
        LabelPlacer above = new LabelPlacer(MARGIN, width - MARGIN, middle, true, 0);
        LabelPlacer below = new LabelPlacer(MARGIN, width - MARGIN, middle, false, rowsH);
        List<Label> labels = new ArrayList<>();
        List<PlacedBar> banded = new ArrayList<>();
        for (PlacedBar pb : bars) {
            Optional<Label> in = inline(pb);
            if (in.isPresent()) {
                labels.add(in.get());
            } else if (pb.bar().layer().labelled()) {
                banded.add(pb);
            }
        }
        double bandH = 2 * LINE + 5;
        for (boolean up : new boolean[] {true, false}) {
            List<PlacedBar> mine = banded.stream()
                    .filter(pb -> pb.bar().row().labelsAbove() == up)
                    .toList();
            List<LabelPlacer.Request> req = new ArrayList<>();
            for (PlacedBar pb : mine) {
                double w = textWidth(lines(pb.bar()), FONT) + 14;
                req.add(new LabelPlacer.Request(
                        w,
                        bandH,
                        pb.box().x(),
                        pb.box().x1(),
                        up ? pb.box().y() : pb.box().y1()));
            }
            List<LabelPlacer.Placed> placed = (up ? above : below).placeAll(req);
            for (int i = 0; i < mine.size(); i++) {
                LabelPlacer.Placed pl = placed.get(i);
                labels.add(new Label(
                        mine.get(i).bar(),
                        lines(mine.get(i).bar()),
                        pl.box(),
                        false,
                        pl.leaderX(),
                        pl.leaderY0(),
                        pl.leaderY1()));
            }
        }
        double aTop = labels.stream()
                .filter(lb -> !lb.inline())
                .mapToDouble(lb -> lb.box().y())
                .min()
                .orElse(0);
        aTop = Math.min(0, aTop);
        double bBottom = labels.stream()
                .filter(lb -> !lb.inline())
                .mapToDouble(lb -> lb.box().y1())
                .max()
                .orElse(rowsH);
        bBottom = Math.max(rowsH, bBottom);
        double header = PANEL_FONT + 10 + (marks.isEmpty() ? 0 : LINE + 10);
        double dy = top + header - aTop + (aTop < 0 ? 4 : 0);
        List<RowBand> rowsOut = rows.stream()
                .map(b -> new RowBand(b.row(), b.y() + dy, b.h(), b.lanes()))
                .toList();
        List<PlacedBar> barsOut = bars.stream()
                .map(b -> new PlacedBar(b.bar(), b.box().shift(dy)))
                .toList();
        List<Label> labelsOut = labels.stream().map(lb -> lb.shift(dy)).toList();
        double axisY = dy + bBottom + 8;
        List<Double> minor = new ArrayList<>();
        List<Tick> ticks = ticks(scale, axisY, minor);
        List<Mark> marksOut = new ArrayList<>();
        double markY = top + PANEL_FONT + 10 + LINE / 2 + 2;
        for (Mark m : marks) {
            marksOut.add(new Mark(m.tag(), m.text(), m.x0(), m.x1(), markY, m.tint()));
        }
        double bottom = axisY + 4 + 2 * LINE + 4;
        Box frame = new Box(MARGIN, top, width - 2 * MARGIN, bottom - top);
        return new Panel(
                id, title, frame, scale, rowsOut, barsOut, labelsOut, ticks, minor, marksOut, dy, dy + rowsH, axisY);
    }

    private static double laneHeight(MapRow row) {
        return row == MapRow.RAM ? RAM_LANE_H : LANE_H;
    }

    /** Two lines: the label, then start address and size. */
    static List<String> lines(MapBar b) {
        String first = b.label();
        if (first.length() > 48) {
            first = first.substring(0, 47) + "\u2026";
        }
        return List.of(first, Hex.hex(b.start()) + " \u00b7 " + ByteSize.text(b.size()));
    }

    private static Optional<Label> inline(PlacedBar pb) {
        Box box = pb.box();
        List<String> two = lines(pb.bar());
        if (box.h() >= 2 * LINE + 2 && box.w() >= textWidth(two, FONT) + 10) {
            return Optional.of(new Label(pb.bar(), two, box, true, 0, 0, 0));
        }
        List<String> one =
                List.of(two.get(0) + " \u00b7 " + ByteSize.text(pb.bar().size()));
        if (box.w() >= textWidth(one, FONT) + 10) {
            return Optional.of(new Label(pb.bar(), one, box, true, 0, 0, 0));
        }
        one = List.of(two.get(0));
        if (box.w() >= textWidth(one, FONT) + 10 && !pb.bar().layer().labelled()) {
            return Optional.of(new Label(pb.bar(), one, box, true, 0, 0, 0));
        }
        return Optional.empty();
    }

    // ---- axis ticks -------------------------------------------------------------------------

    private List<Tick> ticks(AxisScale s, double axisY, List<Double> minor) {
        List<Long> order = tickCandidates(s, model, Math.max(2, (int) ((s.x1() - s.x0()) / 130)), minor);
        long end = s.hiInclusive() + 1;
        List<Tick> out = new ArrayList<>();
        for (long a : order) {
            double x = a == end ? s.x1() : s.x(a);
            List<String> lines = List.of(Hex.hex(a), Units.approx(a));
            double w = textWidth(lines, FONT);
            double bx = Math.max(MARGIN, Math.min(width - MARGIN - w, x - w / 2));
            Box box = new Box(bx, axisY + 4, w, 2 * LINE);
            if (out.stream().noneMatch(t -> t.box().intersects(box, 12))) {
                out.add(new Tick(a, x, lines, box));
            }
        }
        out.sort(Comparator.comparingDouble(Tick::x));
        return out;
    }

    /**
     * Addresses worth a tick, most important first: the window's ends, the crashkernel's bounds,
     * then (linear) multiples of a power-of-two step giving at most {@code maxTicks} ticks or
     * (segmented) the boundaries of labelled regions, then other breakpoints. Adds the positions
     * of minor ticks to {@code minor}.
     */
    static List<Long> tickCandidates(AxisScale s, MemoryMapModel model, int maxTicks, List<Double> minor) {
        TreeMap<Long, Integer> prio = new TreeMap<>(Long::compareUnsigned);
        long end = s.hiInclusive() + 1;
        if (s.isLinear()) {
            long span = end - s.lo();
            long step = Long.highestOneBit(Math.max(1, span / maxTicks));
            if (step < span / maxTicks) {
                step <<= 1;
            }
            long first = ((s.lo() + step - 1) / step) * step;
            for (long a = first; Long.compareUnsigned(a, end) <= 0 && Long.compareUnsigned(a, first) >= 0; a += step) {
                prio.put(a, 1);
            }
            long sub = Math.max(1, step / 4);
            for (long a = (s.lo() / sub) * sub; Long.compareUnsigned(a, end) < 0; a += sub) {
                if (Long.compareUnsigned(a, s.lo()) > 0) {
                    minor.add(s.x(a));
                }
                if (a + sub < a) {
                    break;
                }
            }
        } else {
            Set<Long> labelled = new java.util.HashSet<>();
            for (MapRegion r : model.regions()) {
                if (r.layer().labelled() || r.layer().row() == MapRow.RAM) {
                    // the ends of RAM pieces are breakpoints only as AxisScale decides; where they are, they earn a
                    // tick
                    labelled.add(r.start());
                    labelled.add(r.endInclusive() + 1);
                }
            }
            List<Long> bps = s.breakpoints();
            double spacing = (s.x1() - s.x0()) / maxTicks;
            for (int i = 0; i < bps.size(); i++) {
                long a = bps.get(i);
                prio.put(a, labelled.contains(a) ? 1 : 0);
                minor.add(s.breakX(i));
                if (i + 1 < bps.size() && s.breakX(i + 1) - s.breakX(i) >= 2 * spacing) {
                    // a wide stretch (mapped linearly): round addresses inside it
                    long b = bps.get(i + 1);
                    int n = (int) ((s.breakX(i + 1) - s.breakX(i)) / spacing);
                    long len = b - a;
                    long step = Long.highestOneBit(Math.max(1, len / n));
                    if (step < len / n) {
                        step <<= 1;
                    }
                    long first = (a / step + 1) * step;
                    for (long t = first; Long.compareUnsigned(t, b) < 0 && Long.compareUnsigned(t, a) > 0; t += step) {
                        prio.putIfAbsent(t, 0);
                        minor.add(s.x(t));
                    }
                }
            }
        }
        MapRegion f = model.focusWindow();
        if (f != null) {
            for (long a : new long[] {f.start(), f.endInclusive() + 1}) {
                if (prio.containsKey(a)) {
                    prio.put(a, 2);
                }
            }
        }
        prio.put(s.lo(), 3);
        prio.put(end, 3);
        if (!s.isLinear()) {
            // where RAM ends matters as much as where the window does (the title names the window's ends)
            model.regions().stream()
                    .filter(r -> r.layer().row() == MapRow.RAM)
                    .map(MapRegion::endInclusive)
                    .max(Long::compareUnsigned)
                    .map(e -> e + 1)
                    .filter(prio::containsKey)
                    .ifPresent(e -> prio.put(e, 3));
        }
        List<Map.Entry<Long, Integer>> order = new ArrayList<>(prio.entrySet());
        order.sort(Comparator.comparing((Map.Entry<Long, Integer> e) -> -e.getValue())
                .thenComparing(Map.Entry::getKey, Long::compareUnsigned));
        return order.stream().map(Map.Entry::getKey).toList();
    }

    // ---- legend -----------------------------------------------------------------------------

    private double layoutLegend(double top) {
        Set<MapLayer> present = EnumSet.noneOf(MapLayer.class);
        for (MapRegion r : model.regions()) {
            present.add(r.layer());
        }
        for (Panel p : panels) {
            for (PlacedBar b : p.bars()) {
                present.add(b.bar().layer());
            }
        }
        double x = MARGIN;
        double y = top + LINE + 6;
        double rowH = LINE + 6;
        for (MapLayer layer : present) {
            double w = 24 + textWidth(layer.legend(), FONT) + 18;
            if (x + w > width - MARGIN && x > MARGIN) {
                x = MARGIN;
                y += rowH;
            }
            legend.add(new LegendItem(layer, new Box(x, y, 18, 11), x + 24, y + 10));
            x += w;
        }
        return y + rowH;
    }

    // ---- drawing ----------------------------------------------------------------------------

    /** The display list: what both renderers draw, in order. */
    public List<Shape> drawing() {
        List<Shape> out = new ArrayList<>();
        out.add(new Rect(0, 0, width, height, "#ffffff", null, 0, null, null, "background"));
        double titleMax = (width - 2 * MARGIN) / (TITLE_FONT * CHAR);
        out.add(new Text(
                MARGIN,
                MARGIN + TITLE_FONT,
                fit("Physical memory for kdump: " + model.title(), titleMax),
                TITLE_FONT,
                true,
                Anchor.START,
                INK,
                "title"));
        double lineMax = (width - 2 * MARGIN) / (FONT * CHAR);
        out.add(new Text(
                MARGIN,
                MARGIN + TITLE_FONT + LINE + 6,
                fit(model.summary(), lineMax),
                FONT,
                false,
                Anchor.START,
                GREY,
                "subtitle"));
        for (Panel p : panels) {
            draw(p, out);
        }
        out.add(new Text(MARGIN, legendTop + LINE, "Legend", PANEL_FONT, true, Anchor.START, INK, "legend-title"));
        for (LegendItem li : legend) {
            MapLayer m = li.layer();
            Box s = li.swatch();
            out.add(new Rect(s.x(), s.y(), s.w(), s.h(), m.fill(), m.stroke(), 1, m.hatch(), null, "swatch"));
            out.add(new Text(li.textX(), li.textY(), m.legend(), FONT, false, Anchor.START, INK, "legend"));
        }
        for (int i = 0; i < notes.size(); i++) {
            out.add(new Text(
                    MARGIN,
                    notesTop + (i + 1) * LINE,
                    fit(notes.get(i), lineMax),
                    FONT,
                    false,
                    Anchor.START,
                    GREY,
                    "note"));
        }
        return out;
    }

    private void draw(Panel p, List<Shape> out) {
        double l = p.scale().x0();
        double r = p.scale().x1();
        double lineMax = (width - 2 * MARGIN) / (PANEL_FONT * CHAR);
        out.add(new Text(
                MARGIN,
                p.frame().y() + PANEL_FONT,
                fit(p.title(), lineMax),
                PANEL_FONT,
                true,
                Anchor.START,
                INK,
                "panel-title"));
        for (RowBand row : p.rows()) {
            out.add(new Rect(l, row.y(), r - l, row.h(), "#f8f8f8", null, 0, null, null, "row"));
            out.add(new Text(
                    l - 8,
                    row.y() + row.h() / 2 + FONT * 0.35,
                    row.row().title(),
                    FONT,
                    false,
                    Anchor.END,
                    GREY,
                    "row-title"));
        }
        // zoom marks: tinted columns behind the bars, brackets above the labels
        for (Mark m : p.marks()) {
            out.add(new Rect(
                    m.x0(),
                    p.rowsTop() - 2,
                    Math.max(1, m.x1() - m.x0()),
                    p.rowsBottom() - p.rowsTop() + 4,
                    m.tint(),
                    null,
                    0,
                    null,
                    m.text(),
                    "zoom-area"));
        }
        for (Mark m : p.marks()) {
            out.add(new Rect(
                    m.x0(),
                    p.rowsTop() - 2,
                    Math.max(1, m.x1() - m.x0()),
                    p.rowsBottom() - p.rowsTop() + 4,
                    null,
                    "#8aa0c0",
                    0.8,
                    null,
                    null,
                    "zoom-outline"));
        }
        for (Tick t : p.ticks()) {
            out.add(new Line(t.x(), p.rowsTop(), t.x(), p.axisY(), GRID, 1, false, "grid"));
        }
        for (PlacedBar pb : p.bars()) {
            MapBar b = pb.bar();
            Box x = pb.box();
            MapLayer m = b.layer();
            String tip = b.runs() == 1
                    ? new MapRegion(m, b.label(), b.start(), b.endInclusive()).describe()
                    : b.runs() + " RAM runs merged to stay visible [" + Hex.hex(b.start()) + " - "
                            + Hex.hex(b.endInclusive()) + "]";
            out.add(new Rect(
                    x.x(),
                    x.y(),
                    x.w(),
                    x.h(),
                    m.fill(),
                    m.stroke(),
                    1,
                    m.hatch(),
                    tip,
                    "bar layer-" + m.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " row-"
                            + b.row().name().toLowerCase(java.util.Locale.ROOT)));
        }
        out.add(new Line(l, p.axisY(), r, p.axisY(), "#888888", 1, false, "axis"));
        for (double x : p.minorTicks()) {
            out.add(new Line(x, p.axisY(), x, p.axisY() + 3, "#aaaaaa", 1, false, "minor-tick"));
        }
        for (Tick t : p.ticks()) {
            out.add(new Line(t.x(), p.axisY() - 2, t.x(), p.axisY() + 5, "#555555", 1, false, "tick"));
            double cx = t.box().x() + t.box().w() / 2;
            for (int i = 0; i < t.lines().size(); i++) {
                out.add(new Text(
                        cx,
                        t.box().y() + (i + 1) * LINE - 2,
                        t.lines().get(i),
                        FONT,
                        false,
                        Anchor.MIDDLE,
                        i == 0 ? INK : GREY,
                        "tick-label"));
            }
        }
        for (Mark m : p.marks()) {
            double y = m.y();
            String col = "#5a6f90";
            out.add(new Line(m.x0(), y, m.x1(), y, col, 1.5, false, "zoom-bracket"));
            out.add(new Line(m.x0(), y - 4, m.x0(), y + 4, col, 1.5, false, "zoom-bracket"));
            out.add(new Line(m.x1(), y - 4, m.x1(), y + 4, col, 1.5, false, "zoom-bracket"));
            String text = textWidth(m.text(), FONT) + 8 <= m.x1() - m.x0() ? m.text() : m.tag();
            double tw = textWidth(text, FONT) + 6;
            double cx = Math.max(MARGIN + tw / 2, Math.min(width - MARGIN - tw / 2, (m.x0() + m.x1()) / 2));
            out.add(new Rect(cx - tw / 2, y - LINE / 2 - 1, tw, LINE + 2, "#ffffff", null, 0, null, null, "zoom-tag"));
            out.add(new Text(cx, y + FONT * 0.35, text, FONT, true, Anchor.MIDDLE, col, "zoom-tag"));
        }
        for (Label lb : p.labels()) {
            MapLayer m = lb.bar().layer();
            Box b = lb.box();
            if (lb.inline()) {
                double top = b.y() + (b.h() - lb.lines().size() * LINE) / 2;
                for (int i = 0; i < lb.lines().size(); i++) {
                    out.add(new Text(
                            b.x() + b.w() / 2,
                            top + (i + 1) * LINE - 3,
                            lb.lines().get(i),
                            FONT,
                            i == 0,
                            Anchor.MIDDLE,
                            m.dark() ? "#ffffff" : INK,
                            "inline-label"));
                }
                continue;
            }
            out.add(new Line(lb.leaderX(), lb.leaderY0(), lb.leaderX(), lb.leaderY1(), m.stroke(), 1, false, "leader"));
            out.add(new Rect(
                    lb.leaderX() - 1.5,
                    lb.leaderY0() - (lb.leaderY0() < lb.leaderY1() ? 1.5 : 1.5),
                    3,
                    3,
                    m.stroke(),
                    null,
                    0,
                    null,
                    null,
                    "leader-end"));
            out.add(new Rect(b.x(), b.y(), b.w(), b.h(), "#ffffff", m.stroke(), 0.8, null, null, "label"));
            boolean chipRight = lb.leaderX() > b.x() + b.w() / 2;
            double chipX = chipRight ? b.x1() - 5 : b.x();
            out.add(new Rect(chipX, b.y(), 5, b.h(), m.fill(), m.stroke(), 0.8, m.hatch(), null, "label-chip"));
            double tx = chipRight ? b.x() + 5 : b.x() + 9;
            for (int i = 0; i < lb.lines().size(); i++) {
                out.add(new Text(
                        tx,
                        b.y() + 2 + (i + 1) * LINE - 2,
                        lb.lines().get(i),
                        FONT,
                        i == 0,
                        Anchor.START,
                        i == 0 ? INK : GREY,
                        "label-text"));
            }
        }
    }

    static String fit(String s, double maxChars) {
        int n = (int) Math.floor(maxChars);
        return s.length() <= n ? s : s.substring(0, Math.max(0, n - 1)) + "\u2026";
    }
}
