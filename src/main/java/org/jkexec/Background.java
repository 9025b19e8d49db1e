package org.jkexec;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work started on another thread that the caller takes later, as if it had done it then: its
 * result, or what it threw, thrown again unchanged. For the load at boot, where the JVM runs
 * interpreted on small or emulated machines with a second CPU otherwise idle (JNA's start while
 * the machine is read; the crashkernel estimate while the kernel loads).
 */
public final class Background {
    private Background() {}

    /** Starts {@code work} on a daemon thread named {@code name} (it never keeps the JVM alive). */
    public static <T> FutureTask<T> start(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return task;
    }

    /** The result of {@code task}, waiting for it; what it threw is thrown here unchanged. */
    public static <T> T take(FutureTask<T> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
