package org.jkexec.ppc64;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.RangeSet;
import org.jkexec.units.Hex;

/**
 * Consistency of a machine's facts before planning: facts that contradict each other come
 * from a corrupt or mixed-up capture, and a plan made from them would be wrong silently.
 * Every refusal is a bad input (exit 2) naming where the fact came from.
 */
public final class MachineChecks {
    /**
     * One past the highest physical address a ppc64 (book3s) kernel can address: its
     * MAX_PHYSMEM_BITS is 51 (2 PiB). RAM, LMBs or firmware regions beyond it, or a range
     * claiming the whole 64-bit space, come from a corrupt description.
     */
    public static final long MAX_PHYSICAL = 1L << 51;

    private MachineChecks() {}

    /**
     * The crashkernel=SIZE,cma areas: free RAM the kernel set aside after crashkernel
     * (cma_declare_contiguous), so inside System RAM, above the running kernel and apart from
     * crashkernel and each other.
     */
    static void checkCmaAreas(Ppc64Machine m, MemRange ck) {
        List<MemRange> ram = m.systemRam();
        List<MemRange> areas = m.crashkernelCma();
        for (int i = 0; i < areas.size(); i++) {
            MemRange a = areas.get(i);
            String what =
                    "crashkernel CMA area " + Hex.range(a.start(), a.end()) + " (sys/kernel/kexec_crash_cma_ranges)";
            if (!insideRam(ram, a)) {
                throw JkexecException.badInput(m.source(), what + " is not all System RAM");
            }
            if (Long.compareUnsigned(a.start(), m.kernelEnd()) < 0) {
                throw JkexecException.badInput(
                        m.source(),
                        what + String.format(" overlaps the running kernel [0x0 - 0x%x]", m.kernelEnd() - 1));
            }
            if (a.intersects(ck)) {
                throw JkexecException.badInput(m.source(), what + " overlaps crashkernel " + ck);
            }
            for (int j = 0; j < i; j++) {
                if (a.intersects(areas.get(j))) {
                    MemRange b = areas.get(j);
                    throw JkexecException.badInput(
                            m.source(), what + " overlaps the CMA area " + Hex.range(b.start(), b.end()));
                }
            }
        }
    }

    public static void validate(Ppc64Machine m, SpecialRegions regions, Optional<DrconfMemory> lmbs) {
        validateRamAndCpuNodes(m);
        String src = m.source();
        List<MemRange> ram = m.systemRam();
        MemRange ck = m.crashkernel();
        long page = m.pageSize();
        if ((ck.start() & (page - 1)) != 0 || (ck.size() & (page - 1)) != 0) {
            throw JkexecException.badInput(
                    src,
                    "crashkernel " + ck + " is not aligned to the " + page
                            + "-byte page: the kernel reserves whole pages, so this is not the kernel's crashkernel");
        }
        List<MemRange> outside = RangeSet.of(ck).minus(RangeSet.of(ram)).ranges();
        if (!outside.isEmpty()) {
            throw JkexecException.badInput(
                    src, "crashkernel " + ck + " is not all System RAM: " + outside.get(0) + " is not RAM");
        }
        checkCmaAreas(m, ck);
        // a ppc64 kernel runs at 0 with its exception vectors in the first 64 KiB, so its _end
        // lies above them; a smaller one would let crashkernel take the first 64 KiB, the very
        // memory the backup region saves (found by fuzzing: kernel end 0, crashkernel at 0)
        if (Long.compareUnsigned(m.kernelEnd(), 0x10000) < 0) {
            throw JkexecException.badInput(
                    src,
                    "the running kernel's end " + Hex.hex(m.kernelEnd())
                            + " is below 64 KiB: a ppc64 kernel runs at 0 with its exception vectors there");
        }
        // the running kernel's memory [0, _end) is RAM: the dump always carries the first 64 KiB
        // (found by fuzzing: a RAM list starting above 0)
        if (!insideRam(ram, new MemRange(0, m.kernelEnd() - 1))) {
            throw JkexecException.badInput(
                    src,
                    "System RAM does not hold the running kernel [0x0 - " + Hex.hex(m.kernelEnd() - 1)
                            + "]: a ppc64 kernel runs at 0");
        }
        if (Long.compareUnsigned(ck.start(), m.kernelEnd()) < 0) {
            throw JkexecException.badInput(
                    src,
                    String.format("crashkernel %s overlaps the running kernel [0x0 - 0x%x]", ck, m.kernelEnd() - 1));
        }
        checkNotesOutsideCrashkernel(m, ck);
        checkReserveMap(m, ck, regions);
        checkLmbs(m, lmbs);
        for (Region r : regions.all()) {
            if (Long.compareUnsigned(r.range().end(), MAX_PHYSICAL) >= 0 && r.kind() != RegionKind.CRASHKERNEL) {
                throw JkexecException.badInput(
                        src,
                        r.kind().label() + " " + r.range() + " (" + r.source()
                                + ") reaches past 2 PiB, the most a ppc64 kernel can address");
            }
            if (r.kind() == RegionKind.RTAS && !insideRam(ram, r.range())) {
                throw JkexecException.badInput(
                        src,
                        "RTAS " + r.range() + " (" + r.source()
                                + " linux,rtas-base, rtas-size) is not inside System RAM: a corrupt rtas-size or base");
            }
            // firmware lies wholly inside crashkernel or wholly outside: the dump takes RTAS and
            // OPAL whole, so one straddling the edge would put crashkernel memory in the dump
            // (found by fuzzing: an rtas-size carrying RTAS from inside crashkernel to the end of RAM)
            if ((r.kind() == RegionKind.RTAS || r.kind() == RegionKind.OPAL)
                    && r.range().intersects(ck)
                    && !ck.contains(r.range())) {
                throw JkexecException.badInput(
                        src,
                        r.kind().label() + " " + r.range() + " (" + r.source() + ") straddles the edge of crashkernel "
                                + ck + ": a corrupt base or size");
            }
        }
        // Firmware ranges inside crashkernel (RTAS, OPAL, reserved-ranges, TCE tables) are not
        // contradictions: the kernel reserves crashkernel around them on some machines (powernv
        // with a large crashkernel at 128 MiB), places the segments around them (they are in the
        // exclude list) and keeps them reserved for the kdump kernel. Only a crashkernel over the
        // running kernel itself is impossible.
        if (m.crashNotes().isEmpty()) {
            throw JkexecException.badInput(src, "no possible CPU has crash notes");
        }
    }

