package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The strategy runs here without its backstop timeout, so a wake-up it loses is a hang, and the
 * test's timeout reports it. Bursts with pauses between them make every stage go to sleep often.
 */
class ParkingWaitStrategyTest
{
    private static final int EVENTS = 200_000;

    static final class Slot
    {
        long value;
        long seenByFirst;
    }

    /** A first stage like the journal's: moves its sequence itself at the end of a batch, then signals. */
    static final class FirstStage implements EventHandler<Slot>
    {
        private final ParkingWaitStrategy strategy;
        private Sequence position;

        FirstStage(final ParkingWaitStrategy strategy)
        {
            this.strategy = strategy;
        }

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            slot.seenByFirst = slot.value;
            if (endOfBatch)
            {
                position.set(sequence);
                strategy.signalStageAdvanced();
            }
        }

        @Override
        public void setSequenceCallback(final Sequence sequenceCallback)
        {
            this.position = sequenceCallback;
        }
    }

    static final class LastStage implements EventHandler<Slot>
    {
        volatile long count;
        volatile long sum;
        long mismatches;
        boolean firstOnly;

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            if (!firstOnly && slot.seenByFirst != slot.value)
            {
                mismatches++;
            }
            sum = sum + slot.value;
            count = count + 1;
        }
    }

    @Test
    void everyBurstReachesBothStagesWithoutTimeouts()
    {
        final ParkingWaitStrategy strategy = new ParkingWaitStrategy(true, 0);
        final Disruptor<Slot> disruptor = new Disruptor<>(Slot::new, 1024, DaemonThreadFactory.INSTANCE, ProducerType.MULTI, strategy);
        final LastStage last = new LastStage();
        disruptor.handleEventsWith(new FirstStage(strategy)).then(last);
        final RingBuffer<Slot> ring = disruptor.start();

        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            publishInBursts(ring, null, 42);
            while (last.count < EVENTS)
            {
                LockSupport.parkNanos(100_000);
            }
        }, "a stage slept through a signal");
        disruptor.shutdown();

        assertEquals(EVENTS, last.count);
        assertEquals((long)EVENTS * (EVENTS + 1) / 2, last.sum);
        assertEquals(0, last.mismatches, "the last stage ran ahead of the first");
    }

    @Test
    void aProducerThatWakesPerBurstLosesNothing()
    {
        final ParkingWaitStrategy strategy = new ParkingWaitStrategy(false, 0);
        final Disruptor<Slot> disruptor = new Disruptor<>(Slot::new, 1024, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE, strategy);
        final LastStage last = new LastStage();
        last.firstOnly = true;
        disruptor.handleEventsWith(last);
        final RingBuffer<Slot> ring = disruptor.start();

        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            publishInBursts(ring, strategy, 7);
            while (last.count < EVENTS)
            {
                LockSupport.parkNanos(100_000);
            }
        }, "a consumer slept through a wake-up");
        disruptor.shutdown();

        assertEquals(EVENTS, last.count);
        assertEquals((long)EVENTS * (EVENTS + 1) / 2, last.sum);
    }

    @Test
    void haltWakesSleepingStages()
    {
        final ParkingWaitStrategy strategy = new ParkingWaitStrategy(false, 0);
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final ThreadFactory factory = task ->
        {
            final Thread thread = DaemonThreadFactory.INSTANCE.newThread(task);
            threads.add(thread);
            return thread;
        };
        final Disruptor<Slot> disruptor = new Disruptor<>(Slot::new, 64, factory, ProducerType.SINGLE, strategy);
        final LastStage last = new LastStage();
        disruptor.handleEventsWith(new FirstStage(strategy)).then(last);
        disruptor.start();
        // let both stages fall asleep (nothing is ever published), then stop them
        LockSupport.parkNanos(50_000_000L);
        assertEquals(2, threads.size());
        for (final Thread thread : threads)
        {
            assertEquals(Thread.State.WAITING, thread.getState(), "asleep before the halt");
        }

        disruptor.halt();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        {
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }, "a sleeping stage did not see the alert");
        assertEquals(0, last.count);
    }

    /**
     * Publishes 1..EVENTS in bursts of random size, pausing between bursts so that consumers catch
     * up and park; with a strategy, wakes consumers after each burst instead of per publish.
     */
    private static void publishInBursts(final RingBuffer<Slot> ring, final ParkingWaitStrategy wakeAfterBurst, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        long value = 0;
        while (value < EVENTS)
        {
            final int burst = 1 + random.nextInt(64);
            for (int i = 0; i < burst && value < EVENTS; i++)
            {
                final long sequence = ring.next();
                ring.get(sequence).value = ++value;
                ring.publish(sequence);
            }
            if (wakeAfterBurst != null)
            {
                wakeAfterBurst.wakeConsumers();
            }
            if (random.nextInt(8) == 0)
            {
                LockSupport.parkNanos(random.nextInt(200_000));
            }
        }
    }
}
