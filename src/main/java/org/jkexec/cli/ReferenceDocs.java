package org.jkexec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man pages and the bash completions, generated at build time from the same picocli model
 * the commands parse with, so their options cannot drift from the parser: {@code jkexec.8} (the
 * overview: commands, capture format, files, exit statuses), one {@code jkexec-COMMAND.8} per
 * command, {@code jkexec-kexec.8} (the kexec-tools command line), and the completions
 * {@code jkexec} and {@code kexec} under the names bash-completion looks them up by.
 *
 * <p>The pages are troff written here from the model rather than picocli-codegen's AsciiDoc:
 * AsciiDoc needs asciidoctor (Ruby) to become troff, and writing the few requests a man page
 * uses ({@code .TH .SH .TP .PP .RS .nf}) keeps the build to Java and lets the text fill to any
 * width, where usage messages pasted into no-fill blocks ran past 80 columns. The hand-written
 * parts (EXAMPLES, FILES, EXIT STATUS) live in {@link ManPageText}.
 */
public final class ReferenceDocs {
    static final String DATE = "2026-12-06";

    private ReferenceDocs() {}

    /** {@code ReferenceDocs DIR}: writes DIR/man/*.8 (not compressed) and DIR/completions/{jkexec,kexec}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ReferenceDocs OUTPUT-DIRECTORY");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path man = Files.createDirectories(dir.resolve("man"));
        for (Map.Entry<String, String> page : manPages().entrySet()) {
            Files.writeString(man.resolve(page.getKey() + ".8"), page.getValue());
        }
        Path completions = Files.createDirectories(dir.resolve("completions"));
        Files.writeString(completions.resolve("jkexec"), completion("jkexec", tree()));
        Files.writeString(completions.resolve("kexec"), completion("kexec", new CommandLine(new KexecToolsCommand())));
    }

    /** The whole command tree: every subcommand, as help lists them. */
    static CommandLine tree() {
        CommandLine cl = new CommandLine(new Main());
        for (String name : Main.COMMANDS) {
            cl.addSubcommand(name, Main.command(name));
        }
        cl.addSubcommand("kexec", new KexecToolsCommand());
        return cl;
    }

    /**
     * A bash completion script for {@code name}, sourced by bash-completion (so no {@code #!}
     * line: it is not run). Option values are completed where the model lists them.
     */
    static String completion(String name, CommandLine cl) {
        String script = AutoComplete.bash(name, cl);
        return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
    }

    /** Page name (without section) to troff source: the overview, one page per command, the kexec page. */
    static Map<String, String> manPages() {
        CommandLine root = tree();
        String source = root.getCommandSpec().version()[0];
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("jkexec", overview(root, source));
        for (String name : Main.COMMANDS) {
            pages.put(
                    "jkexec-" + name,
                    commandPage(
                            "jkexec " + name,
                            "jkexec-" + name,
                            root.getSubcommands().get(name).getCommandSpec(),
                            source,
                            ManPageText.forCommand(name)));
        }
        pages.put(
                "jkexec-kexec",
                commandPage(
                        "kexec",
                        "jkexec-kexec",
                        root.getSubcommands().get("kexec").getCommandSpec(),
                        source,
                        ManPageText.forCommand("kexec")));
        return pages;
    }

    private static String overview(CommandLine root, String source) {
        StringBuilder m = header("jkexec", source);
        m.append(".SH NAME\njkexec \\- plan, load and check kdump and kexec kernels on ppc64le\n");
        m.append(
                ".SH SYNOPSIS\n.B jkexec\n.I command\n.RI [ options ]\n.br\n.B kexec\n.RI [ kexec\\-tools\\ options ]\n");
        m.append(".SH DESCRIPTION\n");
        paragraphs(m, ManPageText.OVERVIEW);
        m.append(".SH COMMANDS\n");
        for (String name : Main.COMMANDS) {
            m.append(".TP\n.BR jkexec\\-").append(name).append(" (8)\n");
            m.append(text(String.join(
                    " ",
                    root.getSubcommands()
                            .get(name)
                            .getCommandSpec()
                            .usageMessage()
                            .description())));
        }
        m.append(".TP\n.BR jkexec\\-kexec (8)\n").append(text(ManPageText.KEXEC_SUMMARY));
        m.append(".SH EXIT STATUS\n");
        exitList(m, ManPageText.EXIT_STATUS);
        m.append(".SH FILES\n");
        definitions(m, ManPageText.FILES);
        m.append(".SS Machine captures\n");
        paragraphs(m, ManPageText.CAPTURE_FORMAT);
        definitions(m, ManPageText.CAPTURE_FILES);
        m.append(".SH EXAMPLES\n");
        examples(m, ManPageText.OVERVIEW_EXAMPLES);
        m.append(".SH SEE ALSO\n");
        StringBuilder see = new StringBuilder();
        for (String name : Main.COMMANDS) {
            see.append(".BR jkexec\\-").append(name).append(" (8),\n");
        }
        m.append(see)
                .append(".BR jkexec\\-kexec (8),\n.BR kexec (8),\n.BR kdump\\-config (8),\n.BR makedumpfile (8)\n");
        return m.toString();
    }