    /**
     * What a regular kexec load relies on too: System RAM regions below 2 PiB that do not
     * overlap, and CPU nodes a new FDT's /cpus can take.
     */
    public static void validateRamAndCpuNodes(Ppc64Machine m) {
        // every live node typed "cpu" is copied under /cpus by its name, and the root has
        // none: the kernel would add a node named "/" there (found by fuzzing: the root's
        // device_type rewritten to "cpu")
        if (CpuNodes.isCpu(m.liveTree().root())) {
            throw JkexecException.badInput(
                    m.source(),
                    "the live device tree's root node has device_type \"cpu\": "
                            + "a corrupt tree (a new FDT's /cpus would get a CPU node without a name)");
        }
        List<MemRange> ram = m.systemRam();
        for (MemRange r : ram) {
            if (Long.compareUnsigned(r.end(), MAX_PHYSICAL) >= 0) {
                throw JkexecException.badInput(
                        m.source(),
                        "System RAM " + r + " reaches past 2 PiB (" + Hex.hex(MAX_PHYSICAL)
                                + "), the most a ppc64 kernel can address");
            }
        }
        for (int i = 1; i < ram.size(); i++) {
            if (Long.compareUnsigned(ram.get(i).start(), ram.get(i - 1).end()) <= 0) {
                throw JkexecException.badInput(
                        m.source(), "System RAM regions overlap: " + ram.get(i - 1) + " and " + ram.get(i));
            }
        }
    }

    /**
     * The crash-note and vmcoreinfo buffers a running kernel reported: each must lie in System
     * RAM, or the core header would point the dump at memory that is not the crashed kernel's. {@code where} names the files they came from.
     */
    public static void checkNoteBuffers(Ppc64Machine m, String notesWhere, String vmcoreinfoWhere) {
        List<NoteBuffer> notes = m.crashNotes();
        for (int i = 0; i < notes.size(); i++) {
            checkNoteBuffer(m, notes.get(i), notesWhere + " (possible CPU #" + i + ")", "crash notes");
        }
        checkNoteBuffer(m, m.vmcoreinfo(), vmcoreinfoWhere, "vmcoreinfo note");
    }

    private static void checkNoteBuffer(Ppc64Machine m, NoteBuffer n, String where, String what) {
        if (n.size() == 0) {
            return; // an unknown size: the kdump kernel reads the note's own header
        }
        if (Long.compareUnsigned(n.size(), 1L << 20) > 0) {
            throw JkexecException.badInput(
                    where, what + " size " + Hex.hex(n.size()) + " is not a note buffer's (at most 1 MiB)");
        }
        MemRange r = MemRange.ofSize(n.address(), n.size(), where);
        if (!insideRam(m.systemRam(), r)) {
            throw JkexecException.badInput(where, what + " " + r + " is not inside System RAM");
        }
    }

    /**
     * The running kernel allocates its crash notes and vmcoreinfo note in its own memory, never
     * in the region it reserved for the kdump kernel, which the load overwrites.
     */
    private static void checkNotesOutsideCrashkernel(Ppc64Machine m, MemRange ck) {
        List<NoteBuffer> notes = new java.util.ArrayList<>(m.crashNotes());
        notes.add(m.vmcoreinfo());
        for (int i = 0; i < notes.size(); i++) {
            NoteBuffer n = notes.get(i);
            MemRange r = MemRange.ofSize(n.address(), Math.max(1, n.size()), m.source());
            if (r.intersects(ck)) {
                String what = i < m.crashNotes().size() ? "crash notes of possible CPU #" + i : "vmcoreinfo note";
                throw JkexecException.badInput(
                        m.source(),
                        what + " " + r + " lies inside crashkernel " + ck + ": the load would overwrite it");
            }
        }
    }

