package io.mete.engine.runtime;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Spins briefly, then parks until woken; a thread that is not parked costs its wakers nothing but
 * a fence and a flag read.
 * <p>
 * Two kinds of waiter share one ring. A first stage waits for the producer's cursor and is woken
 * by every publish ({@link #signalAllWhenBlocking}). A later stage waits for the stage ahead of it,
 * which calls {@link #signalStageAdvanced} once it has moved its sequence at the end of a batch:
 * so the business-logic thread sleeps until the journal has written what it may apply, instead of
 * polling the journal's sequence (Disruptor's own blocking strategy busy-spins there, which on a
 * 2-core machine takes the core the journal thread needs) and a publish does not wake it before
 * there is anything it may take.
 * <p>
 * Waking is lost by neither side: a waiter sets its flag, fences, then reads the sequence; a waker
 * moves the sequence, fences, then reads the flag. One of the two sees the other's write, and an
 * unpark that comes before the park makes the park return at once.
 */
final class ParkingWaitStrategy implements WaitStrategy
{
    private static final int SPINS = 256;
    /** A backstop only: every wake-up that matters is signalled. */
    private static final long MAX_PARK_NS = 50_000_000L;

    private static final class Waiter
    {
        final Thread thread;
        volatile boolean parked;
        /** Waits for the producer's cursor (a first stage), not for a stage ahead. */
        boolean onCursor;
        SequenceBarrier barrier;

        Waiter(final Thread thread)
        {
            this.thread = thread;
        }
    }

    private final boolean wakeOnPublish;
    private final long maxParkNs;
    private volatile Waiter[] waiters = new Waiter[0];

    /**
     * @param wakeOnPublish whether each publish wakes first stages; without it the producer wakes
     *                      them itself ({@link #wakeConsumers}) when it has published a batch, so a
     *                      consumer that outpaces its producer is not woken once per message
     */
    ParkingWaitStrategy(final boolean wakeOnPublish)
    {
        this(wakeOnPublish, MAX_PARK_NS);
    }

    /** @param maxParkNs longest sleep without a signal; 0: none (tests use it, so a lost wake-up hangs) */
    ParkingWaitStrategy(final boolean wakeOnPublish, final long maxParkNs)
    {
        this.wakeOnPublish = wakeOnPublish;
        this.maxParkNs = maxParkNs;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException
    {
        long available = dependentSequence.get();
        if (available >= sequence)
        {
            return available;
        }
        for (int i = 0; i < SPINS; i++)
        {
            Thread.onSpinWait();
            if ((available = dependentSequence.get()) >= sequence)
            {
                return available;
            }
        }
        final Waiter waiter = waiterFor(Thread.currentThread());
        // with no stage ahead, Disruptor's barrier hands the cursor itself over as the dependency
        waiter.onCursor = dependentSequence == cursor;
        waiter.barrier = barrier;
        while (true)
        {
            barrier.checkAlert();
            waiter.parked = true;
            VarHandle.fullFence();
            if ((available = dependentSequence.get()) >= sequence)
            {
                waiter.parked = false;
                return available;
            }
            barrier.checkAlert();
            if (maxParkNs > 0)
            {
                LockSupport.parkNanos(this, maxParkNs);
            }
            else
            {
                LockSupport.park(this);
            }
            waiter.parked = false;
            if ((available = dependentSequence.get()) >= sequence)
            {
                return available;
            }
        }
    }

    /** The producer published: wakes first stages (and any waiter whose barrier was alerted, to stop). */
    @Override
    public void signalAllWhenBlocking()
    {
        VarHandle.fullFence();
        for (final Waiter waiter : waiters)
        {
            if (waiter.parked && ((wakeOnPublish && waiter.onCursor) || waiter.barrier.isAlerted()))
            {
                wake(waiter);
            }
        }
    }

    /** The producer has published a batch: wakes first stages that sleep. */
    void wakeConsumers()
    {
        VarHandle.fullFence();
        for (final Waiter waiter : waiters)
        {
            if (waiter.parked && waiter.onCursor)
            {
                wake(waiter);
            }
        }
    }

    /** A stage moved its sequence: wakes the stages that wait for one ahead of them. */
    void signalStageAdvanced()
    {
        VarHandle.fullFence();
        for (final Waiter waiter : waiters)
        {
            if (waiter.parked && !waiter.onCursor)
            {
                wake(waiter);
            }
        }
    }

    private static void wake(final Waiter waiter)
    {
        waiter.parked = false;
        LockSupport.unpark(waiter.thread);
    }

    private Waiter waiterFor(final Thread thread)
    {
        for (final Waiter waiter : waiters)
        {
            if (waiter.thread == thread)
            {
                return waiter;
            }
        }
        return register(thread);
    }

    /** Once per thread: later waits find it in the array (a ring has a handful of stages). */
    private synchronized Waiter register(final Thread thread)
    {
        final Waiter[] current = waiters;
        final Waiter waiter = new Waiter(thread);
        final Waiter[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = waiter;
        waiters = grown;
        return waiter;
    }
}
