package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man page and the completion come from the commands' own model. */
class ReferenceDocsTest {
    @Test
    void manPageHasEveryCommandItsOptionsAndTheExitStatuses(@TempDir Path dir) throws Exception {
        ReferenceDocs.main(new String[] {dir.toString()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("jkexec.8.gz")))) {
            in.transferTo(out);
        }
        String man = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(man.startsWith(".TH JKEXEC 8"), man.substring(0, 40));
        for (String c : Main.COMMANDS) {
            assertTrue(man.contains(".SS " + c + "\n"), c);
        }
        assertTrue(man.contains("\\-\\-reuse\\-cmdline"), "options are escaped roff");
        assertTrue(man.contains(".SH KEXEC-TOOLS COMMAND LINE"));
        assertTrue(man.contains(".SH EXIT STATUS"));
        for (String line : man.split("\n")) {
            assertTrue(!line.startsWith(".") || line.matches("\\.(TH|SH|SS|PP|nf|fi|TP|B|I|br) ?.*|\\.(PP|nf|fi|TP|br)"),
                    "unexpected request: " + line);
        }
    }

    @Test
    void completionKnowsTheCommandsAndKexecOptions(@TempDir Path dir) throws Exception {
        ReferenceDocs.main(new String[] {dir.toString()});
        String bash = Files.readString(dir.resolve("jkexec"));
        assertTrue(bash.contains("complete -F _complete_jkexec"), "registers jkexec");
        assertTrue(bash.contains("complete -F _complete_kexec"), "registers kexec");
        assertTrue(bash.contains("--load-panic") && bash.contains("--reuse-cmdline") && bash.contains("exec"));
    }
}
