package org.jkexec.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;
import org.jkexec.OutputFiles;

/**
 * {@code jkexec capture DIR}: copies from a running machine (its root, normally "/") the
 * files a kdump plan reads, into the machine-capture layout (see
 * {@link MachineCapture}), and records in jkexec/facts what no file says.
 */
public final class CaptureWriter {
    /** Plain files copied as they are, relative to the root. */
    static final List<String> FILES = List.of(
            "sys/firmware/fdt",
            "proc/cmdline",
            "proc/iomem",
            "proc/cpuinfo",
            "sys/devices/system/cpu/possible",
            "sys/kernel/vmcoreinfo",
            "sys/kernel/kexec_crash_size",
            "sys/kernel/kexec_crash_cma_ranges",
            "sys/kernel/kexec_crash_loaded");
    /** A property file larger than this in /proc/device-tree means something is wrong. */
    static final long MAX_PROPERTY = 16L << 20;

    private CaptureWriter() {}

    /**
     * Copies the capture files of {@code root} into {@code out}, a new (or empty) directory
     * written whole or not at all ({@link OutputFiles}); returns what was copied, for the user.
     */
    public static List<String> capture(Path root, Path out) {
        List<String> done = new ArrayList<>();
        try (OutputFiles w = OutputFiles.newDirectory(out, "capture DIR")) {
            for (String f : FILES) {
                Path src = root.resolve(f);
                if (Files.isReadable(src) && Files.isRegularFile(src)) {
                    copy(w, src, f);
                    done.add(f);
                }
            }
            if (!done.contains("sys/firmware/fdt")) {
                throw JkexecException.badInput(
                        root.resolve("sys/firmware/fdt"),
                        "not readable (run as root on a device-tree machine; the kernel needs CONFIG_OF)");
            }
            Path cpus = root.resolve("sys/devices/system/cpu");
            if (Files.isDirectory(cpus)) {
                try (Stream<Path> s = Files.list(cpus)) {
                    for (Path cpu : (Iterable<Path>) s::iterator) {
                        String name = cpu.getFileName().toString();
                        if (!name.matches("cpu\\d+")) {
                            continue;
                        }
                        for (String f : List.of("crash_notes", "crash_notes_size")) {
                            Path src = cpu.resolve(f);
                            if (Files.isReadable(src)) {
                                copy(w, src, "sys/devices/system/cpu/" + name + "/" + f);
                            }
                        }
                    }
                }
                done.add("sys/devices/system/cpu/cpu*/crash_notes{,_size}");
            }
            Path dt = root.resolve("proc/device-tree");
            if (Files.isDirectory(dt)) {
                copyTree(dt, w, "proc/device-tree");
                done.add("proc/device-tree/");
            }
            StringBuilder facts = new StringBuilder("# written by jkexec capture\n");
            PagingFacts.kernelPageSize(root)
                    .ifPresent(p -> facts.append("page-size=").append(p).append('\n'));
            PagingFacts.cpuinfoMmu(root)
                    .ifPresent(m -> facts.append("mmu=").append(m).append('\n'));
            w.write("jkexec/facts", facts.toString().getBytes(StandardCharsets.UTF_8), OutputFiles.READABLE);
            done.add("jkexec/facts");
            w.commit();
        } catch (IOException e) {
            throw JkexecException.badInput(root, "cannot read the machine to capture: " + InputFiles.cause(e));
        }
        return done;
    }

    /** Capture files are small; procfs and sysfs report misleading sizes, so the budget holds while reading. */
    static final long MAX_FILE = 64L << 20;

    private static void copy(OutputFiles w, Path src, String name) {
        // no more readable than the source (links followed: the file read is what counts)
        w.write(name, InputFiles.read(src, MAX_FILE), OutputFiles.noWiderThan(OutputFiles.READABLE, src));
    }

    private static void copyTree(Path link, OutputFiles w, String to) throws IOException {
        // /proc/device-tree is a symbolic link to /sys/firmware/devicetree/base
        Path from = link.toRealPath();
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                w.createDirectory(to + (dir.equals(from) ? "" : "/" + from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                    throw JkexecException.badInput(
                            file, "is " + InputFiles.typeName(file, attrs) + ", not a device-tree property file");
                }
                w.write(
                        to + "/" + from.relativize(file),
                        InputFiles.readChecked(file, attrs.size(), MAX_PROPERTY, "device-tree property"),
                        OutputFiles.noWiderThan(OutputFiles.READABLE, file));
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
