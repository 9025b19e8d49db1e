package org.jkexec.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadRecordTest {
    @TempDir
    Path root;

    @Test
    void aLoadIsRecordedOnOneLineReadBackAndRemovedByUnload() throws Exception {
        LoadRecord r = new LoadRecord(root);
        assertEquals(Optional.empty(), r.read());
        assertTrue(r.write("kernel /vmlinux,\nbackup region 0xc0000 bytes"));
        assertEquals(Optional.of("kernel /vmlinux, backup region 0xc0000 bytes"), r.read());
        assertTrue(r.write("kernel /other"));
        assertEquals(Optional.of("kernel /other"), r.read(), "a later load replaces the record");
        r.remove();
        assertEquals(Optional.empty(), r.read());
    }

    @Test
    void aHugeRecordIsReadOnlyToItsBound() throws Exception {
        Path f = root.resolve(LoadRecord.PATH);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x".repeat(1 << 20));
        assertEquals(4096, new LoadRecord(root).read().orElseThrow().length());
    }
}
