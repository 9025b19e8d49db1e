package org.jkexec.verify;

import java.util.List;

import org.jkexec.memory.MemRange;

/** How the checks write ranges and addresses in their findings (set algebra is {@link org.jkexec.memory.RangeSet}'s). */
final class Ranges {
    private Ranges() {
    }

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
}
