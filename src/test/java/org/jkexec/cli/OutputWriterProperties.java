package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Every command that writes, against random trees of links, special files and permissions in
 * and around its output: nothing outside the output changes, a refusal leaves everything as it
 * was (no partial output), and no file written is more readable than the files it was made from.
 */
class OutputWriterProperties {
    /** What is at the output path before the command runs. */
    enum Target {
        MISSING,
        EMPTY_DIRECTORY,
        DIRECTORY_WITH_ENTRIES,
        LINK_TO_DIRECTORY,
        LINK_TO_FILE,
        DANGLING_LINK,
        REGULAR_FILE,
        FIFO
    }

    /** What may be planted inside an output directory. */
    enum Kind {
        LINK_TO_SECRET,
        LINK_TO_DIRECTORY,
        DANGLING_LINK,
        FIFO,
        DIRECTORY,
        REGULAR_FILE
    }

    record Plant(Kind kind, String name) {}

    /** Permissions of the inputs: kernel, initrd, boot FDT, the command line's file. */
    record Modes(String kernel, String initrd, String fdt, String cmdline, boolean cmdlineIsLink, boolean force) {}

    static final List<String> MODES = List.of("rw-------", "r--------", "rw-r-----", "rw-r--r--", "rw-rw-rw-");

    @Provide
    Arbitrary<List<Plant>> plants() {
        Arbitrary<String> names = Arbitraries.of(
                "plan.json",
                "kdump.dtb",
                "kexec.dtb",
                "segment-00-kernel.bin",
                "segment-04-initrd.bin",
                "sys",
                "proc",
                "jkexec",
                "unrelated");
        return Combinators.combine(Arbitraries.of(Kind.class), names)
                .as(Plant::new)
                .list()
                .ofMaxSize(4);
    }

