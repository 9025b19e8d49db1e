package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.kexec.Segment;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.memory.RangeSet;
import org.jkexec.units.ByteSize;

/**
 * What a ppc64 kdump kernel must allocate below fixed physical limits early in its boot, and
 * whether a plan leaves it that memory.
 *
 * <p>The kdump kernel may use only its usable memory ([0, crashkernel end] plus firmware
 * regions) minus its reserve map. The kernel's own plan reserves everything below crashkernel
 * except the first 64 KiB (the backup region), and the kdump kernel keeps the first 32 KiB of
 * that for its interrupt vectors. So when crashkernel starts above a limit, only 32 KiB is free
 * below it; but on pseries {@code rtas_initialize} takes a 64 KiB buffer (and, from Linux 6.3,
 * a 256 KiB work-area arena) below min(RMA, 1 GiB), and panics when it cannot, before any
 * console exists. Machine-check stacks of an LPAR must lie below 4 GiB, and with the hash MMU
 * the PACAs and emergency stacks below the RMA.
 *
 * <p>This class models those allocations as {@link Need}s and replays them top-down, as
 * memblock allocates, in the memory a plan leaves free.
 */
public final class LowMemory {
    /** The kernel's backup region: the first 64 KiB. */
    public static final long KERNEL_BACKUP_SIZE = BackupRegion.SIZE;
    /** A relocated kdump kernel keeps [0, 32 KiB) for its interrupt vectors. */
    static final long VECTORS_SIZE = 0x8000;
    /** RTAS_INSTANTIATE_MAX: RTAS buffers stay below 1 GiB. */
    static final long RTAS_LIMIT = 1L << 30;
    /** An LPAR's machine-check handler calls RTAS with arguments on its stack, which must be below 4 GiB. */
    static final long MCE_STACK_LIMIT = 1L << 32;
    /** RTAS_USER_REGION_SIZE. */
    static final long RTAS_USER_REGION = 0x10000;
    /** The RTAS work-area arena (two of its largest allocations, 128 KiB each). */
    static final long RTAS_WORK_AREA_ARENA = 0x40000;
    /** THREAD_SIZE of a ppc64 kernel. */
    static final long STACK_SIZE = 0x4000;
    /** A PACA with its lppaca and SLB shadow, rounded up. */
    static final long PACA_SIZE = 0x2000;
    /** With 1 TiB segments the hash MMU bolts the first terabyte. */
    static final long HASH_BOLTED_LIMIT = 1L << 40;

    /** One early allocation of the kdump kernel: {@code bytes} aligned to {@code align}, below {@code limit}. */
    public record Need(String what, long bytes, long align, long limit) {}

    private LowMemory() {}

    /** The early allocations with a physical limit that a kdump kernel on {@code m} makes. */
    public static List<Need> needs(Ppc64Machine m) {
        List<Need> out = new ArrayList<>();
        long page = m.pageSize();
        int cpus = Math.max(1, m.possibleCpus());
        boolean hash = m.hashMmu();
        long rma = hash ? m.rmaSize() : -1;
        m.liveTree().node("/rtas").ifPresent(rtas -> {
            long limit = m.lpar() ? minUnsigned(rma, RTAS_LIMIT) : RTAS_LIMIT;
            out.add(new Need("the RTAS user buffer", RTAS_USER_REGION, Math.max(page, 0x1000), limit));
            if (rtas.hasProperty("ibm,get-system-parameter") || rtas.hasProperty("ibm,configure-connector")) {
                out.add(new Need("the RTAS work-area arena", RTAS_WORK_AREA_ARENA, Math.max(page, 0x1000), limit));
            }
        });
        if (m.lpar()) {
            out.add(new Need("machine-check stacks", cpus * STACK_SIZE, STACK_SIZE, minUnsigned(rma, MCE_STACK_LIMIT)));
        }
        if (hash) {
            long bolted = minUnsigned(rma, HASH_BOLTED_LIMIT);
            out.add(new Need("PACAs", cpus * PACA_SIZE, 0x1000, bolted));
            out.add(new Need("emergency stacks", 2L * cpus * STACK_SIZE, STACK_SIZE, bolted));
            // before the hash MMU is up every allocation is held below the RMA: the unflattened
            // device tree is the largest of them
            out.add(new Need("the unflattened device tree", 2L * m.bootFdtSize(), 0x1000, rma));
        }
        out.sort(Comparator.comparing(Need::limit, Long::compareUnsigned));
        return out;
    }

    /**
     * The backup region jkexec uses when the kernel's 64 KiB leaves a need unmet: the kernel's
     * 64 KiB plus twice every need (room for alignment and for allocations not modelled),
     * rounded up to 64 KiB.
     */
    public static long enlargedBackupSize(List<Need> needs) {
        return backupSizeAbove(KERNEL_BACKUP_SIZE, needs);
    }

