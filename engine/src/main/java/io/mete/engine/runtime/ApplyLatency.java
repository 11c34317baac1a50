package io.mete.engine.runtime;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * How long each request waited from its offer to the end of the engine batch that applied it
 * (microseconds): the input ring, the command journal's write and the business logic, without the
 * output stage and whatever hands the answer on. Read beside the gateway's whole server latency,
 * it tells which half of the server a percentile comes from.
 * <p>
 * The business-logic thread records a batch at a time: one clock read at the batch's end, and one
 * {@link WriterReaderPhaser} critical section around the batch's values (two atomic increments per
 * batch instead of per request, as HdrHistogram's own recorders would have it). A reader takes what
 * was recorded since its last call by flipping the histogram the writer records into.
 */
public final class ApplyLatency
{
    /** Values are recorded up to a minute; longer waits count as a minute. */
    public static final long MAX_US = 60_000_000L;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Histogram active = new Histogram(1, MAX_US, 3);
    private Histogram inactive = new Histogram(1, MAX_US, 3);
    private final long[] offeredNs;
    private int pending;

    ApplyLatency(final int ringSize)
    {
        offeredNs = new long[ringSize];
    }

    /** A request of the current batch, offered at {@code offeredNs} (System.nanoTime; 0: not timed). */
    void applied(final long offeredNs)
    {
        if (offeredNs != 0 && pending < this.offeredNs.length)
        {
            this.offeredNs[pending++] = offeredNs;
        }
    }

    /** The batch ended: records every request it applied. */
    void batchEnd()
    {
        if (pending == 0)
        {
            return;
        }
        final long now = System.nanoTime();
        final long phase = phaser.writerCriticalSectionEnter();
        try
        {
            final Histogram histogram = active;
            for (int i = 0; i < pending; i++)
            {
                histogram.recordValue(Math.min(MAX_US, Math.max(0, now - offeredNs[i]) / 1000));
            }
        }
        finally
        {
            phaser.writerCriticalSectionExit(phase);
        }
        pending = 0;
    }

    /**
     * Adds what was recorded since the previous call to {@code into}. One reader at a time; any
     * thread.
     */
    public void drainInto(final Histogram into)
    {
        phaser.readerLock();
        try
        {
            inactive.reset();
            final Histogram recorded = active;
            active = inactive;
            inactive = recorded;
            phaser.flipPhase();
            into.add(recorded);
        }
        finally
        {
            phaser.readerUnlock();
        }
    }
}
