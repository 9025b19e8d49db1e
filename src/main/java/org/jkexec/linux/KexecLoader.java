package org.jkexec.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jkexec.JkexecException;
import org.jkexec.kexec.Segment;

/**
 * Loads and unloads kdump kernels. This is the only class that issues kexec syscalls.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Nothing is unloaded unless {@link #unloadCrash()} or {@link #unloadCrashFile()} is called.
 *       A load never starts with an unload; an empty segment list is refused, because kexec_load
 *       with no segments <em>is</em> an unload.</li>
 *   <li>kexec_load(2) and kexec_file_load(2) are all-or-nothing: the new image is installed only
 *       when every step succeeded. But for crash loads the kernel frees the old crash kernel before
 *       it validates the new one, so a late failure leaves none loaded. {@link KexecPreflight} refuses
 *       up front whatever the kernel would refuse late, and when a call still fails the message
 *       says whether the previously loaded crash kernel is gone.</li>
 *   <li>No syscall object is created (so JNA is not loaded) before the first load or unload.</li>
 * </ul>
 */
public final class KexecLoader {
    private final Supplier<KexecSyscalls> syscallsFactory;
    private final KexecSystemFiles files;
    private final Optional<LinuxArch> host;
    private KexecSyscalls syscalls;

    public KexecLoader(Supplier<KexecSyscalls> syscalls, KexecSystemFiles files, Optional<LinuxArch> host) {
        this.syscallsFactory = Objects.requireNonNull(syscalls);
        this.files = Objects.requireNonNull(files);
        this.host = Objects.requireNonNull(host);
    }

    /** The live system: JNA syscalls (created on first use), "/" files, this JVM's architecture. */
    public static KexecLoader forThisMachine() {
        return new KexecLoader(KexecSyscalls::system, KexecSystemFiles.live(), LinuxArch.host());
    }

    public KexecStatus status() {
        return files.status();
    }

    /**
     * Loads a ppc64le kdump image with kexec_load(2), flags KEXEC_ON_CRASH | KEXEC_ARCH_PPC64.
     *
     * @param segments sorted by address, as the planner made them
     * @param entry    physical entry point (the purgatory's head)
     */
    public void loadCrash(List<Segment> segments, long entry) {
        Checked c = checkCrash(segments, entry);
        int errno = c.sys.kexecLoad(entry, segments, KexecFlags.KEXEC_ON_CRASH | c.arch.kexecArchFlag());
        if (errno != 0) {
            JkexecException e = KexecErrors.kexecLoad(errno, new KexecErrors.Context(c.permissions, c.before, c.pageSize));
            throw withLossNote(e, c.before);
        }
    }

    /**
     * Everything {@link #loadCrash} checks before it calls the kernel (architecture, privileges,
     * lockdown, the segments against crashkernel and the page size), without loading: what
     * {@code jkexec load --dry-run} runs on the live machine.
     */
    public void checkCrashLoad(List<Segment> segments, long entry) {
        checkCrash(segments, entry);
    }

    private record Checked(LinuxArch arch, KexecSyscalls sys, KexecPermissions permissions, KexecStatus before,
            long pageSize) {
    }

    private Checked checkCrash(List<Segment> segments, long entry) {
        LinuxArch arch = host.orElse(null);
        if (arch != LinuxArch.PPC64LE) {
            throw new JkexecException("kexec_load: this machine is " + System.getProperty("os.arch")
                    + "; jkexec builds kdump images (and their purgatory) for ppc64le only");
        }
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_load", permissions, true);
        KexecSyscalls sys = syscalls();
        long pageSize = sys.pageSize();
        KexecStatus before = files.status();
        KexecPreflight.checkCrashSegments(segments, entry, pageSize, before);
        return new Checked(arch, sys, permissions, before, pageSize);
    }

    /** Unloads the crash kernel with kexec_load(2) (nr_segments = 0, KEXEC_ON_CRASH). */
    public void unloadCrash() {
        LinuxArch arch = requireKnownHost("kexec_load");
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_load", permissions, true);
        KexecSyscalls sys = syscalls();
        int errno = sys.kexecLoad(0, List.of(), KexecFlags.KEXEC_ON_CRASH | arch.kexecArchFlag());
        if (errno != 0) {
            throw KexecErrors.unload("kexec_load", errno, new KexecErrors.Context(permissions, files.status(), 0));
        }
    }

    /** Loads a kdump kernel with kexec_file_load(2); the kernel builds every segment itself. */
    public void loadCrashFile(Path kernel, Optional<Path> initrd, String cmdline) {
        requireKnownHost("kexec_file_load");
        requireReadable(kernel);
        initrd.ifPresent(KexecLoader::requireReadable);
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_file_load", permissions, false);
        KexecStatus before = files.status();
        if (before.crashSize().isPresent() && before.crashSize().getAsLong() == 0) {
            throw new JkexecException("kexec_file_load: no memory is reserved for a crash kernel"
                    + " (/sys/kernel/kexec_crash_size is 0); boot with crashkernel=");
        }
        long flags = KexecFlags.KEXEC_FILE_ON_CRASH | (initrd.isEmpty() ? KexecFlags.KEXEC_FILE_NO_INITRAMFS : 0);
        KexecSyscalls sys = syscalls();
        int errno = sys.kexecFileLoad(kernel, initrd, cmdline, flags);
        if (errno != 0) {
            JkexecException e = KexecErrors.kexecFileLoad(errno, kernel, new KexecErrors.Context(permissions, before, 0));
            throw withLossNote(e, before);
        }
    }

    /** Unloads the crash kernel with kexec_file_load(2) (works under lockdown, unlike kexec_load). */
    public void unloadCrashFile() {
        requireKnownHost("kexec_file_load");
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_file_load", permissions, false);
        int errno = syscalls().kexecFileLoad(null, Optional.empty(), "",
                KexecFlags.KEXEC_FILE_UNLOAD | KexecFlags.KEXEC_FILE_ON_CRASH);
        if (errno != 0) {
            throw KexecErrors.unload("kexec_file_load", errno, new KexecErrors.Context(permissions, files.status(), 0));
        }
    }

    private synchronized KexecSyscalls syscalls() {
        if (syscalls == null) {
            syscalls = syscallsFactory.get();
        }
        return syscalls;
    }

    private LinuxArch requireKnownHost(String call) {
        return host.orElseThrow(() -> new JkexecException(call + ": no syscall numbers for os.arch "
                + System.getProperty("os.arch") + " (jkexec knows ppc64le, ppc64 and x86_64)"));
    }

    /** Adds what the failure did to a crash kernel that was loaded before the call. */
    private JkexecException withLossNote(JkexecException e, KexecStatus before) {
        if (!before.crashLoaded().orElse(false)) {
            return e;
        }
        Optional<Boolean> after = files.status().crashLoaded();
        if (after.isPresent() && !after.get()) {
            return new JkexecException(e.getMessage() + "; the crash kernel loaded before is no longer loaded"
                    + " (the kernel frees it before checking the new one), load one again", e.exitCode(), e);
        }
        if (after.isPresent()) {
            return new JkexecException(e.getMessage() + "; the crash kernel loaded before is still loaded",
                    e.exitCode(), e);
        }
        return e;
    }

    private static void requireReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw JkexecException.badInput(file, "not a readable file");
        }
    }
}
