package org.jkexec;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one reader of input files. Every read is typed and bounded:
 *
 * <ul>
 * <li>the file's type is checked before it is opened: a FIFO, socket, device or directory
 *     where a regular file is expected is refused at once (opening a FIFO would block, a device
 *     such as /dev/zero would never end);</li>
 * <li>the byte budget is enforced while reading, never trusted from the reported size: procfs
 *     and sysfs report 0 or 4096 whatever they hold. A reported size above the budget is
 *     refused before reading anything;</li>
 * <li>errors are one line naming the file, what it was read as, the budget and the reason.</li>
 * </ul>
 */
public final class InputFiles {
    /**
     * The first buffer when the file reports no size (procfs and sysfs files hold a line or
     * two): a budget never becomes an allocation by itself, and the thousands of small files
     * of a large machine's sysfs do not each cost a large buffer.
     */
    private static final int FIRST_CHUNK = 1 << 12;
    /** The most one read asks for. */
    private static final int READ_CHUNK = 1 << 20;
    /** What {@link #map} reads of a file that reports no size (procfs, sysfs): never a kernel or an initrd. */
    static final long UNSIZED_BUDGET = 64L << 20;

    private InputFiles() {}

    /** The bytes of {@code p}, at most {@code budget} of them. */
    public static byte[] read(Path p, long budget) {
        return read(p, budget, null);
    }

    /**
     * The bytes of {@code p}, read as {@code what} (e.g. "initrd", named in errors), at most
     * {@code budget} of them.
     */
    public static byte[] read(Path p, long budget, String what) {
        return readChecked(p, requireRegular(p, what), budget, what);
    }

