package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jkexec.JkexecException;
import org.jkexec.kexec.Segment;
import org.jkexec.kexec.SegmentKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader against a fake syscall layer and a fake /sys + /proc: no real kexec is ever called. */
class KexecLoaderTest {
    @TempDir
    Path dir;

    private FakeSystem system;
    private RecordingKexecSyscalls fake;
    private int factoryCalls;

    @BeforeEach
    void setUp() {
        system = FakeSystem.reference(dir.resolve("root"));
        fake = new RecordingKexecSyscalls();
        factoryCalls = 0;
    }

    private KexecLoader loader(Optional<LinuxArch> host) {
        Supplier<KexecSyscalls> factory = () -> {
            factoryCalls++;
            return fake;
        };
        return new KexecLoader(factory, system.files(), host);
    }

    private KexecLoader ppc64le() {
        return loader(Optional.of(LinuxArch.PPC64LE));
    }

    @Test
    void crashLoadIsOneKexecLoadWithPpc64CrashFlags() {
        List<Segment> segments = ReferenceSegments.segments();
        ppc64le().loadCrash(segments, ReferenceSegments.entry());
        assertEquals(1, fake.calls());
        RecordingKexecSyscalls.LoadCall call = fake.loads.get(0);
        assertEquals(0x228a_0000L, call.entry());
        assertEquals(0x150001L, call.flags());
        assertEquals(segments, call.segments());
    }

    @Test
    void crashHotplugSupportFlagOnlyWithRoomAndAKernelThatUpdatesTheImage() throws Exception {
        List<Segment> segments = ReferenceSegments.segments();
        ppc64le().loadCrash(segments, ReferenceSegments.entry(), true); // no crash_elfcorehdr_size: no flag
        Path size = dir.resolve("root/sys/kernel/crash_elfcorehdr_size");
        Files.createDirectories(size.getParent());
        Files.writeString(size, "458816\n");
        ppc64le().loadCrash(segments, ReferenceSegments.entry(), false); // a packed plan: no flag
        ppc64le().loadCrash(segments, ReferenceSegments.entry(), true);
        assertEquals(
                List.of(0x150001L, 0x150001L, 0x150009L),
                fake.loads.stream().map(RecordingKexecSyscalls.LoadCall::flags).toList());
    }

