package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.jkexec.capture.CrashKernelRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KexecSystemFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsTheReferenceMachine() {
        KexecSystemFiles f = FakeSystem.reference(dir).files();
        KexecStatus s = f.status();
        assertEquals(Optional.of(false), s.crashLoaded());
        assertEquals(Optional.of(false), s.kexecLoaded());
        assertEquals(OptionalLong.of(0x2000_0000L), s.crashSize());
        assertEquals(0x2000_0000L, s.crashRegion().orElseThrow().start());
        assertEquals(0x3fff_ffffL, s.crashRegion().orElseThrow().end());
        assertTrue(s.crashRegion().orElseThrow().source().endsWith("proc/iomem"));

        KexecPermissions p = f.permissions();
        assertEquals(Optional.of(true), p.capSysBoot());
        assertEquals(Optional.of("none"), p.lockdown());
        assertEquals(false, p.lockedDown());
        assertEquals(Optional.of(false), p.kexecLoadDisabled());
        assertEquals(OptionalLong.of(-1), p.kexecLoadLimitPanic());
    }

    @Test
    void theRunningCommandLineIsReadForStatusToSayWhyNoCrashkernelIsReserved() {
        FakeSystem s = FakeSystem.reference(dir).write("proc/cmdline", "console=hvc0 crashkernel=512M,high\n");
        assertEquals(
                Optional.of("console=hvc0 crashkernel=512M,high"), s.files().runningCmdline());
        assertTrue(org.jkexec.ppc64.CrashkernelWords.whyNoneReserved(
                        s.files().runningCmdline().orElseThrow())
                .endsWith("boot with crashkernel=512M"));
    }

    @Test
    void nonRootIomemFallsBackToTheDeviceTreeWithTheCurrentSize() {
        FakeSystem s = FakeSystem.reference(dir)
                .write("proc/iomem", "00000000-00000000 : System RAM\n  00000000-00000000 : Crash kernel\n")
                .write("proc/device-tree/chosen/linux,crashkernel-base", new byte[] {0, 0, 0, 0, 0x20, 0, 0, 0})
                .write("proc/device-tree/chosen/linux,crashkernel-size", new byte[] {0, 0, 0, 0, 0x20, 0, 0, 0})
                .write("sys/kernel/kexec_crash_size", "268435456\n"); // shrunk to 256 MiB since boot
        CrashKernelRegion r = s.files().status().crashRegion().orElseThrow();
        assertEquals(0x2000_0000L, r.start());
        assertEquals(0x2fff_ffffL, r.end());
        assertTrue(r.source().contains("device-tree"));
    }

    @Test
    void ppc64WithoutACrashKernelLineUsesTheDeviceTree() {
        // The reference pseries guest's /proc/iomem has no "Crash kernel" line at all.
        FakeSystem s = FakeSystem.reference(dir)
                .write("proc/iomem", "00000000-ffffffff : System RAM\n")
                .write("proc/device-tree/chosen/linux,crashkernel-base", new byte[] {0, 0, 0, 0, 0x20, 0, 0, 0})
                .write("proc/device-tree/chosen/linux,crashkernel-size", new byte[] {0x20, 0, 0, 0});
        CrashKernelRegion r = s.files().status().crashRegion().orElseThrow();
        assertEquals(0x2000_0000L, r.start());
        assertEquals(0x3fff_ffffL, r.end());
        assertTrue(r.source().endsWith("proc/device-tree/chosen/linux,crashkernel-base"), r.source());
    }

    @Test
    void missingFilesAreUnknownNotErrors() {
        KexecSystemFiles f = new FakeSystem(dir).files();
        KexecStatus s = f.status();
        assertTrue(s.crashLoaded().isEmpty()
                && s.crashSize().isEmpty()
                && s.crashRegion().isEmpty());
        assertEquals(KexecPermissions.unknown(), f.permissions());
    }

    @Test
    void lockdownAndCapabilities() {
        FakeSystem s = FakeSystem.reference(dir)
                .write("sys/kernel/security/lockdown", "none [integrity] confidentiality\n")
                .write("proc/self/status", "Name:\tjava\nCapEff:\t0000000000000000\n")
                .write("sys/kernel/kexec_crash_loaded", "1\n");
        KexecPermissions p = s.files().permissions();
        assertEquals(Optional.of("integrity"), p.lockdown());
        assertTrue(p.lockedDown());
        assertEquals(Optional.of(false), p.capSysBoot());
        assertEquals(Optional.of(true), s.files().status().crashLoaded());
    }

    @Test
    void regionContainment() {
        CrashKernelRegion r = new CrashKernelRegion(0x1000, 0x1fff, "t");
        assertTrue(r.contains(0x1000, 0x1000));
        assertTrue(!r.contains(0x1000, 0x1001));
        assertTrue(!r.contains(0xfff, 1));
        assertTrue(!r.contains(-4096L, 8192)); // wraps
        assertEquals(0x1000, r.size());
    }
}
