package io.mete.engine.runtime;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * How long each request waited from its offer until the engine had applied it and handed its
 * answer to the output ring (microseconds): the input ring, the command journal's write and the
 * business logic, without the output stage and whatever hands the answer on. Read beside the
 * gateway's whole server latency, it tells which half of the server a percentile comes from.
 * <p>
 * The business-logic thread reads the clock once per {@value #CHECKPOINT} requests and at the end
 * of each batch, and records the requests applied since with that time, inside one
 * {@link WriterReaderPhaser} critical section (two atomic increments per checkpoint instead of per
 * request, as HdrHistogram's own recorders would have it). A request's figure is therefore late by
 * at most the time its checkpoint's other requests took to apply, a few tens of microseconds; a
 * clock read at each batch's end alone overstated the early requests of long batches by the whole
 * batch (milliseconds in a closed loop). A reader takes what was recorded since its last call by
 * flipping the histogram the writer records into.
 * <p>
 * This is measurement beside the business logic, not part of it: the clock it reads reaches no
 * state, no event and no journal entry (the engine takes its time from each command's journaled
 * timestamp), so replay is unchanged.
 */
public final class ApplyLatency
{
    /** Values are recorded up to a minute; longer waits count as a minute. */
    public static final long MAX_US = 60_000_000L;
    /** Requests recorded per clock read, at most. */
    static final int CHECKPOINT = 16;

    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Histogram active = new Histogram(1, MAX_US, 3);
    private Histogram inactive = new Histogram(1, MAX_US, 3);
    private final long[] offeredNs;
    private int pending;

    ApplyLatency()
    {
        offeredNs = new long[CHECKPOINT];
    }

    /** A request, offered at {@code offeredNs} (System.nanoTime; 0: not timed), is applied and its answer handed on. */
    void applied(final long offeredNs)
    {
        if (offeredNs != 0)
        {
            this.offeredNs[pending++] = offeredNs;
            if (pending == CHECKPOINT)
            {
                record();
            }
        }
    }

    /** The batch ended: records the requests applied since the last checkpoint. */
    void batchEnd()
    {
        record();
    }

    private void record()
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
