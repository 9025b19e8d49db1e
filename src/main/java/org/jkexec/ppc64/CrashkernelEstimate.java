package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.Segment;
import org.jkexec.memory.MemRange;

/**
 * The smallest crashkernel a kdump load needs, and what it is made of: what kexec puts into
 * crashkernel (the kdump kernel's memsz, the initrd and the other segments), what the kdump
 * kernel then takes (the initramfs unpacked into tmpfs, its own runtime allocations, its
 * memory map), and the dump tool's working set, which grows with the crashed kernel's RAM
 * (makedumpfile keeps bitmaps of the dumpable pages and walks /proc/vmcore in cycles).
 *
 * <p>The runtime and working-set figures are calibrated on the end-to-end harness (a
 * distribution kernel of 40 MiB memsz, 64 KiB pages, makedumpfile -d 31 writing off the
 * machine): bisecting the smallest crashkernel that still dumps, the estimate must stay at or
 * above it and within 1.5 times it.
 */
public final class CrashkernelEstimate {
    /** The kdump kernel's own allocations once booted (slab, per-node data, buffers), one CPU online. */
    static final long RUNTIME_BASE = 48L << 20;
    /** Per possible CPU: per-CPU areas, stacks and PACAs are made for every possible CPU. */
    static final long RUNTIME_PER_CPU = 256L << 10;
    /** makedumpfile's binary, libraries, cyclic buffer and I/O buffers. */
    static final long DUMP_TOOL_BASE = 16L << 20;
    /** A struct page per page of the kdump kernel's memory. */
    static final long STRUCT_PAGE = 64;

    static final long MIB = 1L << 20;
    /**
     * On bare metal (no hypervisor under the kernel) distribution kernels, built with KVM's
     * hypervisor mode, set aside this percentage of the memory they see as a contiguous area
     * for guests' page tables; the kdump kernel sees everything below crashkernel's end, and
     * what lies in that area is no use to its own (unmovable) allocations.
     */
    static final long KVM_CMA_PERCENT = 5;
    /** Contiguous areas are reserved in whole blocks of this size. */
    static final long CMA_ALIGN = 16L << 20;

    /** One part of the estimate. */
    public record Part(String what, long bytes) {}

    private final List<Part> parts;
    private final long total;

    private CrashkernelEstimate(List<Part> parts, long total) {
        this.parts = List.copyOf(parts);
        this.total = total;
    }

    public List<Part> parts() {
        return parts;
    }

    /** The estimate, rounded up to 1 MiB. */
    public long bytes() {
        return total;
    }

    /**
     * @param initramfsUnpacked bytes the initramfs holds once unpacked (0 without an initrd)
     */
    public static CrashkernelEstimate of(Ppc64Machine m, KdumpPlan plan, long initramfsUnpacked) {
        long page = m.pageSize();
        List<Part> parts = new ArrayList<>();
        long kernel = 0;
        long initrd = 0;
        long others = 0;
        for (Segment s : plan.segments()) {
            long sz = LowMemory.roundUp(s.memsz(), page);
            switch (s.kind()) {
                case KERNEL -> kernel += sz;
                case INITRD -> initrd += sz;
                default -> others += sz;
            }
        }
        parts.add(new Part("kdump kernel (memsz)", kernel));
        parts.add(new Part("initrd", initrd));
        parts.add(new Part("purgatory, backup, ELF core header, FDT", others));
        parts.add(new Part("initramfs unpacked into tmpfs", LowMemory.roundUp(initramfsUnpacked, page)));
        parts.add(new Part(
                "kdump kernel's runtime allocations (" + m.possibleCpus() + " possible CPUs)",
                RUNTIME_BASE + RUNTIME_PER_CPU * m.possibleCpus()));
        long ram = 0;
        for (MemRange r : m.systemRam()) {
            ram += r.size();
        }
        long pages = ram / page;
        // two bitmaps of one bit per page, and per dumped range the kdump kernel's vmcore list
        long perRam = LowMemory.roundUp(pages / 4 + 128L * plan.crashRanges().size(), page);
        parts.add(new Part("dump tool: makedumpfile and its buffers", DUMP_TOOL_BASE));
        parts.add(new Part("dump tool: page bitmaps for " + (ram >>> 20) + " MiB of RAM", perRam));
        long sum = 0;
        for (Part p : parts) {
            sum += p.bytes();
        }
        long cma = 0;
        long total = sum + memmap(sum, page);
        if (!m.lpar()) {
            // the area grows with crashkernel, which it is part of: iterate to the fixed point
            // (it moves in 16 MiB steps, so two or three rounds); jkexec refuses a crashkernel
            // giving the area more than a third of it (KvmArea), so that is a floor too
            long base = m.crashkernel().start();
            long percent = KvmArea.percent(plan.cmdline());
            long size = total;
            for (int i = 0; i < 64; i++) {
                long area = kvmCma(Math.addExact(base, size), percent);
                long next = Math.max(sum + area + memmap(sum + area, page), Math.multiplyExact(3, area));
                cma = area;
                if (next == size) {
                    break;
                }
                size = next;
            }
            total = size;
            parts.add(new Part(
                    "KVM's contiguous area on bare metal (" + percent + "% of the "
                            + (Math.addExact(base, total) >>> 20) + " MiB below crashkernel's end)",
                    cma));
            long room = total - (sum + cma + memmap(sum + cma, page));
            if (room > 0) {
                parts.add(new Part("more, so that KVM's area is at most a third of crashkernel", room));
            }
        }
        parts.add(new Part(
                "memory map of crashkernel (struct page per " + (page >>> 10) + " KiB page)", memmap(sum + cma, page)));
        return new CrashkernelEstimate(parts, LowMemory.roundUp(total, MIB));
    }

    /** The kdump kernel's memory map covers all of crashkernel: solves size = sum + size * 64 / page. */
    private static long memmap(long sum, long page) {
        return LowMemory.roundUp((sum * STRUCT_PAGE + page - STRUCT_PAGE - 1) / (page - STRUCT_PAGE), page);
    }

    /** KVM's contiguous area of a kernel that sees {@code seen} bytes of memory. */
    static long kvmCma(long seen) {
        return kvmCma(seen, KVM_CMA_PERCENT);
    }

    /** The same with kvm_cma_resv_ratio={@code percent}. */
    static long kvmCma(long seen, long percent) {
        return LowMemory.roundUp((seen / 100) * percent, CMA_ALIGN);
    }
}
