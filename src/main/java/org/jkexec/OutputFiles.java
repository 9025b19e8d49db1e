package org.jkexec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one writer of output files, for every command that writes ({@code plan --out},
 * {@code map --out}, {@code capture DIR}, {@code synth DIR}). Everything is first written into
 * a staging directory jkexec has just created for itself (mode 0700, so nothing can be planted
 * in it), each file created new, and only then renamed into place:
 *
 * <ul>
 * <li>a new output directory appears whole or not at all: the staging directory is renamed
 *     onto it (an existing empty directory is replaced the same way);</li>
 * <li>files written into an existing directory replace entries by rename, never writing
 *     through them; an entry that is a symbolic link, a directory or a special file is
 *     refused, and a regular file only replaced when the caller allows it ({@code --force});</li>
 * <li>an empty path, an output that is a symbolic link or a special file are refused;</li>
 * <li>on any failure the staging directory and what was already moved are removed: no partial
 *     output is left.</li>
 * </ul>
 *
 * No link is followed at any level inside the output: what is written lives in the staging
 * directory until the rename, and the rename replaces the entry of the final name itself.
 */
public final class OutputFiles implements AutoCloseable {
    /** rw-------: for bytes copied from an input, never more open than their source. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r--: for what jkexec computes (the usual mode of a new file under umask 022). */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    /** rwxr-xr-x: directories of a new output tree. */
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** How the staged files reach their place. */
    private enum Mode {
        /** The output directory is new (or an empty directory): the staging directory becomes it. */
        NEW_DIRECTORY,
        /** Flat files moved one by one into an existing directory. */
        INTO_DIRECTORY
    }

    private final Path target;
    private final String what;
    private final Mode mode;
    private final boolean force;
    private final Path stage;
    /** Permissions the new directory takes (those of the empty directory it replaces, else {@link #DIRECTORY}). */
    private final Set<PosixFilePermission> directoryMode;

    private final List<String> names = new ArrayList<>();
    private boolean done;

    private OutputFiles(
            Path target, String what, Mode mode, boolean force, Path stage, Set<PosixFilePermission> directoryMode) {
        this.target = target;
        this.what = what;
        this.mode = mode;
        this.force = force;
        this.stage = stage;
        this.directoryMode = directoryMode;
    }

    /**
     * A new directory {@code dir} ({@code capture DIR}, {@code synth DIR}): refused when it
     * exists as anything but an empty directory. {@code what} names it in messages.
     */
    public static OutputFiles newDirectory(Path dir, String what) {
        InputFiles.requireNamed(dir, what);
        BasicFileAttributes a = attributesOrNull(dir, what);
        Set<PosixFilePermission> dirMode = DIRECTORY;
        if (a != null) {
            if (!a.isDirectory()) {
                throw JkexecException.badInput(dir, what + ": is " + InputFiles.typeName(dir, a) + ", not a directory");
            }
            if (!isEmptyDirectory(dir, what)) {
                throw JkexecException.badInput(
                        dir,
                        what + ": exists and is not empty: jkexec writes a capture into a new " + "or empty directory");
            }
            dirMode = permissionsOr(dir, DIRECTORY);
        }
        return new OutputFiles(dir, what, Mode.NEW_DIRECTORY, false, stageBeside(dir, what), dirMode);
    }

    /**
     * Files into the directory {@code dir} ({@code plan --out}), created when missing; an
     * existing one must be a directory, not a link to one. Names are file names, no '/'.
     */
    public static OutputFiles intoDirectory(Path dir, String what, boolean force) {
        InputFiles.requireNamed(dir, what);
        BasicFileAttributes a = attributesOrNull(dir, what);
        if (a == null) {
            return new OutputFiles(dir, what, Mode.NEW_DIRECTORY, force, stageBeside(dir, what), DIRECTORY);
        }
        if (!a.isDirectory()) {
            throw JkexecException.badInput(dir, what + ": is " + InputFiles.typeName(dir, a) + ", not a directory");
        }
        return new OutputFiles(
                dir,
                what,
                Mode.INTO_DIRECTORY,
                force,
                createStage(dir.resolve(stageName("jkexec")), dir, what),
                DIRECTORY);
    }

    /**
     * Writes one file {@code file} ({@code map --out}) with {@code mode}: an existing regular
     * file is replaced when {@code force}; a link, directory or special file never is.
     */
    public static void writeFile(Path file, String what, byte[] bytes, Set<PosixFilePermission> mode, boolean force) {
        InputFiles.requireNamed(file, what);
        Path name = file.getFileName();
        if (name == null || name.toString().equals("..") || name.toString().equals(".")) {
            throw JkexecException.badInput(file, what + ": names a directory, not a file");
        }
        Path dir = file.toAbsolutePath().getParent();
        BasicFileAttributes a = attributesOrNull(dir, what);
        if (a == null || !a.isDirectory()) {
            throw JkexecException.badInput(
                    file,
                    what + ": cannot write: "
                            + (a == null
                                    ? "no such directory " + dir
                                    : dir + " is " + InputFiles.typeName(dir, a) + ", not a directory"));
        }
        try (OutputFiles out = new OutputFiles(
                dir,
                what,
                Mode.INTO_DIRECTORY,
                force,
                createStage(dir.resolve(stageName(name.toString())), dir, what),
                DIRECTORY)) {
            out.write(name.toString(), bytes, mode);
            out.commit();
        }
    }

