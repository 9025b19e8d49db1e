package org.jkexec.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the /sys and /proc files that describe kexec state and permissions. Every path is taken
 * relative to {@code root} ("/" on a live system; a directory tree in tests). A missing or
 * unreadable file gives an empty value, never an exception: this is advice for preflight checks
 * and messages, and the kernel has the last word.
 */
public final class KexecSystemFiles {
    private static final int CAP_SYS_BOOT = 22;  // include/uapi/linux/capability.h
    private static final Pattern IOMEM_LINE =
            Pattern.compile("^\\s*([0-9a-fA-F]+)-([0-9a-fA-F]+)\\s*:\\s*(.*?)\\s*$");

    private final Path root;

    public KexecSystemFiles(Path root) {
        this.root = root;
    }

    public static KexecSystemFiles live() {
        return new KexecSystemFiles(Path.of("/"));
    }

    public KexecStatus status() {
        OptionalLong crashSize = readLong("sys/kernel/kexec_crash_size");
        return new KexecStatus(readFlag("sys/kernel/kexec_crash_loaded"), readFlag("sys/kernel/kexec_loaded"),
                crashSize, crashRegion(crashSize));
    }

    public KexecPermissions permissions() {
        return new KexecPermissions(capSysBoot(), lockdown(), readFlag("proc/sys/kernel/kexec_load_disabled"),
                readLong("proc/sys/kernel/kexec_load_limit_panic"));
    }

    /**
     * The crashkernel reservation. /proc/iomem is preferred (it follows a shrink through
     * kexec_crash_size), but shows zeros to non-root users and, on some ppc64 kernels, no
     * "Crash kernel" line at all; then the device tree's boot-time base is used with the
     * current size from sysfs.
     */
    Optional<CrashKernelRegion> crashRegion(OptionalLong currentSize) {
        Optional<CrashKernelRegion> fromIomem = crashRegionFromIomem();
        if (fromIomem.isPresent()) {
            return fromIomem;
        }
        OptionalLong base = readDtCell("proc/device-tree/chosen/linux,crashkernel-base");
        OptionalLong dtSize = readDtCell("proc/device-tree/chosen/linux,crashkernel-size");
        if (base.isEmpty() || dtSize.isEmpty()) {
            return Optional.empty();
        }
        long size = currentSize.isPresent() && Long.compareUnsigned(currentSize.getAsLong(), dtSize.getAsLong()) <= 0
                ? currentSize.getAsLong() : dtSize.getAsLong();
        if (size == 0) {
            return Optional.empty();
        }
        return Optional.of(new CrashKernelRegion(base.getAsLong(), base.getAsLong() + size - 1,
                "/proc/device-tree/chosen/linux,crashkernel-base"));
    }

    private Optional<CrashKernelRegion> crashRegionFromIomem() {
        for (String line : readLines("proc/iomem")) {
            Matcher m = IOMEM_LINE.matcher(line);
            if (m.matches() && m.group(3).equals("Crash kernel")) {
                long start = Long.parseUnsignedLong(m.group(1), 16);
                long end = Long.parseUnsignedLong(m.group(2), 16);
                if (end != 0 && Long.compareUnsigned(end, start) >= 0) {  // all zeros: not root
                    return Optional.of(new CrashKernelRegion(start, end, "/proc/iomem"));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Boolean> capSysBoot() {
        for (String line : readLines("proc/self/status")) {
            if (line.startsWith("CapEff:")) {
                try {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return Optional.of((caps & (1L << CAP_SYS_BOOT)) != 0);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
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

    /** A device-tree number: one or two big-endian 32-bit cells. */
    private OptionalLong readDtCell(String relative) {
        try {
            byte[] b = Files.readAllBytes(root.resolve(relative));
            if (b.length != 4 && b.length != 8) {
                return OptionalLong.empty();
            }
            long v = 0;
            for (byte x : b) {
                v = (v << 8) | (x & 0xff);
            }
            return OptionalLong.of(v);
        } catch (IOException | SecurityException e) {
            return OptionalLong.empty();
        }
    }

    private Optional<String> readString(String relative) {
        try {
            return Optional.of(Files.readString(root.resolve(relative), StandardCharsets.US_ASCII));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private List<String> readLines(String relative) {
        try {
            return Files.readAllLines(root.resolve(relative), StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
