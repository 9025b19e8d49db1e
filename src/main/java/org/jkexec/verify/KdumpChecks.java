package org.jkexec.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jkexec.JkexecException;

/**
 * The checks behind {@code jkexec verify}: did a kdump kernel get everything the crashed
 * kernel should have handed over? Pure: takes what the kdump kernel received and what was
 * expected, reads nothing, returns one {@link CheckResult} per check in {@link CheckId} order.
 * The checks live in families ({@link VmcoreChecks}, {@link BackupChecks}, {@link NoteChecks},
 * {@link ElfcorehdrChecks}, {@link UsableMemoryChecks}, {@link PlanChecks}) over one
 * {@link CheckContext}.
 *
 * <p>Correct for both loaders the reference data covers: the kernel's kexec_file_load (which
 * prepends {@code elfcorehdr=0x...}, exports RTAS/OPAL exactly, writes
 * {@code /chosen/linux,elfcorehdr}) and kexec-tools (appends {@code elfcorehdr=NNNK}, exports
 * RTAS rounded out to its page size, reserves its own FDT, writes no
 * {@code linux,elfcorehdr}). Deviations of the second kind that do not hurt the dump are WARN.
 */
public final class KdumpChecks {
    private KdumpChecks() {}

    /** Runs every check that applies. */
    public static VerifyReport run(KdumpReceived in, Expected exp) {
        CheckContext c = new CheckContext(in, exp);
        List<CheckFamily> families = List.of(
                new VmcoreChecks(c),
                new BackupChecks(c),
                new NoteChecks(c),
                new ElfcorehdrChecks(c),
                new UsableMemoryChecks(c),
                new PlanChecks(c));
        Map<CheckId, Supplier<CheckResult>> checks = new java.util.EnumMap<>(CheckId.class);
        families.forEach(f -> checks.putAll(f.checks()));
        List<CheckResult> out = new ArrayList<>();
        checks.forEach((id, check) -> out.add(guard(id, check)));
        return new VerifyReport(out, c.inputSummary());
    }

    /** A check that trips over malformed values reports FAIL with the reason instead of aborting the others. */
    private static CheckResult guard(CheckId id, Supplier<CheckResult> check) {
        try {
            return check.get();
        } catch (JkexecException | IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
            return new CheckResult(
                    id.id(), id.description(), CheckStatus.FAIL, List.of("malformed input: " + e.getMessage()));
        }
    }
}
