package org.jkexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading input files with a size bound and one-line errors naming the file. */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * The bytes of {@code p}, refused when larger than {@code max} (checked before reading, so a
     * huge or hostile file cannot exhaust memory). procfs and sysfs files report 0 or 4096 as
     * their size: what they hold is read whatever they report.
     */
    public static byte[] read(Path p, long max) {
        try {
            long size = Files.size(p);
            if (size > max) {
                throw JkexecException.badInput(p, "is " + size + " bytes, more than the " + max + " expected at most");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw JkexecException.badInput(p, "missing");
        } catch (IOException e) {
            throw JkexecException.badInput(p, "cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw JkexecException.badInput(p, "too large to read into memory");
        }
    }
}
