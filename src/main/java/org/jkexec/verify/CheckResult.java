package org.jkexec.verify;

import java.util.List;
import java.util.Objects;

/**
 * One line of the checklist.
 *
 * @param id          stable identifier ("vmcore.ram", "usable.confined", ...)
 * @param description what the check establishes, one line
 * @param status      outcome
 * @param details     findings, one line each: for FAIL/WARN the specific problems first
 */
public record CheckResult(String id, String description, CheckStatus status, List<String> details) {
    public CheckResult {
        Objects.requireNonNull(id);
        Objects.requireNonNull(description);
        Objects.requireNonNull(status);
        details = List.copyOf(details);
    }

    /** The result of check {@code id}. */
    static CheckResult of(CheckId id, CheckStatus status, List<String> details) {
        return new CheckResult(id.id(), id.description(), status, details);
    }

    /** Check {@code id} did not apply, and why. */
    static CheckResult skip(CheckId id, String why) {
        return of(id, CheckStatus.SKIP, List.of(why));
    }

    public boolean failed() {
        return status == CheckStatus.FAIL;
    }

    /** True when some detail line contains {@code text} (for tests and scripts). */
    public boolean mentions(String text) {
        return details.stream().anyMatch(d -> d.contains(text));
    }
}
