package io.mete.journal.cli;

import java.io.PrintStream;

/** A progress line on stderr, rewritten at most twice a second, only when a person is watching. */
final class Progress
{
    private final PrintStream err = System.err;
    private final boolean enabled = System.console() != null;
    private final String what;
    private final long total;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private boolean printed;

    Progress(final String what, final long total)
    {
        this.what = what;
        this.total = total;
    }

    void update(final long done)
    {
        if (!enabled || (done & 0xFFFF) != 0)
        {
            return;
        }
        final long now = System.nanoTime();
        if (now - lastPrint < 500_000_000L)
        {
            return;
        }
        lastPrint = now;
        printed = true;
        final double seconds = (now - start) / 1e9;
        if (total > 0)
        {
            err.printf("\r  %s %,d / %,d (%.0f%%), %,.0f/s   ", what, done, total, 100.0 * done / total, done / seconds);
        }
        else
        {
            err.printf("\r  %s %,d, %,.0f/s   ", what, done, done / seconds);
        }
        err.flush();
    }

    void done()
    {
        if (printed)
        {
            err.print("\r" + " ".repeat(70) + "\r");
            err.flush();
        }
    }
}
