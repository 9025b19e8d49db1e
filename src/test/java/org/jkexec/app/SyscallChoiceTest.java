package org.jkexec.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.Supplier;
import org.jkexec.JkexecException;
import org.jkexec.app.SyscallChoice.Call;
import org.jkexec.linux.Errno;
import org.junit.jupiter.api.Test;

/** kexec-tools' syscall choice (2.0.29 kexec.c) and jkexec's lockdown rule, from facts alone. */
class SyscallChoiceTest {
    static final Optional<String> NONE = Optional.empty();
    static final Optional<String> INTEGRITY = Optional.of("integrity");
    static final Supplier<Optional<String>> BOOTS = Optional::empty;
    static final Supplier<Optional<String>> DOES_NOT_BOOT =
            () -> Optional.of("kexec_file_load would place the kdump kernel where X; crashkernel=512M@256M would work");

    @Test
    void kexecToolsDefaultTriesTheFileSyscallFirstAndFallsBackOnItsErrnos() {
        assertEquals(
                Call.KEXEC_FILE_LOAD, SyscallChoice.AUTO.firstLoad(NONE, BOOTS).call());
        for (int errno : new int[] {Errno.ENOSYS, Errno.EINVAL, Errno.ENOEXEC, Errno.EOPNOTSUPP}) {
            assertEquals(
                    Call.KEXEC_LOAD,
                    SyscallChoice.AUTO
                            .afterLoadFailure(Call.KEXEC_FILE_LOAD, errno, BOOTS)
                            .orElseThrow()
                            .call(),
                    Errno.name(errno));
        }
        for (int errno : new int[] {Errno.EKEYREJECTED, Errno.ENOKEY, Errno.EBADMSG, Errno.ENOMEM, Errno.EPERM}) {
            assertTrue(
                    SyscallChoice.AUTO
                            .afterLoadFailure(Call.KEXEC_FILE_LOAD, errno, BOOTS)
                            .isEmpty(),
                    "signature and other failures stand: " + Errno.name(errno));
        }
        assertTrue(SyscallChoice.AUTO
                .afterLoadFailure(Call.KEXEC_LOAD, Errno.EPERM, BOOTS)
                .isEmpty());
    }

    @Test
    void dashSAndDashCNeverFallBack() {
        assertEquals(
                Call.KEXEC_FILE_LOAD,
                SyscallChoice.FILE_ONLY.firstLoad(NONE, BOOTS).call());
        assertTrue(SyscallChoice.FILE_ONLY
                .afterLoadFailure(Call.KEXEC_FILE_LOAD, Errno.ENOSYS, BOOTS)
                .isEmpty());
        assertEquals(
                Call.KEXEC_LOAD,
                SyscallChoice.LOAD_ONLY.firstLoad(NONE, DOES_NOT_BOOT).call());
        assertTrue(SyscallChoice.LOAD_ONLY
                .afterLoadFailure(Call.KEXEC_LOAD, Errno.EPERM, BOOTS)
                .isEmpty());
    }

    @Test
    void dashCUnderLockdownIsRefusedNamingLockdown() {
        JkexecException e =
                assertThrows(JkexecException.class, () -> SyscallChoice.LOAD_ONLY.firstLoad(INTEGRITY, BOOTS));
        assertTrue(
                e.getMessage().contains("lockdown is 'integrity'")
                        && e.getMessage().contains("nothing loaded or unloaded"),
                e.getMessage());
        assertEquals(1, e.exitCode());
        assertThrows(JkexecException.class, () -> SyscallChoice.LOAD_ONLY.firstUnload(INTEGRITY));
    }

    @Test
    void jkexecsDefaultPlansWithKexecLoadAndTurnsToTheFileSyscallUnderLockdownSayingSo() {
        SyscallChoice.Decision plain = SyscallChoice.PLAN_FIRST.firstLoad(NONE, () -> {
            throw new AssertionError("no prediction needed without lockdown");
        });
        assertEquals(Call.KEXEC_LOAD, plain.call());
        assertTrue(plain.note().isEmpty());
        SyscallChoice.Decision locked = SyscallChoice.PLAN_FIRST.firstLoad(INTEGRITY, BOOTS);
        assertEquals(Call.KEXEC_FILE_LOAD, locked.call());
        assertTrue(
                locked.note().orElseThrow().contains("lockdown is 'integrity'"),
                locked.note().toString());
        SyscallChoice.Decision eperm = SyscallChoice.PLAN_FIRST
                .afterLoadFailure(Call.KEXEC_LOAD, Errno.EPERM, BOOTS)
                .orElseThrow();
        assertEquals(Call.KEXEC_FILE_LOAD, eperm.call());
        assertTrue(eperm.note().orElseThrow().contains("EPERM"));
        assertEquals(Call.KEXEC_FILE_LOAD, SyscallChoice.PLAN_FIRST.firstUnload(INTEGRITY));
        assertEquals(Call.KEXEC_LOAD, SyscallChoice.PLAN_FIRST.firstUnload(NONE));
    }

    @Test
    void underLockdownAKernelPlacementThatWouldNotBootIsRefusedWithACrashkernelThatWorks() {
        for (SyscallChoice c :
                new SyscallChoice[] {SyscallChoice.PLAN_FIRST, SyscallChoice.AUTO, SyscallChoice.FILE_ONLY}) {
            JkexecException e = assertThrows(JkexecException.class, () -> c.firstLoad(INTEGRITY, DOES_NOT_BOOT));
            assertTrue(e.getMessage().startsWith("load refused, nothing loaded or unloaded: "), e.getMessage());
            assertTrue(e.getMessage().contains("crashkernel=512M@256M would work"), e.getMessage());
        }
        assertThrows(
                JkexecException.class,
                () -> SyscallChoice.PLAN_FIRST.afterLoadFailure(Call.KEXEC_LOAD, Errno.EPERM, DOES_NOT_BOOT));
    }

    @Test
    void withoutLockdownTheDefaultLoadsJkexecsPlanWhereTheKernelsWouldNotBoot() {
        SyscallChoice.Decision d = SyscallChoice.AUTO.firstLoad(NONE, DOES_NOT_BOOT);
        assertEquals(Call.KEXEC_LOAD, d.call());
        assertTrue(
                d.note().orElseThrow().contains("loading jkexec's plan with kexec_load"),
                d.note().toString());
    }

    @Test
    void unloadFallsBackOnENOSYSOnly() {
        assertEquals(Call.KEXEC_FILE_LOAD, SyscallChoice.AUTO.firstUnload(NONE));
        assertEquals(
                Optional.of(Call.KEXEC_LOAD),
                SyscallChoice.AUTO.afterUnloadFailure(Call.KEXEC_FILE_LOAD, Errno.ENOSYS));
        assertFalse(SyscallChoice.AUTO
                .afterUnloadFailure(Call.KEXEC_FILE_LOAD, Errno.EINVAL)
                .isPresent());
        assertFalse(SyscallChoice.FILE_ONLY
                .afterUnloadFailure(Call.KEXEC_FILE_LOAD, Errno.ENOSYS)
                .isPresent());
        assertEquals(Call.KEXEC_LOAD, SyscallChoice.LOAD_ONLY.firstUnload(NONE));
    }
}
