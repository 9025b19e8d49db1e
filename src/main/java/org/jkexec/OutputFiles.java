package org.jkexec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one writer of output files. A file is written new under a temporary name in its
 * directory (created exclusively, never through a symbolic link) and then renamed over its
 * final name, so nothing outside the directory is ever written through a planted link and a
 * reader never sees half a file. An existing file of the final name is replaced only when the
 * caller allows it ({@code --force}).
 */
public final class OutputFiles {
    /** rw-------: for bytes copied from an input, never more open than their source. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r--: for what jkexec computes (the usual mode of a new file under umask 022). */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private OutputFiles() {
    }

    /**
     * The directory {@code dir}, created when missing; refused when it exists as anything
     * but a directory, a symbolic link to one included (the link could lead anywhere).
     */
    public static void directory(Path dir) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory()) {
                    throw JkexecException.badInput(dir, "--out: is " + InputFiles.typeName(dir, a) + ", not a directory");
                }
                return;
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw JkexecException.badInput(dir, "--out: cannot create the directory: " + InputFiles.reason(e));
        }
    }

    /** Refuses when {@code file} exists (as anything, a dangling link included) and {@code force} is off. */
    public static void refuseExisting(Path file, boolean force) {
        if (!force && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw JkexecException.badInput(file, "exists: jkexec does not overwrite a plan (give --force to replace it)");
        }
    }

    /**
     * Writes {@code bytes} as {@code file} with {@code mode}: new under a temporary name, then
     * renamed. {@code file} itself, when it exists, is replaced, never written through.
     */
    public static void write(Path file, byte[] bytes, Set<PosixFilePermission> mode, boolean force) {
        refuseExisting(file, force);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, openOptions(), attributes(tmp, mode));
                    OutputStream os = Channels.newOutputStream(ch)) {
                os.write(bytes);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw JkexecException.badInput(tmp, "cannot write: a file of this name appeared while writing");
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the first error is the one to report
            }
            throw JkexecException.badInput(file, "cannot write: " + InputFiles.reason(e).replaceFirst("^cannot read: ", ""));
        }
    }

    private static Set<StandardOpenOption> openOptions() {
        return EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    }

    private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> mode) {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        }
        return new FileAttribute<?>[0];
    }

    /**
     * The narrower of {@code wanted} and the permissions of {@code source}: bytes copied from a
     * file readable only by its owner stay that way.
     */
    public static Set<PosixFilePermission> noWiderThan(Set<PosixFilePermission> wanted, Path source) {
        try {
            Set<PosixFilePermission> src = Files.getPosixFilePermissions(source);
            Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
            out.addAll(wanted);
            out.retainAll(src);
            return out;
        } catch (IOException | UnsupportedOperationException e) {
            return OWNER_ONLY;
        }
    }
}
