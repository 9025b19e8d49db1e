package org.jkexec.ppc64;

import java.util.List;

import org.jkexec.JkexecException;
import org.jkexec.memory.MemRange;
import org.jkexec.memory.MemRanges;

/**
 * Consistency of a machine's facts before planning: facts that contradict each other come
 * from a corrupt or mixed-up capture, and a plan made from them would be wrong silently.
 */
public final class MachineChecks {
    private MachineChecks() {
    }

    public static void validate(Ppc64Machine m, SpecialRegions regions) {
        validateRam(m);
        List<MemRange> ram = m.systemRam();
        MemRange ck = m.crashkernel();
        MemRanges outside = MemRanges.of(List.of(ck));
        for (MemRange r : ram) {
            outside.exclude(r.start(), r.end());
        }
        if (!outside.isEmpty()) {
            throw JkexecException.badInput(m.source(), "crashkernel " + ck + " is not all System RAM: "
                    + outside.get(0) + " is not RAM");
        }
        if (Long.compareUnsigned(ck.start(), m.kernelEnd()) < 0) {
            throw JkexecException.badInput(m.source(), String.format(
                    "crashkernel %s overlaps the running kernel [0x0 - 0x%x]", ck, m.kernelEnd() - 1));
        }
        for (Region r : regions.all()) {
            if (r.kind() != RegionKind.CRASHKERNEL && r.kind() != RegionKind.RTAS && r.kind() != RegionKind.OPAL
                    && r.range().intersects(ck)) {
                throw JkexecException.badInput(m.source(), r.kind().label() + " " + r.range() + " (" + r.source()
                        + ") lies inside crashkernel " + ck);
            }
        }
        if (m.crashNotes().isEmpty()) {
            throw JkexecException.badInput(m.source(), "no possible CPU has crash notes");
        }
    }

    /** What a regular kexec load relies on: System RAM regions that do not overlap. */
    public static void validateRam(Ppc64Machine m) {
        List<MemRange> ram = m.systemRam();
        for (int i = 1; i < ram.size(); i++) {
            if (Long.compareUnsigned(ram.get(i).start(), ram.get(i - 1).end()) <= 0) {
                throw JkexecException.badInput(m.source(), "System RAM regions overlap: " + ram.get(i - 1) + " and " + ram.get(i));
            }
        }
    }
}
