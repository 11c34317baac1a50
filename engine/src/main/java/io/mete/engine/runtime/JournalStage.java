package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import org.agrona.concurrent.EpochClock;

/**
 * Stage 1: gives each command its global sequence and timestamp, in ring order, and appends it to
 * the command journal; flushes at the end of each batch the ring hands over. Queries and control
 * slots pass through untouched: they take no sequence and are never journaled.
 */
final class JournalStage implements EventHandler<CommandSlot>
{
    private final CommandJournal journal;
    private final EpochClock clock;
    private final Runnable advanced;
    private Sequence position;
    private long sequence;
    private long timestamp;

    JournalStage(
        final CommandJournal journal, final EpochClock clock, final long lastSequence, final long lastTimestamp, final Runnable advanced)
    {
        this.journal = journal;
        this.clock = clock;
        this.advanced = advanced;
        this.sequence = lastSequence;
        this.timestamp = lastTimestamp;
    }

    @Override
    public void onEvent(final CommandSlot slot, final long position, final boolean endOfBatch)
    {
        append(slot);
        if (endOfBatch)
        {
            flush();
            // the batch is written: let the business-logic stage have it now and wake it if it sleeps
            this.position.set(position);
            advanced.run();
        }
    }

    /** Sequences, stamps and appends a command; queries and control slots pass untouched. */
    void append(final CommandSlot slot)
    {
        if (slot.kind == CommandSlot.COMMAND)
        {
            // never backwards, even when the wall clock is stepped back: the journal reads in time order
            timestamp = Math.max(timestamp, clock.time());
            slot.sequence = ++sequence;
            slot.timestamp = timestamp;
            journal.append(slot.sequence, timestamp, slot.clientId, slot.bytes, 0, slot.length);
        }
    }

    /** Ends the batch: what was appended is written (and forced, in sync mode). */
    void flush()
    {
        journal.endOfBatch();
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.position = sequenceCallback;
    }

    @Override
    public void onShutdown()
    {
        journal.close();
    }
}
