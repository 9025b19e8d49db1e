package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KexecFlagsTest {

    @Test
    void valuesMatchTheUapiHeader() {
        assertEquals(1, KexecFlags.KEXEC_ON_CRASH);
        assertEquals(2, KexecFlags.KEXEC_PRESERVE_CONTEXT);
        assertEquals(0xffff0000L, KexecFlags.KEXEC_ARCH_MASK);
        assertEquals(0x150000L, KexecFlags.KEXEC_ARCH_PPC64);
        assertEquals(0x3e0000L, KexecFlags.KEXEC_ARCH_X86_64);
        assertEquals(1, KexecFlags.KEXEC_FILE_UNLOAD);
        assertEquals(2, KexecFlags.KEXEC_FILE_ON_CRASH);
        assertEquals(4, KexecFlags.KEXEC_FILE_NO_INITRAMFS);
        assertEquals(16, org.jkexec.kexec.SegmentPlacer.MAX_SEGMENTS);
    }

    @Test
    void ppc64CrashLoadFlagsAreWhatKexecToolsPasses() {
        // "kexec_load: entry = 0x228a0700 flags = 0x150001" in the reference capture's kexec -d output.
        long flags = KexecFlags.KEXEC_ON_CRASH | LinuxArch.PPC64LE.kexecArchFlag();
        assertEquals(0x150001L, flags);
        assertEquals(LinuxArch.PPC64LE.kexecArchFlag(), flags & KexecFlags.KEXEC_ARCH_MASK);
    }

    @Test
    void syscallNumbersPerArchitecture() {
        assertEquals(268, LinuxArch.PPC64LE.kexecLoadNr());
        assertEquals(382, LinuxArch.PPC64LE.kexecFileLoadNr());
        assertEquals(268, LinuxArch.PPC64.kexecLoadNr());
        assertEquals(246, LinuxArch.X86_64.kexecLoadNr());
        assertEquals(320, LinuxArch.X86_64.kexecFileLoadNr());
    }

    @Test
    void osArchNames() {
        assertEquals(Optional.of(LinuxArch.PPC64LE), LinuxArch.fromOsArch("ppc64le"));
        assertEquals(Optional.of(LinuxArch.PPC64), LinuxArch.fromOsArch("ppc64"));
        assertEquals(Optional.of(LinuxArch.X86_64), LinuxArch.fromOsArch("amd64"));
        assertEquals(Optional.of(LinuxArch.X86_64), LinuxArch.fromOsArch("x86_64"));
        assertTrue(LinuxArch.fromOsArch("aarch64").isEmpty());
    }

    @Test
    void errnoNames() {
        assertEquals("EADDRNOTAVAIL", Errno.name(99));
        assertEquals("EBUSY", Errno.name(16));
        assertEquals("errno 200", Errno.name(200));
    }
}
