package org.jkexec.map;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.jkexec.units.ByteSize;

/**
 * Maps physical addresses of a window {@code [lo, hi]} to positions {@code [x0, x1]}: piecewise
 * linear between breakpoints. A linear scale has two breakpoints; the segmented (overview) scale
 * has one at every region boundary, and gives each stretch between two of them a width that
 * grows with the logarithm of its length, so a 4 KiB region and 60 TiB of plain RAM share one
 * bar and both stay visible.
 */
public final class AxisScale {
    /** Weight factor of stretches holding nothing but RAM (and crashkernel): compressed harder. */
    static final double PLAIN_FACTOR = 0.7;
    /** Weight factor of stretches where RAM runs begin (assigned and unassigned LMBs alternate): room to show them. */
    static final double RAM_RUNS_FACTOR = 1.5;
    /** Stretches of at most this many bytes get the minimum weight (4 KiB: one page). */
    static final int LOG_FLOOR = 12;
    /** Up to this many pieces of RAM between holes in the window, each piece's ends are breakpoints. */
    static final int MAX_RUN_BREAKPOINTS = 64;

    private final long lo;
    /** Breakpoint offsets from lo, ascending; off[0] = 0, off[n] = span (exclusive end). */
    private final long[] off;

    private final double[] pos;
    private final boolean linear;

    private AxisScale(long lo, long[] off, double[] pos, boolean linear) {
        this.lo = lo;
        this.off = off;
        this.pos = pos;
        this.linear = linear;
    }

    /** A linear scale of the window {@code [lo, hiInclusive]} onto {@code [x0, x1]}. */
    public static AxisScale linear(long lo, long hiInclusive, double x0, double x1) {
        return new AxisScale(lo, new long[] {0, hiInclusive - lo + 1}, new double[] {x0, x1}, true);
    }

