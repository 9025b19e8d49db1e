package org.jkexec.cli;

import java.io.PrintWriter;
import java.util.List;
import org.jkexec.JkexecException;
import org.jkexec.Trace;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: subcommands; every failure becomes one line on stderr and a non-zero exit. */
@Command(
        name = "jkexec",
        mixinStandardHelpOptions = true,
        version = "jkexec 0.1.0",
        description = "Plans, loads and checks ppc64le kdump kernels.")
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    static final List<String> COMMANDS =
            List.of("plan", "map", "verify", "load", "unload", "exec", "status", "capture", "synth");

    /**
     * A new subcommand object. Only the one asked for is built: picocli reflects over every
     * command it is given, which costs seconds in an emulated or small guest where
     * {@code jkexec load -p} runs at boot (a switch, not a map of lambdas, for the same reason).
     */
    static Object command(String name) {
        return switch (name) {
            case "plan" -> new PlanCommand();
            case "map" -> new MapCommand();
            case "verify" -> new VerifyCommand();
            case "load" -> new LoadCommand();
            case "unload" -> new UnloadCommand();
            case "exec" -> new ExecCommand();
            case "status" -> new StatusCommand();
            case "capture" -> new CaptureCommand();
            case "synth" -> new SynthCommand();
            default -> null;
        };
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        // the arguments as the bytes given, whatever the locale (see LocaleIndependentArgs)
        try {
            LocaleIndependentArgs.Outcome o = LocaleIndependentArgs.resolve(args);
            if (o.exitStatus() != null) {
                System.exit(o.exitStatus());
            }
            args = o.args();
        } catch (JkexecException e) {
            err.println("jkexec: " + TerminalSafeWriter.escape(e.getMessage()));
            System.exit(e.exitCode());
        }
        // the launcher passes the name it was run by: installed as kexec, jkexec speaks kexec-tools
        boolean asKexec = "kexec".equals(baseName(System.getProperty("jkexec.argv0", "")));
        System.exit(asKexec ? runAsKexec(args, out, err) : run(args, out, err));
    }

    static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /**
     * kexec-tools' command line ({@code kexec -p ...}), with {@link #run}'s guarantees; also
     * reached as {@code jkexec kexec ...}.
     */
    static int runAsKexec(String[] args, PrintWriter out, PrintWriter err) {
        return run(concat("kexec", args), out, err);
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** kexec-tools' command line, scanned as getopt_long does (not by picocli); failures as one line. */
    private static int runKexecTools(String[] args, PrintWriter out, PrintWriter err) {
        runStarted = System.nanoTime();
        Trace.mark("main (kexec)");
        try {
            return KexecToolsCommand.run(args, out, err);
        } catch (JkexecException e) {
            err.println("kexec: " + e.getMessage());
            return e.exitCode();
        }
    }

    /** When {@link #run} began (System.nanoTime()), so a command can report its parsing time. */
    static volatile long runStarted;

    /**
     * Runs the CLI with the given streams; returns the exit status. Whatever escapes a command
     * (an out-of-memory error, a bug) still ends as one line and a non-zero status.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        PrintWriter safeErr = new PrintWriter(new TerminalSafeWriter(err), true);
        try {
            PrintWriter safeOut = new PrintWriter(new TerminalSafeWriter(out), true);
            int status = runCommand(args, safeOut, safeErr);
            safeOut.flush();
            // a PrintWriter keeps its errors to itself: a report lost to a closed or full
            // standard output would otherwise end in status 0
            if (out.checkError()) {
                safeErr.println(
                        "jkexec: cannot write to standard output (closed, full or failing): the output is incomplete");
                return status == 0 ? OUTPUT_FAILED : status;
            }
            return status;
        } catch (OutOfMemoryError e) {
            return outOfMemory(safeErr, e);
        } catch (InternalError e) {
            // what the JVM throws when a mapped input (kernel, initrd) shrinks while it is read
            safeErr.println("jkexec: an input file changed while it was read (" + e.getMessage() + ")");
            return 2;
        } catch (StackOverflowError | RuntimeException e) {
            return internalError(safeErr, e);
        } finally {
            safeErr.flush();
        }
    }

    /** Status when standard output could not be written (sysexits' EX_IOERR). */
    static final int OUTPUT_FAILED = 74;

    /** Status 3: the input needed more memory than the JVM has (the message is printed after the heap is freed). */
    private static int outOfMemory(PrintWriter err, OutOfMemoryError e) {
        err.println("jkexec: out of memory (" + e.getMessage() + "): an input describes more than this JVM can hold");
        return 3;
    }

    private static int internalError(PrintWriter err, Throwable e) {
        err.println("jkexec: internal error: " + e + " (please report it)");
        return 70;
    }

    private static int runCommand(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && args[0].equals("kexec")) {
            return runKexecTools(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        runStarted = System.nanoTime();
        Trace.mark("main");
        if (args.length > 0 && args[0].equals("load")) {
            LoadCommand quick = LoadLine.parse(args);
            if (quick != null) {
                quick.out = out;
                quick.err = err;
                try {
                    return quick.call();
                } catch (Exception e) {
                    return failed(e, "jkexec", err);
                }
            }
        }
        CommandLine cl = new CommandLine(new Main());
        Object only = args.length > 0 ? command(args[0]) : null;
        if (only instanceof LoadCommand load) {
            load.out = out;
            load.err = err;
        }
        if (only != null) {
            cl.addSubcommand(args[0], only);
        } else {
            for (String name : COMMANDS) {
                cl.addSubcommand(name, command(name));
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        configure(cl, "jkexec", err);
        return cl.execute(args);
    }

    /** One-line errors and exit statuses: 2 for a bad command line or input, 1 for a load that cannot be made. */
    private static void configure(CommandLine cl, String program, PrintWriter err) {
        // a mistyped command line is a bad input too: one line, not the whole usage text
        cl.setParameterExceptionHandler((ex, a) -> {
            String sub = ex.getCommandLine().getCommandName();
            err.println(program + ": " + ex.getMessage().replace('\n', ' ') + " (see: " + program + " "
                    + (program.equals(sub) ? "" : sub + " ") + "--help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failed(ex, program, err));
    }

    /** What a command that threw {@code ex} prints and exits with. */
    private static int failed(Exception ex, String program, PrintWriter err) {
        Throwable t = ex;
        while (!(t instanceof JkexecException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof JkexecException je) {
            err.println(program + ": " + je.getMessage());
            return je.exitCode();
        }
        if (t instanceof OutOfMemoryError oom) {
            return outOfMemory(err, oom);
        }
        return internalError(err, ex);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
