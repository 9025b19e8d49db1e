package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.jkexec.JkexecException;
import org.jkexec.app.KexecService;
import org.jkexec.app.LoadService;
import org.jkexec.app.SyscallChoice;
import org.jkexec.app.SyscallChoice.Call;
import org.jkexec.kexec.PlanOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load services against fake syscalls on a copy of the bundled capture: which syscalls a
 * load makes under each choice, under lockdown and after each errno, and that a refusal calls
 * nothing.
 */
class SyscallChoiceLoadTest {
    @TempDir
    Path root;

    RecordingKexecSyscalls calls;
    LoadService service;
    Path kernel;
    static final PlanOptions OPTIONS = PlanOptions.linux612().withSeeds(1L, new byte[128]);

    @BeforeEach
    void copyCapture() throws IOException {
        CaptureCopy.copy(root);
        calls = new RecordingKexecSyscalls();
        service = new LoadService(loader());
        kernel = root.resolve("kdump/vmlinux-phdrs");
    }

    KexecLoader loader() {
        calls.pageSize = 0x1000; // the captured guest's
        return new KexecLoader(() -> calls, new KexecSystemFiles(root), Optional.of(LinuxArch.PPC64LE));
    }

    void lockdown(String mode) throws IOException {
        Files.createDirectories(root.resolve("sys/kernel/security"));
        Files.writeString(root.resolve("sys/kernel/security/lockdown"), "none [" + mode + "] confidentiality\n");
    }

    void crashkernelAt1GiB() throws IOException {
        CaptureCopy.crashkernelAt1GiB(root);
    }

    LoadService.Loaded load(SyscallChoice choice) {
        return service.load(root, kernel, null, "console=hvc0", OPTIONS, choice, false, false);
    }

    /**
     * update-class-archive's training runs: a dry run of a capture makes the syscall object (JNA)
     * as a load on the running machine does only when asked, and never makes a kexec call.
     */
    @Test
    void onlyAnArchiveTrainingDryRunOfACaptureMakesTheSyscallObject() {
        int[] made = {0};
        LoadService s = new LoadService(new KexecLoader(
                () -> {
                    made[0]++;
                    return calls;
                },
                new KexecSystemFiles(root),
                Optional.of(LinuxArch.PPC64LE)));
        s.load(root, kernel, null, "console=hvc0", OPTIONS, SyscallChoice.PLAN_FIRST, false, true);
        assertEquals(0, made[0], "a dry run of a capture needs no syscall object");
        System.setProperty(LoadService.ARCHIVE_TRAINING, "true");
        try {
            s.load(root, kernel, null, "console=hvc0", OPTIONS, SyscallChoice.PLAN_FIRST, false, true);
        } finally {
            System.clearProperty(LoadService.ARCHIVE_TRAINING);
        }
        assertEquals(1, made[0], "the training run makes it as a load does");
        assertEquals(0, calls.loads.size() + calls.fileLoads.size());
    }

    @Test
    void jkexecsDefaultIsOneKexecLoadOfItsPlan() {
        LoadService.Loaded l = load(SyscallChoice.PLAN_FIRST);
        assertEquals(Call.KEXEC_LOAD, l.call());
        assertEquals(1, calls.loads.size());
        assertEquals(0, calls.fileLoads.size());
        assertTrue(l.notes().isEmpty());
    }

