package org.jkexec.verify;

import java.util.Map;
import java.util.function.Supplier;

/** A family of related checks: each check that applies to the inputs, under its id. */
interface CheckFamily {
    Map<CheckId, Supplier<CheckResult>> checks();
}
