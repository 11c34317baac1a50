package io.mete.engine.snapshot;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.order.OrderBook;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class EngineSnapshotTest
{
    /** The restored engines start small, so every table has to grow to the snapshot. */
    private static final EngineConfig SMALL = EngineConfig.defaults().expectedNodes(1).expectedSkus(1).expectedOrders(1)
        .expectedLinesPerOrder(1);
    private static final int FURTHER_COMMANDS = 1_500;

    private long sequence;

    @Test
    void emptyEngine() throws IOException
    {
        final Recorder originalEvents = new Recorder();
        final AllocationEngine original = new AllocationEngine(EngineConfig.defaults(), originalEvents);
        final Recorder restoredEvents = new Recorder();
        final AllocationEngine restored = roundTrip(original, restoredEvents);
        assertEquals(-1, restored.lastSequence());

        final CommandMix mix = new CommandMix(11);
        for (int i = 0; i < CommandMix.setupCommands(); i++)
        {
            mix.setup(i);
            applyToBoth(original, restored, mix);
        }
        furtherCommands(original, originalEvents, restored, restoredEvents, mix);
    }

    @Test
    void referenceNetworkWithOrders() throws IOException
    {
        final Workload workload = Workload.reference(SourcingStrategy.COST);
        final Recorder originalEvents = new Recorder();
        final AllocationEngine original = new AllocationEngine(EngineConfig.defaults().expectedNodes(workload.nodes())
            .expectedSkus(workload.skus()).expectedOrders(1 << 15), EventSink.NONE);
        ReferenceNetwork.build(workload, (buffer, offset, length) -> original.apply(sequence++, CommandMix.EPOCH, buffer, offset, length));
        final OrderGenerator generator = new OrderGenerator(workload, 1 << 12, "REF-");
        for (int i = 0; i < 20_000; i++)
        {
            generator.next();
            original.apply(sequence++, CommandMix.EPOCH + i / 10, generator.buffer(), generator.offset(), generator.length());
        }
        assertEquals(20_000, original.book().orderCount());

        original.eventSink(originalEvents);
        final Recorder restoredEvents = new Recorder();
        final AllocationEngine restored = roundTrip(original, restoredEvents);
        assertEquals(original.positions().positions(), restored.positions().positions());

        final CommandMix mix = new CommandMix(22);
        for (int i = 0; i < 1_000; i++)
        {
            generator.next();
            applyToBoth(original, restored, generator.buffer(), generator.offset(), generator.length(), CommandMix.EPOCH + 2_000 + i, 0);
        }
        furtherCommands(original, originalEvents, restored, restoredEvents, mix);
    }

    @Test
    void holdsBackordersExclusionsCapsShipmentsReturnsAndClients() throws IOException
    {
        final Recorder originalEvents = new Recorder();
        final AllocationEngine original = new AllocationEngine(EngineConfig.defaults(), originalEvents);
        final CommandMix mix = new CommandMix(33);
        for (int i = 0; i < CommandMix.setupCommands(); i++)
        {
            mix.setup(i);
            original.apply(sequence++, mix.timestamp(), mix.clientId(), mix.buffer(), 0, mix.length());
        }
        for (int i = 0; i < 3_000; i++)
        {
            mix.next(original);
            original.apply(sequence++, mix.timestamp(), mix.clientId(), mix.buffer(), 0, mix.length());
        }
        assertRichState(original);

        final Recorder restoredEvents = new Recorder();
        final AllocationEngine restored = roundTrip(original, restoredEvents);
        originalEvents.clear();
        furtherCommands(original, originalEvents, restored, restoredEvents, mix);
    }

    @Test
    void snapshotOfRestoredEngineIsByteIdentical() throws IOException
    {
        final AllocationEngine original = new AllocationEngine(EngineConfig.defaults(), EventSink.NONE);
        final CommandMix mix = new CommandMix(44);
        for (int i = 0; i < CommandMix.setupCommands(); i++)
        {
            mix.setup(i);
            original.apply(sequence++, mix.timestamp(), mix.clientId(), mix.buffer(), 0, mix.length());
        }
        for (int i = 0; i < 800; i++)
        {
            mix.next(original);
            original.apply(sequence++, mix.timestamp(), mix.clientId(), mix.buffer(), 0, mix.length());
        }
        final byte[] first = bytes(original);
        final AllocationEngine restored = EngineSnapshot.read(input(first), SMALL, EventSink.NONE);
        assertArrayEquals(first, bytes(restored));
    }

    @Test
    void refusesOtherVersionsForeignAndShortStreams() throws IOException
    {
        final AllocationEngine original = new AllocationEngine(EngineConfig.defaults(), EventSink.NONE);
        final CommandMix mix = new CommandMix(55);
        for (int i = 0; i < CommandMix.setupCommands(); i++)
        {
            mix.setup(i);
            original.apply(sequence++, mix.timestamp(), mix.clientId(), mix.buffer(), 0, mix.length());
        }
        final byte[] good = bytes(original);

        final byte[] otherVersion = good.clone();
        otherVersion[3] = 9;
        final IOException version = assertThrows(IOException.class, () -> EngineSnapshot.read(input(otherVersion), SMALL, EventSink.NONE));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());

        final byte[] foreign = good.clone();
        foreign[5] ^= 0x40;
        final IOException section = assertThrows(IOException.class, () -> EngineSnapshot.read(input(foreign), SMALL, EventSink.NONE));
        assertTrue(section.getMessage().contains("order ids"), section.getMessage());

        final byte[] shortStream = Arrays.copyOf(good, good.length - 3);
        assertThrows(EOFException.class, () -> EngineSnapshot.read(input(shortStream), SMALL, EventSink.NONE));
    }

    @Test
    void restoresIntoFreshEnginesOnly()
    {
        final AllocationEngine used = new AllocationEngine(EngineConfig.defaults(), EventSink.NONE);
        final CommandMix mix = new CommandMix(66);
        mix.setup(0);
        used.apply(0, mix.timestamp(), mix.buffer(), 0, mix.length());
        assertThrows(IllegalStateException.class, () -> used.readCoreState(input(new byte[20])));
    }

    // ------------------------------------------------------------------ helpers

    private static void assertRichState(final AllocationEngine engine)
    {
        final OrderBook book = engine.book();
        int onHold = 0;
        int cancelled = 0;
        int exclusions = 0;
        int shipped = 0;
        int returned = 0;
        for (int order = 0; order < book.orderCount(); order++)
        {
            onHold += book.state(order) == OrderBook.STATE_ON_HOLD ? 1 : 0;
            cancelled += book.state(order) == OrderBook.STATE_CANCELLED ? 1 : 0;
            exclusions += book.hasExclusions(order) ? 1 : 0;
        }
        for (int line = 0; line < book.lineTotal(); line++)
        {
            shipped += book.lineShipped(line);
            returned += book.lineReturned(line);
        }
        int capped = 0;
        for (int sku = 0; sku < engine.skuCodes().size(); sku++)
        {
            capped += engine.channels().cap(engine.channelCodes().find("mkt"), sku) >= 0 ? 1 : 0;
        }
        final String summary = String.format("hold %d, cancelled %d, exclusions %d, shipped %d, returned %d, backordered lines %d, capped %d",
            onHold, cancelled, exclusions, shipped, returned, engine.backorders().waitingLines(), capped);
        assertTrue(onHold > 0 && cancelled > 0 && exclusions > 0 && shipped > 0 && returned > 0, summary);
        assertTrue(engine.backorders().waitingLines() > 1 && capped > 0, summary);
        assertTrue(engine.ledger().lastApplied(1) > 0 && engine.ledger().lastApplied(3) > 0, summary);
        assertTrue(engine.totals().commandsRejected > 0 && engine.totals().unitsCancelled > 0, summary);
    }

    private AllocationEngine roundTrip(final AllocationEngine original, final EventSink restoredSink) throws IOException
    {
        final byte[] snapshot = bytes(original);
        final AllocationEngine restored = EngineSnapshot.read(input(snapshot), SMALL, restoredSink);
        assertEquals(original.stateHash(), restored.stateHash(), "hash after restore");
        assertEquals(original.lastSequence(), restored.lastSequence());
        assertEquals(original.now(), restored.now());
        assertEquals(original.today(), restored.today());
        return restored;
    }

    /** Applies the same commands to both engines: equal event bytes after each, equal hashes every 100 and at the end. */
    private void furtherCommands(
        final AllocationEngine original, final Recorder originalEvents,
        final AllocationEngine restored, final Recorder restoredEvents,
        final CommandMix mix)
    {
        for (int i = 0; i < FURTHER_COMMANDS; i++)
        {
            mix.next(original);
            final int mark = originalEvents.size();
            applyToBoth(original, restored, mix);
            if (originalEvents.size() != restoredEvents.size() || !originalEvents.equalsFrom(restoredEvents, mark))
            {
                fail("events differ at further command " + i + " (template " + mix.buffer().getShort(2) + ")");
            }
            if (i % 100 == 99)
            {
                assertEquals(original.stateHash(), restored.stateHash(), "hash after further command " + i);
            }
        }
        assertTrue(originalEvents.events() > FURTHER_COMMANDS, "events recorded: " + originalEvents.events());
        assertArrayEquals(originalEvents.toByteArray(), restoredEvents.toByteArray());
        assertEquals(original.stateHash(), restored.stateHash());
        assertEquals(original.totals().commandsAccepted, restored.totals().commandsAccepted);
    }

    private void applyToBoth(final AllocationEngine original, final AllocationEngine restored, final CommandMix mix)
    {
        applyToBoth(original, restored, mix.buffer(), 0, mix.length(), mix.timestamp(), mix.clientId());
    }

    private void applyToBoth(
        final AllocationEngine original, final AllocationEngine restored,
        final DirectBuffer buffer, final int offset, final int length, final long timestamp, final int clientId)
    {
        final long seq = sequence++;
        original.apply(seq, timestamp, clientId, buffer, offset, length);
        restored.apply(seq, timestamp, clientId, buffer, offset, length);
    }

    static byte[] bytes(final AllocationEngine engine) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            EngineSnapshot.write(engine, out);
        }
        return bytes.toByteArray();
    }

    static DataInputStream input(final byte[] bytes)
    {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /** Keeps every event's bytes, back to back. */
    static final class Recorder extends ByteArrayOutputStream implements EventSink
    {
        private int events;

        @Override
        public void onEvent(final DirectBuffer buffer, final int offset, final int length)
        {
            events++;
            writeInt(length);
            for (int i = 0; i < length; i++)
            {
                write(buffer.getByte(offset + i));
            }
        }

        private void writeInt(final int value)
        {
            write(value >>> 24);
            write(value >>> 16);
            write(value >>> 8);
            write(value);
        }

        int events()
        {
            return events;
        }

        boolean equalsFrom(final Recorder other, final int from)
        {
            return Arrays.equals(buf, from, count, other.buf, from, other.count);
        }

        @Override
        public synchronized void reset()
        {
            super.reset();
            events = 0;
        }

        void clear()
        {
            reset();
        }
    }
}
