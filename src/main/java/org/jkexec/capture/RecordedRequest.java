package org.jkexec.capture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jkexec.InputFiles;

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
        if (!Files.isRegularFile(p)) {
            return none();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : new String(InputFiles.read(p, MAX_SIZE), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        Path dir = root.resolve("kdump");
        return new RecordedRequest(Optional.ofNullable(values.get("kernel")).map(dir::resolve),
                Optional.ofNullable(values.get("initrd")).map(dir::resolve), Optional.ofNullable(values.get("append")));
    }
}
