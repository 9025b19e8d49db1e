package org.jkexec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.jkexec.JkexecException;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.ReserveEntry;

/**
 * Garbage in the kdump kernel's inputs is reported, never a crash: a mangled /proc/vmcore header
 * either is rejected as bad input (one line naming the file) or yields a report; garbage FDT
 * values yield a report.
 */
class HostileInputProperties {
    @Property(tries = 300)
    void mangledVmcoreHeadersAreReportedNotCrashedOn(
            @ForAll @Size(max = 12) List<@net.jqwik.api.constraints.IntRange(max = 0x13ff) Integer> at,
            @ForAll @Size(max = 12) List<Byte> value) {
        String ref = at.size() % 2 == 0 ? RefFixtures.K612 : RefFixtures.KT;
        byte[] b = RefFixtures.vmcoreBytes(ref);
        for (int i = 0; i < Math.min(at.size(), value.size()); i++) {
            b[at.get(i)] = value.get(i);
        }
        ElfFile v;
        try {
            v = ElfFile.parse(b, "vmcore");
        } catch (JkexecException e) {
            assertEquals(2, e.exitCode());
            return;
        }
        VerifyReport r = KdumpChecks.run(RefFixtures.received(ref).withVmcore(v), RefFixtures.machine(ref));
        r.text(true);
        r.json();
    }

    @Property(tries = 200)
    void garbageFdtValuesAreReportedNotCrashedOn(
            @ForAll @Size(max = 6) List<Long> addresses,
            @ForAll @Size(max = 6) List<Long> sizes,
            @ForAll byte[] usable) {
        List<ReserveEntry> map = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(addresses.size(), sizes.size()); i++) {
            map.add(new ReserveEntry(addresses.get(i), sizes.get(i)));
        }
        KdumpFdtFacts f = RefFixtures.fdt(RefFixtures.K612)
                .withReserveMap(map)
                .withMemoryNodes(List.of(new KdumpFdtFacts.MemoryNode("/memory@0", map, Optional.of(usable))))
                .withDrconf(Optional.of(new KdumpFdtFacts.Drconf(
                        0x10000000L, new long[] {-0x10000000L, 0x100000000L}, new int[] {8, 8}, Optional.of(usable))));
        VerifyReport r = KdumpChecks.run(RefFixtures.received(RefFixtures.K612).withFdt(f), Expected.none());
        r.text(true);
    }
}
