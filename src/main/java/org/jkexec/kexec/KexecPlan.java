package org.jkexec.kexec;

import java.util.List;
import org.jkexec.fdt.Fdt;
import org.jkexec.memory.MemRanges;

/**
 * Everything a regular (non-crash) kexec load needs: the segments in the order the kernel adds
 * them (kernel PT_LOADs, purgatory, initrd, FDT) with their destinations, and the new kernel's
 * device tree. There is no ELF core header, no backup region and no usable-memory limit: the
 * new kernel boots as if from firmware, with all of RAM.
 *
 * @param segments       kexec order
 * @param entry          kexec entry point (the purgatory)
 * @param kernelLoadAddr lowest placement of a kernel PT_LOAD
 * @param fdt            the new kernel's FDT as a tree (after all edits)
 * @param fdtBlob        its blob as loaded (packed)
 * @param cmdline        the new kernel's command line ("" when none: /chosen/bootargs is then deleted)
 * @param excludeRanges  what placement avoided before the first segment was placed
 * @param reservedRanges the firmware ranges added to the reserve map
 * @param warnings       facts worth a user's attention
 */
public record KexecPlan(
        List<Segment> segments,
        long entry,
        long kernelLoadAddr,
        Fdt fdt,
        byte[] fdtBlob,
        String cmdline,
        MemRanges excludeRanges,
        MemRanges reservedRanges,
        List<String> warnings) {

    /** The segments sorted by destination, as kexec_load(2) wants them. */
    public List<Segment> segmentsByAddress() {
        List<Segment> sorted = new java.util.ArrayList<>(segments);
        sorted.sort(java.util.Comparator.comparing(Segment::mem, Long::compareUnsigned));
        return sorted;
    }

    public Segment segment(SegmentKind kind) {
        return segments.stream()
                .filter(s -> s.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + kind + " segment"));
    }
}
