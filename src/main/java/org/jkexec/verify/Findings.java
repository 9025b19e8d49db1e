package org.jkexec.verify;

import java.util.ArrayList;
import java.util.List;

/** Collects findings and the worst status. */
final class Findings {
    CheckStatus status = CheckStatus.PASS;
    final List<String> problems = new ArrayList<>();
    final List<String> info = new ArrayList<>();

    void fail(String s) {
        status = status.worst(CheckStatus.FAIL);
        problems.add(s);
    }

    void warn(String s) {
        status = status.worst(CheckStatus.WARN);
        problems.add("warning: " + s);
    }

    void info(String s) {
        info.add(s);
    }

    CheckResult done(CheckId id) {
        List<String> d = new ArrayList<>(problems);
        d.addAll(info);
        return new CheckResult(id.id(), id.description(), status, d);
    }
}