    /** The estimate is made on another thread while the kernel loads; the record keeps the same figure. */
    @Test
    void theLoadRecordKeepsThePlansCrashkernelEstimate() throws IOException {
        Path initrd = root.resolve("initrd.gz");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[48 << 20]); // 48 MiB unpacked: the estimate grows with it
        }
        Files.write(initrd, gz.toByteArray());
        LoadService.Loaded l =
                service.load(root, kernel, initrd, "console=hvc0", OPTIONS, SyscallChoice.PLAN_FIRST, false, false);
        long mib = org.jkexec.app.CrashkernelNeed.of(
                                l.planned().machine(), l.planned().plan())
                        .bytes()
                >>> 20;
        String record = new LoadRecord(root).read().orElseThrow();
        assertTrue(record.contains("crashkernel needed about " + mib + " MiB (estimate)"), record);
        assertTrue(mib > 48, record);
    }

    @Test
    void underLockdownJkexecsDefaultUsesKexecFileLoadAndSaysSo() throws IOException {
        lockdown("integrity");
        LoadService.Loaded l = load(SyscallChoice.PLAN_FIRST);
        assertEquals(Call.KEXEC_FILE_LOAD, l.call());
        assertEquals(0, calls.loads.size());
        assertEquals(1, calls.fileLoads.size());
        assertEquals(
                KexecFlags.KEXEC_FILE_ON_CRASH | KexecFlags.KEXEC_FILE_NO_INITRAMFS,
                calls.fileLoads.get(0).flags());
        assertEquals(1, l.notes().size());
        assertTrue(
                l.notes().get(0).contains("lockdown is 'integrity'"), l.notes().toString());
    }

    @Test
    void kexecLoadAnsweringEpermTurnsJkexecsDefaultToKexecFileLoad() {
        // kexec_load answers EPERM (a locked-down kernel whose lockdown file is not mounted); the file load works
        RecordingKexecSyscalls eperm = new RecordingKexecSyscalls();
        eperm.kexecLoadErrno = Errno.EPERM;
        calls = eperm;
        service = new LoadService(loader());
        LoadService.Loaded l = load(SyscallChoice.PLAN_FIRST);
        assertEquals(Call.KEXEC_FILE_LOAD, l.call());
        assertEquals(1, eperm.loads.size());
        assertEquals(1, eperm.fileLoads.size());
        assertTrue(l.notes().get(0).contains("EPERM"), l.notes().toString());
    }

    @Test
    void kexecToolsDefaultTriesKexecFileLoadThenFallsBackOnEinvalOnly() {
        LoadService.Loaded first = load(SyscallChoice.AUTO);
        assertEquals(Call.KEXEC_FILE_LOAD, first.call());
        assertEquals(0, calls.loads.size());

        RecordingKexecSyscalls einval = new RecordingKexecSyscalls();
        einval.kexecFileLoadErrno = Errno.EINVAL;
        calls = einval;
        service = new LoadService(loader());
        LoadService.Loaded fell = load(SyscallChoice.AUTO);
        assertEquals(Call.KEXEC_LOAD, fell.call());
        assertEquals(1, einval.fileLoads.size());
        assertEquals(1, einval.loads.size());
        assertTrue(fell.notes().get(0).contains("EINVAL"), fell.notes().toString());

        calls = new RecordingKexecSyscalls();
        calls.errno = Errno.EKEYREJECTED;
        service = new LoadService(loader());
        assertThrows(JkexecException.class, () -> load(SyscallChoice.AUTO));
        assertEquals(1, calls.fileLoads.size());
        assertEquals(0, calls.loads.size(), "a rejected signature is not retried with kexec_load");
    }

    @Test
    void dashCUnderLockdownIsRefusedBeforeAnyCall() throws IOException {
        lockdown("confidentiality");
        JkexecException e = assertThrows(JkexecException.class, () -> load(SyscallChoice.LOAD_ONLY));
        assertTrue(e.getMessage().contains("lockdown is 'confidentiality'"), e.getMessage());
        assertEquals(0, calls.calls());
        JkexecException u =
                assertThrows(JkexecException.class, () -> service.unload(root, SyscallChoice.LOAD_ONLY, false));
        assertTrue(u.getMessage().contains("nothing unloaded"), u.getMessage());
        assertEquals(0, calls.calls(), "nothing unloaded");
    }

    @Test
    void underLockdownAKernelPlacementThatCannotBootIsRefusedWithACrashkernelThatWorks() throws IOException {
        crashkernelAt1GiB();
        lockdown("integrity");
        for (SyscallChoice c : new SyscallChoice[] {SyscallChoice.PLAN_FIRST, SyscallChoice.AUTO}) {
            JkexecException e = assertThrows(JkexecException.class, () -> load(c));
            assertTrue(
                    e.getMessage().startsWith("load refused, nothing loaded or unloaded: kexec_file_load would place"),
                    e.getMessage());
            assertTrue(e.getMessage().matches(".*crashkernel=256M@\\d+M would work.*"), e.getMessage());
            assertEquals(1, e.exitCode());
        }
        assertEquals(0, calls.calls());
    }

    @Test
    void withoutLockdownKexecToolsDefaultLoadsJkexecsPlanWhereTheKernelsCannotBoot() throws IOException {
        crashkernelAt1GiB();
        LoadService.Loaded l = load(SyscallChoice.AUTO);
        assertEquals(Call.KEXEC_LOAD, l.call());
        assertEquals(0, calls.fileLoads.size());
        assertEquals(1, calls.loads.size());
        assertTrue(l.notes().get(0).contains("RTAS user buffer"), l.notes().toString());
    }

    @Test
    void aCompressedKernelReachesKexecFileLoadDecompressedAndKexecLoadAsTheSamePlan() throws IOException {
        byte[] vmlinux = Files.readAllBytes(kernel);
        Path gz = root.resolve("vmlinuz");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(vmlinux);
        }
        Files.write(gz, b.toByteArray());

        service.load(root, gz, null, "console=hvc0", OPTIONS, SyscallChoice.FILE_ONLY, false, false);
        assertArrayEquals(vmlinux, calls.unpackedKernels.get(0), "the kernel reads the decompressed image");
        service.load(root, kernel, null, "console=hvc0", OPTIONS, SyscallChoice.FILE_ONLY, false, false);
        assertNull(calls.unpackedKernels.get(1), "an uncompressed kernel is handed over as its file");

        LoadService.Loaded packed =
                service.load(root, gz, null, "console=hvc0", OPTIONS, SyscallChoice.LOAD_ONLY, false, true);
        LoadService.Loaded plain =
                service.load(root, kernel, null, "console=hvc0", OPTIONS, SyscallChoice.LOAD_ONLY, false, true);
        assertEquals(plain.segments().size(), packed.segments().size());
        for (int i = 0; i < plain.segments().size(); i++) {
            assertEquals(plain.segments().get(i).mem(), packed.segments().get(i).mem());
            assertEquals(
                    plain.segments().get(i).memsz(), packed.segments().get(i).memsz());
            assertArrayEquals(
                    plain.segments().get(i).buffer(), packed.segments().get(i).buffer());
        }
        assertEquals("gzip", packed.kernel().compression());
    }

    @Test
    void unloadsFollowTheChoice() throws IOException {
        assertEquals(Call.KEXEC_LOAD, service.unload(root, SyscallChoice.PLAN_FIRST, false));
        assertEquals(Call.KEXEC_FILE_LOAD, service.unload(root, SyscallChoice.AUTO, false));
        RecordingKexecSyscalls enosys = new RecordingKexecSyscalls();
        enosys.kexecFileLoadErrno = Errno.ENOSYS;
        calls = enosys;
        assertEquals(Call.KEXEC_LOAD, new LoadService(loader()).unload(root, SyscallChoice.AUTO, false));
        assertEquals(1, enosys.fileLoads.size());
        assertEquals(1, enosys.loads.size());
        lockdown("integrity");
        calls = new RecordingKexecSyscalls();
        assertEquals(Call.KEXEC_FILE_LOAD, new LoadService(loader()).unload(root, SyscallChoice.PLAN_FIRST, false));
        assertEquals(Call.KEXEC_FILE_LOAD, new KexecService(loader()).unload(SyscallChoice.PLAN_FIRST, false));
        assertEquals(0, calls.loads.size());
    }
}
