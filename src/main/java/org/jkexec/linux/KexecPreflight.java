package org.jkexec.linux;

import static org.jkexec.units.Hex.hex;

import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.capture.CrashKernelRegion;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentPlacer;

/**
 * Checks a kdump kexec_load request against everything the kernel will check, before the call.
 *
 * <p>Why this matters: kexec_load(2) never installs a half-loaded image, but for a crash load the
 * kernel frees the currently loaded crash kernel <em>before</em> it validates the new segments
 * (kernel/kexec.c {@code do_kexec_load}: {@code kimage_free(xchg(&kexec_crash_image, NULL))}, then
 * {@code kimage_alloc_init} → {@code sanity_check_segment_list}). A request the kernel rejects at
 * that point (EADDRNOTAVAIL, EINVAL for overlaps, ENOMEM, ETXTBSY) therefore leaves the machine
 * with no kdump kernel at all. Only the early refusals (EPERM, EBUSY, too many segments, bad flags)
 * keep the old one. So we refuse, here, anything the kernel would refuse late.
 */
final class KexecPreflight {
    /** kexec_sequence copies this many bytes at the entry point to physical 0. */
    static final int ENTRY_COPY_SIZE = 0x100;
    /** KEXEC_CONTROL_PAGE_SIZE (arch/powerpc/include/asm/kexec.h) rounds up to one page. */
    private static final int CONTROL_PAGES = 1;

    private KexecPreflight() {}

    static void checkPermissions(String call, KexecPermissions p, boolean classicLoad) {
        if (p.capSysBoot().isPresent() && !p.capSysBoot().get()) {
            throw new JkexecException(call + ": this process lacks CAP_SYS_BOOT; run jkexec as root");
        }
        if (classicLoad && p.lockedDown()) {
            throw new JkexecException(
                    call + ": kernel lockdown is '" + p.lockdown().get()
                            + "' (/sys/kernel/security/lockdown), which forbids kexec_load; use kexec_file_load"
                            + " with a signed kernel instead");
        }
        if (p.kexecLoadDisabled().orElse(false)) {
            throw new JkexecException(call + ": /proc/sys/kernel/kexec_load_disabled is 1;"
                    + " kexec stays disabled until the next reboot");
        }
        if (p.kexecLoadLimitPanic().isPresent() && p.kexecLoadLimitPanic().getAsLong() == 0) {
            throw new JkexecException(call + ": /proc/sys/kernel/kexec_load_limit_panic is 0;"
                    + " no crash kernel loads are left until the next reboot");
        }
    }

    /**
     * What the kernel checks of a regular image's segments: the checks common to both images.
     * A refused regular load costs nothing (the kernel replaces the loaded image only on
     * success), but the message is better here than an errno.
     */
    static void checkRegularSegments(List<Segment> segments, long entry, long pageSize) {
        checkCommon(segments, pageSize);
        checkEntryInsideSegment(segments, entry);
    }

    /** Everything {@code sanity_check_segment_list} and {@code kimage_alloc_init} check for a crash image. */
    static void checkCrashSegments(List<Segment> segments, long entry, long pageSize, KexecStatus status) {
        String call = "kexec_load";
        checkCommon(segments, pageSize);
        if (status.crashSize().isPresent() && status.crashSize().getAsLong() == 0) {
            throw new JkexecException(call + ": no memory is reserved for a crash kernel"
                    + " (/sys/kernel/kexec_crash_size is 0); boot with crashkernel=");
        }
        Optional<CrashKernelRegion> region = status.crashRegion();
        if (region.isPresent()) {
            CrashKernelRegion r = region.get();
            for (int i = 0; i < segments.size(); i++) {
                Segment s = segments.get(i);
                if (!r.contains(s.mem(), s.memsz())) {
                    throw new JkexecException(call + ": " + describe(i, s) + " lies outside the crashkernel region " + r
                            + " (from " + r.source() + ")");
                }
            }
            if (!r.contains(entry, 1)) {
                throw new JkexecException(call + ": entry point " + hex(entry) + " lies outside the crashkernel region "
                        + r + " (from " + r.source() + ")");
            }
            if (!hasFreeControlPage(segments, r, pageSize)) {
                throw new JkexecException(call + ": the segments fill the crashkernel region " + r
                        + "; the kernel needs one free " + hex(pageSize) + " page there for its control code;"
                        + " reserve a larger crashkernel=");
            }
        }
        checkEntryInsideSegment(segments, entry);
    }

