package org.jkexec;

/**
 * Where a run's time goes, step by step, for measuring the load at boot where no profiler runs
 * (small or emulated guests): with JKEXEC_TRACE set in the environment each {@link #mark}
 * prints one line on standard error, the milliseconds since the first mark and since the
 * thread's previous one, and the thread. Unset, a mark is one test of a constant.
 */
public final class Trace {
    private static final boolean ON = System.getenv("JKEXEC_TRACE") != null;
    private static final long START = System.nanoTime();
    private static final ThreadLocal<long[]> LAST = ON ? new ThreadLocal<>() : null;

    private Trace() {}

    /** Whether marks print (JKEXEC_TRACE set). */
    public static boolean on() {
        return ON;
    }

    /** Marks the end of {@code step} on this thread. */
    public static void mark(String step) {
        if (!ON) {
            return;
        }
        long now = System.nanoTime();
        long[] last = LAST.get();
        if (last == null) {
            last = new long[] {START};
            LAST.set(last);
        }
        System.err.println("jkexec: trace: " + micros(now - START) + " ms, " + micros(now - last[0]) + " ms " + step
                + " [" + Thread.currentThread().getName() + "]");
        last[0] = now;
    }

    private static String micros(long nanos) {
        long us = nanos / 1000;
        return us / 1000 + "." + (char) ('0' + us % 1000 / 100);
    }
}
