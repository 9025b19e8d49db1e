package org.jkexec.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jkexec.JkexecException;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedRequestTest {
    @Test
    void theBundledCaptureRecordsItsLoad() {
        Path root = Reference.capture(Reference.MACHINE);
        RecordedRequest r = RecordedRequest.read(root);
        assertEquals(Optional.of(root.resolve("kdump/vmlinux-phdrs")), r.kernel());
        assertEquals(Optional.of(root.resolve("kdump/initrd-zeros")), r.initrd());
        assertEquals(Optional.of("console=hvc0 maxcpus=1 kdmode=none"), r.append());
    }

    @Test
    void noFileRecordsNothing(@TempDir Path dir) {
        assertEquals(RecordedRequest.none(), RecordedRequest.read(dir));
    }

    @Test
    void commentsAndBlankLinesAreIgnoredAndValuesStripped(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("kdump"));
        Files.writeString(dir.resolve("kdump/request"), "# kernel=no\n\n kernel = vmlinux \nappend=a=b c\n");
        RecordedRequest r = RecordedRequest.read(dir);
        assertEquals(Optional.of(dir.resolve("kdump/vmlinux")), r.kernel());
        assertTrue(r.initrd().isEmpty());
        assertEquals(Optional.of("a=b c"), r.append());
    }

    @Test
    void aHugeFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("kdump"));
        Files.write(dir.resolve("kdump/request"), new byte[(int) RecordedRequest.MAX_SIZE + 1]);
        JkexecException e = assertThrows(JkexecException.class, () -> RecordedRequest.read(dir));
        assertTrue(e.getMessage().contains("kdump/request"), e.getMessage());
    }
}
