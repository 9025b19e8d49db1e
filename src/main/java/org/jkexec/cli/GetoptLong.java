package org.jkexec.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command-line scan of glibc's getopt_long(3) in its default (permuting) mode, for the
 * kexec personality: kexec-tools' scripts rely on its exact behaviour, which picocli does not
 * have (a unique prefix that several names share with the same meaning, a required argument
 * taken from the next word even when it starts with '-', operands anywhere, "--"). Written from
 * the getopt_long man page and glibc's documented behaviour:
 * <ul>
 *   <li>Long options match exactly, else by unique prefix; a prefix of several names that all
 *       mean the same option (same id and argument kind) is not ambiguous.</li>
 *   <li>A required argument is "--name=value" or the next word; "--name=value" on an option
 *       without argument, or a required argument missing at the end, is an error.</li>
 *   <li>Short options bundle ("-pd"); a short option with an argument takes the rest of its
 *       word or the next word.</li>
 *   <li>"--" ends the options; "-" and every other word not starting with '-' is an operand,
 *       kept in order.</li>
 * </ul>
 * Errors are returned in place, as getopt returns '?', with glibc's message (without the
 * program name): the caller decides, as kexec-tools does, whether an option before the error
 * still acts.
 */
final class GetoptLong {
    /** Whether an option takes an argument: getopt's no_argument, required_argument. */
    enum Arg {
        NONE,
        REQUIRED
    }

    /**
     * One entry of the long-option table.
     *
     * @param exactOnly matched only when spelled in full (jkexec's own options, which must not
     *                  make a kexec-tools prefix ambiguous)
     */
    record LongOption(String name, Arg arg, Object id, boolean exactOnly) {}

    /** A short option letter, its argument kind and what it means. */
    record ShortOption(char letter, Arg arg, Object id) {}

    /** One step of the scan: an option (with its argument or null) or an error (id null). */
    record Event(Object id, String spelled, String value, String error) {
        boolean isError() {
            return error != null;
        }
    }

    /** The events in command-line order and the operands in order. */
    record Scan(List<Event> events, List<String> operands) {}

    private final List<LongOption> longs;
    private final List<ShortOption> shorts;

    GetoptLong(List<LongOption> longs, List<ShortOption> shorts) {
        this.longs = List.copyOf(longs);
        this.shorts = List.copyOf(shorts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GetoptLong g && g.longs.equals(longs) && g.shorts.equals(shorts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(longs, shorts);
    }

    Scan scan(List<String> args) {
        List<Event> events = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (a.startsWith("--")) {
                i = longOption(args, i, events);
            } else if (a.startsWith("-") && a.length() > 1) {
                i = shortOptions(args, i, events);
            } else {
                operands.add(a);
            }
        }
        return new Scan(List.copyOf(events), List.copyOf(operands));
    }

    /** Scans args[i] as a long option; returns the index of the last word it used. */
    private int longOption(List<String> args, int i, List<Event> events) {
        String body = args.get(i).substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        LongOption found = null;
        for (LongOption o : longs) {
            if (o.name().equals(name)) {
                found = o;
                break;
            }
        }
        if (found == null) {
            List<LongOption> matches = new ArrayList<>();
            for (LongOption o : longs) {
                if (!o.exactOnly() && o.name().startsWith(name)) {
                    matches.add(o);
                }
            }
            if (matches.isEmpty()) {
                events.add(error("unrecognized option '--" + body + "'"));
                return i;
            }
            LongOption first = matches.get(0);
            StringBuilder differing = new StringBuilder();
            for (LongOption o : matches) {
                if (!Objects.equals(o.id(), first.id()) || o.arg() != first.arg()) {
                    differing.append(" '--").append(o.name()).append('\'');
                }
            }
            if (differing.length() > 0) {
                events.add(error(
                        "option '--" + body + "' is ambiguous; possibilities: '--" + first.name() + "'" + differing));
                return i;
            }
            found = first;
        }
        if (found.arg() == Arg.NONE) {
            if (eq >= 0) {
                events.add(error("option '--" + found.name() + "' doesn't allow an argument"));
            } else {
                events.add(new Event(found.id(), "--" + found.name(), null, null));
            }
            return i;
        }
        if (eq >= 0) {
            events.add(new Event(found.id(), "--" + found.name(), body.substring(eq + 1), null));
            return i;
        }
        if (i + 1 >= args.size()) {
            events.add(error("option '--" + found.name() + "' requires an argument"));
            return i;
        }
        events.add(new Event(found.id(), "--" + found.name(), args.get(i + 1), null));
        return i + 1;
    }

    /** Scans a word of bundled short options; returns the index of the last word it used. */
    private int shortOptions(List<String> args, int i, List<Event> events) {
        String a = args.get(i);
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            ShortOption found = null;
            for (ShortOption s : shorts) {
                if (s.letter() == c) {
                    found = s;
                    break;
                }
            }
            if (found == null) {
                events.add(error("invalid option -- '" + c + "'"));
                continue;
            }
            if (found.arg() == Arg.NONE) {
                events.add(new Event(found.id(), "-" + c, null, null));
                continue;
            }
            if (k + 1 < a.length()) {
                events.add(new Event(found.id(), "-" + c, a.substring(k + 1), null));
                return i;
            }
            if (i + 1 >= args.size()) {
                events.add(error("option requires an argument -- '" + c + "'"));
                return i;
            }
            events.add(new Event(found.id(), "-" + c, args.get(i + 1), null));
            return i + 1;
        }
        return i;
    }

    private static Event error(String message) {
        return new Event(null, null, null, message);
    }
}
