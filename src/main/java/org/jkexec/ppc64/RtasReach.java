package org.jkexec.ppc64;

import java.util.List;
import java.util.Optional;
import org.jkexec.kexec.BootProblem;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;

/**
 * Where a kdump kernel can call RTAS from (docs/ppc64-kdump.md#the-kdump-kernel-below-4-gib).
 *
 * <p>RTAS is firmware that runs in 32-bit mode unless the kernel instantiated its 64-bit form.
 * The kernel enters it with MSR[SF] clear and its own return address in LR; the firmware's
 * return branch then clears the upper 32 bits of that address. A kdump kernel whose image lies
 * at or above 4 GiB returns into whatever sits at the truncated address (on the e2e pseries
 * guest: the crashed kernel's copy of the same code, which jumps to an address the kdump kernel
 * has not mapped executable) and panics in {@code pSeries_probe}'s first {@code rtas_call},
 * before any console exists. The argument buffer it hands RTAS is in the kernel's data, which
 * a 32-bit RTAS addresses through the same 32 bits. Nothing placed inside crashkernel can avoid
 * it while the kdump kernel runs where it is loaded: the kernel's plan is refused, and jkexec's
 * lets the kdump kernel copy itself to 0 instead (Ppc64KdumpPlanner's kernelAtZero).
 *
 * <p>A kernel that instantiated 64-bit RTAS says so in {@code /rtas/linux,rtas-64} (a patch of
 * 2025 for real machines; QEMU's RTAS is 32-bit).
 */
public final class RtasReach {
    /** What a 32-bit RTAS can address and return to. */
    public static final long LIMIT = 1L << 32;

    private static final long ALIGN = 16L << 20;

    private RtasReach() {}

    /** Whether the kdump kernel will call RTAS in 32-bit mode: a machine with RTAS that is not 64-bit. */
    static boolean thirtyTwoBit(Ppc64Machine m) {
        return m.liveTree()
                .node("/rtas")
                .map(rtas -> rtas.u32("linux,rtas-64").orElse(0L) == 0)
                .orElse(false);
    }

    /**
     * Why a plan's kdump kernel cannot call RTAS from where it is loaded, or empty when it can:
     * a 32-bit RTAS and a kernel segment reaching 4 GiB. Names a crashkernel= of the same size
     * that ends below 4 GiB.
     */
    static Optional<BootProblem> problem(Ppc64Machine m, List<Segment> segments) {
        if (!thirtyTwoBit(m)) {
            return Optional.empty();
        }
        Optional<MemRange> kernel = kernelSpan(segments);
        if (kernel.isEmpty() || Long.compareUnsigned(kernel.get().end(), LIMIT - 1) <= 0) {
            return Optional.empty();
        }
        long lowest = kernel.get().start();
        long highest = kernel.get().end();
        MemRange ck = m.crashkernel();
        String unmet = "crashkernel " + ck + " puts the kdump kernel at [0x" + Long.toHexString(lowest) + "-0x"
                + Long.toHexString(highest) + "], above 4 GiB, and this machine's RTAS runs in 32-bit mode (/rtas has "
                + "no linux,rtas-64): RTAS would return to the kdump kernel's address cut to 32 bits, and the kdump "
                + "kernel would stop in its first RTAS call before printing anything";
        Optional<String> fix = suggestion(m);
        return Optional.of(BootProblem.inEveryPlacement(
                fix.isPresent() ? unmet : unmet + "; reserve crashkernel below 4 GiB", fix));
    }

    /** From the lowest kernel PT_LOAD's placement to the end of the highest: what the kernel spans; empty without one. */
    static Optional<MemRange> kernelSpan(List<Segment> segments) {
        long lowest = -1;
        long highest = -1;
        for (Segment s : segments) {
            if (s.kind() == SegmentKind.KERNEL) {
                lowest = lowest == -1 || Long.compareUnsigned(s.mem(), lowest) < 0 ? s.mem() : lowest;
                highest = Long.compareUnsigned(s.end(), highest) > 0 || highest == -1 ? s.end() : highest;
            }
        }
        return highest == -1 ? Optional.empty() : Optional.of(new MemRange(lowest, highest));
    }

    /**
     * The same size ending at or below 4 GiB: the highest 16 MiB aligned place in RAM above
     * the running kernel and clear of RTAS; empty when there is none.
     */
    static Optional<String> suggestion(Ppc64Machine m) {
        long size = m.crashkernel().size();
        if (size <= 0 || Long.compareUnsigned(size, LIMIT) >= 0) {
            return Optional.empty();
        }
        RangeSet free = RangeSet.of(m.systemRam());
        Optional<MemRange> rtas = m.liveTree()
                .node("/rtas")
                .flatMap(n -> n.u32("linux,rtas-base")
                        .flatMap(b -> n.u32("rtas-size").filter(sz -> sz > 0).map(sz -> MemRange.ofSize(b, sz))));
        if (rtas.isPresent()) {
            free = free.minus(RangeSet.of(rtas.get()));
        }
        long lowest = LowMemory.roundUp(m.kernelEnd(), ALIGN);
        List<MemRange> rs = free.ranges();
        for (int i = rs.size() - 1; i >= 0; i--) {
            MemRange r = rs.get(i);
            long top = Long.compareUnsigned(r.end(), LIMIT - 1) < 0 ? r.end() + 1 : LIMIT;
            if (Long.compareUnsigned(top, size) < 0) {
                continue;
            }
            long base = (top - size) & -ALIGN;
            if (Long.compareUnsigned(base, r.start()) >= 0 && Long.compareUnsigned(base, lowest) >= 0) {
                return Optional.of("crashkernel=" + (size >>> 20) + "M@" + (base >>> 20) + "M");
            }
        }
        return Optional.empty();
    }
}
