package org.jkexec.capture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.CrashkernelWords;
import org.jkexec.units.Hex;

/**
 * Where crashkernel is, from the three places a running machine tells it (see
 * docs/ppc64-kdump.md#crashkernel). One rule for planning, pre-load checks, status, verify and
 * map:
 * <ol>
 *   <li>the {@code Crash kernel} line of {@code /proc/iomem} is authoritative (it is what the
 *       kernel's own placement walks);</li>
 *   <li>{@code /sys/kernel/kexec_crash_size} smaller than that region means it was shrunk: the
 *       kernel gave the top back, the region is {@code [start, start + size)};</li>
 *   <li>{@code /chosen/linux,crashkernel-base} and {@code -size} of the live tree are the
 *       fallback when /proc/iomem has no such line (ppc64 kernels often have none; non-root
 *       readers see zeros);</li>
 *   <li>any other disagreement is refused with one line naming the files: a plan made on
 *       contradictory facts could put a segment where the kdump kernel cannot use it.</li>
 * </ol>
 *
 * <p>Beside that one region, a kernel booted with {@code crashkernel=SIZE,cma} (CONFIG_CMA,
 * Linux 6.17 and later) lists up to four contiguous areas in
 * {@code /sys/kernel/kexec_crash_cma_ranges}, one {@code start-end} line each: the kdump kernel
 * may use them, the dump leaves them out (docs/ppc64-kdump.md#crashkernel-forms). They are read
 * here, never guessed, and a file the kernel cannot have written (not such lines, more than four)
 * is refused; how they lie against RAM, the running kernel, the region and each other is
 * ppc64.MachineChecks' to refuse.
 *
 * @param iomem     the {@code Crash kernel} line of /proc/iomem, if any
 * @param crashSize /sys/kernel/kexec_crash_size, if readable
 * @param dtBase    /chosen/linux,crashkernel-base, if any
 * @param dtSize    /chosen/linux,crashkernel-size, if any
 * @param cma       the lines of /sys/kernel/kexec_crash_cma_ranges, in the file's order (empty
 *                  when the file is absent or empty)
 * @param names     what each source is called in messages
 */
