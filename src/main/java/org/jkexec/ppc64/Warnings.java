package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plan-time checks for loads the kernel accepts but that may leave the machine without a dump.
 * (Whether the kdump kernel finds the low memory its early boot needs is LowMemory's question:
 * the planner answers it, and a plan that fails it is refused, not warned about. Whether
 * crashkernel is large enough is CrashkernelEstimate's: plan and load warn from it.)
 */
public final class Warnings {
    private Warnings() {}

    public static List<String> check(Optional<DrconfMemory> lmbs) {
        List<String> out = new ArrayList<>();
        // loops, not lambdas or streams: every load runs this, at boot in small or emulated guests
        if (lmbs.isPresent()) {
            DrconfMemory d = lmbs.get();
            int i = d.firstUnusableBeforeUsable();
            if (i >= 0) {
                out.add(String.format(
                        "LMB %d (0x%x) is unassigned or reserved but precedes assigned LMBs: "
                                + "the kdump kernel skips such LMBs' linux,drconf-usable-memory entries while the writer "
                                + "emits them, so later LMBs may be read with the wrong usable ranges",
                        i, d.base(i)));
            }
        }
        return out;
    }
}
