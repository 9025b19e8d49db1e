package org.jkexec.ppc64;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.Segment;
import org.jkexec.memory.MemRange;
import org.jkexec.units.ByteSize;

/**
 * The smallest crashkernel a kdump load needs, and what it is made of (docs/ppc64-kdump.md,
 * "How large crashkernel must be"): what kexec puts into crashkernel (the kdump kernel's memsz,
 * the initrd and the other segments); what the kdump kernel reserves for itself before its
 * allocator runs, each sized as its kernel code sizes it; what it allocates once running; the
 * initramfs unpacked into tmpfs; and the dump tool's working set.
 *
 * <p>The kdump kernel's memory starts at 0 (its usable memory is everything below
 * crashkernel's end, the part below crashkernel reserved), so what the kernel sizes from
 * "memory" (its memory map, KVM's area) is sized from crashkernel's end, not its size. And the
 * kernel keeps memory only up to a 16 MiB boundary: the estimate is the size that makes
 * crashkernel end on one.
 *
 * <p>Two figures are measured rather than read from kernel code, on the end-to-end guests
 * (docs/results/crashkernel.md): the kdump kernel's own allocations once running, about three
 * quarters of its image (Debian's 6.1: 28.8 MiB for a 40.5 MiB image; a 9 MiB 6.12: 7.5 MiB), and
 * the dump tool's working set beyond its files, which lie in the tmpfs already.
 */
public final class CrashkernelEstimate {
    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;

    /** The kdump kernel's allocations once running (slab, per-subsystem tables), per byte of its image: 3/4. */
    static final long RUNTIME_PER_IMAGE_NUM = 3;

    static final long RUNTIME_PER_IMAGE_DEN = 4;
    /** Per possible CPU: per-CPU areas, stacks and PACAs are made for every possible CPU. */
    static final long RUNTIME_PER_CPU = 256 * KIB;
    /** makedumpfile's heap, stack and I/O buffers (its cyclic bitmap buffer is sized from free memory). */
    static final long DUMP_TOOL_BASE = 4 * MIB;
    /** sizeof(struct page). */
    static final long STRUCT_PAGE = 64;
    /** The memory map is mapped (vmemmap) in blocks of one page-middle-directory entry. */
    static final long VMEMMAP_BLOCK = 2 * MIB;
    /** SECTION_SIZE_BITS: sparsemem sections of 16 MiB. */
    static final int SECTION_SHIFT = 24;
    /** MAX_PHYSMEM_BITS of book3s64 with SPARSEMEM_VMEMMAP and SPARSEMEM_EXTREME (radix and hash). */
    static final int MAX_PHYSMEM_BITS = 51;
    /** sizeof(struct mem_section) without page extensions. */
    static final long MEM_SECTION = 16;
    /** mmu_pid_bits on POWER9 and later when the CPU node has no ibm,mmu-pid-bits. */
    static final int DEFAULT_PID_BITS = 20;
    /**
     * The kdump kernel keeps memory only up to a 16 MiB boundary (early_init_devtree aligns
     * its memory limit down to 16 MiB, the hash MMU's large page, since 2024).
     */
    static final long MEMORY_END_ALIGN = 16 * MIB;
    /** The smallest hash page table (2^11 PTEGs of 128 bytes). */
    static final long MIN_HPT = 256 * KIB;
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

    /** The estimate: a size that ends crashkernel, from its present start, on a 16 MiB boundary. */
    public long bytes() {
        return total;
    }

    /** The warning for a crashkernel of {@code size} bytes smaller than the estimate; empty when it is not. */
    public Optional<String> shortOf(long size) {
        if (Long.compareUnsigned(size, total) >= 0) {
            return Optional.empty();
        }
        return Optional.of("crashkernel is " + ByteSize.text(size) + ", less than the " + ByteSize.text(total)
                + " the kdump kernel and the dump are estimated to need: it may run out of memory before the dump "
                + "is written");
    }

