package org.jkexec.map;

/**
 * One drawn bar of a panel row, in the panel's units (pixels or text columns).
 *
 * @param row          the row
 * @param layer        what it shows ({@link MapLayer#RAM_MIXED} for merged runs of both kinds)
 * @param label        the region's label, or a description of the merged runs
 * @param start        first byte of the region (of the first merged run)
 * @param endInclusive last byte of the region (of the last merged run)
 * @param runs         regions merged into this bar (1 for a single region)
 * @param lane         lane within the row (0 nearest the row's labels) for overlapping regions
 * @param x0           left edge
 * @param x1           right edge
 */
public record MapBar(
        MapRow row,
        MapLayer layer,
        String label,
        long start,
        long endInclusive,
        int runs,
        int lane,
        double x0,
        double x1) {
    public double width() {
        return x1 - x0;
    }

    public double center() {
        return (x0 + x1) / 2;
    }

    public long size() {
        return endInclusive - start + 1;
    }
}
