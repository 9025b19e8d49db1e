package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jkexec.capture.MachineCapture;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.BackupRegion;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

/**
 * The kdump kernel's device tree for the reference machine, edit by edit (the bytes against a
 * real kernel's are Linux612ReferenceTest's): /chosen, usable memory, the reserve map's order.
 */
class KdumpFdtTest {
    static final long ELFCOREHDR = 0x207f0000L;
    static final long BACKUP = 0x207e0000L;
    static final long INITRD = 0x20861000L;

    static Fdt build() {
        Ppc64Machine m = MachineCapture.read(Reference.capture(Reference.MACHINE));
        KdumpRanges r = new KdumpRanges(m);
        KdumpFdt k = new KdumpFdt(m);
        return k.build(new KdumpFdt.Inputs(
                INITRD,
                0x2dd62c,
                ELFCOREHDR,
                0x71000,
                BACKUP,
                BackupRegion.SIZE,
                "elfcorehdr=0x207f0000 console=hvc0",
                7L,
                new byte[KdumpFdt.RNG_SEED_SIZE],
                r.usable(),
                r.reserved()));
    }

    @Test
    void chosenCarriesWhatTheKdumpKernelNeeds() {
        FdtNode chosen = build().node("/chosen").orElseThrow();
        assertEquals(
                "elfcorehdr=0x207f0000 console=hvc0", chosen.string("bootargs").orElseThrow());
        assertEquals(INITRD, chosen.u64("linux,initrd-start").orElseThrow());
        assertEquals(INITRD + 0x2dd62c, chosen.u64("linux,initrd-end").orElseThrow());
        assertTrue(chosen.hasProperty("linux,booted-from-kexec"));
        assertTrue(chosen.hasProperty("linux,elfcorehdr"));
        assertTrue(chosen.hasProperty("linux,usable-memory-range"));
        assertEquals(7L, chosen.u64("kaslr-seed").orElseThrow());
        assertEquals(KdumpFdt.RNG_SEED_SIZE, chosen.value("rng-seed").orElseThrow().length);
    }

    @Test
    void theReserveMapEndsWithTheKdumpEntriesThenTheReservedRanges() {
        List<ReserveEntry> map = build().reserveMap();
        int n = map.size();
        assertEquals(new ReserveEntry(INITRD, 0x2dd62c), map.get(n - 5));
        assertEquals(new ReserveEntry(ELFCOREHDR, 0x71000), map.get(n - 4));
        assertEquals(
                new ReserveEntry(BackupRegion.SIZE, 0x20000000L - BackupRegion.SIZE),
                map.get(n - 3),
                "the crashed kernel's memory below crashkernel, first 64 KiB excepted");
        assertEquals(new ReserveEntry(BACKUP, BackupRegion.SIZE), map.get(n - 2));
        assertEquals(new ReserveEntry(0x2ffff000L, 0x83c), map.get(n - 1), "RTAS, from the reserved list");
    }

    @Test
    void memoryNodesGetTheUsableRangesMeetingThem() {
        Fdt fdt = build();
        List<FdtNode> memory = fdt.root().children().stream()
                .filter(c -> c.name().startsWith("memory@"))
                .toList();
        assertFalse(memory.isEmpty());
        for (FdtNode node : memory) {
            assertTrue(node.hasProperty("linux,usable-memory"), node.path());
        }
    }
}
