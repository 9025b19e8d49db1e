package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;

/**
 * Plan-time checks for loads the kernel accepts but that may leave the machine without a dump.
 * (Whether the kdump kernel finds the low memory its early boot needs is LowMemory's question:
 * the planner answers it, and a plan that fails it is refused, not warned about.)
 */
public final class Warnings {
    private Warnings() {}

    public static List<String> check(Ppc64Machine m, Optional<DrconfMemory> lmbs, List<Segment> segments) {
        List<String> out = new ArrayList<>();
        MemRange ck = m.crashkernel();
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
        long kernelBytes = 0;
        long used = 0;
        for (Segment s : segments) {
            used += s.memsz();
            if (s.kind() == SegmentKind.KERNEL) {
                kernelBytes += s.memsz();
            }
        }
        if (Long.compareUnsigned(ck.size(), used + 64L * 1024 * 1024) < 0) {
            out.add(String.format(
                    "crashkernel is %d MiB and the segments take %d MiB (kernel %d MiB): "
                            + "less than 64 MiB is left for the kdump kernel to run in",
                    ck.size() >>> 20, used >>> 20, kernelBytes >>> 20));
        }
        return out;
    }
}
