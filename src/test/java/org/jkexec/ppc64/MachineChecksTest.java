package org.jkexec.ppc64;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.capture.MachineCapture;
import org.jkexec.elf.ElfFile;
import org.jkexec.fdt.Fdt;
import org.jkexec.fdt.FdtNode;
import org.jkexec.fdt.ReserveEntry;
import org.jkexec.kexec.KdumpPlan;
import org.jkexec.kexec.KdumpRequest;
import org.jkexec.kexec.PlanOptions;
import org.jkexec.purgatory.Purgatories;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

/** Reserved memory inside crashkernel: firmware's is refused, the running kernel's own initrd is not. */
class MachineChecksTest {
    /** The reference guest (crashkernel [512 MiB, 1 GiB)) with a boot-FDT reserve entry, optionally its initrd. */
    static Ppc64Machine withReserved(long start, long size, boolean isTheInitrd) {
        Ppc64Machine m = MachineCapture.read(Reference.capture(Reference.MACHINE));
        Fdt boot = m.bootFdt().copy();
        boot.reserveMap().add(new ReserveEntry(start, size));
        if (isTheInitrd) {
            // as a kexec'd kernel's boot FDT has it (QEMU and skiboot write one cell, kexec two)
            FdtNode chosen = boot.node("/chosen").orElseThrow();
            chosen.setProperty("linux,initrd-start", Cells.encode(1, start));
            chosen.setProperty("linux,initrd-end", Cells.encode(1, start + size));
        }
        return new Ppc64Machine(
                m.source(),
                boot,
                m.bootFdtSize(),
                m.liveTree(),
                m.systemRam(),
                m.crashkernel(),
                m.kernelEnd(),
                m.cmdline(),
                m.crashNotes(),
                m.vmcoreinfo(),
                m.pageSize(),
                m.rmaSize(),
                m.bootFdtAddress(),
                m.lpar(),
                m.threadsPerCore(),
                List.of());
    }

    static KdumpPlan plan(Ppc64Machine m) throws Exception {
        byte[] kernel = Files.readAllBytes(Reference.capture(Reference.MACHINE).resolve("kdump/vmlinux-phdrs"));
        return new Ppc64KdumpPlanner(Purgatories.standard())
                .plan(
                        m,
                        new KdumpRequest(ElfFile.parse(kernel, "vmlinux"), new byte[3 << 20], "console=hvc0"),
                        PlanOptions.linux612().withSeeds(1L, new byte[128]));
    }

    @Test
    void theRunningKernelsInitrdInsideCrashkernelIsNoObstacle() throws Exception {
        // a kexec'd kernel whose 230 MB initrd was placed where it later reserved crashkernel (seen on powernv9)
        KdumpPlan p = plan(withReserved(0x1d000000L, 0xdaf1dd0L, true));
        assertNotNull(p);
        assertTrue(
                p.kdumpFdt().reserveMap().stream().noneMatch(e -> e.address() == 0x1d000000L),
                "the kdump FDT drops the old initrd's entry: " + p.kdumpFdt().reserveMap());
    }

    @Test
    void otherReservedMemoryInsideCrashkernelIsRefused() {
        JkexecException e =
                assertThrows(JkexecException.class, () -> plan(withReserved(0x1d000000L, 0xdaf1dd0L, false)));
        assertTrue(e.getMessage().contains("covers part of crashkernel"), e.getMessage());
    }
}