    /**
     * The first line of {@code p} that starts with {@code prefix} (bytes as ISO-8859-1 characters,
     * lines ended as {@link String#lines()} ends them), or empty; {@code p} is read only as far as
     * that line, checked and bounded as {@link #read(Path, long, String)} reads it. For files
     * the kernel makes as they are read whose answer comes early: a JVM's /proc/self/smaps is
     * over 100 KB, and its first mapping gives the page size.
     */
    public static Optional<String> firstLineStartingWith(Path p, String prefix, long budget, String what) {
        long reported = requireRegular(p, what);
        if (reported > budget) {
            throw tooLarge(p, budget, what);
        }
        try (InputStream in = open(p)) {
            byte[] buf = new byte[FIRST_CHUNK];
            StringBuilder line = new StringBuilder();
            long total = 0;
            int column = 0;
            boolean candidate = true; // the line so far starts as prefix does
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                total += n;
                if (total > budget) {
                    throw tooLarge(p, budget, what);
                }
                for (int i = 0; i < n; i++) {
                    char c = (char) (buf[i] & 0xff);
                    if (c == '\n' || c == '\r') {
                        if (candidate && column >= prefix.length()) {
                            return Optional.of(line.toString());
                        }
                        line.setLength(0);
                        column = 0;
                        candidate = true;
                        continue;
                    }
                    if (candidate && column < prefix.length() && c != prefix.charAt(column)) {
                        candidate = false;
                    }
                    if (candidate) {
                        line.append(c);
                    }
                    column++;
                }
            }
            return candidate && column >= prefix.length() ? Optional.of(line.toString()) : Optional.empty();
        } catch (IOException e) {
            throw cannotRead(p, what, e);
        }
    }

    /**
     * As {@link #read(Path, long, String)} for a file whose attributes the caller has just read
     * (without following links) and found to be a regular file of {@code reported} bytes.
     */
    public static byte[] readChecked(Path p, long reported, long budget, String what) {
        if (reported > budget) {
            throw tooLarge(p, budget, what);
        }
        try (InputStream in = open(p)) {
            return readBounded(in, reported, budget, p, what);
        } catch (IOException e) {
            throw cannotRead(p, what, e);
        } catch (OutOfMemoryError e) {
            throw JkexecException.badInput(name(p, what), "too large to read into memory");
        }
    }

    /**
     * {@code p} opened for reading. A file of the default file system is opened as a
     * FileInputStream, which reads straight into the caller's array: a Files.newInputStream
     * channel costs twice as much per file, and a load at boot reads hundreds of small
     * /proc/device-tree and sysfs files, interpreted in small or emulated guests. When that open
     * fails, the channel's open is made for its typed exception, which names the reason.
     */
    private static InputStream open(Path p) throws IOException {
        if (p.getFileSystem() == FileSystems.getDefault()) {
            try {
                return new FileInputStream(p.toFile());
            } catch (FileNotFoundException e) {
                // FileInputStream says only "(reason)"; the channel's open below says which
            }
        }
        return Files.newInputStream(p);
    }

    /**
     * As {@link #read(Path, long, String)}, but {@code null} when {@code p} does not exist: one
     * look at the file both answers whether it is there and checks its type (thousands of
     * sysfs files are read this way on a large machine).
     */
    public static byte[] readIfPresent(Path p, long budget, String what) {
        requireNamed(p, what);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw cannotRead(p, what, e);
        }
        return readChecked(p, regularSize(p, a, what), budget, what);
    }

    /**
     * The bytes of {@code p} as a read-only view of the file mapped into memory, for large files
     * of which only parts are used (a vmlinux with symbols: only its PT_LOADs are copied out).
     * Bounded like a read: the file must be a regular file of at most {@code budget} bytes, and
     * the mapping covers exactly the size it had when opened (the view's bounds checks keep
     * every access inside it). A file that reports no size (procfs, sysfs) is read instead.
     */
    public static ByteBuffer map(Path p, long budget, String what) {
        long reported = requireRegular(p, what);
        // one mapping holds at most 2^31 - 1 bytes: a file past that is refused from its size,
        // never read whole instead
        if (reported > Math.min(budget, Integer.MAX_VALUE)) {
            throw tooLarge(p, budget, what);
        }
        if (reported == 0) {
            // procfs and sysfs report 0: read, but with the small budget of such files
            return ByteBuffer.wrap(readChecked(p, reported, Math.min(budget, UNSIZED_BUDGET), what));
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = Math.min(reported, ch.size());
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw cannotRead(p, what, e);
        }
    }

    /**
     * Checks that {@code p} (following symbolic links) is a regular file and returns its
     * reported size; refuses anything else in one line without opening it.
     */
    public static long requireRegular(Path p, String what) {
        return regularSize(p, attributes(p, what, true), what);
    }

    private static long regularSize(Path p, BasicFileAttributes a, String what) {
        if (!a.isRegularFile()) {
            throw JkexecException.badInput(name(p, what), "is " + typeName(p, a) + ", not a regular file");
        }
        return a.size();
    }

    /** The attributes of {@code p}, following the last link or not; one-line errors. */
    public static BasicFileAttributes attributes(Path p, String what, boolean follow) {
        requireNamed(p, what);
        try {
            return follow
                    ? Files.readAttributes(p, BasicFileAttributes.class)
                    : Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw cannotRead(p, what, e);
        }
    }

    /**
     * Refuses an empty path: Java resolves "" to the current directory, so {@code --kernel ''}
     * would be reported as a directory and {@code --out ''} would write into the current one.
     */
    public static void requireNamed(Path p, String what) {
        if (p.toString().isEmpty()) {
            throw JkexecException.badInput(what == null ? "file" : what, "an empty path names no file");
        }
    }

    /** "a directory", "a FIFO, socket or device", "a symbolic link". */
    public static String typeName(Path p, BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (a.isRegularFile()) {
            return "a regular file";
        }
        return "a FIFO, socket or device";
    }

    /**
     * At most {@code budget} bytes of {@code in}; one more is a refusal naming the budget. The
     * first buffer is the {@code reported} size (so a file that is what it says is read with no
     * copy, a byte read past its end telling that it is), never more than the budget allows; a
     * file that reports nothing starts small and grows. Each read asks for at most
     * {@link #READ_CHUNK} bytes, which is what bounds the native buffer behind it.
     */
    static byte[] readBounded(InputStream in, long reported, long budget, Path p, String what) throws IOException {
        long largest = Math.min(budget, Integer.MAX_VALUE - 8);
        byte[] buf = new byte[(int) Math.min(reported > 0 ? reported : FIRST_CHUNK, largest)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                int next = in.read();
                if (next < 0) {
                    return buf;
                }
                if (n >= largest) {
                    throw tooLarge(p, budget, what);
                }
                // n > 0 here: the first buffer is empty only for a budget of 0, refused above
                buf = Arrays.copyOf(buf, (int) Math.min(2L * n, largest));
                buf[n++] = (byte) next;
                continue;
            }
            int r = in.read(buf, n, Math.min(buf.length - n, READ_CHUNK));
            if (r < 0) {
                return Arrays.copyOf(buf, n);
            }
            n += r;
        }
    }

    /**
     * {@code bytes} as UTF-8 text, the one encoding of jkexec's text (command lines, key=value
     * files) whatever the locale; bytes that are not UTF-8 are refused with their offset named,
     * not replaced by U+FFFD (which would be written back as other bytes).
     */
    public static String utf8(byte[] bytes, Object source) {
        CharsetDecoder d = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            throw JkexecException.badInput(
                    source,
                    "not UTF-8 text (byte 0x" + Integer.toHexString(bytes[in.position()] & 0xff) + " at offset "
                            + in.position() + "): jkexec reads and writes command lines as UTF-8");
        }
        return out.flip().toString();
    }

    /** "initrd: /x: larger than the 2 GiB budget". */
    static JkexecException tooLarge(Path p, long budget, String what) {
        return JkexecException.badInput(name(p, what), "larger than the " + budget(budget) + " budget");
    }

    /** A budget as people write it: 2 GiB, 64 MiB, 4 KiB, else bytes. */
    public static String budget(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }

    /** One line saying why {@code p} cannot be read. */
    public static JkexecException cannotRead(Path p, String what, IOException e) {
        return JkexecException.badInput(name(p, what), reason(e));
    }

    /** Why a read failed, in words: "missing", "cannot read: permission denied", ... */
    public static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "missing" : "cannot read: " + cause(e);
    }

    /**
     * Why an I/O operation failed, without saying which: "permission denied", "a path component
     * is not a directory", "no such file or directory", the system's own words else.
     */
    public static String cause(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "a path component is not a directory";
        }
        if (e instanceof FileSystemException fse) {
            String r = fse.getReason();
            if (r != null && !r.isEmpty()) {
                return lowerFirst(r);
            }
        }
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : lowerFirst(m);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String name(Path p, String what) {
        return what == null ? p.toString() : what + ": " + p;
    }
}
