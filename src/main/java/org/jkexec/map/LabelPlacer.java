package org.jkexec.map;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.map.MapLayout.Box;

/**
 * Places the labels of one band (above or below a panel's rows) in levels. Each label is a box
 * joined to its bar by a vertical leader. Guarantees: no two labels overlap. Aims for (and for
 * all but pathological crowds achieves): no leader crosses a label, and the fewest levels.
 *
 * <p>Greedy with a look-ahead: at each step, of the labels still to place, the one that fits at
 * the lowest level goes next, at a position that neither overlaps placed labels or leaders nor
 * covers the whole bar of a label still to place (whose leader would then have to cross it).
 * Clusters of tiny bars thus become staircases, outermost label highest.
 */
final class LabelPlacer {
    /** Gap between a band's edge and its first level, and between levels. */
    static final double GAP = 6;

    static final double BOX_MARGIN = 3;
    static final double LEADER_MARGIN = 1.5;
    static final int MAX_LEVELS = 200;
    /** Above this many labels in a band, the look-ahead (quadratic) is skipped. */
    static final int LOOKAHEAD_MAX = 48;

    /** A label to place: its size and its bar's extent; barY is the bar edge facing the band. */
    record Request(double w, double h, double barX0, double barX1, double barY) {
        double center() {
            return (barX0 + barX1) / 2;
        }
    }

    /** A placed label: its box and the leader from (x, y0) on the bar to (x, y1) on the box. */
    record Placed(Box box, double leaderX, double leaderY0, double leaderY1, int level) {}

    private final double left;
    private final double right;
    private final double middle;
    private final boolean above;
    private final double edge;
    private final List<Box> boxes = new ArrayList<>();
    private final List<Box> leaders = new ArrayList<>();
    private int maxLevel = -1;

    /**
     * @param left   leftmost x a label may use
     * @param right  rightmost x a label may use
     * @param middle labels on either side of it prefer extending towards it
     * @param above  labels go up from {@code edge} (y decreasing), else down
     * @param edge   y of the band's edge nearest the rows
     */
    LabelPlacer(double left, double right, double middle, boolean above, double edge) {
        this.left = left;
        this.right = right;
        this.middle = middle;
        this.above = above;
        this.edge = edge;
    }