    @Test
    void preparedSyscallsAreMadeOnceOnAnotherThreadAndUsedByTheLoad() {
        Thread[] maker = new Thread[1];
        KexecLoader l = new KexecLoader(
                () -> {
                    factoryCalls++;
                    maker[0] = Thread.currentThread();
                    return fake;
                },
                system.files(),
                Optional.of(LinuxArch.PPC64LE));
        l.prepare();
        l.prepare();
        assertEquals(0, fake.calls(), "preparing makes no syscall");
        l.loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry());
        l.unloadCrash();
        assertEquals(1, factoryCalls);
        assertTrue(maker[0] != Thread.currentThread());
        assertEquals(2, fake.calls());
    }

    @Test
    void aFailureWhilePreparingIsThrownByTheLoadThatNeedsTheSyscalls() {
        JkexecException failure = new JkexecException("kexec: cannot load the C library through JNA: none here");
        KexecLoader l = new KexecLoader(
                () -> {
                    throw failure;
                },
                system.files(),
                Optional.of(LinuxArch.PPC64LE));
        l.prepare();
        assertEquals(
                failure,
                assertThrows(
                        JkexecException.class,
                        () -> l.loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry())));
    }

    @Test
    void regularLoadIsOneKexecLoadWithoutTheCrashFlag() {
        List<Segment> segments = ReferenceSegments.segments();
        ppc64le().loadRegular(segments, ReferenceSegments.entry());
        assertEquals(1, fake.calls());
        assertEquals(0x150000L, fake.loads.get(0).flags());
    }

    @Test
    void regularSegmentsMayLieOutsideCrashkernel() {
        Segment low = new Segment(SegmentKind.KERNEL, new byte[0x100], 0x7e0000, 0x10000);
        Segment purg = new Segment(SegmentKind.PURGATORY, new byte[0x200], 0xffff0000L, 0x10000);
        ppc64le().loadRegular(List.of(low, purg), 0xffff0000L);
        assertEquals(1, fake.loads.size());
        assertThrows(JkexecException.class, () -> ppc64le().loadCrash(List.of(low, purg), 0xffff0000L));
    }

    @Test
    void regularLoadOnAnotherArchitectureSaysSoAndCallsNothing() {
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> loader(Optional.of(LinuxArch.X86_64))
                        .loadRegular(ReferenceSegments.segments(), ReferenceSegments.entry()));
        assertTrue(e.getMessage().contains("ppc64le only"), e.getMessage());
        assertEquals(0, fake.calls());
    }

    @Test
    void unloadRegularPassesNoSegmentsAndNoCrashFlag() {
        ppc64le().unloadRegular();
        assertEquals(0, fake.loads.get(0).segments().size());
        assertEquals(0x150000L, fake.loads.get(0).flags());
    }

    @Test
    void unloadRegularFileUsesTheUnloadFlagOnly() {
        ppc64le().unloadRegularFile();
        assertEquals(KexecFlags.KEXEC_FILE_UNLOAD, fake.fileLoads.get(0).flags());
    }

    @Test
    void execRefusesWhenNothingIsLoaded() {
        JkexecException e = assertThrows(JkexecException.class, () -> ppc64le().execLoaded(true));
        assertTrue(e.getMessage().contains("kexec_loaded"), e.getMessage());
        assertEquals(0, fake.reboots);
        assertEquals(0, fake.syncs);
    }

    @Test
    void execSyncsThenRebootsIntoTheLoadedKernel() {
        system.write("sys/kernel/kexec_loaded", "1\n");
        fake.rebootErrno = 1; // EPERM: a real reboot does not return, so a return is a failure
        JkexecException e = assertThrows(JkexecException.class, () -> ppc64le().execLoaded(true));
        assertEquals(1, fake.syncs);
        assertEquals(1, fake.reboots);
        assertTrue(e.getMessage().contains("LINUX_REBOOT_CMD_KEXEC"), e.getMessage());
    }

    @Test
    void noSyscallLayerIsCreatedUntilNeeded() {
        KexecLoader loader = ppc64le();
        loader.status();
        assertEquals(0, factoryCalls);
        loader.loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry());
        loader.loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry());
        assertEquals(1, factoryCalls);
    }

    @Test
    void aRefusedPreflightMakesNoSyscall() {
        List<Segment> outside = ReferenceSegments.segments();
        outside.set(5, new Segment(SegmentKind.FDT, new byte[16], 0x4000_0000L, 0x1_0000L));
        JkexecException e =
                assertThrows(JkexecException.class, () -> ppc64le().loadCrash(outside, ReferenceSegments.entry()));
        assertTrue(e.getMessage().contains("outside the crashkernel region"), e.getMessage());
        assertEquals(0, fake.calls());
    }

    @Test
    void aDryRunChecksWhatALoadChecksButMakesNoSyscall() {
        KexecLoader loader = ppc64le();
        loader.checkCrashLoad(ReferenceSegments.segments(), ReferenceSegments.entry());
        assertEquals(0, fake.calls());
        assertEquals(1, factoryCalls, "the page size comes from the syscall layer, as for a load");

        List<Segment> outside = ReferenceSegments.segments();
        outside.set(5, new Segment(SegmentKind.FDT, new byte[16], 0x4000_0000L, 0x1_0000L));
        JkexecException e =
                assertThrows(JkexecException.class, () -> loader.checkCrashLoad(outside, ReferenceSegments.entry()));
        assertTrue(e.getMessage().contains("outside the crashkernel region"), e.getMessage());
        system.write("proc/self/status", "CapEff:\t0000000000000000\n");
        e = assertThrows(
                JkexecException.class,
                () -> loader.checkCrashLoad(ReferenceSegments.segments(), ReferenceSegments.entry()));
        assertTrue(e.getMessage().contains("run jkexec as root"), e.getMessage());
        assertEquals(0, fake.calls());
    }

    @Test
    void anEmptyLoadIsRefusedRatherThanTurnedIntoAnUnload() {
        system.write("sys/kernel/kexec_crash_loaded", "1\n");
        assertThrows(JkexecException.class, () -> ppc64le().loadCrash(List.of(), ReferenceSegments.entry()));
        assertEquals(0, fake.calls());
    }

    @Test
    void refusesNonRootBeforeTouchingTheSyscallLayer() {
        system.write("proc/self/status", "CapEff:\t0000000000000000\n");
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> ppc64le().loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry()));
        assertTrue(e.getMessage().contains("run jkexec as root"));
        assertEquals(0, factoryCalls);
    }

    @Test
    void refusesKexecLoadUnderLockdown() {
        system.write("sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> ppc64le().loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry()));
        assertTrue(e.getMessage().contains("kexec_file_load"), e.getMessage());
        assertEquals(0, fake.calls());
    }

    @Test
    void refusesToLoadPpc64ImagesOnOtherHosts() {
        for (Optional<LinuxArch> host :
                List.of(Optional.of(LinuxArch.X86_64), Optional.of(LinuxArch.PPC64), Optional.<LinuxArch>empty())) {
            JkexecException e = assertThrows(
                    JkexecException.class,
                    () -> loader(host).loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry()));
            assertTrue(e.getMessage().contains("ppc64le only"), e.getMessage());
        }
        assertEquals(0, factoryCalls);
    }

    @Test
    void kernelErrorsBecomeOneLineMessages() {
        fake.errno = Errno.EBUSY;
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> ppc64le().loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry()));
        assertTrue(e.getMessage().startsWith("kexec_load failed with EBUSY: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void saysWhenAFailedLoadDroppedThePreviousCrashKernel() {
        system.write("sys/kernel/kexec_crash_loaded", "1\n");
        fake.errno = Errno.ENOMEM;
        fake.sideEffect = () -> system.write("sys/kernel/kexec_crash_loaded", "0\n"); // what the kernel does
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> ppc64le().loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry()));
        assertTrue(e.getMessage().contains("the crash kernel loaded before is no longer loaded"), e.getMessage());
    }

    @Test
    void saysWhenTheOldCrashKernelSurvived() {
        system.write("sys/kernel/kexec_crash_loaded", "1\n");
        fake.errno = Errno.EBUSY;
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> ppc64le().loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry()));
        assertTrue(e.getMessage().endsWith("the crash kernel loaded before is still loaded"), e.getMessage());
    }

    @Test
    void unloadIsKexecLoadWithNoSegments() {
        ppc64le().unloadCrash();
        RecordingKexecSyscalls.LoadCall call = fake.loads.get(0);
        assertEquals(List.of(), call.segments());
        assertEquals(0, call.entry());
        assertEquals(KexecFlags.KEXEC_ON_CRASH | KexecFlags.KEXEC_ARCH_PPC64, call.flags());
    }

    /** Every live call is refused alike off ppc64le, in one line and before any syscall (issue 25). */
    @Test
    void everyLiveCallIsRefusedOnAnotherArchitecture() throws Exception {
        Path kernel = Files.write(dir.resolve("vmlinux"), new byte[] {0x7f, 'E', 'L', 'F'});
        KexecLoader x86 = loader(Optional.of(LinuxArch.X86_64));
        List<Runnable> calls = List.of(
                x86::unloadCrash,
                x86::unloadCrashFile,
                x86::unloadRegular,
                x86::unloadRegularFile,
                () -> x86.execLoaded(true),
                () -> x86.loadCrashFile(kernel, null, Optional.empty(), "", false),
                () -> x86.loadRegularFile(kernel, null, Optional.empty(), "", false),
                () -> x86.loadCrash(ReferenceSegments.segments(), ReferenceSegments.entry()));
        for (Runnable call : calls) {
            JkexecException e = assertThrows(JkexecException.class, call::run);
            assertEquals(KexecLoader.notPpc64leMessage(), e.getMessage());
            assertEquals(1, e.exitCode());
        }
        assertEquals(0, fake.calls());
        assertEquals(0, factoryCalls, "JNA is never reached");
    }

    @Test
    void fileLoadFlagsFollowTheInitrd() throws Exception {
        Path kernel = Files.write(dir.resolve("vmlinux"), new byte[] {0x7f, 'E', 'L', 'F'});
        Path initrd = Files.write(dir.resolve("initrd"), new byte[16]);
        KexecLoader loader = ppc64le();
        loader.loadCrashFile(kernel, null, Optional.of(initrd), "console=hvc0 maxcpus=1", false);
        loader.loadCrashFile(kernel, null, Optional.empty(), "", false);
        assertEquals(
                new RecordingKexecSyscalls.FileLoadCall(
                        kernel, Optional.of(initrd), "console=hvc0 maxcpus=1", KexecFlags.KEXEC_FILE_ON_CRASH),
                fake.fileLoads.get(0));
        assertEquals(
                KexecFlags.KEXEC_FILE_ON_CRASH | KexecFlags.KEXEC_FILE_NO_INITRAMFS,
                fake.fileLoads.get(1).flags());
    }

    @Test
    void fileLoadRefusesAMissingKernelWithoutASyscall() {
        JkexecException e = assertThrows(
                JkexecException.class,
                () -> ppc64le().loadCrashFile(dir.resolve("nope"), null, Optional.empty(), "", false));
        assertTrue(e.getMessage().contains("nope: not a readable file"), e.getMessage());
        assertEquals(2, e.exitCode());
        assertEquals(0, fake.calls());
    }

    @Test
    void fileLoadIsAllowedUnderLockdownAndReportsSignatureFailures() throws Exception {
        system.write("sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        Path kernel = Files.write(dir.resolve("vmlinux"), new byte[4]);
        fake.errno = Errno.EKEYREJECTED;
        JkexecException e = assertThrows(
                JkexecException.class, () -> ppc64le().loadCrashFile(kernel, null, Optional.empty(), "", false));
        assertTrue(e.getMessage().contains("signature check failed"), e.getMessage());
        assertEquals(1, fake.calls());
    }

    @Test
    void fileUnloadPassesNoFiles() {
        ppc64le().unloadCrashFile();
        RecordingKexecSyscalls.FileLoadCall call = fake.fileLoads.get(0);
        assertEquals(null, call.kernel());
        assertEquals("", call.cmdline());
        assertEquals(KexecFlags.KEXEC_FILE_UNLOAD | KexecFlags.KEXEC_FILE_ON_CRASH, call.flags());
    }

    @Test
    void statusComesFromTheFiles() {
        system.write("sys/kernel/kexec_crash_loaded", "1\n");
        KexecStatus s = ppc64le().status();
        assertEquals(Optional.of(true), s.crashLoaded());
        assertEquals(
                ReferenceSegments.REGION.start(), s.crashRegion().orElseThrow().start());
    }
}
