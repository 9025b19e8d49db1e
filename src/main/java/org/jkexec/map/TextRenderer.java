package org.jkexec.map;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;

/**
 * The map for terminals: per panel one text bar per row lane (one character per column, a
 * letter per layer), an axis line of hex addresses, a legend and a table of regions. No line is
 * longer than the requested width.
 */
public final class TextRenderer {
    public static final int DEFAULT_WIDTH = 100;
    public static final int MIN_WIDTH = 40;
    public static final int MAX_WIDTH = 1000;
    /** RAM runs listed in the table before the rest is summarised. */
    static final int RAM_TABLE_ROWS = 16;

    private static final int NAME_W = 12;

    private TextRenderer() {}

    public static String render(MemoryMapModel model, int width) {
        if (width < MIN_WIDTH || width > MAX_WIDTH) {
            throw new IllegalArgumentException("width " + width + " is outside " + MIN_WIDTH + ".." + MAX_WIDTH);
        }
        List<String> out = new ArrayList<>();
        out.add("Physical memory for kdump: " + model.title());
        out.addAll(wrap(model.summary(), width));
        int cols = width - 2 - NAME_W - 2;
        long lo = model.lowest();
        long hi = model.highest();
        if (model.regions().isEmpty()) {
            hi = 0xfff;
        }
        Set<MapLayer> seen = EnumSet.noneOf(MapLayer.class);
        out.add("");
        out.add("Whole machine " + Hex.hex(lo) + " - " + Hex.hex(hi) + " (" + ByteSize.text(hi - lo + 1)
                + "), not to scale: each stretch sized by log of its length");
        panel(out, model, AxisScale.segmented(MapLayout.overviewRegions(model), lo, hi, 0, cols), seen);
        MapRegion f = model.focusWindow();
        if (f != null) {
            out.add("");
            out.add("A: crashkernel " + Hex.hex(f.start()) + " - " + Hex.hex(f.endInclusive()) + " ("
                    + ByteSize.text(f.size()) + "), linear");
            panel(out, model, AxisScale.linear(f.start(), f.endInclusive(), 0, cols), seen);
        }
        Optional<MapRegion> low = model.lowWindow();
        if (low.isPresent()) {
            long end = MapLayout.niceEnd(low.get().endInclusive());
            out.add("");
            out.add("B: low memory 0x0 - " + Hex.hex(end) + " (" + ByteSize.text(end + 1) + "), linear");
            panel(out, model, AxisScale.linear(0, end, 0, cols), seen);
        }
        out.add("");
        StringBuilder legend = new StringBuilder("Legend:");
        for (MapLayer m : seen) {
            String item = m.symbol() + " " + m.legend();
            if (legend.length() + 2 + item.length() > width) {
                out.add(legend.toString());
                legend.setLength(0);
                legend.append("       ");
            }
            legend.append("  ").append(item);
        }
        out.add(legend.toString());
        out.add("");
        table(out, model, width);
        StringBuilder sb = new StringBuilder();
        for (String line : out) {
            sb.append(clip(line, width).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static void panel(List<String> out, MemoryMapModel model, AxisScale s, Set<MapLayer> seen) {
        int cols = (int) Math.round(s.x1());
        for (MapRow row : MapRow.values()) {
            List<MapBar> bars = RowLayout.layout(row, model.regions(), s, 1);
            if (bars.isEmpty() && row != MapRow.RAM) {
                continue;
            }
            int lanes = Math.max(1, RowLayout.lanes(bars));
            for (int lane = 0; lane < lanes; lane++) {
                char[] cells = new char[cols];
                Arrays.fill(cells, ' ');
                final int l = lane;
                List<MapBar> mine =
                        new ArrayList<>(bars.stream().filter(b -> b.lane() == l).toList());
                mine.sort(Comparator.comparingDouble(MapBar::width).reversed());
                for (MapBar b : mine) {
                    // the cells whose centres the bar covers; a bar covering none gets the cell of its centre
                    int c0 = (int) Math.ceil(b.x0() - 0.5);
                    int c1 = (int) Math.floor(b.x1() - 0.5);
                    if (c1 < c0) {
                        c0 = (int) Math.floor(b.center());
                        c1 = c0;
                    }
                    c0 = Math.max(0, Math.min(cols - 1, c0));
                    c1 = Math.max(c0, Math.min(cols - 1, c1));
                    Arrays.fill(cells, c0, c1 + 1, b.layer().symbol());
                    seen.add(b.layer());
                }
                String name = lane == 0 ? row.title() : "";
                out.add("  " + pad(name, NAME_W) + "|" + new String(cells) + "|");
            }
        }
        char[] axis = new char[cols + 2];
        Arrays.fill(axis, ' ');
        boolean[] used = new boolean[cols + 2];
        long end = s.hiInclusive() + 1;
        for (long a : MapLayout.tickCandidates(s, model, Math.max(2, cols / 18), new ArrayList<>())) {
            int c = (int) Math.round(a == end ? s.x1() : s.x(a));
            c = Math.max(0, Math.min(cols, c));
            String hex = Hex.hex(a);
            // the label after its caret where it fits, else before it (a neighbour may hold one side)
            for (boolean after : new boolean[] {true, false}) {
                String text = after ? "^" + hex : hex + "^";
                int from = after ? c : c - hex.length();
                if (from < 0 || from + text.length() > cols + 1 || !free(used, from, text.length())) {
                    continue;
                }
                for (int i = 0; i < text.length(); i++) {
                    axis[from + i] = text.charAt(i);
                    used[from + i] = true;
                }
                break;
            }
        }
        out.add("  " + pad("", NAME_W) + new String(axis));
    }

    /** No label in {@code [from - 1, from + length]}: labels keep a blank between them. */
    private static boolean free(boolean[] used, int from, int length) {
        for (int i = Math.max(0, from - 1); i < Math.min(used.length, from + length + 1); i++) {
            if (used[i]) {
                return false;
            }
        }
        return true;
    }

    private static void table(List<String> out, MemoryMapModel model, int width) {
        long max = model.highest();
        int hexW = 2 + Hex.digits(max);
        int sizeW = 9;
        int fixedWithEnd = 2 + 2 + 1 + hexW + 1 + hexW + 1 + sizeW;
        boolean withEnd = width - fixedWithEnd >= 12;
        int fixed = withEnd ? fixedWithEnd : fixedWithEnd - hexW - 1;
        int labelW = Math.max(6, Math.min(36, width - fixed));
        out.add("Regions");
        out.add(row(
                "  " + "  " + pad("region", labelW), pad("start", hexW), withEnd ? pad("end", hexW) : null, "size"));
        int ram = 0;
        int ramTotal = 0;
        for (MapRegion r : model.regions()) {
            if (!r.layer().labelled()) {
                ramTotal++;
            }
        }
        for (MapRegion r : model.regions()) {
            if (!r.layer().labelled() && ram++ >= RAM_TABLE_ROWS) {
                continue;
            }
            String label = r.label().length() > labelW ? r.label().substring(0, labelW - 1) + "~" : r.label();
            out.add(row(
                    "  " + r.layer().symbol() + " " + pad(label, labelW),
                    Hex.padded(r.start(), hexW - 2),
                    withEnd ? Hex.padded(r.endInclusive(), hexW - 2) : null,
                    padLeft(ByteSize.text(r.size()), sizeW)));
        }
        if (ramTotal > RAM_TABLE_ROWS) {
            out.add("  ... and " + (ramTotal - RAM_TABLE_ROWS) + " more RAM runs");
        }
    }

    private static String row(String head, String start, String end, String size) {
        return head + " " + start + (end == null ? "" : " " + end) + " " + size;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }

    private static String clip(String s, int w) {
        return s.length() <= w ? s : s.substring(0, w - 1) + "~";
    }

    /** Word-wraps at spaces; words longer than the width are cut. */
    static List<String> wrap(String s, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
    }
}
