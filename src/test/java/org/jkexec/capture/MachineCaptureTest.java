package org.jkexec.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.memory.MemRange;
import org.jkexec.ppc64.Ppc64Machine;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture reader on the bundled captures, and what it refuses. */
class MachineCaptureTest {
    @Test
    void theLinux612CaptureGivesTheReferenceRunsFacts() {
        Ppc64Machine m = MachineCapture.read(Reference.capture(Reference.MACHINE));
        assertEquals(List.of(new MemRange(0, 0xffffffffL)), m.systemRam());
        assertEquals(new MemRange(0x20000000L, 0x3fffffffL), m.crashkernel());
        assertEquals(0x7de000L, m.kernelEnd());
        assertEquals(4096, m.pageSize());
        assertEquals(2, m.possibleCpus());
        assertEquals(2, m.crashNotes().size());
        assertTrue(m.liveTree().node("/rtas").isPresent());
    }

    @Test
    void theKexecToolsCaptureHas64KiBPages() {
        assertEquals(
                65536,
                MachineCapture.read(Reference.capture(Reference.MACHINE + "-linux6.1"))
                        .pageSize());
    }

    @Test
    void aMissingBootFdtOrVmcoreinfoIsNamed(@TempDir Path dir) throws Exception {
        Path cap = dir.resolve("cap");
        CrashKernelFactsTest.copy(Reference.capture(Reference.MACHINE), cap);
        Files.delete(cap.resolve("sys/kernel/vmcoreinfo"));
        JkexecException e = assertThrows(JkexecException.class, () -> MachineCapture.read(cap));
        assertTrue(e.getMessage().contains("vmcoreinfo"), e.getMessage());
        Files.delete(cap.resolve("sys/firmware/fdt"));
        e = assertThrows(JkexecException.class, () -> MachineCapture.read(cap));
        assertTrue(e.getMessage().contains("sys/firmware/fdt"), e.getMessage());
    }

    @Test
    void aFileIsNotACapture(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("x.dtb"), "x");
        JkexecException e = assertThrows(JkexecException.class, () -> MachineCapture.read(f));
        assertTrue(e.getMessage().contains("x.dtb"), e.getMessage());
    }
}
