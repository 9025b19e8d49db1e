package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.memory.MemRange;
import org.junit.jupiter.api.Test;

/** RAM from memory@ nodes, for machines without /proc/iomem. */
class RamLayoutTest {
    static Fdt withMemory(long base, long size) {
        Fdt t = Fdt.empty();
        t.root().setProperty("#address-cells", Cells.encode(1, 2));
        t.root().setProperty("#size-cells", Cells.encode(1, 2));
        FdtNode mem = t.root().appendChild("memory@0");
        mem.setProperty("device_type", "memory\0".getBytes(StandardCharsets.US_ASCII));
        mem.setProperty("reg", Cells.encode(2, 0, 1L << 30, base, size));
        return t;
    }

    @Test
    void anEntryReachingTheTopOfTheAddressSpaceIsRam() {
        List<MemRange> ram = RamLayout.fromTree(withMemory(-(1L << 30), 1L << 30));
        assertEquals(List.of(new MemRange(0, (1L << 30) - 1), new MemRange(-(1L << 30), -1L)), ram);
    }

    /** Found by fuzzing a capture without /proc/iomem: the dump got a PT_LOAD ending below its start. */
    @Test
    void anEntryWrappingPastTheTopIsRefusedNamingTheProperty() {
        JkexecException e = assertThrows(
                JkexecException.class, () -> RamLayout.fromTree(withMemory(0x2d2b0000ffffL, 0xffffffff2b7e0000L)));
        assertTrue(e.getMessage().contains("/memory@0/reg"), e.getMessage());
        assertTrue(e.getMessage().contains("wraps past the end of the address space"), e.getMessage());
    }
}