    @Provide
    Arbitrary<Modes> modes() {
        Arbitrary<String> m = Arbitraries.of(MODES);
        return Combinators.combine(m, m, m, m, Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(Modes::new);
    }

    @Property(tries = 10, edgeCases = EdgeCasesMode.FIRST)
    void planOut(@ForAll Target target, @ForAll("plants") List<Plant> plants, @ForAll("modes") Modes modes)
            throws Exception {
        check("plan", target, plants, modes);
    }

    @Property(tries = 10, edgeCases = EdgeCasesMode.FIRST)
    void planRegularOut(@ForAll Target target, @ForAll("plants") List<Plant> plants, @ForAll("modes") Modes modes)
            throws Exception {
        check("plan -l", target, plants, modes);
    }

    @Property(tries = 10, edgeCases = EdgeCasesMode.FIRST)
    void mapOut(@ForAll Target target, @ForAll("plants") List<Plant> plants, @ForAll("modes") Modes modes)
            throws Exception {
        check("map", target, plants, modes);
    }

    @Property(tries = 10, edgeCases = EdgeCasesMode.FIRST)
    void synthDir(@ForAll Target target, @ForAll("plants") List<Plant> plants, @ForAll("modes") Modes modes)
            throws Exception {
        check("synth", target, plants, modes);
    }

    @Property(tries = 10, edgeCases = EdgeCasesMode.FIRST)
    void captureDir(@ForAll Target target, @ForAll("plants") List<Plant> plants, @ForAll("modes") Modes modes)
            throws Exception {
        check("capture", target, plants, modes);
    }

    void check(String writer, Target target, List<Plant> plants, Modes modes) throws Exception {
        Path world = Files.createTempDirectory("jkexec-writer");
        try {
            Path outside = Files.createDirectories(world.resolve("outside/dir"));
            Path secret = Files.writeString(world.resolve("outside/secret"), "root=/dev/sda secret=1\n");
            Files.setPosixFilePermissions(secret, perms("rw-------"));
            Files.writeString(outside.resolve("kept"), "kept");
            Path capture = world.resolve("capture");
            CliTest.copyTree(Path.of(CliTest.CAPTURE), capture);
            Path kernel = Files.copy(capture.resolve("kdump/vmlinux-phdrs"), world.resolve("vmlinux"));
            Path initrd = Files.write(world.resolve("initrd"), new byte[40_000]);
            Files.setPosixFilePermissions(kernel, perms(modes.kernel()));
            Files.setPosixFilePermissions(initrd, perms(modes.initrd()));
            Files.setPosixFilePermissions(capture.resolve("sys/firmware/fdt"), perms(modes.fdt()));
            Path cmdline = capture.resolve("proc/cmdline");
            if (modes.cmdlineIsLink()) {
                Path real = Files.copy(cmdline, world.resolve("outside/cmdline"));
                Files.delete(cmdline);
                Files.createSymbolicLink(cmdline, real);
                Files.setPosixFilePermissions(real, perms(modes.cmdline()));
            } else {
                Files.setPosixFilePermissions(cmdline, perms(modes.cmdline()));
            }

            Path out = world.resolve("out");
            prepare(out, target, plants, world);

            Map<String, String> before = snapshot(world);
            List<String> args = new ArrayList<>();
            switch (writer) {
                case "plan", "plan -l" -> {
                    args.addAll(List.of(writer.split(" ")));
                    args.addAll(List.of(
                            capture.toString(),
                            "--kernel",
                            kernel.toString(),
                            "--initrd",
                            initrd.toString(),
                            "--seed",
                            "01",
                            "--reuse-cmdline",
                            "--out",
                            out.toString()));
                    if (modes.force()) {
                        args.add("--force");
                    }
                }
                case "map" ->
                    args.addAll(List.of(
                            "map",
                            capture.toString(),
                            "--kernel",
                            kernel.toString(),
                            "--seed",
                            "01",
                            "--format",
                            "text",
                            "--out",
                            out.toString()));
                case "synth" ->
                    args.addAll(
                            List.of("synth", out.toString(), "--memory", "4G", "--cpus", "8", "--crashkernel", "512M"));
                case "capture" -> args.addAll(List.of("capture", out.toString(), "--root", capture.toString()));
                default -> throw new IllegalArgumentException(writer);
            }
            CliTest.Result r = CliTest.run(args.toArray(String[]::new));
            Map<String, String> after = snapshot(world);
            Statistics.label("outcome").collect(r.status() == 0 ? "written" : "refused");
            // a property that only ever saw refusals would prove nothing about what is written
            Statistics.label("outcome").coverage(c -> {
                c.check("written").count(n -> n > 0);
                c.check("refused").count(n -> n > 0);
            });

            if (r.status() != 0) {
                assertEquals(
                        before,
                        after,
                        writer + " failed (" + r.err().strip() + ") and must leave everything as it was");
                return;
            }
            // nothing outside the output changed, and nothing new appeared outside it
            for (String p : before.keySet()) {
                if (!inside(p)) {
                    assertEquals(before.get(p), after.get(p), writer + " changed " + p + " outside its output");
                }
            }
            for (String p : after.keySet()) {
                assertTrue(inside(p) || before.containsKey(p), writer + " created " + p + " outside its output");
            }
            // what was in an output directory and is not an output name is as it was
            for (String p : before.keySet()) {
                if (inside(p)
                        && !p.equals("out")
                        && after.containsKey(p)
                        && !after.get(p).equals(before.get(p))) {
                    assertTrue(after.get(p).startsWith("file "), writer + " replaced " + p + " with a non-file");
                    assertTrue(before.get(p).startsWith("file "), writer + " replaced " + p + ", which was not a file");
                }
            }
            assertNoWiderThanSources(writer, world, out, capture, kernel, initrd);
        } finally {
            deleteTree(world);
        }
    }

    static boolean inside(String rel) {
        return rel.equals("out") || rel.startsWith("out/");
    }

    void assertNoWiderThanSources(String writer, Path world, Path out, Path capture, Path kernel, Path initrd)
            throws IOException {
        List<Path> written = new ArrayList<>();
        if (Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
            written.add(out);
        } else {
            try (Stream<Path> s = Files.walk(out)) {
                s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(written::add);
            }
        }
        Set<PosixFilePermission> text = Files.getPosixFilePermissions(capture.resolve("sys/firmware/fdt"));
        text.retainAll(Files.getPosixFilePermissions(capture.resolve("proc/cmdline")));
        for (Path f : written) {
            String name = out.relativize(f).toString();
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
            Set<PosixFilePermission> allowed = perms("rw-r--r--");
            switch (writer) {
                case "plan", "plan -l" -> {
                    if (name.contains("kernel")) {
                        allowed = intersect(perms("rw-------"), Files.getPosixFilePermissions(kernel));
                    } else if (name.contains("initrd")) {
                        allowed = intersect(perms("rw-------"), Files.getPosixFilePermissions(initrd));
                    } else if (name.endsWith(".dtb")
                            || name.endsWith(".dts")
                            || name.equals("plan.json")
                            || name.contains("fdt")) {
                        allowed = intersect(allowed, text);
                    }
                }
                case "capture" -> {
                    Path source = capture.resolve(name);
                    if (Files.exists(source)) {
                        allowed = intersect(allowed, Files.getPosixFilePermissions(source));
                    }
                }
                default -> {}
            }
            assertTrue(
                    allowed.containsAll(mode),
                    writer + " wrote " + name + " as " + PosixFilePermissions.toString(mode) + ", more readable than "
                            + PosixFilePermissions.toString(allowed));
        }
    }

    static Set<PosixFilePermission> intersect(Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        out.addAll(a);
        out.retainAll(b);
        return out;
    }

    static Set<PosixFilePermission> perms(String s) {
        return PosixFilePermissions.fromString(s);
    }

    static void prepare(Path out, Target target, List<Plant> plants, Path world) throws Exception {
        switch (target) {
            case MISSING -> {}
            case EMPTY_DIRECTORY -> Files.createDirectory(out);
            case DIRECTORY_WITH_ENTRIES -> {
                Files.createDirectory(out);
                for (Plant p : plants) {
                    plant(out.resolve(p.name()), p.kind(), world);
                }
            }
            case LINK_TO_DIRECTORY -> Files.createSymbolicLink(out, world.resolve("outside/dir"));
            case LINK_TO_FILE -> Files.createSymbolicLink(out, world.resolve("outside/secret"));
            case DANGLING_LINK -> Files.createSymbolicLink(out, world.resolve("outside/nothing"));
            case REGULAR_FILE -> Files.writeString(out, "an earlier file");
            case FIFO -> HostileInputTest.mkfifo(out);
            default -> throw new IllegalArgumentException(target.toString());
        }
    }

    static void plant(Path p, Kind kind, Path world) throws Exception {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        switch (kind) {
            case LINK_TO_SECRET -> Files.createSymbolicLink(p, world.resolve("outside/secret"));
            case LINK_TO_DIRECTORY -> Files.createSymbolicLink(p, world.resolve("outside/dir"));
            case DANGLING_LINK -> Files.createSymbolicLink(p, world.resolve("outside/dir/absent"));
            case FIFO -> HostileInputTest.mkfifo(p);
            case DIRECTORY -> Files.createDirectories(p.resolve("sub"));
            case REGULAR_FILE -> Files.writeString(p, "planted");
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    /** Every entry under {@code root}, links not followed: type, permissions, and contents or link target. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                out.put(rel(dir), "dir " + mode(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                String what;
                if (a.isSymbolicLink()) {
                    what = "link " + Files.readSymbolicLink(f);
                } else if (a.isRegularFile()) {
                    what = "file " + mode(f) + " " + digest(f);
                } else {
                    what = "special " + mode(f);
                }
                out.put(rel(f), what);
                return FileVisitResult.CONTINUE;
            }

            String rel(Path p) {
                return root.relativize(p).toString();
            }
        });
        return out;
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static String digest(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
