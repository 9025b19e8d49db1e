package org.jkexec.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The boot problem in its parts: the whole line as plan says it, the unmet allocation alone as load says it. */
class BootProblemTest {
    static final String UNMET = "crashkernel 0x40000000-0x4fffffff leaves no 64 KiB free below 1 GiB for the RTAS user "
            + "buffer: the kdump kernel would stop in early boot before printing anything";

    @Test
    void keptKernelsPlacementSaysSoAndTheFix() {
        BootProblem p = BootProblem.keptKernelsPlacement(UNMET, Optional.of("crashkernel=256M@512M"));
        assertEquals(
                UNMET + " (the kernel's placement, kept by --placement kernel; jkexec's default placement departs "
                        + "from it here by a documented rule; crashkernel=256M@512M would work)",
                p.text());
        assertEquals(
                UNMET, p.unmet(), "what kexec_file_load's refusal names, without the words about jkexec's placement");
    }

    @Test
    void aFailedRemedyFollowsTheUnmetAllocation() {
        BootProblem p = BootProblem.remedyFailed(UNMET, ", even with a backup region of 1 MiB", Optional.empty());
        assertEquals(UNMET + ", even with a backup region of 1 MiB", p.text());
        assertEquals(p.text(), p.toString());
    }
}
