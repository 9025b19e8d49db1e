package org.jkexec.app;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jkexec.JkexecException;
import org.jkexec.linux.Errno;
import org.jkexec.linux.KexecCallFailed;

/**
 * Which kexec syscall a load or an unload makes, and when it falls back to the other: kexec-tools'
 * rule for its -a (its default), -s and -c (kexec/kexec.c of 2.0.29 to 2.0.31, main() and
 * do_kexec_file_load), and jkexec's own default. Pure: every answer is made from the facts it is
 * given, so it is tested without a kernel.
 */
public enum SyscallChoice {
    /**
     * kexec-tools' default and -a: kexec_file_load first; kexec_load when it answers ENOSYS,
     * EINVAL, ENOEXEC or EOPNOTSUPP (an unload: ENOSYS). jkexec adds one rule: where the kernel's
     * own placement is predicted not to boot, jkexec's plan goes straight to kexec_load.
     */
    AUTO,
    /** kexec-tools' -s, jkexec's --file: kexec_file_load only. */
    FILE_ONLY,
    /** kexec-tools' -c: kexec_load only (refused under lockdown, which forbids it). */
    LOAD_ONLY,
    /**
     * jkexec load and unload: jkexec's plan with kexec_load; kexec_file_load under lockdown
     * (the lockdown file names a mode, or kexec_load answers EPERM).
     */
    PLAN_FIRST;

    /** The two syscalls. */
    public enum Call {
        KEXEC_LOAD("kexec_load"),
        KEXEC_FILE_LOAD("kexec_file_load");

        private final String name;

