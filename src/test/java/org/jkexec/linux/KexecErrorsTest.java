package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.jkexec.JkexecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KexecErrorsTest {
    private static final KexecStatus STATUS = new KexecStatus(
            Optional.of(false), Optional.empty(), OptionalLong.of(0x2000_0000L), Optional.of(ReferenceSegments.REGION));
    private static final KexecErrors.Context UNKNOWN =
            new KexecErrors.Context(KexecPermissions.unknown(), STATUS, 0x10000);

    private static KexecErrors.Context with(KexecPermissions p) {
        return new KexecErrors.Context(p, STATUS, 0x10000);
    }

    @ParameterizedTest(name = "kexec_load {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1   | EPERM: not root, kernel lockdown",
                "16  | EBUSY: another kexec load, unload or reboot holds the kexec lock",
                "22  | EINVAL: the kernel rejected the request: segments overlap",
                "99  | EADDRNOTAVAIL: a segment or the entry point lies outside the crashkernel region 0x20000000-0x3fffffff",
                "12  | control page in the crashkernel region 0x20000000-0x3fffffff",
                "26  | ETXTBSY: a segment overlaps the running kernel",
                "38  | ENOSYS: this kernel was built without CONFIG_KEXEC (kexec_load)",
                "14  | EFAULT:",
                "5   | errno 5: unexpected error",
            })
    void kexecLoadMessages(int errno, String expected) {
        String m = KexecErrors.kexecLoad(errno, UNKNOWN).getMessage();
        assertTrue(m.startsWith("kexec_load failed with "), m);
        assertTrue(m.contains(expected.trim()), m);
        assertFalse(m.contains("\n"));
    }

    @ParameterizedTest(name = "kexec_file_load {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1   | EPERM: not root",
                "129 | EKEYREJECTED: signature check failed",
                "126 | ENOKEY: signature check failed",
                "8   | ENOEXEC: the running kernel does not recognise the file",
                "16  | EBUSY:",
                "99  | EADDRNOTAVAIL: no hole for the segments in the crashkernel region",
                "38  | ENOSYS: this kernel was built without CONFIG_KEXEC_FILE",
            })
    void kexecFileLoadMessages(int errno, String expected) {
        String m = KexecErrors.kexecFileLoad(errno, Path.of("/boot/vmlinux"), UNKNOWN)
                .getMessage();
        assertTrue(m.startsWith("kexec_file_load of /boot/vmlinux failed with "), m);
        assertTrue(m.contains(expected.trim()), m);
    }

    @Test
    void epermNamesTheReasonWhenItIsKnown() {
        assertTrue(message(new KexecPermissions(
                        Optional.of(false), Optional.empty(), Optional.empty(), OptionalLong.empty()))
                .contains("lacks CAP_SYS_BOOT; run jkexec as root"));
        assertTrue(message(new KexecPermissions(
                        Optional.of(true), Optional.of("confidentiality"), Optional.of(false), OptionalLong.of(-1)))
                .contains("lockdown is 'confidentiality'"));
        assertTrue(message(new KexecPermissions(
                        Optional.of(true), Optional.of("none"), Optional.of(true), OptionalLong.of(-1)))
                .contains("kexec_load_disabled is 1"));
        assertTrue(message(new KexecPermissions(
                        Optional.of(true), Optional.of("none"), Optional.of(false), OptionalLong.of(-1)))
                .contains("security module"));
    }

    @Test
    void unloadMessages() {
        assertTrue(KexecErrors.unload("kexec_load", 38, UNKNOWN).getMessage().contains("CONFIG_KEXEC is off"));
        assertTrue(
                KexecErrors.unload("kexec_file_load", 38, UNKNOWN).getMessage().contains("CONFIG_KEXEC_FILE is off"));
        assertTrue(KexecErrors.unload("kexec_load", 16, UNKNOWN).getMessage().contains("kexec lock"));
    }

    @Test
    void everyMessageIsOneLine() {
        IntStream.range(0, 140).forEach(errno -> {
            for (JkexecException e : new JkexecException[] {
                KexecErrors.kexecLoad(errno, UNKNOWN),
                KexecErrors.kexecFileLoad(errno, Path.of("k"), UNKNOWN),
                KexecErrors.unload("kexec_load", errno, UNKNOWN)
            }) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        });
    }

    private static String message(KexecPermissions p) {
        return KexecErrors.kexecLoad(Errno.EPERM, with(p)).getMessage();
    }
}
