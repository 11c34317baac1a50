package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EventSink;
import org.agrona.DirectBuffer;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Stage 2, the only thread that touches the state: applies each journaled command, answers
 * queries, and copies every output message into the output ring with its event sequence. Events
 * of commands are numbered 1, 2, 3... across restarts; query results carry event sequence 0
 * because they are not part of the event stream (replay does not reproduce them).
 */
final class BusinessLogicStage implements EventHandler<CommandSlot>, EventSink
{
    /** Commands published before a sleeping output thread is woken within one batch. */
    private static final int WAKE_OUTPUT_EVERY = 16;

    private final AllocationEngine engine;
    private final RingBuffer<OutputSlot> output;
    private final Runnable outputWaker;
    private final LongSupplier outputDone;
    private final SnapshotWriter snapshots;
    private final long snapshotEvery;
    private final Sequence lastApplied;
    private final EnginePipeline pipeline;
    private final int publishEvery;
    private final EngineGauges gauges;
    private final ApplyLatency applyLatency;
    private long eventSequence;
    // output slots claimed for the current command, published together when it is done
    private long firstClaimed = -1;
    private long lastClaimed;
    private long lastSnapshotSequence;
    private int publishedSinceWake;
    private long slotsSinceWake;
    private volatile long snapshotsWritten;

    // the command being applied, for the events it emits
    private int clientId;
    private long commandSequence;
    private boolean query;

    BusinessLogicStage(
        final EnginePipeline pipeline, final AllocationEngine engine, final RingBuffer<OutputSlot> output, final Runnable wakeOutput,
        final LongSupplier outputDone,
        final SnapshotWriter snapshots, final long snapshotEvery, final Sequence lastApplied, final long lastEventSequence,
        final EngineGauges gauges, final ApplyLatency applyLatency)
    {
        this.pipeline = pipeline;
        this.engine = engine;
        this.output = output;
        this.outputWaker = wakeOutput;
        this.outputDone = outputDone;
        this.snapshots = snapshots;
        this.snapshotEvery = snapshotEvery;
        this.lastApplied = lastApplied;
        this.eventSequence = lastEventSequence;
        this.lastSnapshotSequence = lastApplied.get();
        this.publishEvery = Math.max(1, output.getBufferSize() / 4);
        this.gauges = gauges;
        this.applyLatency = applyLatency;
        engine.eventSink(this);
        gauges.publish(engine, lastApplied.get());
    }

    @Override
    public void onEvent(final CommandSlot slot, final long position, final boolean endOfBatch)
    {
        switch (slot.kind)
        {
            case CommandSlot.COMMAND:
            {
                final long sequence = slot.sequence;
                clientId = slot.clientId;
                commandSequence = sequence;
                query = false;
                engine.apply(sequence, slot.timestamp, slot.clientId, slot.bytes, 0, slot.length);
                publishClaimed();
                lastApplied.set(sequence);
                applyLatency.applied(slot.offeredNs);
                if (snapshotEvery > 0 && (sequence + 1) % snapshotEvery == 0)
                {
                    writeSnapshot();
                }
                break;
            }
            case CommandSlot.QUERY:
                clientId = slot.clientId;
                commandSequence = lastApplied.get();
                query = true;
                engine.apply(commandSequence, 0, slot.clientId, slot.bytes, 0, slot.length);
                publishClaimed();
                applyLatency.applied(slot.offeredNs);
                break;
            case CommandSlot.SNAPSHOT:
                writeSnapshot();
                break;
            default:
                throw new IllegalStateException("unknown slot kind " + slot.kind);
        }
        if (endOfBatch)
        {
            wakeOutput();
            gauges.publish(engine, lastApplied.get());
            applyLatency.batchEnd();
        }
    }

    /**
     * The output thread works faster than this one, so woken per command it would catch up and go
     * back to sleep after each: one wake-up (a system call on each side) per command. It is woken
     * per batch instead, and every few commands within a long one.
     */
    private void wakeOutput()
    {
        publishedSinceWake = 0;
        slotsSinceWake = 0;
        outputWaker.run();
    }

    /** The engine's event sink: runs inside {@code engine.apply}, on this thread. */
    @Override
    public void onEvent(final DirectBuffer buffer, final int offset, final int length)
    {
        final RingBuffer<OutputSlot> output = this.output;
        final long position = output.next();
        final OutputSlot slot = output.get(position);
        slot.copy(buffer, offset, length);
        slot.eventSequence = query ? 0 : ++eventSequence;
        slot.clientId = clientId;
        slot.commandSequence = commandSequence;
        if (firstClaimed < 0)
        {
            firstClaimed = position;
        }
        lastClaimed = position;
        if (position - firstClaimed + 1 >= publishEvery)
        {
            // a command with more events than a quarter of the ring publishes as it goes, or the ring could not wrap
            publishClaimed();
        }
    }

    /** One publish (one wake-up of the output thread) per command instead of one per event. */
    private void publishClaimed()
    {
        if (firstClaimed >= 0)
        {
            output.publish(firstClaimed, lastClaimed);
            slotsSinceWake += lastClaimed - firstClaimed + 1;
            firstClaimed = -1;
            if (++publishedSinceWake >= WAKE_OUTPUT_EVERY || slotsSinceWake >= publishEvery)
            {
                // within a long batch too, and always before the ring could fill with a sleeping reader
                wakeOutput();
            }
        }
    }

    private void writeSnapshot()
    {
        if (snapshots == null || lastApplied.get() == lastSnapshotSequence)
        {
            return;
        }
        // the event journal must hold every event up to this state before the snapshot exists
        wakeOutput();
        final long published = output.getCursor();
        while (outputDone.getAsLong() < published)
        {
            LockSupport.parkNanos(20_000);
        }
        snapshots.write(engine);
        lastSnapshotSequence = lastApplied.get();
        snapshotsWritten = snapshotsWritten + 1;
    }

    long snapshotsWritten()
    {
        return snapshotsWritten;
    }

    @Override
    public void onShutdown()
    {
        if (pipeline.closingCleanly())
        {
            writeSnapshot();
        }
    }
}