        Call(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A call to make and, when it is not the one asked for, the one line that says why. */
    public record Decision(Call call, Optional<String> note) {
        static Decision of(Call call) {
            return new Decision(call, Optional.empty());
        }

        static Decision of(Call call, String note) {
            return new Decision(call, Optional.of(note));
        }
    }

    /**
     * The first call of a load.
     *
     * @param lockdown        the active lockdown mode, empty when none
     * @param fileLoadProblem why the kernel's own placement (kexec_file_load) would not boot or
     *                        would fail, with a crashkernel= that works where one is known; empty
     *                        when it boots or cannot be predicted. Asked only where it matters.
     * @throws JkexecException (exit 1) when no call may be made: nothing is loaded or unloaded
     */
    public Decision firstLoad(
            Optional<String> lockdown, java.util.function.Supplier<Optional<String>> fileLoadProblem) {
        return switch (this) {
            case LOAD_ONLY -> {
                lockdown.ifPresent(mode -> {
                    throw new JkexecException(lockedDownMessage(mode) + " (-c asks for kexec_load only); nothing loaded"
                            + " or unloaded: use -s or -a, or no syscall option");
                });
                yield Decision.of(Call.KEXEC_LOAD);
            }
            case FILE_ONLY -> {
                fileLoadProblem.get().ifPresent(SyscallChoice::refuse);
                yield Decision.of(Call.KEXEC_FILE_LOAD);
            }
            case AUTO -> {
                Optional<String> problem = fileLoadProblem.get();
                if (problem.isPresent()) {
                    if (lockdown.isPresent()) {
                        refuse(problem.get() + " (" + lockedDownMessage(lockdown.get())
                                + ", and jkexec's own plan needs it)");
                    }
                    yield Decision.of(
                            Call.KEXEC_LOAD, problem.get() + "; loading jkexec's plan with kexec_load instead");
                }
                yield lockdown.isPresent()
                        ? Decision.of(
                                Call.KEXEC_FILE_LOAD,
                                lockedDownMessage(lockdown.get()) + ": loading with kexec_file_load")
                        : Decision.of(Call.KEXEC_FILE_LOAD);
            }
            case PLAN_FIRST -> {
                if (lockdown.isEmpty()) {
                    yield Decision.of(Call.KEXEC_LOAD);
                }
                fileLoadProblem.get().ifPresent(p -> refuse(p + " (" + lockedDownMessage(lockdown.get()) + ")"));
                yield Decision.of(
                        Call.KEXEC_FILE_LOAD,
                        lockedDownMessage(lockdown.get())
                                + ": loading with kexec_file_load, the kernel places the segments");
            }
        };
    }

    /**
     * The call to make after {@code failed} answered {@code errno}, or empty when the failure
     * stands.
     */
    public Optional<Decision> afterLoadFailure(
            Call failed, int errno, java.util.function.Supplier<Optional<String>> fileLoadProblem) {
        if (this == AUTO && failed == Call.KEXEC_FILE_LOAD && fileLoadFallsBack(errno)) {
            return Optional.of(Decision.of(
                    Call.KEXEC_LOAD,
                    "kexec_file_load answered " + Errno.name(errno)
                            + ": falling back to kexec_load, as kexec-tools does"));
        }
        if (this == PLAN_FIRST && failed == Call.KEXEC_LOAD && errno == Errno.EPERM) {
            fileLoadProblem.get().ifPresent(p -> refuse(p + " (kexec_load answered EPERM: lockdown)"));
            return Optional.of(Decision.of(
                    Call.KEXEC_FILE_LOAD,
                    "kexec_load answered EPERM (kernel lockdown): "
                            + "loading with kexec_file_load, the kernel places the segments"));
        }
        return Optional.empty();
    }

    /** The first call of an unload: kexec_load only for -c, and for jkexec's default when not locked down. */
    public Call firstUnload(Optional<String> lockdown) {
        return switch (this) {
            case LOAD_ONLY -> {
                lockdown.ifPresent(mode -> {
                    throw new JkexecException(lockedDownMessage(mode) + " (-c asks for kexec_load only); nothing "
                            + "unloaded: use -s or -a, or no syscall option");
                });
                yield Call.KEXEC_LOAD;
            }
            case PLAN_FIRST -> lockdown.isPresent() ? Call.KEXEC_FILE_LOAD : Call.KEXEC_LOAD;
            case AUTO, FILE_ONLY -> Call.KEXEC_FILE_LOAD;
        };
    }

    /** After a failed unload: kexec-tools' -a falls back on ENOSYS only; jkexec's default on EPERM. */
    public Optional<Call> afterUnloadFailure(Call failed, int errno) {
        if (this == AUTO && failed == Call.KEXEC_FILE_LOAD && errno == Errno.ENOSYS) {
            return Optional.of(Call.KEXEC_LOAD);
        }
        if (this == PLAN_FIRST && failed == Call.KEXEC_LOAD && errno == Errno.EPERM) {
            return Optional.of(Call.KEXEC_FILE_LOAD);
        }
        return Optional.empty();
    }

    /**
     * Runs a load as this choice says: {@code attempt} with the first call, and again with the
     * other call where the errno of a failed one allows; the notes of every call made are added
     * to {@code notes} before it is made.
     */
    public <T> T load(
            Optional<String> lockdown,
            java.util.function.Supplier<Optional<String>> fileLoadProblem,
            List<String> notes,
            Function<Call, T> attempt) {
        Decision d = firstLoad(lockdown, fileLoadProblem);
        while (true) {
            d.note().ifPresent(notes::add);
            try {
                return attempt.apply(d.call());
            } catch (KexecCallFailed e) {
                d = afterLoadFailure(d.call(), e.errno(), fileLoadProblem).orElseThrow(() -> e);
            }
        }
    }

    /**
     * Runs an unload as this choice says, falling back where a failed call's errno allows; a dry
     * run calls nothing. Returns the call that unloaded (in a dry run, the one that would be made first).
     */
    public Call unload(Optional<String> lockdown, boolean dryRun, java.util.function.Consumer<Call> unload) {
        Call call = firstUnload(lockdown);
        while (!dryRun) {
            try {
                unload.accept(call);
                return call;
            } catch (KexecCallFailed e) {
                call = afterUnloadFailure(call, e.errno()).orElseThrow(() -> e);
            }
        }
        return call;
    }

    /** kexec-tools' do_kexec_file_load: these errnos mean "the kernel cannot do it, kexec_load may". */
    static boolean fileLoadFallsBack(int errno) {
        return errno == Errno.ENOSYS || errno == Errno.EINVAL || errno == Errno.ENOEXEC || errno == Errno.EOPNOTSUPP;
    }

    static String lockedDownMessage(String mode) {
        return "kernel lockdown is '" + mode + "' (/sys/kernel/security/lockdown), which forbids kexec_load";
    }

    private static void refuse(String problem) {
        throw new JkexecException("load refused, nothing loaded or unloaded: " + problem);
    }
}
