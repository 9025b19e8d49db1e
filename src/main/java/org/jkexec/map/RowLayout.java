package org.jkexec.map;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places the regions of one row of one panel as bars: every bar at least {@code minWidth} wide,
 * regions that overlap in memory in separate lanes, bars of one lane packed so they neither
 * overlap nor change order. RAM runs narrower than {@code minWidth} are merged with their tiny
 * neighbours, so a row holds at most about (width / minWidth) RAM bars whatever the number of
 * runs. Bars drawn to scale keep their size where possible: a widened bar moves off its
 * neighbour rather than eating into it.
 */
final class RowLayout {
    private RowLayout() {}

    static List<MapBar> layout(MapRow row, List<MapRegion> regions, AxisScale s, double minWidth) {
        List<MapRegion> in = new ArrayList<>();
        for (MapRegion r : regions) {
            if (r.layer().row() == row && r.intersects(s.lo(), s.hiInclusive())) {
                in.add(r);
            }
        }
        in.sort(Comparator.comparing(MapRegion::start, Long::compareUnsigned));
        return row == MapRow.RAM ? ram(in, s, minWidth) : lanes(row, in, s, minWidth);
    }

    /** Number of lanes of a row's bars. */
    static int lanes(List<MapBar> bars) {
        return bars.stream().mapToInt(MapBar::lane).max().orElse(-1) + 1;
    }

    private static List<MapBar> ram(List<MapRegion> in, AxisScale s, double minWidth) {
        List<MapBar> out = new ArrayList<>();
        int i = 0;
        while (i < in.size()) {
            MapRegion r = in.get(i);
            double x0 = s.x(r.start());
            double x1 = s.xAfter(r.endInclusive());
            if (x1 - x0 >= minWidth) {
                out.add(new MapBar(MapRow.RAM, r.layer(), r.label(), r.start(), r.endInclusive(), 1, 0, x0, x1));
                i++;
                continue;
            }
            // a cluster of contiguous tiny runs becomes one bar
            int j = i + 1;
            double end = x1;
            boolean assigned = r.layer() == MapLayer.RAM;
            boolean unassigned = !assigned;
            long last = r.endInclusive();
            while (j < in.size()) {
                MapRegion n = in.get(j);
                double n0 = s.x(n.start());
                double n1 = s.xAfter(n.endInclusive());
                if (n1 - n0 >= minWidth || n0 - end > 0.5) {
                    break;
                }
                end = Math.max(end, n1);
                last = n.endInclusive();
                assigned |= n.layer() == MapLayer.RAM;
                unassigned |= n.layer() != MapLayer.RAM;
                j++;
            }
            int runs = j - i;
            MapLayer layer = assigned && unassigned ? MapLayer.RAM_MIXED : r.layer();
            String label = runs == 1 ? r.label() : runs + " RAM runs";
            out.add(new MapBar(MapRow.RAM, layer, label, r.start(), last, runs, 0, x0, end));
            i = j;
        }
        return pack(out, s, minWidth);
    }

    private static List<MapBar> lanes(MapRow row, List<MapRegion> in, AxisScale s, double minWidth) {
        List<Long> laneEnd = new ArrayList<>();
        List<List<MapBar>> lanes = new ArrayList<>();
        for (MapRegion r : in) {
            int lane = -1;
            for (int l = 0; l < laneEnd.size(); l++) {
                if (Long.compareUnsigned(laneEnd.get(l), r.start()) < 0) {
                    lane = l;
                    break;
                }
            }
            if (lane < 0) {
                lane = laneEnd.size();
                laneEnd.add(0L);
                lanes.add(new ArrayList<>());
            }
            laneEnd.set(lane, r.endInclusive());
            lanes.get(lane)
                    .add(new MapBar(
                            row,
                            r.layer(),
                            r.label(),
                            r.start(),
                            r.endInclusive(),
                            1,
                            lane,
                            s.x(r.start()),
                            s.xAfter(r.endInclusive())));
        }
        List<MapBar> out = new ArrayList<>();
        for (List<MapBar> lane : lanes) {
            out.addAll(pack(lane, s, minWidth));
        }
        return out;
    }

    /**
     * One lane (bars in address order, not overlapping in memory): widen bars below minWidth
     * about their centre, then remove overlaps left to right (moving a widened bar, else
     * trimming whichever neighbour has room, else pushing right), and back from the right end.
     */
    static List<MapBar> pack(List<MapBar> lane, AxisScale s, double minWidth) {
        int n = lane.size();
        double lo = s.x0();
        double hi = s.x1();
        double min = Math.min(minWidth, (hi - lo) / Math.max(1, n));
        double[] a = new double[n];
        double[] b = new double[n];
        boolean[] widened = new boolean[n];
        for (int i = 0; i < n; i++) {
            a[i] = lane.get(i).x0();
            b[i] = lane.get(i).x1();
            if (b[i] - a[i] < min) {
                double c = (a[i] + b[i]) / 2;
                a[i] = c - min / 2;
                b[i] = c + min / 2;
                widened[i] = true;
            }
        }
        if (n > 0 && a[0] < lo) {
            shift(a, b, 0, lo - a[0]);
        }
        for (int i = 1; i < n; i++) {
            double ov = b[i - 1] - a[i];
            if (ov <= 0) {
                continue;
            }
            if (!widened[i]) {
                ov -= trim(a, b, i - 1, ov, min, true);
                ov -= trim(a, b, i, ov, min, false);
            }
            if (ov > 0) {
                shift(a, b, i, ov);
            }
        }
        if (n > 0 && b[n - 1] > hi) {
            shift(a, b, n - 1, hi - b[n - 1]);
            for (int i = n - 2; i >= 0; i--) {
                double ov = b[i] - a[i + 1];
                if (ov <= 0) {
                    continue;
                }
                if (!widened[i]) {
                    ov -= trim(a, b, i, ov, min, true);
                    ov -= trim(a, b, i + 1, ov, min, false);
                }
                if (ov > 0) {
                    shift(a, b, i, -ov);
                }
            }
        }
        List<MapBar> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MapBar m = lane.get(i);
            out.add(new MapBar(
                    m.row(),
                    m.layer(),
                    m.label(),
                    m.start(),
                    m.endInclusive(),
                    m.runs(),
                    m.lane(),
                    Math.max(lo, a[i]),
                    Math.min(hi, b[i])));
        }
        return out;
    }

    private static void shift(double[] a, double[] b, int i, double d) {
        a[i] += d;
        b[i] += d;
    }

    /** Trims up to {@code ov} from bar i's right end (or left end) without going below min; returns the amount. */
    private static double trim(double[] a, double[] b, int i, double ov, double min, boolean rightEnd) {
        if (ov <= 0) {
            return 0;
        }
        double take = Math.min(Math.max(0, b[i] - a[i] - min), ov);
        if (rightEnd) {
            b[i] -= take;
        } else {
            a[i] += take;
        }
        return take;
    }
}