    /**
     * The boot FDT's reserve map: no entry wraps, and none reaches into crashkernel except
     * where firmware ranges the planner avoids lie (RTAS, OPAL, reserved-ranges, TCE tables),
     * rounded out to 64 KiB pages: powernv's skiboot reserves its ranges in the map as well,
     * and the kernel puts a large crashkernel over them; any other reserved memory in
     * crashkernel is memory the planner would place segments on. The running kernel's own
     * initrd is no firmware range: a kernel that was itself kexec'd may have its initrd where
     * it later reserved crashkernel; the kernel frees the rest of it and keeps the part in
     * crashkernel for the kdump kernel, and the kdump FDT drops its entry.
     */
    private static void checkReserveMap(Ppc64Machine m, MemRange ck, SpecialRegions regions) {
        List<ReserveEntry> map = m.bootFdt().reserveMap();
        List<MemRange> firmware = new java.util.ArrayList<>();
        long page = 0x10000;
        for (Region r : regions.all()) {
            // what the kernel's exclude list keeps segments off (and the kdump FDT keeps reserved)
            if (r.kind() == RegionKind.RTAS
                    || r.kind() == RegionKind.OPAL
                    || r.kind() == RegionKind.RESERVED_RANGES
                    || r.kind() == RegionKind.TCE) {
                long end = r.range().end() | (page - 1);
                firmware.add(new MemRange(
                        r.range().start() & -page,
                        Long.compareUnsigned(end, r.range().end()) < 0 ? -1L : end));
            }
        }
        Optional<MemRange> initrd = bootInitrd(m);
        for (int i = 0; i < map.size(); i++) {
            ReserveEntry e = map.get(i);
            MemRange r = MemRange.ofSize(e.address(), e.size(), m.source() + " boot FDT reserve map entry " + i);
            boolean isTheInitrd = initrd.isPresent()
                    && initrd.get().start() == r.start()
                    && (initrd.get().end() == r.end() || ((initrd.get().end() | (m.pageSize() - 1)) == r.end()));
            if (r.intersects(ck)
                    && !isTheInitrd
                    && !insideRam(firmware, r.intersect(ck).orElseThrow())) {
                throw JkexecException.badInput(
                        m.source(),
                        "boot FDT reserve map entry " + i + " " + r + " covers part of crashkernel " + ck
                                + ": memory firmware reserved cannot hold the kdump kernel");
            }
        }
    }

    /** The boot FDT's /chosen initrd range [start, end), when both properties are there. */
    private static Optional<MemRange> bootInitrd(Ppc64Machine m) {
        return m.bootFdt()
                .node("/chosen")
                .flatMap(ChosenInitrd::of)
                .filter(i -> Long.compareUnsigned(i.end(), i.start()) > 0)
                .map(i -> new MemRange(i.start(), i.end() - 1));
    }

    /** LMBs of ibm,dynamic-reconfiguration-memory never overlap (memory would vanish from the dump). */
    private static void checkLmbs(Ppc64Machine m, Optional<DrconfMemory> d) {
        if (d.isEmpty()) {
            return;
        }
        DrconfMemory lmbs = d.get();
        int n = lmbs.count();
        long size = lmbs.lmbSize();
        if (lmbs.ascendingApart()) { // as firmware lists them: only the last can reach past 2 PiB
            if (n > 0 && Long.compareUnsigned(lmbs.base(n - 1) + size - 1, MAX_PHYSICAL) >= 0) {
                throw reachesPast(m, lmbs.base(n - 1));
            }
            return;
        }
        long[] bases = null;
        if (!lmbs.ascending()) {
            // unsigned order: flip the sign bit, sort signed, flip back
            bases = new long[n];
            for (int i = 0; i < n; i++) {
                bases[i] = lmbs.base(i) ^ Long.MIN_VALUE;
            }
            Arrays.sort(bases);
            for (int i = 0; i < n; i++) {
                bases[i] ^= Long.MIN_VALUE;
            }
        }
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long base = bases == null ? lmbs.base(i) : bases[i];
            long end = base + size - 1;
            if (Long.compareUnsigned(end, MAX_PHYSICAL) >= 0) {
                throw reachesPast(m, base);
            }
            if (i > 0 && Long.compareUnsigned(base, previous + size - 1) <= 0) {
                throw JkexecException.badInput(
                        m.source(),
                        String.format(
                                "%s: LMBs at 0x%x and 0x%x overlap " + "(LMB size 0x%x)",
                                DrconfMemory.NODE, previous, base, size));
            }
            previous = base;
        }
    }

    private static JkexecException reachesPast(Ppc64Machine m, long lmbBase) {
        return JkexecException.badInput(
                m.source(),
                String.format(
                        "%s: LMB at 0x%x reaches past 2 PiB, " + "the most a ppc64 kernel can address",
                        DrconfMemory.NODE, lmbBase));
    }

    /** Whether {@code r} lies entirely inside the union of {@code ram}. */
    private static boolean insideRam(List<MemRange> ram, MemRange r) {
        return RangeSet.of(ram).covers(r);
    }
}