    /**
     * Stages {@code name} (relative, '/'-separated; flat when writing into an existing
     * directory) with {@code bytes} and {@code perms}. An entry of that name in an existing
     * output directory is checked now, so a refusal comes before anything is moved.
     */
    public void write(String name, byte[] bytes, Set<PosixFilePermission> perms) {
        write(name, ByteBuffer.wrap(bytes), perms);
    }

    /** As {@link #write(String, byte[], Set)} for bytes in a buffer (a view of a mapped input: never copied onto the heap). */
    public void write(String name, ByteBuffer bytes, Set<PosixFilePermission> perms) {
        stage(name, perms, ch -> {
            ByteBuffer b = bytes.duplicate().clear();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    /**
     * Stages {@code name} as a copy of the first {@code size} bytes of {@code source}, made by
     * the kernel (a large initrd's pages never enter jkexec's memory); a source that has
     * shrunk since it was planned is refused.
     */
    public void copy(String name, Path source, long size, Set<PosixFilePermission> perms) {
        stage(name, perms, ch -> {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                long done = 0;
                while (done < size) {
                    long n = in.transferTo(done, size - done, ch);
                    if (n <= 0) {
                        throw JkexecException.badInput(
                                source, "shrank to " + done + " bytes while jkexec was copying " + size + " of it");
                    }
                    done += n;
                }
            }
        });
    }

    /** What fills a staged file. */
    private interface Content {
        void writeTo(FileChannel ch) throws IOException;
    }

    private void stage(String name, Set<PosixFilePermission> perms, Content content) {
        if (done) {
            throw new IllegalStateException("already committed");
        }
        checkName(name);
        if (this.mode == Mode.INTO_DIRECTORY) {
            checkReplaceable(target.resolve(name));
        }
        Path staged = stage.resolve(name);
        try {
            Path parent = staged.getParent();
            if (!parent.equals(stage)) {
                createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(
                    staged,
                    EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
                    attributes(staged, perms))) {
                content.writeTo(ch);
            }
            // the mode asked for, whatever the umask took away or left
            setPermissions(staged, perms);
        } catch (IOException e) {
            close();
            throw cannotWrite(target.resolve(name), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        names.add(name);
    }

    /** Stages the directory {@code name} (relative, '/'-separated), for a tree that holds an empty one. */
    public void createDirectory(String name) {
        checkName(name);
        try {
            createDirectories(stage.resolve(name));
        } catch (IOException e) {
            close();
            throw cannotWrite(target.resolve(name), e);
        }
    }

    private void checkName(String name) {
        Path rel = Path.of(name);
        if (name.isEmpty()
                || rel.isAbsolute()
                || rel.normalize().startsWith("..")
                || !rel.normalize().equals(rel)
                || (mode == Mode.INTO_DIRECTORY && rel.getNameCount() != 1)) {
            throw new IllegalArgumentException("not an output name: " + name);
        }
    }

    /** Moves what was staged into place; nothing is left half done when this fails. */
    public void commit() {
        try {
            if (mode == Mode.NEW_DIRECTORY) {
                setPermissions(stage, directoryMode);
                // replaces the empty directory that may be there (rename(2) replaces an empty one), never a file
                Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                List<Path> moved = new ArrayList<>();
                try {
                    for (String n : names) {
                        Path dst = target.resolve(n);
                        boolean existed = checkReplaceable(dst);
                        Files.move(
                                stage.resolve(n),
                                dst,
                                StandardCopyOption.ATOMIC_MOVE,
                                StandardCopyOption.REPLACE_EXISTING);
                        if (!existed) {
                            moved.add(dst);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    for (Path p : moved) {
                        Files.deleteIfExists(p);
                    }
                    throw e;
                }
                Files.delete(stage);
            }
            done = true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            close();
            throw JkexecException.badInput(target, what + ": cannot write: it appeared while jkexec was writing");
        } catch (IOException e) {
            close();
            throw cannotWrite(target, e);
        }
    }

    /** Removes the staging directory and what is in it, unless committed. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        deleteTree(stage);
    }

    /**
     * Whether {@code dst} exists; refused when it is anything but a regular file, or one
     * without {@link #force}.
     */
    private boolean checkReplaceable(Path dst) {
        BasicFileAttributes a = attributesOrNull(dst, what);
        if (a == null) {
            return false;
        }
        if (!a.isRegularFile()) {
            throw JkexecException.badInput(
                    dst, what + ": is " + InputFiles.typeName(dst, a) + ": jkexec replaces only regular files");
        }
        if (!force) {
            throw JkexecException.badInput(
                    dst, "exists: jkexec does not overwrite a plan (give --force to replace it)");
        }
        return true;
    }

    private static BasicFileAttributes attributesOrNull(Path p, String what) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw JkexecException.badInput(p, what + ": cannot write: " + InputFiles.cause(e));
        }
    }

    private static boolean isEmptyDirectory(Path dir, String what) {
        try (var s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            throw JkexecException.badInput(dir, what + ": cannot write: " + InputFiles.cause(e));
        }
    }

    private static Path stageBeside(Path dir, String what) {
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null) {
            throw JkexecException.badInput(dir, what + ": cannot write: the root directory is not an output directory");
        }
        BasicFileAttributes a = attributesOrNull(parent, what);
        if (a == null) {
            throw JkexecException.badInput(dir, what + ": cannot write: no such directory " + parent);
        }
        return createStage(parent.resolve(stageName(abs.getFileName().toString())), dir, what);
    }

    private static String stageName(String base) {
        return "." + base + ".jkexec-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    /** A new directory only jkexec's user can enter: nothing is planted in it while jkexec writes. */
    private static Path createStage(Path stage, Path target, String what) {
        try {
            if (stage.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(stage, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            } else {
                Files.createDirectory(stage);
            }
            return stage;
        } catch (IOException e) {
            throw cannotWrite(target, what, e);
        }
    }

    /** Directories below the stage, each created new (no link can be in the stage). */
    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createDirectories(dir.getParent());
        Files.createDirectory(dir, attributes(dir, DIRECTORY));
        setPermissions(dir, DIRECTORY);
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, mode);
        }
    }

    private static Set<PosixFilePermission> permissionsOr(Path p, Set<PosixFilePermission> otherwise) {
        try {
            return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return otherwise;
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // the first error is the one to report; a leftover staging directory is named by its dot
        }
    }

    private JkexecException cannotWrite(Path p, IOException e) {
        return cannotWrite(p, what, e);
    }

    private static JkexecException cannotWrite(Path p, String what, IOException e) {
        return JkexecException.badInput(p, what + ": cannot write: " + InputFiles.cause(e));
    }

    private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> mode) {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        }
        return new FileAttribute<?>[0];
    }

