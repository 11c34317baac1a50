package io.mete.engine.runtime;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Blocks on a lock until the producer publishes (like Disruptor's {@code BlockingWaitStrategy}),
 * then backs off while a stage ahead catches up. Disruptor's own blocking strategy busy-spins on
 * the stage ahead: the business-logic thread would spin while the journal thread writes, and on a
 * 2-core machine that spinning takes the core the journal thread needs. Here it spins briefly,
 * then yields, then parks a microsecond at a time.
 */
final class BlockingBackoffWaitStrategy implements WaitStrategy
{
    private static final int SPINS = 100;
    private static final int YIELDS = 100;

    private final Object mutex = new Object();

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        if (cursor.get() < sequence)
        {
            synchronized (mutex)
            {
                while (cursor.get() < sequence)
                {
                    barrier.checkAlert();
                    mutex.wait();
                }
            }
        }
        long available;
        int attempts = 0;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (attempts < SPINS)
            {
                Thread.onSpinWait();
            }
            else if (attempts < SPINS + YIELDS)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(1_000);
            }
            attempts++;
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        synchronized (mutex)
        {
            mutex.notifyAll();
        }
    }
}
