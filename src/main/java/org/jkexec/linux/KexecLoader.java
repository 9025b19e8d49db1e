package org.jkexec.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.jkexec.Background;
import org.jkexec.JkexecException;
import org.jkexec.Trace;
import org.jkexec.kexec.Segment;

/**
 * Loads and unloads kdump kernels and regular kexec images, and reboots into the latter. This
 * is the only class that issues kexec syscalls.
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
 *   <li>No syscall object is created (so JNA is not loaded) before the first load or unload, or
 *       before {@link #prepare()} says one is coming; either way no syscall is made before.</li>
 * </ul>
 */
public final class KexecLoader {
    private final Supplier<KexecSyscalls> syscallsFactory;
    private final KexecSystemFiles files;
    private final Optional<LinuxArch> host;
    private KexecSyscalls syscalls;
    /** The syscall object being made on another thread ({@link #prepare()}), until it is taken. */
    private FutureTask<KexecSyscalls> prepared;

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

    /** The running kernel's command line, when readable. */
    public Optional<String> runningCmdline() {
        return files.runningCmdline();
    }

    /**
     * The active kernel lockdown mode ("integrity" or "confidentiality") when
     * /sys/kernel/security/lockdown says one is active: kexec_load is then refused with EPERM.
     */
    public Optional<String> lockdown() {
        KexecPermissions p = files.permissions();
        return p.lockedDown() ? p.lockdown() : Optional.empty();
    }

    /** Whether the running kernel updates a loaded kdump image on hotplug (kexec-tools' --hotplug needs it). */
    public boolean crashHotplugConfigured() {
        return files.crashHotplugConfigured();
    }

    /**
     * Loads a ppc64le kdump image with kexec_load(2), flags KEXEC_ON_CRASH | KEXEC_ARCH_PPC64.
     *
     * @param segments sorted by address, as the planner made them
     * @param entry    physical entry point (the purgatory's head)
     */
    public void loadCrash(List<Segment> segments, long entry) {
        loadCrash(segments, entry, false);
    }

