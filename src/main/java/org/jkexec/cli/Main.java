package org.jkexec.cli;

import java.io.PrintWriter;

import org.jkexec.JkexecException;
import org.jkexec.verify.VerifyCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: subcommands; every failure becomes one line on stderr and a non-zero exit. */
@Command(name = "jkexec", mixinStandardHelpOptions = true, version = "jkexec 0.1.0",
        description = "Plans, loads and checks ppc64le kdump kernels.",
        subcommands = {PlanCommand.class, MapCli.class, VerifyCommand.class, LoadCommand.class, UnloadCommand.class, StatusCommand.class,
            CaptureCommand.class, SynthCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        // a mistyped command line is a bad input too: one line, not the whole usage text
        cl.setParameterExceptionHandler((ex, a) -> {
            String sub = ex.getCommandLine().getCommandName();
            err.println("jkexec: " + ex.getMessage().replace('\n', ' ') + " (see: jkexec "
                    + ("jkexec".equals(sub) ? "" : sub + " ") + "--help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            while (!(t instanceof JkexecException) && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof JkexecException je) {
                err.println("jkexec: " + je.getMessage());
                return je.exitCode();
            }
            if (t instanceof OutOfMemoryError) {
                err.println("jkexec: out of memory (" + t.getMessage() + ")");
                return 3;
            }
            err.println("jkexec: internal error: " + ex + " (please report it)");
            return 70;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
