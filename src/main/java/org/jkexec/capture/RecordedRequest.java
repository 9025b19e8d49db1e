package org.jkexec.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;

/**
 * {@code kdump/request} of a capture: the kernel, initrd and command line that were loaded when
 * it was made, as {@code key=value} lines ({@code #} starts a comment). File names are relative
 * to the capture's {@code kdump/} directory.
 */
public record RecordedRequest(Optional<Path> kernel, Optional<Path> initrd, Optional<String> append) {
    /** The path of the file inside a capture. */
    public static final String FILE = "kdump/request";
    /** Three short lines; anything much larger is not a request. */
    static final long MAX_SIZE = 64 << 10;

    /** No recorded request. */
    public static RecordedRequest none() {
        return new RecordedRequest(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads {@code root}/kdump/request; a capture without one records nothing. */
    public static RecordedRequest read(Path root) {
        Path p = root.resolve(FILE);
        if (!Files.exists(p)) {
            return none();
        }
        Map<String, String> values = KeyValueFile.parse(
                InputFiles.utf8(InputFiles.read(p, MAX_SIZE), p), p, Set.of("kernel", "initrd", "append"));
        return new RecordedRequest(
                Optional.ofNullable(values.get("kernel")).map(n -> inside(root, n)),
                Optional.ofNullable(values.get("initrd")).map(n -> inside(root, n)),
                Optional.ofNullable(values.get("append")));
    }

    /**
     * A file the request names: relative to the capture's kdump/ directory and inside the
     * capture, so a capture cannot make jkexec read (and copy into --out) any file of the host.
     * Absolute names, ".." and symbolic links leading out are refused.
     */
    static Path inside(Path root, String name) {
        Path request = root.resolve(FILE);
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw JkexecException.badInput(request, "an empty or NUL-holding file name");
        }
        Path rel;
        try {
            rel = Path.of(name);
        } catch (InvalidPathException e) {
            throw JkexecException.badInput(request, "'" + name + "' is not a file name");
        }
        if (rel.isAbsolute()) {
            throw JkexecException.badInput(
                    request,
                    "'" + name + "' is an absolute path: a request names files "
                            + "relative to the capture's kdump/ directory");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw JkexecException.badInput(request, "'" + name + "' leads out of the capture (..)");
            }
        }
        Path p = root.resolve("kdump").resolve(rel);
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            return p; // reported as missing when it is read
        } catch (IOException e) {
            throw InputFiles.cannotRead(p, "named by " + request, e);
        }
        try {
            if (!real.startsWith(root.toRealPath())) {
                throw JkexecException.badInput(
                        request, "'" + name + "' leads out of the capture through a symbolic link, to " + real);
            }
        } catch (IOException e) {
            throw InputFiles.cannotRead(root, "capture", e);
        }
        return p;
    }
}
