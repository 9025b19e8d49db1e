package org.jkexec.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.capture.CrashKernelFacts;
import org.jkexec.capture.CrashKernelRegion;

/**
 * Reads the /sys and /proc files that describe kexec state and permissions. Every path is taken
 * relative to {@code root} ("/" on a live system; a directory tree in tests). A missing or
 * unreadable file gives an empty value, never an exception: this is advice for preflight checks
 * and messages, and the kernel has the last word.
 */
public final class KexecSystemFiles {
    private static final int CAP_SYS_BOOT = 22; // include/uapi/linux/capability.h

    private final Path root;

    public KexecSystemFiles(Path root) {
        this.root = root;
    }

    public static KexecSystemFiles live() {
        return new KexecSystemFiles(Path.of("/"));
    }

    public KexecStatus status() {
        OptionalLong crashSize = readLong("sys/kernel/kexec_crash_size");
        CrashKernelFacts crash = CrashKernelFacts.read(root);
        return new KexecStatus(
                readFlag("sys/kernel/kexec_crash_loaded"),
                readFlag("sys/kernel/kexec_loaded"),
                crashSize,
                crash.region(),
                crash.cma());
    }

    /** The running kernel's command line (/proc/cmdline), or empty when unreadable. */
    public Optional<String> runningCmdline() {
        return readString("proc/cmdline").map(String::trim);
    }

    /**
     * Does the running kernel update a loaded kdump image on CPU and memory hotplug? It says so
     * by advertising the ELF core header size it wants (CONFIG_CRASH_HOTPLUG); a kernel without
     * that file rejects the support flag in kexec_load with EINVAL.
     */
    public boolean crashHotplugConfigured() {
        return Files.exists(root.resolve("sys/kernel/crash_elfcorehdr_size"));
    }

    public KexecPermissions permissions() {
        return new KexecPermissions(
                capSysBoot(),
                lockdown(),
                readFlag("proc/sys/kernel/kexec_load_disabled"),
                readLong("proc/sys/kernel/kexec_load_limit_panic"));
    }

    /**
     * The crashkernel reservation, by the one rule of {@link CrashKernelFacts} (contradictory
     * sources are refused there, with one line naming the files).
     */
    Optional<CrashKernelRegion> crashRegion() {
        return CrashKernelFacts.read(root).region();
    }

    private Optional<Boolean> capSysBoot() {
        // read only as far as its CapEff line (each load reads it twice)
        Path p = root.resolve("proc/self/status");
        Optional<String> line;
        try {
            line = Files.exists(p) ? InputFiles.firstLineStartingWith(p, "CapEff:", MAX_FILE, null) : Optional.empty();
        } catch (JkexecException | SecurityException e) {
            return Optional.empty();
        }
        if (line.isEmpty()) {
            return Optional.empty();
        }
        try {
            long caps = Long.parseUnsignedLong(line.get().substring(7).trim(), 16);
            return Optional.of((caps & (1L << CAP_SYS_BOOT)) != 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** "none [integrity] confidentiality": the bracketed word is the active mode. */
    private Optional<String> lockdown() {
        return readString("sys/kernel/security/lockdown").flatMap(s -> {
            Matcher m = Pattern.compile("\\[(\\w+)]").matcher(s);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        });
    }

    private Optional<Boolean> readFlag(String relative) {
        OptionalLong v = readLong(relative);
        return v.isPresent() ? Optional.of(v.getAsLong() != 0) : Optional.empty();
    }

    private OptionalLong readLong(String relative) {
        Optional<String> s = readString(relative);
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** These files hold a word or a few lines. */
    static final long MAX_FILE = 1L << 20;

    /** A file's text, or empty when it is absent, unreadable or not a regular file (never blocks on a FIFO). */
    private Optional<String> readString(String relative) {
        Path p = root.resolve(relative);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(InputFiles.read(p, MAX_FILE), StandardCharsets.US_ASCII));
        } catch (JkexecException | SecurityException e) {
            return Optional.empty();
        }
    }
}
