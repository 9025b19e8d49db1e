package org.jkexec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.jkexec.cli.Main;
import org.junit.jupiter.api.Test;

/**
 * What a kdump kernel received from kexec-tools on QEMU powernv9 (captured by scripts/e2e):
 * kexec-tools makes OPAL usable too, so usable memory does not end where crashkernel ends.
 * Without a capture, verify infers crashkernel from the files; it once took OPAL for part of
 * crashkernel and failed vmcore.crashkernel on a correct dump.
 */
class PowernvKexecToolsTest {
    @Test
    void opalAfterCrashkernelIsNotTakenForCrashkernel() throws Exception {
        Path root = Path.of(getClass().getResource("powernv9-kexec-tools").toURI());
        StringWriter out = new StringWriter();
        int status = Main.run(
                new String[] {"verify", root.toString(), "--json"},
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        JsonNode j = new ObjectMapper().readTree(out.toString());
        String crash = "";
        for (JsonNode c : j.get("checks")) {
            if (c.get("id").asText().equals("vmcore.crashkernel")) {
                crash = c.get("status").asText() + " " + c.get("details");
            }
        }
        assertTrue(crash.startsWith("PASS"), crash);
        assertTrue(out.toString().contains("0x8000000-0x27ffffff"), "crashkernel inferred as 512 MiB at 128 MiB");
        assertEquals(0, status, out.toString());
    }
}
