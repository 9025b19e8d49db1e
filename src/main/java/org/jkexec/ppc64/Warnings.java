package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jkexec.kexec.Segment;
import org.jkexec.memory.MemRange;

/** Plan-time checks for loads the kernel accepts but that leave the machine without a dump. */
public final class Warnings {
    /** prom_init caps the real-mode (RMO) top at 768 MiB on pseries; RTAS is instantiated just below it. */
    static final long PSERIES_RMO_CAP = 0x30000000L;

    private Warnings() {
    }

    public static List<String> check(Ppc64Machine m, List<Segment> segments) {
        List<String> out = new ArrayList<>();
        MemRange ck = m.crashkernel();
        long rmoTop = realModeTop(m);
        if (rmoTop != 0 && Long.compareUnsigned(ck.start(), rmoTop) >= 0) {
            out.add(String.format("crashkernel starts at 0x%x, above the real-mode area (top 0x%x): the kdump "
                    + "kernel's early allocations must come from real-mode memory, all of which below crashkernel "
                    + "is reserved for the crashed kernel, so it may hang before printing anything "
                    + "(seen: crashkernel=256M@1G on a 3 GiB pseries guest); let the kernel place crashkernel "
                    + "(crashkernel=SIZE) or put it below 0x%x", ck.start(), rmoTop, rmoTop));
        }
        DrconfMemory.of(m.liveTree()).ifPresent(d -> {
            int i = d.firstUnusableBeforeUsable();
            if (i >= 0) {
                out.add(String.format("LMB %d (0x%x) is unassigned or reserved but precedes assigned LMBs: "
                        + "the kdump kernel skips such LMBs' linux,drconf-usable-memory entries while the writer "
                        + "emits them, so later LMBs may be read with the wrong usable ranges",
                        i, d.base(i)));
            }
        });
        long kernelBytes = segments.stream().filter(s -> s.kind().equals("kernel")).mapToLong(Segment::memsz).sum();
        long used = segments.stream().mapToLong(Segment::memsz).sum();
        if (Long.compareUnsigned(ck.size(), used + 64L * 1024 * 1024) < 0) {
            out.add(String.format("crashkernel is %d MiB and the segments take %d MiB (kernel %d MiB): "
                    + "less than 64 MiB is left for the kdump kernel to run in", ck.size() >>> 20, used >>> 20,
                    kernelBytes >>> 20));
        }
        return out;
    }

    /**
     * Top of real-mode-addressable memory as a pseries firmware leaves it: min(first RAM region
     * end, 768 MiB) on machines with RTAS; 0 (no limit known) elsewhere.
     */
    static long realModeTop(Ppc64Machine m) {
        Optional<?> rtas = m.liveTree().node("/rtas");
        if (rtas.isEmpty() || m.systemRam().isEmpty()) {
            return 0;
        }
        long firstEnd = m.systemRam().get(0).end() + 1;
        return Long.compareUnsigned(firstEnd, PSERIES_RMO_CAP) < 0 ? firstEnd : PSERIES_RMO_CAP;
    }
}
