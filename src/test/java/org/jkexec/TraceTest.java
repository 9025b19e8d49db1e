package org.jkexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jkexec.testutil.Reference;
import org.junit.jupiter.api.Test;

/** JKEXEC_TRACE=1: a load prints its step times on standard error; unset, nothing more. */
class TraceTest {
    static final String CAPTURE = "captures/" + Reference.MACHINE;

    /** Standard error of a dry-run load of the bundled capture in its own JVM, JKEXEC_TRACE set or not. */
    static String dryRunErr(boolean trace) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.jkexec.cli.Main",
                        "load",
                        "-p",
                        "--dry-run",
                        "--root",
                        CAPTURE,
                        "--seed",
                        "00",
                        CAPTURE + "/kdump/vmlinux-phdrs"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JKEXEC_TRACE");
        if (trace) {
            pb.environment().put("JKEXEC_TRACE", "1");
        }
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        return err;
    }

    @Test
    void aTracedLoadPrintsItsStepsInOrderAndAnUntracedOneNothing() throws Exception {
        String err = dryRunErr(true);
        int read = err.indexOf(" ms machine: live tree read [main]\n");
        int planned = err.indexOf(" ms planned [main]\n");
        assertTrue(err.startsWith("jkexec: trace: ") && read > 0 && planned > read, err);
        for (String line : err.split("\n")) {
            assertTrue(line.matches("jkexec: trace: \\d+\\.\\d ms, \\d+\\.\\d ms [^\\[]+ \\[[^]]+]"), line);
        }
        assertFalse(dryRunErr(false).contains("trace"));
    }
}
