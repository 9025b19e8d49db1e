package org.jkexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/kexec-options.md has one row for each kexec-tools option the command reads, and no other. */
class KexecOptionsDocTest {
    @Test
    void theTableNamesEveryOptionOfTheModelAndNoOther() throws Exception {
        TreeSet<String> model = new TreeSet<>();
        for (OptionSpec o :
                new CommandLine(new KexecToolsCommand()).getCommandSpec().options()) {
            if (!o.hidden()) {
                model.add(String.join(", ", List.of(o.names())));
            }
        }
        TreeSet<String> table = new TreeSet<>();
        Pattern row = Pattern.compile("^\\| (`-[^|]*`) \\|[^|]*\\|[^|]*\\|[^|]*\\|$"); // the four-column table
        for (String l : Files.readAllLines(Path.of("docs/kexec-options.md"))) {
            Matcher m = row.matcher(l);
            if (m.find()) {
                table.add(m.group(1).replace("`", ""));
            }
        }
        table.remove("-?"); // getopt's, not a picocli option
        TreeSet<String> modelSorted = new TreeSet<>();
        for (String names : model) {
            modelSorted.add(sortedNames(names));
        }
        TreeSet<String> tableSorted = new TreeSet<>();
        for (String names : table) {
            tableSorted.add(sortedNames(names));
        }
        assertEquals(modelSorted, tableSorted);
        assertTrue(modelSorted.size() >= 33, "kexec-tools 2.0.29's ppc64 table: " + modelSorted.size());
    }

    private static String sortedNames(String names) {
        return String.join(", ", new TreeSet<>(List.of(names.split(", "))));
    }
}
