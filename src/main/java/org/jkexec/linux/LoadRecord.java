package org.jkexec.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What jkexec last loaded as the kdump kernel, kept in /run (gone at reboot, like the load):
 * the kernel says only that a crash image is loaded, not which. Written after a successful
 * kexec_load, removed by unload; {@code status} prints it. One line, at most 4 KiB read.
 */
public final class LoadRecord {
    static final String PATH = "run/jkexec/kdump-load";
    private static final int MAX_BYTES = 4096;

    private final Path file;

    public LoadRecord(Path root) {
        this.file = root.resolve(PATH);
    }

    public static LoadRecord live() {
        return new LoadRecord(Path.of("/"));
    }

    /** Records a load; a failure to write only loses the record (the load itself stands). */
    public boolean write(String description) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("kdump-load.tmp");
            Files.writeString(tmp, description.replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale record is harmless: status prints it only while a crash image is loaded
        }
    }

    public Optional<String> read() {
        try (var in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_BYTES);
            String s = new String(b, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
