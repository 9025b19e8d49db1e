package org.jkexec.kexec;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a kdump kernel could not boot from a plan, in its parts: an early allocation the plan
 * leaves no room for, what jkexec's placement rule tried about it, and a crashkernel= that
 * would work. A plan with a boot problem is never loaded.
 *
 * @param unmet  the allocation left unmet and what follows ("crashkernel ... leaves no 64 KiB
 *               free below 1 GiB for the RTAS user buffer: the kdump kernel would stop ...")
 * @param remedy how jkexec's rule (an enlarged backup region) failed, said as a continuation
 *               (", even with a backup region of 1 MiB"), "" when no placement could help; empty
 *               when the kernel's placement was kept on request ({@code --placement kernel}) and
 *               no remedy was tried
 * @param fix    a crashkernel= that leaves every allocation room, when one exists
 */
public record BootProblem(String unmet, Optional<String> remedy, Optional<String> fix) {
    public BootProblem {
        Objects.requireNonNull(unmet);
        Objects.requireNonNull(remedy);
        Objects.requireNonNull(fix);
    }

    /**
     * A problem no placement inside crashkernel mends (where the kdump kernel must run, or what
     * it sets aside, depends on crashkernel itself): nothing to try, only another crashkernel=.
     */
    public static BootProblem inEveryPlacement(String unmet, Optional<String> fix) {
        return new BootProblem(unmet, Optional.of(""), fix);
    }

    /** The kernel's placement kept on request: nothing tried. */
    public static BootProblem keptKernelsPlacement(String unmet, Optional<String> fix) {
        return new BootProblem(unmet, Optional.empty(), fix);
    }

    /** jkexec's rule tried and failed as {@code remedy} says. */
    public static BootProblem remedyFailed(String unmet, String remedy, Optional<String> fix) {
        return new BootProblem(unmet, Optional.of(remedy), fix);
    }

    /** The whole problem in one line, as plan, load and the plan's JSON say it. */
    public String text() {
        String works = fix.map(f -> "; " + f + " would work").orElse("");
        return remedy.map(r -> unmet + r + works)
                .orElseGet(() -> unmet + " (the kernel's placement, kept by --placement "
                        + "kernel; jkexec's default placement departs from it here by a documented rule" + works + ")");
    }

    @Override
    public String toString() {
        return text();
    }
}