    /**
     * The overview scale of the window {@code [lo, hiInclusive]}: breakpoints at the boundaries of
     * the labelled regions and at the ends of RAM, where RAM meets a hole in the address space
     * (of each piece of RAM when there are at most {@link #MAX_RUN_BREAKPOINTS}, else only the
     * lowest and highest RAM address). The boundaries between LMB runs are not: a machine's
     * thousands of runs would each claim a stretch; they are drawn linearly within the stretches
     * and merged where too narrow. Without the
     * ends of RAM, RAM ending far below the next firmware region would share one stretch with the
     * empty space up to it and be drawn a fraction of a pixel wide.
     */
    public static AxisScale segmented(Collection<MapRegion> regions, long lo, long hiInclusive, double x0, double x1) {
        long span = hiInclusive - lo + 1;
        TreeSet<Long> points = new TreeSet<>(Long::compareUnsigned);
        points.add(0L);
        points.add(span);
        List<MapRegion> labelled = new ArrayList<>();
        List<MapRegion> ram = new ArrayList<>();
        for (MapRegion r : regions) {
            if (!r.intersects(lo, hiInclusive)) {
                continue;
            }
            if (!r.layer().labelled()) {
                ram.add(r);
                continue;
            }
            labelled.add(r);
            points.add(Long.compareUnsigned(r.start(), lo) <= 0 ? 0L : r.start() - lo);
            if (Long.compareUnsigned(r.endInclusive(), hiInclusive) < 0) {
                points.add(r.endInclusive() - lo + 1);
            }
        }
        addRamEnds(points, ram, lo, hiInclusive);
        long[] off = points.stream().mapToLong(Long::longValue).toArray();
        int n = off.length - 1;
        boolean[] busy = new boolean[n];
        for (MapRegion r : labelled) {
            if (r.layer() == MapLayer.CRASHKERNEL) {
                continue;
            }
            long s = Long.compareUnsigned(r.start(), lo) <= 0 ? 0 : r.start() - lo;
            long e = Long.compareUnsigned(r.endInclusive(), hiInclusive) >= 0 ? span : r.endInclusive() - lo + 1;
            for (int i = index(off, s); i < n && Long.compareUnsigned(off[i], e) < 0; i++) {
                busy[i] = true;
            }
        }
        int[] runs = new int[n];
        for (MapRegion r : ram) {
            if (Long.compareUnsigned(r.start(), lo) > 0) {
                runs[index(off, r.start() - lo)]++;
            }
        }
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double len = ByteSize.unsigned(off[i + 1] - off[i]);
            w[i] = Math.max(1.0, Math.log(len) / Math.log(2) - LOG_FLOOR + 1)
                    * (busy[i] ? 1.0 : runs[i] > 0 ? RAM_RUNS_FACTOR : PLAIN_FACTOR);
            total += w[i];
        }
        double[] pos = new double[n + 1];
        pos[0] = x0;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += w[i];
            pos[i + 1] = x0 + (x1 - x0) * acc / total;
        }
        pos[n] = x1;
        return new AxisScale(lo, off, pos, false);
    }

    /**
     * Adds the ends of RAM to the breakpoint offsets: where RAM (assigned or not) meets a hole
     * in the address space. Runs of assigned and unassigned LMBs that touch are one piece.
     */
    private static void addRamEnds(TreeSet<Long> points, List<MapRegion> ram, long lo, long hiInclusive) {
        List<long[]> pieces = new ArrayList<>();
        ram.stream()
                .filter(r -> r.layer().row() == MapRow.RAM)
                .sorted((a, b) -> Long.compareUnsigned(a.start(), b.start()))
                .forEach(r -> {
                    long[] last = pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
                    if (last != null && Long.compareUnsigned(r.start(), last[1] + 1) <= 0) {
                        if (Long.compareUnsigned(r.endInclusive(), last[1]) > 0) {
                            last[1] = r.endInclusive();
                        }
                    } else {
                        pieces.add(new long[] {r.start(), r.endInclusive()});
                    }
                });
        if (pieces.isEmpty()) {
            return;
        }
        List<long[]> ends = pieces.size() <= MAX_RUN_BREAKPOINTS
                ? pieces
                : List.of(new long[] {pieces.get(0)[0], pieces.get(pieces.size() - 1)[1]});
        for (long[] p : ends) {
            if (Long.compareUnsigned(p[0], lo) > 0) {
                points.add(p[0] - lo);
            }
            if (Long.compareUnsigned(p[1], hiInclusive) < 0) {
                points.add(p[1] - lo + 1);
            }
        }
    }

    /** Index of the stretch holding offset o (the last stretch for o = span). */
    private static int index(long[] off, long o) {
        int a = 0;
        int b = off.length - 2;
        while (a < b) {
            int m = (a + b + 1) >>> 1;
            if (Long.compareUnsigned(off[m], o) <= 0) {
                a = m;
            } else {
                b = m - 1;
            }
        }
        return a;
    }

    private double at(long o) {
        int i = index(off, o);
        double len = ByteSize.unsigned(off[i + 1] - off[i]);
        double f = ByteSize.unsigned(o - off[i]) / len;
        return pos[i] + (pos[i + 1] - pos[i]) * Math.min(1.0, f);
    }

    private long clampOffset(long addr) {
        if (Long.compareUnsigned(addr, lo) <= 0) {
            return 0;
        }
        long o = addr - lo;
        return Long.compareUnsigned(o, span()) > 0 ? span() : o;
    }

    /** Left edge of the byte at {@code addr} (clamped to the window). */
    public double x(long addr) {
        return at(clampOffset(addr));
    }

    /** Right edge of the byte at {@code endInclusive} (clamped to the window). */
    public double xAfter(long endInclusive) {
        if (Long.compareUnsigned(endInclusive, lo) < 0) {
            return pos[0];
        }
        long o = endInclusive - lo;
        if (Long.compareUnsigned(o, span() - 1) >= 0) {
            return pos[pos.length - 1];
        }
        return at(o + 1);
    }

    public long lo() {
        return lo;
    }

    public long hiInclusive() {
        return lo + span() - 1;
    }

    private long span() {
        return off[off.length - 1];
    }

    public double x0() {
        return pos[0];
    }

    public double x1() {
        return pos[pos.length - 1];
    }

    public boolean isLinear() {
        return linear;
    }

    /** The breakpoint addresses, ascending (the last is one past the window). */
    public List<Long> breakpoints() {
        List<Long> out = new ArrayList<>(off.length);
        for (long o : off) {
            out.add(lo + o);
        }
        return out;
    }

    /** Position of breakpoint i. */
    double breakX(int i) {
        return pos[i];
    }

    /** Number of stretches between breakpoints. */
    public int stretches() {
        return off.length - 1;
    }

    @Override
    public String toString() {
        return (linear ? "linear" : "segmented") + Arrays.toString(pos);
    }
}