    /**
     * The narrowest of {@code wanted} and the permissions of every one of {@code sources}
     * (links followed: what matters is the file read): bytes copied from a file readable only
     * by its owner stay that way. A source whose permissions cannot be read gives owner-only.
     */
    public static Set<PosixFilePermission> noWiderThan(Set<PosixFilePermission> wanted, Path... sources) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        out.addAll(wanted);
        for (Path source : sources) {
            if (source == null) {
                continue;
            }
            try {
                out.retainAll(Files.getPosixFilePermissions(source));
            } catch (NoSuchFileException e) {
                // not there: nothing of it was read
            } catch (IOException | UnsupportedOperationException e) {
                out.retainAll(OWNER_ONLY);
            }
        }
        return out;
    }

    /** Files by name, in order, with the mode each is written with: what a plan's --out holds. */
    public static final class Batch {
        private final Map<String, ByteBuffer> bytes = new LinkedHashMap<>();
        private final Map<String, Path> copies = new LinkedHashMap<>();
        private final Map<String, Set<PosixFilePermission>> modes = new LinkedHashMap<>();

        public Batch put(String name, byte[] content, Set<PosixFilePermission> mode) {
            return put(name, ByteBuffer.wrap(content), mode);
        }

        public Batch put(String name, ByteBuffer content, Set<PosixFilePermission> mode) {
            bytes.put(name, content);
            modes.put(name, mode);
            return this;
        }

        /**
         * As {@link #put(String, ByteBuffer, Set)} for {@code content} that is the start of
         * {@code source}: copied from the file by the kernel, not through jkexec's memory.
         */
        public Batch put(String name, ByteBuffer content, Path source, Set<PosixFilePermission> mode) {
            put(name, content, mode);
            if (source != null) {
                copies.put(name, source);
            }
            return this;
        }

        /** Writes every file into {@code dir} ({@code what} names the option), all or none. */
        public void writeInto(Path dir, String what, boolean force) {
            try (OutputFiles out = intoDirectory(dir, what, force)) {
                for (String name : bytes.keySet()) {
                    // every name is checked before a byte is written: a refusal costs nothing
                    if (out.mode == Mode.INTO_DIRECTORY) {
                        out.checkReplaceable(dir.resolve(name));
                    }
                }
                for (Map.Entry<String, ByteBuffer> f : bytes.entrySet()) {
                    Path source = copies.get(f.getKey());
                    if (source != null) {
                        out.copy(f.getKey(), source, f.getValue().capacity(), modes.get(f.getKey()));
                    } else {
                        out.write(f.getKey(), f.getValue(), modes.get(f.getKey()));
                    }
                }
                out.commit();
            }
        }
    }
}
