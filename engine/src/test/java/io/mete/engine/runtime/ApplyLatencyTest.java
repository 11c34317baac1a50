package io.mete.engine.runtime;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

class ApplyLatencyTest
{
    @Test
    void aBatchIsRecordedAtItsEndFromEachRequestsOffer()
    {
        final ApplyLatency latency = new ApplyLatency(8);
        final long now = System.nanoTime();
        latency.applied(now - 5_000_000);
        latency.applied(0); // a snapshot request: not timed
        latency.applied(now - 1_000_000);
        final Histogram drained = new Histogram(1, ApplyLatency.MAX_US, 3);
        latency.drainInto(drained);
        assertEquals(0, drained.getTotalCount(), "nothing before the batch ends");

        latency.batchEnd();
        latency.drainInto(drained);
        assertEquals(2, drained.getTotalCount());
        assertTrue(drained.getMinValue() >= 1_000 && drained.getMaxValue() >= 5_000 && drained.getMaxValue() < 5_000_000,
            drained.getMinValue() + ".." + drained.getMaxValue() + " µs");
        latency.drainInto(drained);
        assertEquals(2, drained.getTotalCount(), "a drain takes only what came since the last");
    }

    @Test
    void aReaderDrainingWhileTheWriterRecordsLosesNothing() throws Exception
    {
        final ApplyLatency latency = new ApplyLatency(64);
        final Histogram drained = new Histogram(1, ApplyLatency.MAX_US, 3);
        final AtomicBoolean done = new AtomicBoolean();
        final Thread reader = new Thread(() ->
        {
            while (!done.get())
            {
                latency.drainInto(drained);
            }
        });
        reader.start();
        final int batches = 200_000;
        for (int b = 0; b < batches; b++)
        {
            final long now = System.nanoTime();
            for (int i = 0; i < 5; i++)
            {
                latency.applied(now - i * 1_000);
            }
            latency.batchEnd();
        }
        done.set(true);
        reader.join();
        latency.drainInto(drained);
        assertEquals(5L * batches, drained.getTotalCount());
    }
}
