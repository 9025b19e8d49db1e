package org.jkexec.map;

import java.util.Objects;
import org.jkexec.units.ByteSize;
import org.jkexec.units.Hex;

/**
 * One thing drawn on the map: a layer, a short label and an inclusive physical range
 * {@code [start, endInclusive]} (unsigned).
 */
public record MapRegion(MapLayer layer, String label, long start, long endInclusive) {
    public MapRegion {
        Objects.requireNonNull(layer);
        Objects.requireNonNull(label);
        if (Long.compareUnsigned(start, endInclusive) > 0) {
            throw new IllegalArgumentException(
                    label + ": start " + Hex.hex(start) + " is above end " + Hex.hex(endInclusive));
        }
    }

    public static MapRegion ofSize(MapLayer layer, String label, long start, long size) {
        if (size == 0) {
            throw new IllegalArgumentException(label + ": empty region");
        }
        return new MapRegion(layer, label, start, start + size - 1);
    }

    /** Bytes covered (0 stands for the whole 2^64 space). */
    public long size() {
        return endInclusive - start + 1;
    }

    public boolean intersects(long lo, long hiInclusive) {
        return Long.compareUnsigned(start, hiInclusive) <= 0 && Long.compareUnsigned(lo, endInclusive) <= 0;
    }

    /** "label [0x..-0x..] size", for tooltips and messages. */
    public String describe() {
        return label + " [" + Hex.hex(start) + " - " + Hex.hex(endInclusive) + "] " + ByteSize.text(size());
    }
}
