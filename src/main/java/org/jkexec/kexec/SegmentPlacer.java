package org.jkexec.kexec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

import org.jkexec.JkexecException;
import org.jkexec.memory.HoleFinder;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;

/**
 * Places segments one after another the way {@code kexec_add_buffer} does for a crash image:
 * memsz rounded to the page size, alignment at least a page, at most 16 segments, each
 * placement confined to the crashkernel window and kept off the exclude ranges and the
 * segments placed before it.
 */
public final class SegmentPlacer {
    /** KEXEC_SEGMENT_MAX. */
    public static final int MAX_SEGMENTS = 16;

    private final HoleFinder.Strategy strategy;
    private final MemRanges ram;
    private final MemRanges exclude;
    private final MemRanges placedRanges = new MemRanges();
    private final MemRange window;
    private final long pageSize;
    private final List<Segment> segments = new ArrayList<>();

    /**
     * @param ram     memblock memory, ascending (the 6.12 search walks it)
     * @param exclude the exclude list (copied: the 6.12 search adds each placed segment to it)
     * @param window  the crashkernel region
     */
    public SegmentPlacer(HoleFinder.Strategy strategy, List<MemRange> ram, MemRanges exclude, MemRange window,
            long pageSize) {
        this.strategy = strategy;
        this.ram = MemRanges.of(ram);
        this.ram.sort(true);
        this.exclude = exclude.copy();
        this.window = window;
        this.pageSize = pageSize;
    }

    public long pageSize() {
        return pageSize;
    }

    /** The exclude list as the 6.12 kernel holds it now (with placed segments merged in). */
    public MemRanges exclude() {
        return exclude.copy();
    }

    /**
     * Places a segment.
     *
     * @param bufMin lowest acceptable address before the crashkernel clamp (p_paddr for kernel PT_LOADs)
     * @param bufMax highest acceptable address before the clamp
     */
    public Segment place(String kind, byte[] buffer, long memsz, long align, long bufMin, long bufMax, boolean topDown) {
        if (segments.size() >= MAX_SEGMENTS) {
            throw new JkexecException("too many segments: " + kind + " would be number " + (segments.size() + 1)
                    + " of at most " + MAX_SEGMENTS);
        }
        long size = (memsz + pageSize - 1) & -pageSize;
        long a = Long.compareUnsigned(align, pageSize) < 0 ? pageSize : align;
        if (Long.bitCount(a) != 1) {
            throw new JkexecException(kind + ": alignment 0x" + Long.toHexString(align) + " is not a power of two");
        }
        OptionalLong mem;
        if (strategy == HoleFinder.Strategy.KERNEL_6_12) {
            long min = Long.compareUnsigned(bufMin, window.start()) > 0 ? bufMin : window.start();
            long max = Long.compareUnsigned(bufMax, window.end()) < 0 ? bufMax : window.end();
            mem = HoleFinder.classic(ram, exclude, size, a, min, max, topDown);
        } else {
            mem = HoleFinder.generic(List.of(window), exclude, placedRanges, size, a, bufMin, bufMax, topDown, pageSize);
        }
        if (mem.isEmpty()) {
            throw new JkexecException(String.format(
                    "no room for the %s segment (0x%x bytes, %d KiB aligned) in crashkernel [0x%x-0x%x]: "
                            + "the kernel would fail with EADDRNOTAVAIL; reserve a larger crashkernel= or use a smaller %s",
                    kind, size, a / 1024, window.start(), window.end(), kind));
        }
        Segment s = new Segment(kind, buffer, mem.getAsLong(), size);
        segments.add(s);
        placedRanges.add(s.mem(), s.memsz());
        placedRanges.sort(true);
        if (strategy == HoleFinder.Strategy.KERNEL_6_12) {
            exclude.add(s.mem(), s.memsz());
            exclude.sort(true);
        }
        return s;
    }

    /** Replaces a placed segment's bytes (the purgatory is patched after everything is placed). */
    public void replaceBuffer(String kind, byte[] buffer) {
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.kind().equals(kind)) {
                segments.set(i, new Segment(kind, buffer, s.mem(), s.memsz()));
                return;
            }
        }
        throw new IllegalArgumentException("no " + kind + " segment");
    }

    public List<Segment> segments() {
        return Collections.unmodifiableList(new ArrayList<>(segments));
    }
}
