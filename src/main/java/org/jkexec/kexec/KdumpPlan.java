package org.jkexec.kexec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jkexec.fdt.Fdt;
import org.jkexec.memory.MemRanges;

/**
 * Everything a kdump load needs, computed offline: segments in kexec order with their
 * destinations, the kdump kernel's FDT and ELF core header, the range lists they came from,
 * and warnings worth a user's attention.
 *
 * @param segments        in the order the kernel adds them (kernel PT_LOADs, purgatory, backup,
 *                        elfcorehdr, initrd, FDT)
 * @param entry           kexec entry point (the purgatory)
 * @param kernelLoadAddr  lowest placement of a kernel PT_LOAD
 * @param backupStart     where the purgatory copies the backup region, physical [0, backupSize)
 * @param backupSize      64 KiB as the kernel, more where jkexec's placement rule enlarged it
 * @param elfcorehdrAddr  the {@code elfcorehdr=} address
 * @param elfcorehdrSize  the size the FDT advertises for it (linux,elfcorehdr)
 * @param elfCoreHeader   the header bytes (bufsz of its segment)
 * @param kdumpFdt        the FDT as a tree (after all edits)
 * @param kdumpFdtBlob    its blob as loaded
 * @param cmdline         the kdump kernel's full command line
 * @param vmcoreSize      the size /proc/vmcore will have in the kdump kernel
 * @param vmcoreSizeExact false when the vmcoreinfo text length (known only to the crashed
 *                        kernel) could change it; it is then an upper bound
 * @param notes           where and why the plan departs from the kernel's
 * @param bootProblem     null, or why the kdump kernel could not boot from this plan: such a
 *                        plan is never loaded
 */
public record KdumpPlan(
        List<Segment> segments,
        long entry,
        long kernelLoadAddr,
        long backupStart,
        long backupSize,
        long elfcorehdrAddr,
        long elfcorehdrSize,
        byte[] elfCoreHeader,
        Fdt kdumpFdt,
        byte[] kdumpFdtBlob,
        String cmdline,
        MemRanges excludeRanges,
        MemRanges usableRanges,
        MemRanges crashRanges,
        MemRanges reservedRanges,
        long vmcoreSize,
        boolean vmcoreSizeExact,
        List<String> warnings,
        List<String> notes,
        String bootProblem) {

    public KdumpPlan withBootProblem(String problem) {
        return new KdumpPlan(segments, entry, kernelLoadAddr, backupStart, backupSize, elfcorehdrAddr, elfcorehdrSize,
                elfCoreHeader, kdumpFdt, kdumpFdtBlob, cmdline, excludeRanges, usableRanges, crashRanges, reservedRanges,
                vmcoreSize, vmcoreSizeExact, warnings, notes, problem);
    }

    public KdumpPlan withNote(String note) {
        List<String> n = new java.util.ArrayList<>(notes);
        n.add(note);
        return new KdumpPlan(segments, entry, kernelLoadAddr, backupStart, backupSize, elfcorehdrAddr, elfcorehdrSize,
                elfCoreHeader, kdumpFdt, kdumpFdtBlob, cmdline, excludeRanges, usableRanges, crashRanges, reservedRanges,
                vmcoreSize, vmcoreSizeExact, warnings, List.copyOf(n), bootProblem);
    }

    /** The segments by destination address, the order kexec_load(2) is handed them in. */
    public List<Segment> segmentsByAddress() {
        List<Segment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparing(Segment::mem, Long::compareUnsigned));
        return sorted;
    }

    public Segment segment(SegmentKind kind) {
        return segments.stream().filter(s -> s.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + kind + " segment"));
    }
}