    /**
     * As {@link #loadCrash(List, long)}; with {@code hotplugRoom} (the plan left the FDT unpacked
     * with room for the possible CPUs and the ELF core header room for more ranges) and a kernel
     * with CONFIG_CRASH_HOTPLUG, also KEXEC_CRASH_HOTPLUG_SUPPORT, so the kernel updates the
     * loaded image on CPU and memory hotplug.
     */
    public void loadCrash(List<Segment> segments, long entry, boolean hotplugRoom) {
        Checked c = checkCrash(segments, entry);
        long flags = KexecFlags.KEXEC_ON_CRASH | c.arch.kexecArchFlag();
        if (hotplugRoom && files.crashHotplugConfigured()) {
            flags |= KexecFlags.KEXEC_CRASH_HOTPLUG_SUPPORT;
        }
        int errno = c.sys.kexecLoad(entry, segments, flags);
        Trace.mark("kexec_load returned");
        if (errno != 0) {
            JkexecException e =
                    KexecErrors.kexecLoad(errno, new KexecErrors.Context(c.permissions, c.before, c.pageSize));
            throw new KexecCallFailed(withLossNote(e, c.before), errno);
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

    private record Checked(
            LinuxArch arch, KexecSyscalls sys, KexecPermissions permissions, KexecStatus before, long pageSize) {}

    private Checked checkCrash(List<Segment> segments, long entry) {
        LinuxArch arch = requirePpc64le();
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_load", permissions, true);
        KexecSyscalls sys = syscalls();
        long pageSize = sys.pageSize();
        Trace.mark("page size asked");
        KexecStatus before = files.status();
        KexecPreflight.checkCrashSegments(segments, entry, pageSize, before);
        Trace.mark("crash load checked");
        return new Checked(arch, sys, permissions, before, pageSize);
    }

    /**
     * Loads a regular (non-crash) ppc64le image with kexec_load(2), flags KEXEC_ARCH_PPC64: the
     * image {@link #execLoaded()} reboots into. A refused load leaves the image loaded before
     * (the kernel replaces it only on success) and never touches the crash kernel.
     */
    public void loadRegular(List<Segment> segments, long entry) {
        Checked c = checkRegular(segments, entry);
        int errno = c.sys.kexecLoad(entry, segments, c.arch.kexecArchFlag());
        if (errno != 0) {
            throw new KexecCallFailed(
                    KexecErrors.kexecLoad(errno, new KexecErrors.Context(c.permissions, c.before, c.pageSize)), errno);
        }
    }

    /** Everything {@link #loadRegular} checks, without loading ({@code load -l --dry-run}). */
    public void checkRegularLoad(List<Segment> segments, long entry) {
        checkRegular(segments, entry);
    }

    private Checked checkRegular(List<Segment> segments, long entry) {
        LinuxArch arch = requirePpc64le();
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_load", permissions, true);
        KexecSyscalls sys = syscalls();
        long pageSize = sys.pageSize();
        KexecPreflight.checkRegularSegments(segments, entry, pageSize);
        return new Checked(arch, sys, permissions, files.status(), pageSize);
    }

    /** Unloads the regular image with kexec_load(2) (nr_segments = 0, no flags). */
    public void unloadRegular() {
        unloadWithKexecLoad(0);
    }

    /**
     * Loads a regular image with kexec_file_load(2); the kernel places every segment itself.
     *
     * @param unpackedKernel the decompressed kernel (handed over in a memory file), or null for the file itself
     * @param debug          KEXEC_FILE_DEBUG: the kernel logs its placement (kexec-tools' -d)
     */
    public void loadRegularFile(
            Path kernel, byte[] unpackedKernel, Optional<Path> initrd, String cmdline, boolean debug) {
        KexecPermissions permissions = checkFileLoad(kernel, initrd);
        long flags =
                (initrd.isEmpty() ? KexecFlags.KEXEC_FILE_NO_INITRAMFS : 0) | (debug ? KexecFlags.KEXEC_FILE_DEBUG : 0);
        int errno = syscalls().kexecFileLoad(kernel, unpackedKernel, initrd, cmdline, flags);
        if (errno != 0) {
            throw new KexecCallFailed(
                    KexecErrors.kexecFileLoad(errno, kernel, new KexecErrors.Context(permissions, files.status(), 0)),
                    errno);
        }
    }

    /** Unloads the regular image with kexec_file_load(2). */
    public void unloadRegularFile() {
        unloadWithKexecFileLoad(0);
    }

    /**
     * Syncs the file systems and reboots into the loaded regular image (reboot(2),
     * LINUX_REBOOT_CMD_KEXEC), as {@code kexec -e} does: no shutdown of services first. Refuses
     * when /sys/kernel/kexec_loaded says nothing is loaded; returns only on failure (as an
     * exception).
     */
    public void execLoaded(boolean sync) {
        requirePpc64le();
        KexecPermissions permissions = files.permissions();
        if (permissions.capSysBoot().isPresent() && !permissions.capSysBoot().get()) {
            throw new JkexecException("reboot: this process lacks CAP_SYS_BOOT; run jkexec as root");
        }
        if (!files.status().kexecLoaded().orElse(false)) {
            throw new JkexecException("exec: no kernel is loaded for kexec (/sys/kernel/kexec_loaded is not 1);"
                    + " load one with load -l first");
        }
        KexecSyscalls sys = syscalls();
        if (sync) {
            sys.sync();
        }
        int errno = sys.rebootIntoKexec();
        throw new JkexecException("reboot(LINUX_REBOOT_CMD_KEXEC) failed: " + Errno.name(errno));
    }

    /** Unloads the crash kernel with kexec_load(2) (nr_segments = 0, KEXEC_ON_CRASH). */
    public void unloadCrash() {
        unloadWithKexecLoad(KexecFlags.KEXEC_ON_CRASH);
    }

    /**
     * Loads a kdump kernel with kexec_file_load(2); the kernel builds every segment itself.
     *
     * @param unpackedKernel the decompressed kernel (handed over in a memory file), or null for the file itself
     * @param debug          KEXEC_FILE_DEBUG: the kernel logs its placement (kexec-tools' -d)
     */
    public void loadCrashFile(
            Path kernel, byte[] unpackedKernel, Optional<Path> initrd, String cmdline, boolean debug) {
        KexecPermissions permissions = checkFileLoad(kernel, initrd);
        KexecStatus before = files.status();
        if (before.crashSize().isPresent() && before.crashSize().getAsLong() == 0) {
            throw new JkexecException("kexec_file_load: no memory is reserved for a crash kernel"
                    + " (/sys/kernel/kexec_crash_size is 0); boot with crashkernel=");
        }
        long flags = KexecFlags.KEXEC_FILE_ON_CRASH
                | (initrd.isEmpty() ? KexecFlags.KEXEC_FILE_NO_INITRAMFS : 0)
                | (debug ? KexecFlags.KEXEC_FILE_DEBUG : 0);
        KexecSyscalls sys = syscalls();
        int errno = sys.kexecFileLoad(kernel, unpackedKernel, initrd, cmdline, flags);
        if (errno != 0) {
            JkexecException e =
                    KexecErrors.kexecFileLoad(errno, kernel, new KexecErrors.Context(permissions, before, 0));
            throw new KexecCallFailed(withLossNote(e, before), errno);
        }
    }

    /** Unloads the crash kernel with kexec_file_load(2) (works under lockdown, unlike kexec_load). */
    public void unloadCrashFile() {
        unloadWithKexecFileLoad(KexecFlags.KEXEC_FILE_ON_CRASH);
    }

    /** What every kexec_file_load(2) load checks first: a Linux host, readable files, the permissions. */
    private KexecPermissions checkFileLoad(Path kernel, Optional<Path> initrd) {
        requirePpc64le();
        requireReadable(kernel);
        initrd.ifPresent(KexecLoader::requireReadable);
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_file_load", permissions, false);
        return permissions;
    }

    /** kexec_load(2) with no segments unloads the image {@code imageFlags} selects (0: regular). */
    private void unloadWithKexecLoad(long imageFlags) {
        LinuxArch arch = requirePpc64le();
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_load", permissions, true);
        int errno = syscalls().kexecLoad(0, List.of(), imageFlags | arch.kexecArchFlag());
        if (errno != 0) {
            throw new KexecCallFailed(
                    KexecErrors.unload("kexec_load", errno, new KexecErrors.Context(permissions, files.status(), 0)),
                    errno);
        }
    }

    /** kexec_file_load(2) with KEXEC_FILE_UNLOAD unloads the image {@code imageFlags} selects (0: regular). */
    private void unloadWithKexecFileLoad(long imageFlags) {
        requirePpc64le();
        KexecPermissions permissions = files.permissions();
        KexecPreflight.checkPermissions("kexec_file_load", permissions, false);
        int errno =
                syscalls().kexecFileLoad(null, null, Optional.empty(), "", KexecFlags.KEXEC_FILE_UNLOAD | imageFlags);
        if (errno != 0) {
            throw new KexecCallFailed(
                    KexecErrors.unload(
                            "kexec_file_load", errno, new KexecErrors.Context(permissions, files.status(), 0)),
                    errno);
        }
    }

    /**
     * Starts making the syscall object on another thread, for a load about to be planned: JNA's
     * start (its native library, libc) costs as much as reading the machine in a small or
     * emulated guest, and overlaps it there. Makes no syscall; the first call that needs the
     * object waits for it, and a failure is thrown there, as if the object were made then.
     */
    public synchronized void prepare() {
        if (syscalls != null || prepared != null) {
            return;
        }
        // a class, not a lambda: this runs at boot, where each lambda's first linkage costs
        prepared = Background.start("jkexec-syscalls", new Callable<KexecSyscalls>() {
            @Override
            public KexecSyscalls call() {
                KexecSyscalls s = syscallsFactory.get();
                Trace.mark("syscall object made (JNA started)");
                return s;
            }
        });
    }

    /** The page size libc gives, through the syscall object (JNA), as a load's checks ask it. */
    public long pageSize() {
        return syscalls().pageSize();
    }

    private synchronized KexecSyscalls syscalls() {
        if (syscalls == null) {
            syscalls = prepared == null ? syscallsFactory.get() : Background.take(prepared);
            prepared = null;
            Trace.mark("syscall object taken");
        }
        return syscalls;
    }

    /**
     * jkexec builds images (and their purgatory) for ppc64le only, and every live call (a file
     * load, an unload, a reboot) is refused alike elsewhere: one line, before any syscall.
     */
    private LinuxArch requirePpc64le() {
        LinuxArch arch = host.orElse(null);
        if (arch != LinuxArch.PPC64LE) {
            throw new JkexecException(notPpc64leMessage());
        }
        return arch;
    }

    /** The one line a load on another architecture ends with. */
    public static String notPpc64leMessage() {
        return "kexec_load: this machine is " + System.getProperty("os.arch")
                + "; jkexec builds kexec and kdump images (and their purgatory) for ppc64le only";
    }

    /** Refuses, in one line, a machine jkexec does not load on (before any file is read). */
    public void requireLoadableHost() {
        requirePpc64le();
    }

    /** Whether this JVM runs on ppc64le, the only machine jkexec loads on. */
    public boolean onPpc64le() {
        return host.orElse(null) == LinuxArch.PPC64LE;
    }

    /** Adds what the failure did to a crash kernel that was loaded before the call. */
    private JkexecException withLossNote(JkexecException e, KexecStatus before) {
        if (!before.crashLoaded().orElse(false)) {
            return e;
        }
        Optional<Boolean> after = files.status().crashLoaded();
        if (after.isPresent() && !after.get()) {
            return new JkexecException(
                    e.getMessage() + "; the crash kernel loaded before is no longer loaded"
                            + " (the kernel frees it before checking the new one), load one again",
                    e.exitCode(),
                    e);
        }
        if (after.isPresent()) {
            return new JkexecException(
                    e.getMessage() + "; the crash kernel loaded before is still loaded", e.exitCode(), e);
        }
        return e;
    }

    private static void requireReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw JkexecException.badInput(file, "not a readable file");
        }
    }
}
