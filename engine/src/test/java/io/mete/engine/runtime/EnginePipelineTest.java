package io.mete.engine.runtime;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.CommandAcceptedDecoder;
import io.mete.schema.SourcingStrategy;
import io.mete.schema.StateHashDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class EnginePipelineTest
{
    private static final long EPOCH = 1_795_000_000_000L;
    private static final Workload WORKLOAD = Workload.reference(SourcingStrategy.COST);

    /** The configuration every test starts from: a journal thread of its own (the subclass journals on the engine thread). */
    PipelineConfig config()
    {
        return PipelineConfig.defaults().journalOnEngineThread(false);
    }

    private static AllocationEngine newEngine()
    {
        return new AllocationEngine(EngineConfig.defaults().expectedNodes(WORKLOAD.nodes()).expectedSkus(WORKLOAD.skus())
            .expectedOrders(1 << 16), EventSink.NONE);
    }

    /** Records what went where, so a test can compare a pipeline run with applying the same commands directly. */
    private static final class RecordingJournal implements CommandJournal
    {
        final List<long[]> entries = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();
        int batches;
        volatile boolean closed;
        volatile EnginePipeline pipeline;
        long written = -1;
        long appendedLast = -1;
        int appliedBeforeWritten;

        /** Whether the pipeline has applied a command this journal has not yet written (ended the batch of). */
        private void checkWriteAhead()
        {
            final EnginePipeline pipeline = this.pipeline;
            if (pipeline != null && pipeline.lastAppliedSequence() > written)
            {
                appliedBeforeWritten++;
            }
        }

        @Override
        public void append(final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer, final int offset,
            final int length)
        {
            checkWriteAhead();
            appendedLast = sequence;
            entries.add(new long[] {sequence, timestamp, clientId});
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            bytes.add(copy);
        }

        @Override
        public void endOfBatch()
        {
            checkWriteAhead();
            written = appendedLast;
            batches++;
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }

    @Test
    void pipelineReachesTheSameStateAsApplyingTheJournalDirectly()
    {
        final RecordingJournal journal = new RecordingJournal();
        final AtomicLong events = new AtomicLong();
        final AtomicLong lastEventSequence = new AtomicLong();
        final AllocationEngine engine = newEngine();
        final EnginePipeline pipeline = EnginePipeline.builder(engine).commandJournal(journal)
            .config(config().inputRingSize(256).outputRingSize(1024).tickIdleMillis(0)
                .clock(new org.agrona.concurrent.EpochClock()
                {
                    long now = EPOCH;

                    @Override
                    public long time()
                    {
                        return now += 3;
                    }
                }))
            .build();
        journal.pipeline = pipeline;
        pipeline.addListener((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) ->
        {
            assertEquals(lastEventSequence.get() + 1, eventSequence, "event sequences are dense");
            lastEventSequence.set(eventSequence);
            events.incrementAndGet();
        });
        pipeline.start();
        final int setup = ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) -> pipeline.submit(0, buffer, offset, length));
        final OrderGenerator orders = new OrderGenerator(WORKLOAD, 1024, "P-");
        for (int i = 0; i < 20_000; i++)
        {
            orders.next();
            pipeline.submit(7, orders.buffer(), orders.offset(), orders.length());
        }
        pipeline.close();
        assertNull(pipeline.failure());
        assertTrue(journal.closed);
        assertEquals(setup + 20_000, journal.entries.size());
        assertEquals(setup + 20_000 - 1, pipeline.lastAppliedSequence());

        final AtomicLong replayEvents = new AtomicLong();
        final AllocationEngine replay = new AllocationEngine(EngineConfig.defaults().expectedNodes(WORKLOAD.nodes())
            .expectedSkus(WORKLOAD.skus()).expectedOrders(1 << 16), (b, o, l) -> replayEvents.incrementAndGet());
        for (int i = 0; i < journal.entries.size(); i++)
        {
            final long[] entry = journal.entries.get(i);
            assertEquals(i, entry[0], "sequences start at 0 and have no gaps");
            final byte[] command = journal.bytes.get(i);
            replay.apply(entry[0], entry[1], (int)entry[2], new UnsafeBuffer(command), 0, command.length);
        }
        assertEquals(engine.stateHash(), replay.stateHash());
        assertEquals(events.get(), replayEvents.get());
        assertTrue(journal.batches > 0);
        assertEquals(0, journal.appliedBeforeWritten, "a command was applied before the batch holding it was written");
    }

    @Test
    void gaugesGiveAnotherThreadConsistentTotalsAtEveryBatchEnd() throws Exception
    {
        final AllocationEngine engine = newEngine();
        final EnginePipeline pipeline = EnginePipeline.builder(engine)
            .config(config().inputRingSize(256).outputRingSize(1024).tickIdleMillis(0)).build();
        pipeline.start();
        ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) -> pipeline.submit(0, buffer, offset, length));
        final long[] seen = new long[EngineGauges.FIELDS];
        pipeline.gauges().read(seen);
        assertEquals(0, seen[EngineGauges.ORDERS]);

        // every order has three lines: a copy taken halfway through a batch would show an order
        // without its lines or lines without their order
        final AtomicLong reads = new AtomicLong();
        final AtomicLong torn = new AtomicLong();
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final Thread reader = new Thread(() ->
        {
            final long[] copy = new long[EngineGauges.FIELDS];
            long last = 0;
            while (!done.get())
            {
                pipeline.gauges().read(copy);
                reads.incrementAndGet();
                if (copy[EngineGauges.LINES] != 3 * copy[EngineGauges.ORDERS] ||
                    copy[EngineGauges.UNITS_ORDERED] != copy[EngineGauges.LINES] || copy[EngineGauges.ORDERS] < last)
                {
                    torn.incrementAndGet();
                }
                last = copy[EngineGauges.ORDERS];
            }
        });
        reader.start();
        final OrderGenerator orders = new OrderGenerator(WORKLOAD, 1024, "G-");
        for (int i = 0; i < 50_000; i++)
        {
            orders.next();
            pipeline.submit(7, orders.buffer(), orders.offset(), orders.length());
        }
        pipeline.close();
        done.set(true);
        reader.join();
        assertEquals(0, torn.get(), "reads that saw a batch half copied (of " + reads.get() + ")");
        assertTrue(reads.get() > 1, "the reader ran while orders were applied");

        pipeline.gauges().read(seen);
        assertEquals(50_000, seen[EngineGauges.ORDERS]);
        assertEquals(engine.totals().orders, seen[EngineGauges.ORDERS]);
        assertEquals(engine.totals().shipments, seen[EngineGauges.SHIPMENTS]);
        assertEquals(engine.totals().totalCost, seen[EngineGauges.TOTAL_COST]);
        assertEquals(engine.totals().commandsAccepted, seen[EngineGauges.COMMANDS_ACCEPTED]);
        assertEquals(pipeline.lastAppliedSequence(), seen[EngineGauges.APPLIED_SEQUENCE]);
        assertEquals(50_000, seen[EngineGauges.ORDERS_IN_MEMORY]);
        assertEquals(0, pipeline.inputRingUsed());
    }

    @Test
    void queriesAreAnsweredInOrderWithoutTakingASequenceOrAJournalEntry()
    {
        final RecordingJournal journal = new RecordingJournal();
        final List<long[]> outputs = new CopyOnWriteArrayList<>();
        final List<Long> hashes = new CopyOnWriteArrayList<>();
        final EnginePipeline pipeline = EnginePipeline.builder(newEngine()).commandJournal(journal)
            .config(config().tickIdleMillis(0)).build();
        pipeline.addListener((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) ->
        {
            final int template = buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN);
            outputs.add(new long[] {eventSequence, clientId, commandSequence, template});
            if (template == StateHashDecoder.TEMPLATE_ID)
            {
                final StateHashDecoder decoder = new StateHashDecoder();
                decoder.wrap(buffer, offset + 8, buffer.getShort(offset, java.nio.ByteOrder.LITTLE_ENDIAN), 1);
                hashes.add(decoder.hash());
            }
        });
        pipeline.start();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final CommandWriter writer = new CommandWriter();
        pipeline.submit(3, buffer, 0, writer.tick(buffer, 0, 1));
        pipeline.submit(3, buffer, 0, writer.queryStateHash(buffer, 0, 2));
        pipeline.submit(3, buffer, 0, writer.tick(buffer, 0, 3));
        pipeline.close();

        assertEquals(2, journal.entries.size(), "only the two ticks are journaled");
        assertEquals(1, journal.entries.get(1)[0], "the query took no sequence");
        assertEquals(3, outputs.size());
        assertArrayEquals(new long[] {1, 3, 0, CommandAcceptedDecoder.TEMPLATE_ID}, outputs.get(0));
        assertArrayEquals(new long[] {0, 3, 0, StateHashDecoder.TEMPLATE_ID}, outputs.get(1), "query result: no event sequence");
        assertArrayEquals(new long[] {2, 3, 1, CommandAcceptedDecoder.TEMPLATE_ID}, outputs.get(2));
        assertEquals(1, hashes.size());
    }

    /** Holds events back until flush(), like a journal that writes a command's events together. */
    private static final class GroupingEventJournal implements EventJournal
    {
        final List<Long> pending = new ArrayList<>();
        volatile long written;
        long flushes;

        @Override
        public void append(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer,
            final int offset, final int length)
        {
            pending.add(eventSequence);
        }

        @Override
        public void flush()
        {
            if (!pending.isEmpty())
            {
                written = pending.get(pending.size() - 1);
                pending.clear();
                flushes++;
            }
        }

        @Override
        public void endOfBatch()
        {
            assertTrue(pending.isEmpty(), "the output stage flushes before the end of a batch");
        }

        @Override
        public void close()
        {
            flush();
        }
    }

    @Test
    void listenersSeeAnEventOnlyOnceTheEventJournalHasWrittenIt()
    {
        final GroupingEventJournal events = new GroupingEventJournal();
        final List<long[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        final EnginePipeline pipeline = EnginePipeline.builder(newEngine()).eventJournal(events)
            .config(config().tickIdleMillis(0)).build();
        pipeline.addListener((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) ->
            seen.add(new long[] {eventSequence, events.written, commandSequence}));
        pipeline.start();
        ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) -> pipeline.submit(1, buffer, offset, length));
        final OrderGenerator orders = new OrderGenerator(WORKLOAD, 1 << 10, "G-");
        final UnsafeBuffer query = new UnsafeBuffer(new byte[256]);
        for (int i = 0; i < 2_000; i++)
        {
            orders.next();
            pipeline.submit(2, orders.buffer(), orders.offset(), orders.length());
            if (i % 100 == 0)
            {
                pipeline.submit(2, query, 0, new CommandWriter().queryStateHash(query, 0, i));
            }
        }
        pipeline.close();
        assertNull(pipeline.failure());

        long expected = 1;
        int queries = 0;
        for (final long[] output : seen)
        {
            if (output[0] == 0)
            {
                queries++;
                continue;
            }
            assertEquals(expected++, output[0], "events in sequence");
            assertTrue(output[1] >= output[0], "event " + output[0] + " shown before the journal wrote it (written up to " + output[1] + ")");
        }
        assertEquals(20, queries);
        assertEquals(expected - 1, events.written, "every event written");
        assertTrue(events.flushes < expected - 1, "events are written in groups (" + events.flushes + " writes for " + (expected - 1) + " events)");
    }

    @Test
    void closeRightAfterStartStillAppliesEveryCommandOffered()
    {
        // Disruptor's shutdown skips processors whose threads have not begun to run; a close that
        // came before they did used to halt them with the ring unread and drop what was offered
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final CommandWriter writer = new CommandWriter();
        for (int round = 0; round < 200; round++)
        {
            final EnginePipeline pipeline = EnginePipeline.builder(newEngine()).config(config().tickIdleMillis(0)).build();
            pipeline.start();
            for (int i = 0; i < 20; i++)
            {
                pipeline.submit(1, buffer, 0, writer.tick(buffer, 0, i + 1));
            }
            pipeline.close();
            assertEquals(19, pipeline.lastAppliedSequence(), "round " + round + ": every offered tick applied");
        }
    }

    @Test
    void idleInputGetsATick() throws Exception
    {
        final RecordingJournal journal = new RecordingJournal();
        final EnginePipeline pipeline = EnginePipeline.builder(newEngine()).commandJournal(journal)
            .config(config().tickIdleMillis(20)).build();
        pipeline.start();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (pipeline.lastAppliedSequence() < 1 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        pipeline.close();
        assertTrue(journal.entries.size() >= 2, "ticks offered while idle: " + journal.entries.size());
    }

    @Test
    void snapshotsAreWrittenEveryNCommandsOnRequestAndAtClose()
    {
        final List<Long> snapshots = new CopyOnWriteArrayList<>();
        final EnginePipeline pipeline = EnginePipeline.builder(newEngine())
            .snapshots(engine -> snapshots.add(engine.lastSequence()))
            .config(config().tickIdleMillis(0).snapshotEveryCommands(10)).build();
        pipeline.start();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final CommandWriter writer = new CommandWriter();
        for (int i = 0; i < 25; i++)
        {
            pipeline.submit(0, buffer, 0, writer.tick(buffer, 0, i));
        }
        pipeline.requestSnapshot();
        pipeline.requestSnapshot();
        pipeline.submit(0, buffer, 0, writer.tick(buffer, 0, 99));
        pipeline.close();
        assertEquals(List.of(9L, 19L, 24L, 25L), snapshots, "after every 10 commands, once on request (the second has nothing new), at close");
        assertEquals(4, pipeline.snapshotsWritten());
    }

    @Test
    void closedPipelineRefusesOffers()
    {
        final EnginePipeline pipeline = EnginePipeline.builder(newEngine()).config(config().tickIdleMillis(0)).build();
        pipeline.start();
        pipeline.close();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertEquals(EngineHost.CLOSED, pipeline.offer(0, buffer, 0, new CommandWriter().tick(buffer, 0, 1)));
    }

    @Test
    void aFailingJournalStopsThePipelineBeforeTheCommandIsApplied()
    {
        final EnginePipeline pipeline = EnginePipeline.builder(newEngine())
            .commandJournal(new CommandJournal()
            {
                @Override
                public void append(final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer,
                    final int offset, final int length)
                {
                    if (sequence == 2)
                    {
                        throw new IllegalStateException("disk full");
                    }
                }

                @Override
                public void endOfBatch()
                {
                }

                @Override
                public void close()
                {
                }
            })
            .config(config().tickIdleMillis(0)).build();
        final AtomicLong outputs = new AtomicLong();
        pipeline.addListener((e, c, s, b, o, l, eob) -> outputs.incrementAndGet());
        pipeline.start();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = new CommandWriter().tick(buffer, 0, 1);
        for (int i = 0; i < 5; i++)
        {
            pipeline.offer(0, buffer, 0, length);
        }
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (pipeline.failure() == null && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        pipeline.close();
        assertNotNull(pipeline.failure());
        assertSame(pipeline.failure(), pipeline.whenFailed().getNow(null), "whoever runs the pipeline hears of it");
        assertTrue(pipeline.lastAppliedSequence() <= 1, "nothing after the failed append is applied");
        assertEquals(EngineHost.CLOSED, pipeline.offer(0, buffer, 0, length));
    }
}
