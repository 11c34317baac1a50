package io.mete.journal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A daemon thread that runs a pass, sleeps for a period, and again, until stopped; it reports each
 * distinct problem of its passes once, not every period.
 */
final class PeriodicThread
{
    private static final long STOP_WAIT_MS = TimeUnit.SECONDS.toMillis(10);

    private final Thread thread;
    private final Runnable pass;
    private final long periodNs;
    private final Consumer<String> problems;
    private volatile boolean running;
    private volatile boolean stopping;
    private String lastProblem;

    PeriodicThread(final String name, final long periodNs, final Runnable pass, final Consumer<String> problems)
    {
        this.pass = pass;
        this.problems = problems;
        this.periodNs = periodNs;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start()
    {
        running = true;
        thread.start();
    }

    /** Passes the problem on unless it is the one reported last. */
    void report(final String problem)
    {
        if (!problem.equals(lastProblem))
        {
            lastProblem = problem;
            problems.accept(problem);
        }
    }

    /** True once {@link #stop} was called: a long pass can cut itself short. */
    boolean stopping()
    {
        return stopping;
    }

    private void run()
    {
        while (running)
        {
            pass.run();
            LockSupport.parkNanos(periodNs);
        }
    }

    /**
     * Stops the loop and waits up to 10 s for the pass under way to end.
     *
     * @return true when the thread is not running (anymore, or never started): what it used may be closed
     */
    boolean stop()
    {
        stopping = true;
        if (running)
        {
            running = false;
            LockSupport.unpark(thread);
            try
            {
                thread.join(STOP_WAIT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        return !thread.isAlive();
    }
}
