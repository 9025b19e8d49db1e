package org.jkexec.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.elf.ElfCoreHeader.NoteBuffer;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.ppc64.Region;
import org.jkexec.ppc64.SpecialRegions;

/**
 * What the crashed (first) kernel should have handed over: facts of its machine capture
 * and/or a plan. Everything is optional; checks that lack a fact fall back to what the kdump
 * kernel's own inputs say, or are skipped.
 *
 * @param machineSource where the machine facts came from ("" when none)
 * @param crashkernel   crashk_res
 * @param systemRam     memblock.memory of the crashed kernel
 * @param crashNotes    one per possible CPU, in CPU order
 * @param vmcoreinfo    the vmcoreinfo note buffer
 * @param firmware      RTAS, OPAL, TCE and reserved-ranges regions of the live tree
 * @param pageSize      the crashed kernel's PAGE_SIZE
 * @param plan          a plan made for this load
 * @param crashkernelCma the crashkernel=SIZE,cma areas (usable by the kdump kernel, left out of the dump)
 */
public record Expected(
        String machineSource,
        Optional<MemRange> crashkernel,
        Optional<List<MemRange>> systemRam,
        Optional<List<NoteBuffer>> crashNotes,
        Optional<NoteBuffer> vmcoreinfo,
        Optional<List<Region>> firmware,
        OptionalLong pageSize,
        Optional<PlanFacts> plan,
        List<MemRange> crashkernelCma) {

    public Expected {
        Objects.requireNonNull(machineSource);
        crashkernelCma = List.copyOf(crashkernelCma);
    }

    /** Nothing known about the first kernel. */
    public static Expected none() {
        return new Expected(
                "",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                OptionalLong.empty(),
                Optional.empty(),
                List.of());
    }

    /** The facts of a machine capture of the crashed kernel (reads its live tree for RTAS/OPAL/TCE). */
    public static Expected of(Ppc64Machine m) {
        SpecialRegions r = new SpecialRegions(m);
        List<Region> fw = new ArrayList<>();
        fw.addAll(r.rtas());
        fw.addAll(r.opal());
        fw.addAll(r.tce());
        fw.addAll(r.reservedRanges());
        return new Expected(
                m.source(),
                Optional.of(m.crashkernel()),
                Optional.of(m.systemRam()),
                Optional.of(m.crashNotes()),
                Optional.of(m.vmcoreinfo()),
                Optional.of(fw),
                OptionalLong.of(m.pageSize()),
                Optional.empty(),
                m.crashkernelCma());
    }

    public Expected withPlan(PlanFacts p) {
        return new Expected(
                machineSource,
                crashkernel,
                systemRam,
                crashNotes,
                vmcoreinfo,
                firmware,
                pageSize,
                Optional.ofNullable(p),
                crashkernelCma);
    }

    public Expected withCrashNotes(List<NoteBuffer> notes) {
        return new Expected(
                machineSource,
                crashkernel,
                systemRam,
                Optional.ofNullable(notes),
                vmcoreinfo,
                firmware,
                pageSize,
                plan,
                crashkernelCma);
    }

    public Expected withFirmware(List<Region> fw) {
        return new Expected(
                machineSource,
                crashkernel,
                systemRam,
                crashNotes,
                vmcoreinfo,
                Optional.ofNullable(fw),
                pageSize,
                plan,
                crashkernelCma);
    }

    public boolean hasMachine() {
        return !machineSource.isEmpty();
    }
}
