package org.jkexec;

/**
 * The one exception type that reaches the user. Its message is a single line that names the
 * input (a file, a device-tree path, a syscall) and the problem; the CLI prints it as is and
 * exits non-zero. Anything else escaping is a bug.
 */
public class JkexecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Process exit status the CLI uses for this failure. */
    private final int exitCode;

    public JkexecException(String message) {
        this(message, 1, null);
    }

    public JkexecException(String message, Throwable cause) {
        this(message, 1, cause);
    }

    public JkexecException(String message, int exitCode, Throwable cause) {
        super(oneLine(message), cause);
        this.exitCode = exitCode;
    }

    /** A bad input: {@code source} names the file (or capture entry), {@code problem} says what is wrong. */
    public static JkexecException badInput(Object source, String problem) {
        return new JkexecException(source + ": " + problem, 2, null);
    }

    public static JkexecException badInput(Object source, String problem, Throwable cause) {
        return new JkexecException(source + ": " + problem, 2, cause);
    }

    /** A command line that cannot be acted on (a bad option value, a missing argument): exit 2. */
    public static JkexecException usage(String problem) {
        return new JkexecException(problem, 2, null);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Longest message kept: a hostile file quoted in a message must not become megabytes of output. */
    static final int MAX_MESSAGE = 1000;
    /**
     * What a cut message keeps of its end. Messages name the input first and the problem last,
     * so a cut keeps both: a long path or a long quoted value loses its middle, never the reason.
     */
    static final int KEPT_TAIL = 400;

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= MAX_MESSAGE
                ? line
                : line.substring(0, MAX_MESSAGE - KEPT_TAIL) + "... (" + line.length() + " characters in all) ..."
                        + line.substring(line.length() - KEPT_TAIL);
    }
}
