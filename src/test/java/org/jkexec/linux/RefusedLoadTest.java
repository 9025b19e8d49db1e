package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.app.LoadService;
import org.jkexec.app.SyscallChoice;
import org.jkexec.kexec.PlanOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load whose kdump kernel could not boot never reaches the syscall: the bundled pseries
 * capture with crashkernel moved to 256M@1G, loaded with the kernel's placement (kexec_load)
 * and through kexec_file_load (which would place it as the kernel does), is refused with
 * exit 1 and no call recorded, so a kdump kernel loaded before stays loaded.
 */
class RefusedLoadTest {
    @TempDir
    Path root;

    void captureWithCrashkernelAt1GiB() throws IOException {
        CaptureCopy.copy(root);
        CaptureCopy.crashkernelAt1GiB(root);
    }

    @Test
    void theKernelsPlacementIsRefusedBeforeEitherSyscall() throws IOException {
        captureWithCrashkernelAt1GiB();
        RecordingKexecSyscalls calls = new RecordingKexecSyscalls();
        LoadService service = new LoadService(
                new KexecLoader(() -> calls, new KexecSystemFiles(root), Optional.of(LinuxArch.PPC64LE)));
        Path kernel = root.resolve("kdump/vmlinux-phdrs");
        PlanOptions kernels =
                PlanOptions.linux612().withSeeds(1L, new byte[128]).withPlacement(PlanOptions.Placement.KERNEL);

        JkexecException e = assertThrows(
                JkexecException.class,
                () -> service.load(root, kernel, null, "console=hvc0", kernels, SyscallChoice.LOAD_ONLY, false, false));
        assertEquals(1, e.exitCode());
        assertTrue(e.getMessage().startsWith("load refused, nothing loaded or unloaded: "), e.getMessage());
        assertTrue(e.getMessage().contains("RTAS user buffer"), e.getMessage());

        JkexecException f = assertThrows(
                JkexecException.class,
                () -> service.load(
                        root,
                        kernel,
                        null,
                        "console=hvc0",
                        PlanOptions.linux612(),
                        SyscallChoice.FILE_ONLY,
                        false,
                        false));
        assertEquals(1, f.exitCode());
        assertTrue(f.getMessage().contains("kexec_file_load would place the kdump kernel where"), f.getMessage());

        assertTrue(calls.loads.isEmpty(), "no kexec_load");
        assertTrue(calls.fileLoads.isEmpty(), "no kexec_file_load");
    }
}