    private static String commandPage(
            String invocation, String page, CommandSpec spec, String source, ManPageText.Page text) {
        StringBuilder m = header(page, source);
        String[] description = spec.usageMessage().description();
        m.append(".SH NAME\n")
                .append(escape(page))
                .append(" \\- ")
                .append(escape(lowerFirst(trimDot(description[0]))))
                .append('\n');
        m.append(".SH SYNOPSIS\n");
        synopsis(m, invocation, spec);
        m.append(".SH DESCRIPTION\n");
        paragraphs(m, List.of(String.join(" ", description)));
        paragraphs(m, text.description());
        List<PositionalParamSpec> positionals =
                spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            m.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                String d = joined(p);
                m.append(".TP\n.I ")
                        .append(escape(p.paramLabel()))
                        .append('\n')
                        .append(text(d.isEmpty() ? ManPageText.parameterWithoutHelp(p.paramLabel()) : d));
            }
        }
        m.append(".SH OPTIONS\n");
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            m.append(".TP\n").append(optionNames(o)).append('\n');
            String d = joined(o);
            m.append(d.isEmpty() ? ManPageText.optionWithoutHelp(o.longestName()) : text(d));
        }
        m.append(".SH EXIT STATUS\n");
        Map<String, String> codes = spec.usageMessage().exitCodeList();
        if (codes.isEmpty()) {
            exitList(m, ManPageText.EXIT_STATUS);
        } else {
            Map<String, String> exits = new LinkedHashMap<>();
            codes.forEach((k, v) -> exits.put(k.strip(), v));
            ManPageText.EXIT_STATUS.forEach(exits::putIfAbsent);
            exitList(m, exits);
        }
        if (!text.files().isEmpty()) {
            m.append(".SH FILES\n");
            definitions(m, text.files());
        }
        m.append(".SH EXAMPLES\n");
        examples(m, text.examples());
        m.append(".SH SEE ALSO\n.BR jkexec (8)");
        for (String also : text.seeAlso()) {
            int paren = also.indexOf('(');
            m.append(",\n.BR ")
                    .append(escape(also.substring(0, paren)))
                    .append(' ')
                    .append(also.substring(paren));
        }
        return m.append('\n').toString();
    }

    private static StringBuilder header(String page, String source) {
        StringBuilder m = new StringBuilder();
        m.append(".TH ")
                .append(escape(page.toUpperCase(java.util.Locale.ROOT)))
                .append(" 8 \"")
                .append(DATE)
                .append("\" \"")
                .append(escape(source))
                .append("\" \"System Administration\"\n");
        // left-aligned, no hyphenation: option names and paths must not be split
        return m.append(".ad l\n.nh\n");
    }

    /** The synopsis: the command, then each option as [--name=VALUE], filled to the page width. */
    private static void synopsis(StringBuilder m, String invocation, CommandSpec spec) {
        m.append(".B ").append(escape(invocation)).append('\n');
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            String name = o.longestName();
            m.append("[\\fB").append(escape(name)).append("\\fR");
            if (o.arity().max() > 0) {
                m.append("=\\fI").append(escape(o.paramLabel())).append("\\fR");
            }
            m.append("]\n");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                boolean optional = p.arity().min() == 0;
                m.append(optional ? "[" : "")
                        .append("\\fI")
                        .append(escape(p.paramLabel()))
                        .append("\\fR")
                        .append(optional ? "]" : "")
                        .append('\n');
            }
        }
    }

    private static String optionNames(OptionSpec o) {
        StringBuilder b = new StringBuilder();
        // short names first, as --help lists them
        for (String n : java.util.Arrays.stream(o.names())
                .sorted(java.util.Comparator.comparingInt(String::length))
                .toList()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append("\\fB").append(escape(n)).append("\\fR");
        }
        if (o.arity().max() > 0) {
            b.append("=\\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        return b.toString();
    }

    private static String joined(ArgSpec a) {
        return String.join(" ", a.description()).strip();
    }

    private static void paragraphs(StringBuilder m, List<String> paragraphs) {
        for (String p : paragraphs) {
            m.append(".PP\n").append(text(p));
        }
    }

    private static void definitions(StringBuilder m, Map<String, String> terms) {
        terms.forEach((term, meaning) ->
                m.append(".TP\n.I ").append(escape(term)).append('\n').append(text(meaning)));
    }

    private static void exitList(StringBuilder m, Map<String, String> codes) {
        codes.forEach((code, meaning) ->
                m.append(".TP\n.B ").append(escape(code)).append('\n').append(text(meaning)));
    }

    /** Each example: what it does (filled text), then the command lines, indented and not filled. */
    private static void examples(StringBuilder m, Map<String, String> examples) {
        examples.forEach((what, commands) -> {
            m.append(".PP\n").append(text(what)).append(".PP\n.RS 4\n.nf\n");
            for (String line : commands.split("\n")) {
                m.append(request(escape(line))).append('\n');
            }
            m.append(".fi\n.RE\n");
        });
    }

    private static String text(String s) {
        return request(escape(s)) + "\n";
    }

    /** A line starting with a dot or quote would be read as a request. */
    private static String request(String line) {
        return line.startsWith(".") || line.startsWith("'") ? "\\&" + line : line;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() || Character.isUpperCase(s.charAt(1 < s.length() ? 1 : 0))
                ? s
                : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }
}
