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
        final ApplyLatency latency = new ApplyLatency();
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
    void aLongBatchIsRecordedEverySixteenRequestsNotOnlyAtItsEnd() throws Exception
    {
        final ApplyLatency latency = new ApplyLatency();
        final Histogram drained = new Histogram(1, ApplyLatency.MAX_US, 3);
        for (int i = 0; i < ApplyLatency.CHECKPOINT; i++)
        {
            latency.applied(System.nanoTime());
        }
        // the batch goes on for a long while: the first sixteen were recorded when the sixteenth was applied
        Thread.sleep(50);
        latency.applied(System.nanoTime());
        latency.batchEnd();
        latency.drainInto(drained);
        assertEquals(ApplyLatency.CHECKPOINT + 1, drained.getTotalCount());
        assertTrue(drained.getValueAtPercentile(90) < 20_000, "the early requests are not charged the batch's 50 ms: " +
            drained.getValueAtPercentile(90) + " µs");
    }

    @Test
    void aReaderDrainingWhileTheWriterRecordsLosesNothing() throws Exception
    {
        final ApplyLatency latency = new ApplyLatency();
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
