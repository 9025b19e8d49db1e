package org.jkexec.kexec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import org.jkexec.JkexecException;
import org.jkexec.memory.HoleFinder;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;
import org.jkexec.units.Hex;

/**
 * Places segments one after another the way {@code kexec_add_buffer} does: memsz rounded to
 * the page size, alignment at least a page, at most 16 segments, each placement kept off the
 * exclude ranges and the segments placed before it.
 *
 * <p>A crash image is confined to the crashkernel window. A regular kexec image may go
 * anywhere in RAM, crashkernel included: its segments are only staged when loaded and copied
 * to their destinations when the machine kexecs, and by then the crash kernel is no longer
 * needed (the next kernel reserves crashkernel again). The kernel's ppc64 search walks all of
 * RAM, not only free memory, for that reason: with crashkernel reserved below the real-mode
 * limit, free memory there is too scarce for the purgatory.
 */
public final class SegmentPlacer {
    /** KEXEC_SEGMENT_MAX. */
    public static final int MAX_SEGMENTS = 16;

    private final HoleFinder.Strategy strategy;
    private final MemRanges ram;
    private final MemRanges exclude;
    private final MemRanges placedRanges = new MemRanges();
    /** The crashkernel region for a crash image; null for a regular image (all RAM). */
    private final MemRange window;

    private final long pageSize;
    private final List<Segment> segments = new ArrayList<>();

    /**
     * @param ram     memblock memory, ascending (the 6.12 search walks it)
     * @param exclude the exclude list (copied: the 6.12 search adds each placed segment to it)
     * @param window  the crashkernel region
     */
    public SegmentPlacer(
            HoleFinder.Strategy strategy, List<MemRange> ram, MemRanges exclude, MemRange window, long pageSize) {
        this(strategy, ram, exclude, pageSize, java.util.Objects.requireNonNull(window));
    }

    /** A placer for a regular (non-crash) kexec image: every System RAM region is a candidate. */
    public static SegmentPlacer forRegularImage(
            HoleFinder.Strategy strategy, List<MemRange> ram, MemRanges exclude, long pageSize) {
        return new SegmentPlacer(strategy, ram, exclude, pageSize, null);
    }

    private SegmentPlacer(
            HoleFinder.Strategy strategy, List<MemRange> ram, MemRanges exclude, long pageSize, MemRange window) {
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
    public Segment place(
            SegmentKind kind, byte[] buffer, long memsz, long align, long bufMin, long bufMax, boolean topDown) {
        return place(kind, ByteBuffer.wrap(buffer), memsz, align, bufMin, bufMax, topDown);
    }

    /** As {@link #place(SegmentKind, byte[], long, long, long, long, boolean)} for bytes in a buffer (a mapped file). */
    public Segment place(
            SegmentKind kind, ByteBuffer buffer, long memsz, long align, long bufMin, long bufMax, boolean topDown) {
        if (segments.size() >= MAX_SEGMENTS) {
            throw new JkexecException("too many segments: " + kind + " would be number " + (segments.size() + 1)
                    + " of at most " + MAX_SEGMENTS);
        }
        long size = (memsz + pageSize - 1) & -pageSize;
        long a = Long.compareUnsigned(align, pageSize) < 0 ? pageSize : align;
        if (Long.bitCount(a) != 1) {
            throw new JkexecException(kind + ": alignment " + Hex.hex(align) + " is not a power of two");
        }
        OptionalLong mem;
        if (strategy == HoleFinder.Strategy.KERNEL_6_12) {
            long min = bufMin;
            long max = bufMax;
            if (window != null) {
                min = Long.compareUnsigned(bufMin, window.start()) > 0 ? bufMin : window.start();
                max = Long.compareUnsigned(bufMax, window.end()) < 0 ? bufMax : window.end();
            }
            mem = HoleFinder.classic(ram, exclude, size, a, min, max, topDown);
        } else {
            mem = HoleFinder.generic(
                    candidateWindows(topDown), exclude, placedRanges, size, a, bufMin, bufMax, topDown, pageSize);
        }
        if (mem.isEmpty()) {
            if (window == null) {
                throw new JkexecException(String.format(
                        "no room for the %s segment (0x%x bytes, %d KiB aligned) in RAM [0x%x-0x%x] outside the "
                                + "excluded ranges and the segments placed before it: the kernel would fail with "
                                + "EADDRNOTAVAIL",
                        kind, size, a / 1024, bufMin, bufMax));
            }
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

    /**
     * The mainline search's windows: crashkernel for a crash image; for a regular image every
     * System RAM region, highest first when searching top-down.
     */
    private List<MemRange> candidateWindows(boolean topDown) {
        if (window != null) {
            return List.of(window);
        }
        List<MemRange> all = new ArrayList<>(ram.toList());
        if (topDown) {
            Collections.reverse(all);
        }
        return all;
    }

    /** Replaces a placed segment's bytes (the purgatory is patched after everything is placed). */
    public void replaceBuffer(SegmentKind kind, byte[] buffer) {
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.kind() == kind) {
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
