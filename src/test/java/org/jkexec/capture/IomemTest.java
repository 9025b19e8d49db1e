package org.jkexec.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.memory.MemRange;
import org.junit.jupiter.api.Test;

/** /proc/iomem: top-level System RAM, sorted; the Crash kernel line at any depth; bad lines named. */
class IomemTest {
    @Test
    void topLevelRamAndTheCrashKernelLine() {
        Iomem i = Iomem.parse("""
                100000000-1ffffffff : System RAM
                00000000-3fffffff : System RAM
                  00000000-01ffffff : Kernel code
                  20000000-2fffffff : Crash kernel
                200080000000-2000ffffffff : pci@800000020000000
                  200080000000-200080ffffff : System RAM
                """, "iomem");
        assertEquals(List.of(new MemRange(0, 0x3fffffffL), new MemRange(0x100000000L, 0x1ffffffffL)), i.systemRam());
        assertEquals(Optional.of(new MemRange(0x20000000L, 0x2fffffffL)), i.crashKernel());
    }

    @Test
    void noCrashKernelLineOnPpc64() {
        assertTrue(Iomem.parse("00000000-ffffffff : System RAM\n", "iomem")
                .crashKernel()
                .isEmpty());
    }

    @Test
    void badLinesAreRefusedNamingTheFileAndLine() {
        for (String bad :
                new String[] {"no dash here : System RAM\n", "zz-10 : System RAM\n", "20-10 : System RAM\n"}) {
            JkexecException e = assertThrows(JkexecException.class, () -> Iomem.parse(bad, "/proc/iomem"));
            assertTrue(
                    e.getMessage().startsWith("/proc/iomem") && e.getMessage().contains("line 1"), e.getMessage());
        }
    }
}
