package org.jkexec.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checklist: results in a fixed order plus the facts the checks were based on.
 * {@link #exitCode()} is 0 only when no check failed (WARN and SKIP do not fail).
 */
public record VerifyReport(List<CheckResult> results, List<String> inputs) {
    public VerifyReport {
        results = List.copyOf(results);
        inputs = List.copyOf(inputs);
    }

    public boolean allHold() {
        return results.stream().noneMatch(CheckResult::failed);
    }

    /** 0 when every check holds, 1 when one failed. */
    public int exitCode() {
        return allHold() ? 0 : 1;
    }

    public Optional<CheckResult> result(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public long count(CheckStatus s) {
        return results.stream().filter(r -> r.status() == s).count();
    }

    /**
     * One line per check ("✓ id  description"); details under FAIL, WARN and SKIP lines (under
     * every line when {@code verbose}); a summary line last.
     */
    public String text(boolean verbose) {
        StringBuilder sb = new StringBuilder();
        int w = results.stream().mapToInt(r -> r.id().length()).max().orElse(10);
        for (CheckResult r : results) {
            sb.append(r.status().symbol())
                    .append(' ')
                    .append(String.format("%-" + w + "s", r.id()))
                    .append("  ")
                    .append(r.description())
                    .append('\n');
            if (verbose || r.status() != CheckStatus.PASS) {
                for (String d : r.details()) {
                    sb.append("      ").append(d).append('\n');
                }
            }
        }
        if (verbose && !inputs.isEmpty()) {
            sb.append("based on:\n");
            for (String i : inputs) {
                sb.append("      ").append(i).append('\n');
            }
        }
        sb.append(String.format(
                "%s: %d passed, %d warning(s), %d failed, %d skipped%n",
                allHold() ? "kdump inputs hold" : "KDUMP INPUTS DO NOT HOLD",
                count(CheckStatus.PASS),
                count(CheckStatus.WARN),
                count(CheckStatus.FAIL),
                count(CheckStatus.SKIP)));
        return sb.toString();
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ok", allHold());
        Map<String, Object> summary = new LinkedHashMap<>();
        for (CheckStatus s : CheckStatus.values()) {
            summary.put(s.name().toLowerCase(), count(s));
        }
        root.put("summary", summary);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (CheckResult r : results) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", r.id());
            o.put("description", r.description());
            o.put("status", r.status().name());
            o.put("details", r.details());
            checks.add(o);
        }
        root.put("checks", checks);
        root.put("inputs", inputs);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
