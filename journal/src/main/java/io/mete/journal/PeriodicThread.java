package io.mete.journal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A daemon thread that runs a pass, sleeps for a period, and again, until stopped. */
final class PeriodicThread
{
    private static final long STOP_WAIT_MS = TimeUnit.SECONDS.toMillis(10);

    private final Thread thread;
    private final Runnable pass;
    private final long periodNs;
    private volatile boolean running;

    PeriodicThread(final String name, final long periodNs, final Runnable pass)
    {
        this.pass = pass;
        this.periodNs = periodNs;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start()
    {
        running = true;
        thread.start();
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
