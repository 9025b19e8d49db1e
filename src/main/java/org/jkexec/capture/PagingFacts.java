package org.jkexec.capture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

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

    private PagingFacts() {
    }

    /** The page size: {@code recorded} (from jkexec/facts), else the root's smaps, else 64 KiB. */
    public static long pageSize(OptionalLong recorded, Path root) {
        return recorded.isPresent() ? recorded.getAsLong() : kernelPageSize(root).orElse(DEFAULT_PAGE_SIZE);
    }

    /** The MMU, "radix" or "hash": {@code recorded} (from jkexec/facts, checked), else the root's cpuinfo, else radix. */
    public static String mmu(Optional<String> recorded, Path facts, Path root) {
        if (recorded.isPresent()) {
            String m = recorded.get();
            if (!m.equals(RADIX) && !m.equals(HASH)) {
                throw JkexecException.badInput(facts, "mmu=" + m + " is neither radix nor hash");
            }
            return m;
        }
        return cpuinfoMmu(root).orElse(RADIX);
    }

    /** KernelPageSize of {@code root}/proc/self/smaps (a running system's), if readable. */
    public static OptionalLong kernelPageSize(Path root) {
        Optional<String> line = text(root.resolve("proc/self/smaps"))
                .flatMap(t -> t.lines().filter(l -> l.startsWith("KernelPageSize:")).findFirst());
        if (line.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(line.get().replaceAll("[^0-9]", "")) * 1024);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The MMU line of {@code root}/proc/cpuinfo ("MMU : Radix" or "Hash"), if any. */
    public static Optional<String> cpuinfoMmu(Path root) {
        return text(root.resolve("proc/cpuinfo")).flatMap(t -> t.lines().filter(l -> l.startsWith("MMU")).findFirst())
                .map(l -> l.toLowerCase(Locale.ROOT).contains(HASH) ? HASH : RADIX);
    }

    private static Optional<String> text(Path p) {
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            return Optional.empty();
        }
        return Optional.of(new String(InputFiles.read(p, MAX_FILE), StandardCharsets.ISO_8859_1));
    }
}
