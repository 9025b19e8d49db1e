package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.jkexec.kexec.PlanOptions;
import org.junit.jupiter.api.Test;

class PlanningOptionsTest {
    private static PlanOptions seeded(String seed) {
        PlanningOptions o = new PlanningOptions();
        o.holeSearch = "linux-6.12";
        o.seed = seed;
        return o.options();
    }

    @Test
    void randomSeedsDifferFromRunToRunAndFillAllOfRngSeed() {
        PlanOptions a = seeded("random");
        PlanOptions b = seeded("random");
        assertEquals(128, a.rngSeed().length);
        assertNotEquals(a.kaslrSeed(), b.kaslrSeed());
        assertFalse(Arrays.equals(a.rngSeed(), b.rngSeed()));
        byte[] zeros = new byte[128];
        assertFalse(Arrays.equals(zeros, a.rngSeed()));
    }

    @Test
    void hexSeedsRepeatAndNoneOmitsBoth() {
        PlanOptions a = seeded("6a6b");
        assertEquals(0x6a6b6a6b6a6b6a6bL, a.kaslrSeed());
        assertArrayEquals(a.rngSeed(), seeded("6a6b").rngSeed());
        assertEquals((byte) 0x6b, a.rngSeed()[127]);
        PlanOptions none = seeded("none");
        assertNull(none.kaslrSeed());
        assertNull(none.rngSeed());
    }

    @Test
    void randomBytesAreAsLongAsAsked() {
        assertEquals(136, PlanningOptions.randomBytes(136).length);
        assertEquals(0, PlanningOptions.randomBytes(0).length);
    }

    /** What bash completion offers is what the options accept. */
    @Test
    void everyCompletedValueIsAccepted() {
        for (String h : new PlanningOptions.HoleSearches()) {
            for (String f : new PlanningOptions.FdtSizes()) {
                for (String p : new PlanningOptions.Placements()) {
                    PlanningOptions o = new PlanningOptions();
                    o.holeSearch = h;
                    o.fdtSize = f;
                    o.placement = p;
                    o.seed = "none";
                    o.options();
                }
            }
        }
        for (String m : new PlanInputs.Mmus()) {
            org.jkexec.capture.PagingFacts.mmuName(m, "--mmu");
        }
        for (String f : new MapCommand.Formats()) {
            org.jkexec.app.MapService.Format.parse(f);
        }
    }
}
