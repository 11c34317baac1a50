package io.mete.engine.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How a pipeline thread waits for work. Spinning only pays on cores nobody else needs: with more
 * busy threads than cores (a 2-core machine runs gateway, journal, business logic and output
 * threads) a spinning thread steals the core the thread it waits for needs.
 */
public enum WaitMode
{
    /**
     * Spins a few microseconds, then sleeps until signalled: no CPU while idle, and a stage waiting
     * for the stage ahead of it sleeps until that stage has finished a batch
     * ({@link ParkingWaitStrategy}). The default.
     */
    BLOCKING,
    /** Spins, then yields, then parks briefly: little CPU while idle, lower latency than blocking. */
    SLEEPING,
    /** Spins then yields: a core per thread while idle. */
    YIELDING,
    /** Never lets go of the core: only with a dedicated core per pipeline thread. */
    BUSY_SPIN;

    WaitStrategy newStrategy()
    {
        return newStrategy(true);
    }

    /** {@code wakeOnPublish} false: the producer wakes sleeping consumers itself, per batch (blocking mode only). */
    WaitStrategy newStrategy(final boolean wakeOnPublish)
    {
        switch (this)
        {
            case SLEEPING: return new SleepingWaitStrategy();
            case YIELDING: return new YieldingWaitStrategy();
            case BUSY_SPIN: return new BusySpinWaitStrategy();
            default: return new ParkingWaitStrategy(wakeOnPublish);
        }
    }
}
