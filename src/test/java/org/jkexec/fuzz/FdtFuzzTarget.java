package org.jkexec.fuzz;

import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;

/** The DTB parser: every blob parses or is refused; what parses survives every writer and reads back the same. */
public final class FdtFuzzTarget {
    private FdtFuzzTarget() {}

    public static void fuzzerTestOneInput(byte[] data) {
        Fdt fdt;
        try {
            fdt = Fdt.parse(data, "fuzz.dtb");
        } catch (JkexecException expected) {
            return;
        }
        byte[] blob = fdt.toBlob();
        same(fdt, Fdt.parse(blob, "round-trip"));
        fdt.toDts();
        int size = fdt.inPlaceMinimumSize();
        if (size < (1 << 22)) {
            same(fdt, Fdt.parse(fdt.toBlobInPlace(size), "in-place"));
        }
    }

    private static void same(Fdt a, Fdt b) {
        Optional<String> d = a.firstDifference(b);
        if (d.isPresent()) {
            throw new AssertionError("does not read back the same: " + d.get());
        }
    }
}
