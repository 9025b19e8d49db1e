package org.jkexec.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jkexec.InputFiles;
import org.jkexec.JkexecException;

/**
 * The command line as the bytes it was given, whatever the locale. The JVM decodes its
 * arguments, and names every file, with the locale's character set ({@code sun.jnu.encoding},
 * fixed at start-up: {@code -Dsun.jnu.encoding} is ignored by JDK 17). Under {@code LANG=C}
 * (how services often run) that is ASCII: {@code --append root=LABEL=données} arrives as
 * {@code donn\uFFFD\uFFFDes} and would be written to the kdump FDT as other bytes, and no file
 * whose name holds a byte above 0x7f can be opened at all.
 *
 * <p>So on Linux the arguments are taken from {@code /proc/self/cmdline} (the bytes the kernel
 * holds) and read as UTF-8, jkexec's one encoding of text. When the locale is not UTF-8 and an
 * argument is not ASCII, jkexec runs itself again under {@code C.UTF-8}, the arguments handed
 * over as hexadecimal in the environment (a child's arguments would be encoded with the same
 * ASCII), so file names work too. An argument that is not UTF-8 at all is refused, named.
 */
final class LocaleIndependentArgs {
    /** Set in the environment of the run started under a UTF-8 locale: never a second time. */
    static final String RELAUNCHED = "JKEXEC_UTF8_RELAUNCH";
    /** The arguments of that run, each as hexadecimal, separated by commas. */
    static final String ARGS = "JKEXEC_UTF8_ARGS";

    static final String UTF8_LOCALE = "C.UTF-8";
    /** ARG_MAX on Linux is a quarter of the stack limit, 2 MiB by default; a command line is never more than this. */
    static final long MAX_CMDLINE = 16L << 20;

    /** What to do: run with these arguments, or exit with a status (the relaunched run's, or a refusal). */
    record Outcome(String[] args, Integer exitStatus) {}

    private LocaleIndependentArgs() {}

    static Charset jnu() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    static boolean utf8Locale() {
        return jnu().equals(StandardCharsets.UTF_8);
    }

    /** The arguments {@code main} should act on, on this process. */
    static Outcome resolve(String[] args) {
        Map<String, String> env = System.getenv();
        if (args.length == 0 && "1".equals(env.get(RELAUNCHED)) && env.containsKey(ARGS)) {
            return new Outcome(fromHex(env.get(ARGS)), null);
        }
        Optional<List<byte[]>> cmdline = procCmdline(Path.of("/proc/self/cmdline"));
        if (cmdline.isEmpty() || cmdline.get().size() < args.length + 1) {
            return new Outcome(args, null); // not Linux, or not what it seems: the JVM's arguments
        }
        List<byte[]> all = cmdline.get();
        List<byte[]> raw = all.subList(all.size() - args.length, all.size());
        Charset jnu = jnu();
        for (int i = 0; i < args.length; i++) {
            if (!new String(raw.get(i), jnu).equals(args[i])) {
                return new Outcome(args, null); // the tail is not our arguments (a wrapper rewrote them)
            }
        }
        if (allAscii(raw)) {
            return new Outcome(args, null);
        }
        String[] decoded = decode(raw);
        if (utf8Locale()) {
            return new Outcome(decoded, null);
        }
        List<byte[]> prefix = all.subList(0, all.size() - args.length);
        if ("1".equals(env.get(RELAUNCHED)) || !allAscii(prefix)) {
            throw JkexecException.usage(
                    "the locale's character set (" + jnu + ") cannot name the files and text of this "
                            + "command line, and jkexec could not run itself under " + UTF8_LOCALE
                            + ": run it under a UTF-8 locale "
                            + "(LC_ALL=" + UTF8_LOCALE + ")");
        }
        return new Outcome(null, relaunch(prefix, raw));
    }

    /** Each argument as UTF-8, strictly: one that is not UTF-8 is refused, named by its position. */
    static String[] decode(List<byte[]> raw) {
        String[] out = new String[raw.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = InputFiles.utf8(
                    raw.get(i),
                    "argument " + (i + 1) + " ('"
                            + TerminalSafeWriter.escape(new String(raw.get(i), StandardCharsets.ISO_8859_1)) + "')");
        }
        return out;
    }

    /** The NUL-separated entries of {@code p}, or empty when it cannot be read. */
    static Optional<List<byte[]>> procCmdline(Path p) {
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        byte[] b;
        try {
            b = InputFiles.read(p, MAX_CMDLINE, "command line");
        } catch (JkexecException e) {
            return Optional.empty();
        }
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        if (start < b.length) {
            out.add(Arrays.copyOfRange(b, start, b.length));
        }
        return Optional.of(out);
    }

    /** A loop, not a stream: this runs first in every jkexec start, where a stream's first use costs. */
    private static boolean allAscii(List<byte[]> words) {
        for (byte[] w : words) {
            if (!isAscii(w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    static String toHex(List<byte[]> raw) {
        List<String> parts = new ArrayList<>();
        for (byte[] b : raw) {
            parts.add(HexFormat.of().formatHex(b));
        }
        return String.join(",", parts);
    }

    static String[] fromHex(String hex) {
        List<byte[]> raw = new ArrayList<>();
        for (String part : hex.split(",", -1)) {
            raw.add(HexFormat.of().parseHex(part));
        }
        return decode(raw);
    }

    /** Runs this JVM's command line again under a UTF-8 locale, the arguments in the environment; its exit status. */
    private static int relaunch(List<byte[]> prefix, List<byte[]> raw) {
        List<String> command = new ArrayList<>();
        command.add(
                ProcessHandle.current().info().command().orElse(new String(prefix.get(0), StandardCharsets.US_ASCII)));
        for (byte[] b : prefix.subList(1, prefix.size())) {
            command.add(new String(b, StandardCharsets.US_ASCII));
        }
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("LC_ALL", UTF8_LOCALE);
        pb.environment().put(RELAUNCHED, "1");
        pb.environment().put(ARGS, toHex(raw));
        try {
            Process p = pb.start();
            while (true) {
                try {
                    return p.waitFor();
                } catch (InterruptedException e) {
                    // keep waiting: the child has the terminal
                }
            }
        } catch (IOException e) {
            throw new JkexecException(
                    "cannot run jkexec again under " + UTF8_LOCALE + ": " + InputFiles.cause(e), 2, null);
        }
    }
}
