package org.jkexec.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;

/**
 * The running kernel's page size and MMU, which no device-tree file states: from a capture's
 * {@code jkexec/facts} when it records them, else from the running system's
 * {@code /proc/self/smaps} and {@code /proc/cpuinfo}, else the ppc64 distribution defaults
 * (64 KiB pages, radix). One rule for {@code capture}, planning and everything that plans.
 */
public final class PagingFacts {
    /** What ppc64 distribution kernels use. */
    public static final long DEFAULT_PAGE_SIZE = 64 << 10;

    public static final String RADIX = "radix";
    public static final String HASH = "hash";
    static final long MAX_FILE = 64L << 20;

    private PagingFacts() {}

    /**
     * The page size: {@code recorded} (from jkexec/facts), else the root's smaps, else 64 KiB;
     * refused unless 4 KiB or 64 KiB, the only sizes a ppc64 kernel runs with.
     */
    public static long pageSize(OptionalLong recorded, Path root) {
        OptionalLong smaps = kernelPageSize(root);
        if (recorded.isPresent() && smaps.isPresent() && recorded.getAsLong() != smaps.getAsLong()) {
            throw JkexecException.badInput(
                    root.resolve("jkexec/facts"),
                    "page-size=" + Long.toUnsignedString(recorded.getAsLong()) + " but "
                            + root.resolve("proc/self/smaps") + " says " + smaps.getAsLong()
                            + ": a fact given twice with two values");
        }
        long size = recorded.isPresent() ? recorded.getAsLong() : smaps.orElse(DEFAULT_PAGE_SIZE);
        check(
                size,
                recorded.isPresent()
                        ? root.resolve("jkexec/facts") + " page-size"
                        : root.resolve("proc/self/smaps").toString());
        return size;
    }

    /** Refuses a page size other than 4 KiB and 64 KiB, naming {@code where} it came from. */
    public static void check(long pageSize, String where) {
        if (pageSize != 4096 && pageSize != 65536) {
            throw JkexecException.badInput(
                    where,
                    "page size " + Long.toUnsignedString(pageSize) + " is not one a ppc64 kernel uses (4096 or 65536)");
        }
    }

    /** "radix" or "hash" (any case), else refused naming {@code where}. */
    public static String mmuName(String name, String where) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!n.equals(RADIX) && !n.equals(HASH)) {
            throw JkexecException.badInput(where, "MMU '" + abbreviate(name.strip()) + "' is neither radix nor hash");
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** The MMU, "radix" or "hash": {@code recorded} (from jkexec/facts, checked), else the root's cpuinfo, else radix. */
    public static String mmu(Optional<String> recorded, Path facts, Path root) {
        if (recorded.isPresent()) {
            String m = recorded.get();
            if (!m.equals(RADIX) && !m.equals(HASH)) {
                throw JkexecException.badInput(facts, "mmu=" + abbreviate(m) + " is neither radix nor hash");
            }
            Optional<String> cpuinfo = cpuinfoMmu(root);
            if (cpuinfo.isPresent() && !cpuinfo.get().equals(m)) {
                throw JkexecException.badInput(
                        facts,
                        "mmu=" + m + " but " + root.resolve("proc/cpuinfo") + " says " + cpuinfo.get()
                                + ": a fact given twice with two values");
            }
            return m;
        }
        return cpuinfoMmu(root).orElse(RADIX);
    }

    private static final Pattern KERNEL_PAGE_SIZE = Pattern.compile("KernelPageSize:\\s+([0-9]{1,9}) kB\\s*");

    /**
     * KernelPageSize of {@code root}/proc/self/smaps (a running system's), if readable; a line
     * that is not "KernelPageSize: N kB" is refused, not guessed at.
     */
    public static OptionalLong kernelPageSize(Path root) {
        Path p = root.resolve("proc/self/smaps");
        Optional<String> line = firstLine(p, "KernelPageSize:");
        if (line.isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher m = KERNEL_PAGE_SIZE.matcher(line.get());
        if (!m.matches()) {
            throw JkexecException.badInput(p, "'" + abbreviate(line.get()) + "' is not 'KernelPageSize: N kB'");
        }
        return OptionalLong.of(Long.parseLong(m.group(1)) * 1024);
    }

    /** The MMU line of {@code root}/proc/cpuinfo ("MMU : Radix" or "Hash"), if any; another name is refused. */
    public static Optional<String> cpuinfoMmu(Path root) {
        Path p = root.resolve("proc/cpuinfo");
        Optional<String> line = firstLine(p, "MMU");
        if (line.isEmpty()) {
            return line;
        }
        String l = line.get();
        int colon = l.indexOf(':');
        if (colon < 0) {
            throw JkexecException.badInput(p, "'" + abbreviate(l) + "' is not 'MMU : Radix|Hash'");
        }
        return Optional.of(mmuName(l.substring(colon + 1), p.toString()));
    }

    /**
     * The first line of an optional file that starts with {@code prefix}, the file read no
     * further: absent or unreadable by this user is no fact; present as anything but a regular
     * file is refused.
     */
    private static Optional<String> firstLine(Path p, String prefix) {
        if (!Files.exists(p) || (Files.isRegularFile(p) && !Files.isReadable(p))) {
            return Optional.empty();
        }
        return InputFiles.firstLineStartingWith(p, prefix, MAX_FILE, null);
    }
}