    /** Count, alignment, order and overlap: what the kernel checks of any image's segments. */
    private static void checkCommon(List<Segment> segments, long pageSize) {
        String call = "kexec_load";
        if (segments.isEmpty()) {
            throw new JkexecException(call + ": no segments to load (an empty list would unload the"
                    + " loaded kernel; use unload for that)");
        }
        if (segments.size() > SegmentPlacer.MAX_SEGMENTS) {
            throw new JkexecException(call + ": " + segments.size() + " segments, the kernel accepts at most "
                    + SegmentPlacer.MAX_SEGMENTS);
        }
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.memsz() == 0) {
                throw new JkexecException(call + ": " + describe(i, s) + " has memsz 0");
            }
            if (s.mem() % pageSize != 0 || s.memsz() % pageSize != 0) {
                throw new JkexecException(call + ": " + describe(i, s) + " is not aligned to the " + hex(pageSize)
                        + " page size of the running kernel");
            }
            if (Long.compareUnsigned(s.end(), s.mem()) < 0) {
                throw new JkexecException(call + ": " + describe(i, s) + " wraps around the address space");
            }
            if (i > 0) {
                Segment prev = segments.get(i - 1);
                if (Long.compareUnsigned(s.mem(), prev.mem()) < 0) {
                    throw new JkexecException(call + ": segments are not sorted by address: " + describe(i, s)
                            + " comes after " + describe(i - 1, prev));
                }
                if (Long.compareUnsigned(s.mem(), prev.end()) <= 0) {
                    throw new JkexecException(call + ": " + describe(i, s) + " overlaps " + describe(i - 1, prev));
                }
            }
        }
    }

    /**
     * The kernel copies the 256 bytes at the entry point to physical 0 (they become the next
     * kernel's secondary-CPU code), so they must be loaded bytes, not the zero fill.
     */
    private static void checkEntryInsideSegment(List<Segment> segments, long entry) {
        for (Segment s : segments) {
            long offset = entry - s.mem();
            if (Long.compareUnsigned(entry, s.mem()) >= 0 && Long.compareUnsigned(offset, s.memsz()) < 0) {
                if (offset + ENTRY_COPY_SIZE > s.bufsz()) {
                    throw new JkexecException("kexec_load: entry point " + hex(entry) + " has fewer than "
                            + ENTRY_COPY_SIZE + " loaded bytes after it in the " + s.kind() + " segment");
                }
                return;
            }
        }
        throw new JkexecException("kexec_load: entry point " + hex(entry) + " is not inside any segment");
    }

    /**
     * kimage_alloc_crash_control_pages: the first page-aligned hole of the control code's size,
     * scanning up from the start of the region, that no segment overlaps.
     */
    static boolean hasFreeControlPage(List<Segment> sortedSegments, CrashKernelRegion r, long pageSize) {
        long size = CONTROL_PAGES * pageSize;
        long holeStart = alignUp(r.start(), size);
        for (Segment s : sortedSegments) {
            if (Long.compareUnsigned(holeStart + size - 1, s.mem()) < 0) {
                break;
            }
            if (Long.compareUnsigned(holeStart, s.end()) <= 0) {
                holeStart = alignUp(s.end() + 1, size);
            }
        }
        long holeEnd = holeStart + size - 1;
        return Long.compareUnsigned(holeEnd, holeStart) > 0 && Long.compareUnsigned(holeEnd, r.end()) <= 0;
    }

    static String describe(int index, Segment s) {
        return "segment " + index + " (" + s.kind() + ", " + hex(s.mem()) + "+" + hex(s.memsz()) + ")";
    }

    private static long alignUp(long v, long alignment) {
        return (v + alignment - 1) & -alignment;
    }
}