    /** Places all requests; the result is in request order. */
    List<Placed> placeAll(List<Request> requests) {
        int n = requests.size();
        Placed[] out = new Placed[n];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(i);
        }
        // preference among equals: nearest the middle first
        pending.sort((p, q) -> Double.compare(
                Math.abs(requests.get(p).center() - middle),
                Math.abs(requests.get(q).center() - middle)));
        while (!pending.isEmpty()) {
            int bestIndex = -1;
            Placed best = null;
            boolean look = pending.size() <= LOOKAHEAD_MAX;
            for (int k = 0; k < pending.size(); k++) {
                int i = pending.get(k);
                List<Request> others = new ArrayList<>();
                for (int j : pending) {
                    if (j != i) {
                        others.add(requests.get(j));
                    }
                }
                Placed p = tryPlace(requests.get(i), others, best == null ? Integer.MAX_VALUE : best.level());
                if (p != null && (best == null || p.level() < best.level())) {
                    best = p;
                    bestIndex = k;
                    if (p.level() == 0) {
                        break;
                    }
                }
                if (!look) {
                    break;
                }
            }
            if (best == null) {
                // nothing fits cleanly: place the preferred one without the look-ahead, or above everything
                bestIndex = 0;
                Request r = requests.get(pending.get(0));
                best = tryPlace(r, List.of(), Integer.MAX_VALUE);
                if (best == null) {
                    best = fallback(r);
                }
            }
            int i = pending.remove(bestIndex);
            out[i] = commit(best);
        }
        return List.of(out);
    }

    /** The lowest clean placement below {@code levelLimit}, or null. */
    private Placed tryPlace(Request r, List<Request> others, int levelLimit) {
        List<Double> anchors = anchors(r);
        int top = Math.min(Math.min(maxLevel + 1, MAX_LEVELS - 1), levelLimit - 1);
        for (int level = 0; level <= top; level++) {
            double y = levelY(level, r.h());
            for (double ax : anchors) {
                for (double bx : positions(ax, r.w())) {
                    Box box = new Box(bx, y, r.w(), r.h());
                    Placed p = leader(box, ax, r.barY(), level);
                    if (fits(box, p) && !blocks(box, others)) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private Placed fallback(Request r) {
        int level = maxLevel + 1;
        double c = r.center();
        double bx = clamp(c - r.w() / 2, r.w());
        Box box = new Box(bx, levelY(level, r.h()), r.w(), r.h());
        return leader(box, Math.max(bx + 1, Math.min(bx + r.w() - 1, c)), r.barY(), level);
    }

    /**
     * Leader positions on the bar: its centre, then spread across it when it is wide, then just
     * beside the placed labels that cover part of it.
     */
    private List<Double> anchors(Request r) {
        List<Double> out = new ArrayList<>();
        double c = r.center();
        out.add(c);
        double bw = r.barX1() - r.barX0();
        if (bw > 12) {
            int steps = (int) Math.min(16, bw / 8);
            for (int i = 1; i <= steps; i++) {
                double f = (double) i / (steps + 1);
                out.add(r.barX0() + bw * f);
            }
            out.add(r.barX0() + 3);
            out.add(r.barX1() - 3);
        }
        double clear = LEADER_MARGIN + 1;
        for (Box b : boxes) {
            for (double x : new double[] {b.x() - clear, b.x1() + clear}) {
                if (x > r.barX0() + 0.5 && x < r.barX1() - 0.5) {
                    out.add(x);
                }
            }
        }
        out.sort((p, q) -> Double.compare(Math.abs(p - c), Math.abs(q - c)));
        return out;
    }

    private double levelY(int level, double h) {
        return above ? edge - (level + 1) * (h + GAP) : edge + GAP + level * (h + GAP);
    }

    /** Label x positions for a leader at ax: extending toward the middle, centred, extending away. */
    private List<Double> positions(double ax, double w) {
        double toward = ax < middle ? ax - 2 : ax + 2 - w;
        double away = ax < middle ? ax + 2 - w : ax - 2;
        List<Double> out = new ArrayList<>(3);
        for (double x : new double[] {toward, ax - w / 2, away}) {
            double cx = clamp(x, w);
            if (ax >= cx + 1 && ax <= cx + w - 1 && !out.contains(cx)) {
                out.add(cx);
            }
        }
        return out;
    }

    private double clamp(double x, double w) {
        return Math.max(left, Math.min(right - w, x));
    }

    private Placed leader(Box box, double ax, double barY, int level) {
        double y1 = above ? box.y() + box.h() : box.y();
        return new Placed(box, ax, barY, y1, level);
    }

    private boolean fits(Box box, Placed p) {
        Box lead = leaderBox(p);
        for (Box b : boxes) {
            if (b.intersects(box, BOX_MARGIN) || b.intersects(lead, LEADER_MARGIN)) {
                return false;
            }
        }
        for (Box l : leaders) {
            if (l.intersects(box, LEADER_MARGIN)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the box leaves too little of another pending label's bar uncovered for a leader
     * to pass beside it.
     */
    private static boolean blocks(Box box, List<Request> others) {
        double clear = LEADER_MARGIN + 1;
        for (Request o : others) {
            double freeLeft = Math.min(o.barX1(), box.x() - clear) - o.barX0();
            double freeRight = o.barX1() - Math.max(o.barX0(), box.x1() + clear);
            if (freeLeft < 2 && freeRight < 2) {
                return true;
            }
        }
        return false;
    }

    private static Box leaderBox(Placed p) {
        double y0 = Math.min(p.leaderY0(), p.leaderY1());
        double y1 = Math.max(p.leaderY0(), p.leaderY1());
        return new Box(p.leaderX() - 0.5, y0, 1, y1 - y0);
    }

    private Placed commit(Placed p) {
        maxLevel = Math.max(maxLevel, p.level());
        boxes.add(p.box());
        leaders.add(leaderBox(p));
        return p;
    }
}
