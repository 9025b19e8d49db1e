package org.jkexec.verify;

/** Outcome of one check. Only {@link #FAIL} makes {@code jkexec verify} exit non-zero. */
public enum CheckStatus {
    /** The property holds. */
    PASS("✓"),
    /** It holds for the dump, but something deviates from what the kernel's own loader does. */
    WARN("!"),
    /** It does not hold: the dump is (or may be) incomplete or wrong. */
    FAIL("✗"),
    /** Not checkable with the inputs given (details say what is missing). */
    SKIP("–");

    private final String symbol;

    CheckStatus(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The worse of two statuses (FAIL > WARN > PASS > SKIP). */
    public CheckStatus worst(CheckStatus o) {
        return rank(o) > rank(this) ? o : this;
    }

    private static int rank(CheckStatus s) {
        return switch (s) {
            case SKIP -> 0;
            case PASS -> 1;
            case WARN -> 2;
            case FAIL -> 3;
        };
    }
}