    /**
     * A backup region that keeps its first {@code kept} bytes for what the kdump kernel puts at
     * physical 0 (the kernel's 64 KiB, or the whole kdump kernel when it runs at 0) and leaves
     * twice every need free above them, rounded up to 64 KiB.
     */
    public static long backupSizeAbove(long kept, List<Need> needs) {
        long sum = 0;
        for (Need n : needs) {
            sum = Math.addExact(sum, roundUp(n.bytes(), n.align()));
        }
        return roundUp(Math.addExact(kept, Math.multiplyExact(2, sum)), KERNEL_BACKUP_SIZE);
    }

    /**
     * Replays {@code needs} top-down in what the plan leaves the kdump kernel: usable memory
     * within RAM, minus the reserve map, the interrupt vectors and every segment. Returns the
     * first need that finds no room, or empty when all fit.
     */
    public static Optional<Need> unmet(
            Ppc64Machine m, MemRanges usable, List<ReserveEntry> reserveMap, List<Segment> segments, List<Need> needs) {
        return unmet(m, usable, reserveMap, segments, needs, List.of());
    }

    /** As above, with {@code alsoTaken} (where a kdump kernel that runs at 0 lies) not free either. */
    public static Optional<Need> unmet(
            Ppc64Machine m,
            MemRanges usable,
            List<ReserveEntry> reserveMap,
            List<Segment> segments,
            List<Need> needs,
            List<MemRange> alsoTaken) {
        List<MemRange> taken = new ArrayList<>(alsoTaken);
        for (ReserveEntry e : reserveMap) {
            if (e.size() != 0) {
                taken.add(MemRange.ofSize(e.address(), e.size()));
            }
        }
        taken.add(MemRange.ofSize(0, VECTORS_SIZE));
        for (Segment s : segments) {
            taken.add(MemRange.ofSize(s.mem(), s.memsz()));
        }
        RangeSet free = RangeSet.of(usable.toList())
                .intersect(RangeSet.of(m.systemRam()))
                .minus(RangeSet.of(taken));
        for (Need n : needs) {
            Optional<MemRange> got = allocateTopDown(free.ranges(), n);
            if (got.isEmpty()) {
                return Optional.of(n);
            }
            free = free.minus(RangeSet.of(got.get()));
        }
        return Optional.empty();
    }

    /** One line for a need a plan leaves unmet. */
    public static String describe(MemRange crashkernel, Need n) {
        return String.format(
                "crashkernel %s leaves no %s free below %s for %s: the kdump kernel would stop in "
                        + "early boot before printing anything",
                crashkernel, ByteSize.text(n.bytes()), ByteSize.text(n.limit()), n.what());
    }

    /**
     * A crashkernel= that leaves every need room under the kernel's own backup region: the
     * same size, ending below the lowest limit with the needs' room to spare, 16 MiB aligned
     * and above the running kernel. Empty when the lowest limit leaves no such place.
     */
    public static Optional<String> suggestion(Ppc64Machine m, List<Need> needs) {
        if (needs.isEmpty()) {
            return Optional.empty();
        }
        long align = 16L << 20;
        long limit = needs.get(0).limit();
        long room = 0;
        for (Need n : needs) {
            room += roundUp(n.bytes(), n.align());
        }
        long size = m.crashkernel().size();
        long top = Long.compareUnsigned(limit, 1L << 62) > 0 ? 1L << 62 : limit;
        long base = (top - size - roundUp(room, align)) & -align;
        long lowest = roundUp(m.kernelEnd(), align);
        if (base < lowest) {
            return Optional.empty();
        }
        return Optional.of("crashkernel=" + (size >>> 20) + "M@" + (base >>> 20) + "M");
    }

    private static Optional<MemRange> allocateTopDown(List<MemRange> free, Need n) {
        for (int i = free.size() - 1; i >= 0; i--) {
            MemRange r = free.get(i);
            if (Long.compareUnsigned(r.start(), n.limit()) >= 0) {
                continue;
            }
            long end = Long.compareUnsigned(r.end(), n.limit() - 1) < 0 ? r.end() + 1 : n.limit();
            if (Long.compareUnsigned(end - r.start(), n.bytes()) < 0) {
                continue;
            }
            long start = (end - n.bytes()) & -n.align();
            if (Long.compareUnsigned(start, r.start()) >= 0) {
                return Optional.of(MemRange.ofSize(start, n.bytes()));
            }
        }
        return Optional.empty();
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) < 0 ? a : b;
    }

    static long roundUp(long v, long align) {
        return Math.addExact(v, align - 1) & -align;
    }
}