    /**
     * @param initramfsUnpacked bytes the initramfs holds once unpacked (0 without an initrd)
     */
    public static CrashkernelEstimate of(Ppc64Machine m, KdumpPlan plan, long initramfsUnpacked) {
        long page = m.pageSize();
        long base = m.crashkernel().start();
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
        parts.add(new Part("sparsemem section roots (SPARSEMEM_EXTREME)", sectionRoots(page)));
        if (!m.hashMmu()) {
            int bits = pidBits(m);
            parts.add(new Part("radix process table (2^" + bits + " PIDs of 16 bytes)", 16L << bits));
        }
        parts.add(new Part(
                "kdump kernel's runtime allocations (3/4 of its image, " + m.possibleCpus() + " possible CPUs)",
                Math.addExact(
                        kernel / RUNTIME_PER_IMAGE_DEN * RUNTIME_PER_IMAGE_NUM, RUNTIME_PER_CPU * m.possibleCpus())));
        long ram = 0;
        for (MemRange r : m.systemRam()) {
            ram += r.size();
        }
        long pages = ram / page;
        // two bitmaps of one bit per page, and per dumped range the kdump kernel's vmcore list
        long perRam = LowMemory.roundUp(pages / 4 + 128L * plan.crashRanges().size(), page);
        parts.add(new Part("dump tool: makedumpfile's own buffers", DUMP_TOOL_BASE));
        parts.add(new Part("dump tool: page bitmaps for " + (ram >>> 20) + " MiB of RAM", perRam));
        long sum = 0;
        for (Part p : parts) {
            sum = Math.addExact(sum, p.bytes());
        }
        // what grows with crashkernel's end grows with the estimate: iterate to the fixed point
        // (the parts move in 2 and 16 MiB steps, so two or three rounds); on bare metal a
        // crashkernel giving KVM's area more than a third of it gets the area turned off or is
        // refused (KvmArea), so that is a floor too
        boolean bare = !m.lpar();
        long percent = bare ? KvmArea.percent(plan.cmdline()) : 0;
        long size = sum;
        long memmap = 0;
        long hpt = 0;
        long cma = 0;
        for (int i = 0; i < 64; i++) {
            long end = Math.addExact(base, size);
            memmap = memmap(end, page);
            hpt = bare && m.hashMmu() ? hashPageTable(end, page) : 0;
            cma = bare ? kvmCma(end, percent) : 0;
            long need = Math.addExact(sum, memmap + hpt + cma);
            long next = alignedEnd(base, Math.max(need, Math.multiplyExact(3, cma)));
            if (next == size) {
                break;
            }
            size = next;
        }
        long end = Math.addExact(base, size);
        parts.add(new Part(
                "memory map: a struct page per " + (page >>> 10) + " KiB page of the " + (end >>> 20)
                        + " MiB below crashkernel's end",
                memmap));
        if (hpt > 0) {
            parts.add(new Part("hash page table on bare metal (for " + (end >>> 20) + " MiB)", hpt));
        }
        long need = sum + memmap + hpt + cma;
        if (bare) {
            parts.add(new Part(
                    "KVM's contiguous area on bare metal (" + percent + "% of the " + (end >>> 20)
                            + " MiB below crashkernel's end)",
                    cma));
            if (3 * cma > need) {
                parts.add(new Part("more, so that KVM's area is at most a third of crashkernel", 3 * cma - need));
                need = 3 * cma;
            }
        }
        if (size > need) {
            parts.add(new Part(
                    "up to crashkernel's next 16 MiB boundary (the kdump kernel uses no memory past it)", size - need));
        }
        return new CrashkernelEstimate(parts, size);
    }

    /** The size from {@code base} that holds {@code need} and ends on a 16 MiB boundary. */
    static long alignedEnd(long base, long need) {
        return LowMemory.roundUp(Math.addExact(base, need), MEMORY_END_ALIGN) - base;
    }

    /** The memory map of [0, end): a struct page per page, in whole vmemmap blocks. */
    static long memmap(long end, long page) {
        long pages = LowMemory.roundUp(end, 1L << SECTION_SHIFT) / page;
        return LowMemory.roundUp(Math.multiplyExact(pages, STRUCT_PAGE), VMEMMAP_BLOCK);
    }

    /** The mem_section root array: a pointer per page of sections, for every section up to MAX_PHYSMEM_BITS. */
    static long sectionRoots(long page) {
        long sections = 1L << (MAX_PHYSMEM_BITS - SECTION_SHIFT);
        long perRoot = Math.max(1, page / MEM_SECTION);
        return (sections + perRoot - 1) / perRoot * Long.BYTES;
    }

    /** mmu_pid_bits: the first CPU node's ibm,mmu-pid-bits, else the POWER9 and POWER10 value. */
    static int pidBits(Ppc64Machine m) {
        return CpuNodes.of(m.liveTree()).stream()
                .findFirst()
                .flatMap(cpu -> cpu.u32("ibm,mmu-pid-bits"))
                .filter(b -> b > 0 && b <= 32)
                .map(Long::intValue)
                .orElse(DEFAULT_PID_BITS);
    }

    /** The hash page table a bare-metal kernel sizes for {@code mem} bytes: two pages per PTEG of 128 bytes. */
    static long hashPageTable(long mem, long page) {
        int memShift = 64 - Long.numberOfLeadingZeros(mem - 1); // mem rounded up to a power of two
        int pageShift = Long.numberOfTrailingZeros(page);
        return Math.max(MIN_HPT, 1L << Math.max(0, memShift - (pageShift + 1) + 7));
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
