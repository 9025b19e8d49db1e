package org.jkexec.kexec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jkexec.fdt.Fdt;
import org.jkexec.memory.MemRanges;

/**
 * Everything a kdump load needs, computed offline: segments in kexec order with their
 * destinations, the kdump kernel's FDT and ELF core header, the range lists they came from,
 * and warnings worth a user's attention. Built by name: {@link #builder()}.
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
 * @param bootProblem     why the kdump kernel could not boot from this plan, if it could not:
 *                        such a plan is never loaded
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
        Optional<BootProblem> bootProblem) {

    public KdumpPlan {
        segments = List.copyOf(segments);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
        // a part left out of the builder is a bug, said here rather than in a printer later
        Objects.requireNonNull(elfCoreHeader, "elfCoreHeader");
        Objects.requireNonNull(kdumpFdt, "kdumpFdt");
        Objects.requireNonNull(kdumpFdtBlob, "kdumpFdtBlob");
        Objects.requireNonNull(cmdline, "cmdline");
        Objects.requireNonNull(excludeRanges, "excludeRanges");
        Objects.requireNonNull(usableRanges, "usableRanges");
        Objects.requireNonNull(crashRanges, "crashRanges");
        Objects.requireNonNull(reservedRanges, "reservedRanges");
        Objects.requireNonNull(bootProblem, "bootProblem");
    }

    /** The same plan, which the kdump kernel could not boot from: never to be loaded. */
    public KdumpPlan withBootProblem(BootProblem problem) {
        return toBuilder().bootProblem(Optional.of(problem)).build();
    }

    /** The same plan with one more note on where it departs from the kernel's. */
    public KdumpPlan withNote(String note) {
        List<String> n = new ArrayList<>(notes);
        n.add(note);
        return toBuilder().notes(n).build();
    }

    /** A plan built by naming each part; warnings and notes default to none, the boot problem to none. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this plan's parts, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.segments = segments;
        b.entry = entry;
        b.kernelLoadAddr = kernelLoadAddr;
        b.backupStart = backupStart;
        b.backupSize = backupSize;
        b.elfcorehdrAddr = elfcorehdrAddr;
        b.elfcorehdrSize = elfcorehdrSize;
        b.elfCoreHeader = elfCoreHeader;
        b.kdumpFdt = kdumpFdt;
        b.kdumpFdtBlob = kdumpFdtBlob;
        b.cmdline = cmdline;
        b.excludeRanges = excludeRanges;
        b.usableRanges = usableRanges;
        b.crashRanges = crashRanges;
        b.reservedRanges = reservedRanges;
        b.vmcoreSize = vmcoreSize;
        b.vmcoreSizeExact = vmcoreSizeExact;
        b.warnings = warnings;
        b.notes = notes;
        b.bootProblem = bootProblem;
        return b;
    }

    /** The parts of a plan, set by name (see the record's parameters). */
    public static final class Builder {
        private List<Segment> segments;
        private long entry;
        private long kernelLoadAddr;
        private long backupStart;
        private long backupSize;
        private long elfcorehdrAddr;
        private long elfcorehdrSize;
        private byte[] elfCoreHeader;
        private Fdt kdumpFdt;
        private byte[] kdumpFdtBlob;
        private String cmdline;
        private MemRanges excludeRanges;
        private MemRanges usableRanges;
        private MemRanges crashRanges;
        private MemRanges reservedRanges;
        private long vmcoreSize;
        private boolean vmcoreSizeExact;
        private List<String> warnings = List.of();
        private List<String> notes = List.of();
        private Optional<BootProblem> bootProblem = Optional.empty();

        private Builder() {}

        public Builder segments(List<Segment> v) {
            segments = v;
            return this;
        }

        public Builder entry(long v) {
            entry = v;
            return this;
        }

        public Builder kernelLoadAddr(long v) {
            kernelLoadAddr = v;
            return this;
        }

        public Builder backupStart(long v) {
            backupStart = v;
            return this;
        }

        public Builder backupSize(long v) {
            backupSize = v;
            return this;
        }

        public Builder elfcorehdrAddr(long v) {
            elfcorehdrAddr = v;
            return this;
        }

        public Builder elfcorehdrSize(long v) {
            elfcorehdrSize = v;
            return this;
        }

        public Builder elfCoreHeader(byte[] v) {
            elfCoreHeader = v;
            return this;
        }

        public Builder kdumpFdt(Fdt v) {
            kdumpFdt = v;
            return this;
        }

        public Builder kdumpFdtBlob(byte[] v) {
            kdumpFdtBlob = v;
            return this;
        }

        public Builder cmdline(String v) {
            cmdline = v;
            return this;
        }

        public Builder excludeRanges(MemRanges v) {
            excludeRanges = v;
            return this;
        }

        public Builder usableRanges(MemRanges v) {
            usableRanges = v;
            return this;
        }

        public Builder crashRanges(MemRanges v) {
            crashRanges = v;
            return this;
        }

        public Builder reservedRanges(MemRanges v) {
            reservedRanges = v;
            return this;
        }

        public Builder vmcoreSize(long v) {
            vmcoreSize = v;
            return this;
        }

        public Builder vmcoreSizeExact(boolean v) {
            vmcoreSizeExact = v;
            return this;
        }

        public Builder warnings(List<String> v) {
            warnings = v;
            return this;
        }

        public Builder notes(List<String> v) {
            notes = v;
            return this;
        }

        public Builder bootProblem(Optional<BootProblem> v) {
            bootProblem = v;
            return this;
        }

        public KdumpPlan build() {
            return new KdumpPlan(
                    segments,
                    entry,
                    kernelLoadAddr,
                    backupStart,
                    backupSize,
                    elfcorehdrAddr,
                    elfcorehdrSize,
                    elfCoreHeader,
                    kdumpFdt,
                    kdumpFdtBlob,
                    cmdline,
                    excludeRanges,
                    usableRanges,
                    crashRanges,
                    reservedRanges,
                    vmcoreSize,
                    vmcoreSizeExact,
                    warnings,
                    notes,
                    bootProblem);
        }
    }

    /** The segments by destination address, the order kexec_load(2) is handed them in. */
    public List<Segment> segmentsByAddress() {
        List<Segment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparing(Segment::mem, Long::compareUnsigned));
        return sorted;
    }

    public Segment segment(SegmentKind kind) {
        return segments.stream()
                .filter(s -> s.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + kind + " segment"));
    }
}
