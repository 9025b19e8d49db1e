package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages and the completions come from the commands' own model. */
class ReferenceDocsTest {
    @Test
    void onePagePerCommandWithEveryOptionAndTheWrittenSections(@TempDir Path dir) throws Exception {
        ReferenceDocs.main(new String[] {dir.toString()});
        CommandLine root = ReferenceDocs.tree();
        List<String> names = new ArrayList<>(Main.COMMANDS);
        names.add("kexec");
        for (String name : names) {
            String man = Files.readString(dir.resolve("man/jkexec-" + name + ".8"));
            assertTrue(man.startsWith(".TH JKEXEC\\-" + name.toUpperCase(java.util.Locale.ROOT) + " 8 "), name);
            for (String section :
                    List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO")) {
                assertTrue(man.contains(".SH " + section + "\n"), name + " lacks " + section);
            }
            for (OptionSpec o : root.getSubcommands().get(name).getCommandSpec().options().stream()
                    .filter(o -> !o.hidden())
                    .toList()) {
                assertTrue(man.contains(ReferenceDocs.escape(o.longestName())), name + " lacks " + o.longestName());
            }
            onlyKnownRequests(man);
        }
        assertTrue(
                Files.readString(dir.resolve("man/jkexec-status.8")).contains("the image asked about is loaded"),
                "a command's own exit statuses");
        assertTrue(
                Files.readString(dir.resolve("man/jkexec-load.8")).contains("\\-\\-reuse\\-cmdline"), "escaped roff");
    }

    @Test
    void overviewListsTheCommandsTheCaptureFormatAndTheFiles(@TempDir Path dir) throws Exception {
        ReferenceDocs.main(new String[] {dir.toString()});
        String man = Files.readString(dir.resolve("man/jkexec.8"));
        for (String c : Main.COMMANDS) {
            assertTrue(man.contains(".BR jkexec\\-" + c + " (8)"), c);
        }
        for (String s : List.of(
                ".SH EXIT STATUS",
                ".SH FILES",
                ".SS Machine captures",
                "/run/jkexec/kdump\\-load",
                "/var/cache/jkexec/jkexec.jsa",
                "sys/firmware/fdt",
                "jkexec/facts",
                ".SH EXAMPLES")) {
            assertTrue(man.contains(s), s);
        }
        onlyKnownRequests(man);
        assertEquals(Main.COMMANDS.size() + 2, ReferenceDocs.manPages().size(), "jkexec, each command, kexec");
    }

    private static void onlyKnownRequests(String man) {
        for (String line : man.split("\n")) {
            assertTrue(
                    !line.startsWith(".") && !line.startsWith("'")
                            || line.matches("\\.(TH|SH|SS|TP|B|I|BR|RI|RS) .*|\\.(PP|nf|fi|TP|br|RE|ad l|nh)"),
                    "unexpected request: " + line);
        }
    }

    @Test
    void completionsAreSourcedScriptsThatCompleteOptionValues(@TempDir Path dir) throws Exception {
        ReferenceDocs.main(new String[] {dir.toString()});
        String jkexec = Files.readString(dir.resolve("completions/jkexec"));
        String kexec = Files.readString(dir.resolve("completions/kexec"));
        for (String script : List.of(jkexec, kexec)) {
            assertFalse(script.startsWith("#!"), "bash-completion sources it: no #! line");
        }
        assertTrue(jkexec.contains("complete -F _complete_jkexec"), "registers jkexec");
        assertTrue(kexec.contains("complete -F _complete_kexec"), "registers kexec");
        assertTrue(kexec.contains("--load-panic") && kexec.contains("--reuse-cmdline"));
        Map<String, String> values = Map.of(
                "--format",
                "(\"svg\" \"png\" \"text\")",
                "--hole-search",
                "(\"linux-6.12\" \"mainline\")",
                "--placement",
                "(\"jkexec\" \"kernel\")");
        values.forEach((option, list) -> assertTrue(jkexec.contains(list + " # " + option + " values"), option));
        // kexec's own options are kexec-tools' (docs/kexec-options.md): no jkexec planning option to complete
        assertFalse(kexec.contains("--placement"), "the kexec personality has no --placement");
    }
}
