package org.jkexec.verify;

import static org.jkexec.units.Hex.hex;

import java.util.List;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Region;

/** How the checks write ranges, regions and reserve entries in their findings (set algebra is {@link org.jkexec.memory.RangeSet}'s). */
final class Ranges {
    private Ranges() {}

    static String str(MemRange r) {
        return String.format("[0x%x-0x%x]", r.start(), r.end());
    }

    static String str(List<MemRange> l) {
        StringBuilder sb = new StringBuilder();
        for (MemRange r : l) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(str(r));
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** A firmware region: its kind and range. */
    static String lbl(Region r) {
        return r.kind().label() + " " + str(r.range());
    }

    /** A reserve entry as (address, size). */
    static String entry(ReserveEntry e) {
        return "(" + hex(e.address()) + ", " + hex(e.size()) + ")";
    }
}