public record CrashKernelFacts(
        Optional<MemRange> iomem,
        OptionalLong crashSize,
        OptionalLong dtBase,
        OptionalLong dtSize,
        List<MemRange> cma,
        Names names) {
    static final String IOMEM = "proc/iomem";
    static final String CRASH_SIZE = "sys/kernel/kexec_crash_size";
    static final String CMA_RANGES = "sys/kernel/kexec_crash_cma_ranges";
    /** The kernel's CRASHK_CMA_RANGES_MAX: reserve_crashkernel_cma stops at four areas. */
    public static final int MAX_CMA_RANGES = 4;

    static final String DT_BASE = "proc/device-tree/chosen/linux,crashkernel-base";
    static final String DT_SIZE = "proc/device-tree/chosen/linux,crashkernel-size";
    /** These files hold a line or a number. */
    static final long MAX_FILE = 1L << 20;

    /**
     * What the sources are called in messages: files under a machine's root, or the
     * properties of a bare blob.
     *
     * @param machine    the machine (a root, a blob)
     * @param iomem      the /proc/iomem file
     * @param crashSize  the kexec_crash_size file
     * @param dtBase     /chosen/linux,crashkernel-base
     * @param dtSize     /chosen/linux,crashkernel-size
     * @param cma        the kexec_crash_cma_ranges file
     */
    public record Names(String machine, String iomem, String crashSize, String dtBase, String dtSize, String cma) {
        /** The files of a machine whose root is {@code root}. */
        public static Names under(Path root) {
            return new Names(
                    root.toString(),
                    root.resolve(IOMEM).toString(),
                    root.resolve(CRASH_SIZE).toString(),
                    root.resolve(DT_BASE).toString(),
                    root.resolve(DT_SIZE).toString(),
                    root.resolve(CMA_RANGES).toString());
        }

        /** The properties of a bare device tree blob. */
        public static Names ofBlob(String blob) {
            return new Names(
                    blob,
                    blob + " (no /proc/iomem)",
                    blob + " (no kexec_crash_size)",
                    blob + " /chosen/linux,crashkernel-base",
                    blob + " /chosen/linux,crashkernel-size",
                    blob + " (no kexec_crash_cma_ranges)");
        }
    }

    public CrashKernelFacts {
        cma = List.copyOf(cma);
    }

    /** The facts of the machine at {@code root}, named by its files, without CMA areas. */
    public CrashKernelFacts(
            Optional<MemRange> iomem, OptionalLong crashSize, OptionalLong dtBase, OptionalLong dtSize, Path root) {
        this(iomem, crashSize, dtBase, dtSize, List.of(), Names.under(root));
    }

    /** Reads the four sources under {@code root} ("/" for the running machine); absent files are absent facts. */
    public static CrashKernelFacts read(Path root) {
        Optional<MemRange> iomem = text(root, IOMEM)
                .flatMap(t -> Iomem.parse(t, root.resolve(IOMEM).toString()).crashKernel());
        return new CrashKernelFacts(
                iomem,
                crashSize(root),
                dtNumber(root, DT_BASE),
                dtNumber(root, DT_SIZE),
                cmaRanges(root),
                Names.under(root));
    }

    /** The facts of a capture whose tree is already read ({@code live}: the live tree, or the boot FDT without one). */
    public static CrashKernelFacts of(Path root, Optional<MemRange> iomem, Fdt live) {
        return fromTree(iomem, crashSize(root), cmaRanges(root), live, Names.under(root));
    }

    /** The facts of a bare blob: only its /chosen/linux,crashkernel-base and -size (a blob has no /proc/iomem). */
    public static CrashKernelFacts ofBlob(String blob, Fdt tree) {
        return fromTree(Optional.empty(), OptionalLong.empty(), List.of(), tree, Names.ofBlob(blob));
    }

    private static CrashKernelFacts fromTree(
            Optional<MemRange> iomem, OptionalLong crashSize, List<MemRange> cma, Fdt tree, Names names) {
        Optional<FdtNode> chosen = tree.node("/chosen");
        return new CrashKernelFacts(
                iomem,
                crashSize,
                number(chosen.isPresent() ? chosen.get().u64("linux,crashkernel-base") : Optional.empty()),
                number(chosen.isPresent() ? chosen.get().u64("linux,crashkernel-size") : Optional.empty()),
                cma,
                names);
    }

    private static OptionalLong number(Optional<Long> v) {
        return v.isPresent() ? OptionalLong.of(v.get()) : OptionalLong.empty();
    }

    /**
     * The crashkernel region, or empty when none is reserved (no source, or everything given back).
     *
     * @throws JkexecException (bad input) when the sources contradict each other
     */
    public Optional<CrashKernelRegion> region() {
        // zeros: read without privileges
        Optional<MemRange> fromIomem = iomem.isPresent() && iomem.get().end() != 0 ? iomem : Optional.empty();
        Optional<MemRange> fromTree = dtBase.isPresent() && dtSize.isPresent() && dtSize.getAsLong() != 0
                ? Optional.of(MemRange.ofSize(dtBase.getAsLong(), dtSize.getAsLong(), names.dtBase() + " and -size"))
                : Optional.empty();
        if (fromIomem.isPresent()) {
            MemRange r = fromIomem.get();
            if (fromTree.isPresent()) {
                agree(r, fromTree.get());
            }
            return shrunk(r, names.iomem());
        }
        return fromTree.isPresent() ? shrunk(fromTree.get(), names.dtBase()) : Optional.empty();
    }

    /**
     * The region, required: a machine without crashkernel cannot take a kdump load. The refusal
     * says why the kernel reserved none, from what its command line {@code cmdline} asked for.
     */
    public CrashKernelRegion required(String cmdline) {
        Optional<CrashKernelRegion> region = region();
        if (region.isPresent()) {
            return region.get();
        }
        throw JkexecException.badInput(
                names.machine(),
                CrashkernelWords.whyNoneReserved(
                        cmdline,
                        "no 'Crash kernel' in " + IOMEM + ", no /chosen/linux,crashkernel-base, or " + CRASH_SIZE
                                + " is 0"));
    }

    /** The tree's boot-time region must start where /proc/iomem's does and be no smaller (it is larger after a shrink). */
    private void agree(MemRange iomemRange, MemRange tree) {
        if (tree.start() != iomemRange.start() || Long.compareUnsigned(tree.size(), iomemRange.size()) < 0) {
            throw JkexecException.badInput(
                    names.iomem(),
                    "contradicts " + names.dtBase() + " and " + names.dtSize() + ": Crash kernel "
                            + Hex.range(iomemRange.start(), iomemRange.end()) + " against "
                            + Hex.range(tree.start(), tree.end()));
        }
    }

    private Optional<CrashKernelRegion> shrunk(MemRange r, String source) {
        if (crashSize.isEmpty() || crashSize.getAsLong() == r.size()) {
            return Optional.of(new CrashKernelRegion(r.start(), r.end(), source));
        }
        long size = crashSize.getAsLong();
        if (Long.compareUnsigned(size, r.size()) > 0) {
            throw JkexecException.badInput(
                    names.crashSize(),
                    "says " + Hex.hex(size) + " bytes, more than the crashkernel region "
                            + Hex.range(r.start(), r.end()) + " of " + source);
        }
        if (size == 0) {
            return Optional.empty();
        }
        return Optional.of(
                new CrashKernelRegion(r.start(), r.start() + size - 1, source + " shrunk by " + names.crashSize()));
    }

    private static Optional<String> text(Path root, String rel) {
        Path p = root.resolve(rel);
        if (!Files.exists(p) || (Files.isRegularFile(p) && !Files.isReadable(p))) {
            return Optional.empty();
        }
        return Optional.of(new String(InputFiles.read(p, MAX_FILE), StandardCharsets.ISO_8859_1));
    }

    /**
     * /sys/kernel/kexec_crash_cma_ranges: one {@code start-end} line (hex, inclusive) per area,
     * at most {@link #MAX_CMA_RANGES}; absent or empty when the kernel reserved none.
     */
    static List<MemRange> cmaRanges(Path root) {
        Optional<String> t = text(root, CMA_RANGES);
        if (t.isEmpty()) {
            return List.of();
        }
        Path file = root.resolve(CMA_RANGES);
        List<MemRange> out = new ArrayList<>();
        String[] lines = t.get().split("\n", -1);
        int last = lines.length - (lines[lines.length - 1].isEmpty() ? 1 : 0);
        for (int i = 0; i < last; i++) {
            String line = lines[i];
            if (!line.matches("[0-9a-fA-F]{1,16}-[0-9a-fA-F]{1,16}")) {
                throw JkexecException.badInput(
                        file,
                        "line " + (i + 1) + " is not 'start-end' in hex: '" + MachineCapture.abbreviate(line) + "'");
            }
            if (out.size() == MAX_CMA_RANGES) {
                throw JkexecException.badInput(
                        file,
                        "holds more than " + MAX_CMA_RANGES + " CMA areas: the kernel reserves at most "
                                + MAX_CMA_RANGES + " (CRASHK_CMA_RANGES_MAX)");
            }
            int dash = line.indexOf('-');
            long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(line.substring(dash + 1), 16);
            if (Long.compareUnsigned(end, start) < 0) {
                throw JkexecException.badInput(file, "line " + (i + 1) + " ends before it starts: " + line);
            }
            out.add(new MemRange(start, end));
        }
        return List.copyOf(out);
    }

    private static OptionalLong crashSize(Path root) {
        Optional<String> t = text(root, CRASH_SIZE).map(String::strip);
        if (t.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(t.get()));
        } catch (NumberFormatException e) {
            throw JkexecException.badInput(root.resolve(CRASH_SIZE), "'" + t.get() + "' is not a decimal number");
        }
    }

    /** A device-tree number of one or two big-endian cells. */
    private static OptionalLong dtNumber(Path root, String rel) {
        Path p = root.resolve(rel);
        if (!Files.exists(p) || (Files.isRegularFile(p) && !Files.isReadable(p))) {
            return OptionalLong.empty();
        }
        byte[] b = InputFiles.read(p, 8);
        if (b.length != 4 && b.length != 8) {
            throw JkexecException.badInput(p, b.length + " bytes: not one or two 32-bit cells");
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return OptionalLong.of(v);
    }
}
