package org.jkexec.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jkexec.JkexecException;

/**
 * The key=value files of a capture ({@code jkexec/facts}, {@code kdump/request}): one key per
 * line, {@code #} comments and blank lines skipped. A key the file does not define, a key given
 * twice or a line that is not key=value is refused with the line named: a misspelt
 * {@code inird=} would otherwise drop the initrd silently, and of two values one would win
 * unseen.
 */
final class KeyValueFile {
    private KeyValueFile() {}

    /** The values of {@code text} by key; {@code source} names the file, {@code keys} are the ones it may hold. */
    static Map<String, String> parse(String text, Object source, Set<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw JkexecException.badInput(
                        source, "line " + (i + 1) + " is not key=value: " + MachineCapture.abbreviate(l));
            }
            String key = l.substring(0, eq).strip();
            if (!keys.contains(key)) {
                throw JkexecException.badInput(
                        source,
                        "line " + (i + 1) + ": unknown key '" + MachineCapture.abbreviate(key) + "' (known: "
                                + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
            Integer first = lineOf.putIfAbsent(key, i + 1);
            if (first != null) {
                throw JkexecException.badInput(source, key + " is given twice, on lines " + first + " and " + (i + 1));
            }
            out.put(key, l.substring(eq + 1).strip());
        }
        return out;
    }
}
