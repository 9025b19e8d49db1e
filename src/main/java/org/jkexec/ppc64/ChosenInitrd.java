package org.jkexec.ppc64;

import java.util.Optional;
import org.jkexec.fdt.FdtNode;

/**
 * /chosen's linux,initrd-start and linux,initrd-end as firmware or the kernel wrote them (one
 * cell or two each; skiboot writes one). The readers differ in what they make of the pair:
 * the kernel reserves [start, end] when it retains the initrd, and the reserve-map entry it
 * left for the initrd is [start, end).
 *
 * @param start      linux,initrd-start
 * @param end        linux,initrd-end
 * @param cellsValid whether both values are at least one cell long
 */
record ChosenInitrd(long start, long end, boolean cellsValid) {
    /** The pair, when {@code chosen} has both properties. */
    static Optional<ChosenInitrd> of(FdtNode chosen) {
        Optional<byte[]> s = chosen.value("linux,initrd-start");
        Optional<byte[]> e = chosen.value("linux,initrd-end");
        if (s.isEmpty() || e.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ChosenInitrd(
                Cells.number(s.get()), Cells.number(e.get()), s.get().length >= 4 && e.get().length >= 4));
    }
}
