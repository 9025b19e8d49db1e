package org.jkexec.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The man page and the bash completion, generated at build time from the same picocli model
 * the commands parse with, so they cannot drift from the options: {@code jkexec.8.gz} (every
 * command's usage, the kexec-tools command line, exit statuses) and {@code jkexec} (a bash
 * completion script for jkexec and for kexec when jkexec is installed as it).
 */
public final class ReferenceDocs {
    static final String DATE = "2026-12-01";

    private ReferenceDocs() {
    }

    /** {@code ReferenceDocs DIR}: writes DIR/jkexec.8.gz and DIR/jkexec. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ReferenceDocs OUTPUT-DIRECTORY");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("jkexec.8.gz")))) {
            out.write(manPage().getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("jkexec"), completion());
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

    /** A bash completion script for jkexec and for the kexec name it answers to. */
    static String completion() {
        String jkexec = AutoComplete.bash("jkexec", tree());
        String kexec = AutoComplete.bash("kexec", new CommandLine(new KexecToolsCommand()));
        return jkexec + "\n# when jkexec is installed as kexec (see jkexec(8))\n" + kexec;
    }

    /** A man page (roff) whose sections are the commands' usage messages. */
    static String manPage() {
        CommandLine root = tree();
        StringBuilder m = new StringBuilder();
        m.append(".TH JKEXEC 8 \"").append(DATE).append("\" \"jkexec 0.1.0\" \"System Administration\"\n");
        m.append(".SH NAME\njkexec \\- plan, load and check kdump and kexec kernels on ppc64le\n");
        m.append(".SH SYNOPSIS\n.B jkexec\n.I command\n[options]\n.br\n.B kexec\n[kexec-tools options]\n");
        m.append(".SH DESCRIPTION\n");
        m.append(text("jkexec does in Java what Linux's ppc64 kexec_file_load does inside the kernel: it places the "
                + "segments of a kdump kernel in crashkernel (or of a regular kexec image anywhere in RAM), builds the "
                + "next kernel's device tree, the ELF core header and the purgatory, and loads them with kexec_load(2). "
                + "It plans offline from a machine capture too."));
        m.append(".SH COMMANDS\n");
        for (String name : Main.COMMANDS) {
            m.append(".SS ").append(name).append('\n');
            m.append(preformatted(root.getSubcommands().get(name).getUsageMessage(Ansi.OFF)));
        }
        m.append(".SH KEXEC-TOOLS COMMAND LINE\n");
        m.append(text("Run as kexec (a link to the launcher named kexec) or as 'jkexec kexec', jkexec reads "
                + "kexec-tools' options, so Debian's kdump-config and RHEL's kdumpctl can use it as their kexec."));
        m.append(preformatted(root.getSubcommands().get("kexec").getUsageMessage(Ansi.OFF)));
        m.append(".SH EXIT STATUS\n");
        m.append(text("0 success; 1 a load, unload or reboot that cannot be made; 2 a bad command line or input "
                + "file; 3 out of memory; 70 an internal error. status exits 0 when the image asked about is loaded; "
                + "kexec -S exits 1 when it is (as kexec-tools)."));
        m.append(".SH FILES\n");
        m.append(".TP\n/usr/share/jkexec/jkexec.jar\nthe program\n");
        m.append(".TP\n/var/lib/jkexec/jkexec.jsa\nclass-data archive made at install time; the launcher maps it\n");
        m.append(".TP\n/sys/kernel/kexec_crash_loaded, /sys/kernel/kexec_loaded\nwhich images are loaded\n");
        m.append(".SH SEE ALSO\nkexec(8), kdump-config(8), makedumpfile(8)\n");
        return m.toString();
    }

    private static String text(String s) {
        return escape(s) + "\n";
    }

    private static String preformatted(String usage) {
        StringBuilder b = new StringBuilder(".PP\n.nf\n");
        for (String line : usage.split("\n", -1)) {
            String e = escape(line);
            // a line starting with a dot or quote would be read as a request
            b.append(e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e).append('\n');
        }
        return b.append(".fi\n").toString();
    }

    static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }
}
