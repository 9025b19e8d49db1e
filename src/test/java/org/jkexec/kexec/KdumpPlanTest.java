package org.jkexec.kexec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A plan is built by name; a part left out is refused when it is built, not found later by a printer. */
class KdumpPlanTest {
    @Test
    void aPlanWithoutItsPartsIsNotBuilt() {
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> KdumpPlan.builder().segments(java.util.List.of()).build());
        assertTrue(e.getMessage().contains("elfCoreHeader"), e.getMessage());
    }
}
