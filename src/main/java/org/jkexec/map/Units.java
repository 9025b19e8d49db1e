package org.jkexec.map;

import org.jkexec.units.ByteSize;

/** Addresses as amounts, for the axis labels of a map. */
public final class Units {
    private Units() {}

    /** An address as an approximate amount: exact ones as they are ("512 MiB"), others after "~" ("~520 MiB"); 0 as "0". */
    public static String approx(long value) {
        if (value == 0) {
            return "0";
        }
        String a = ByteSize.text(value);
        return ByteSize.exact(value) ? a : "~" + a;
    }
}
