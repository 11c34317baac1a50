package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;
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
    private long sequence;
    private long timestamp;

    JournalStage(final CommandJournal journal, final EpochClock clock, final long lastSequence, final long lastTimestamp)
    {
        this.journal = journal;
        this.clock = clock;
        this.sequence = lastSequence;
        this.timestamp = lastTimestamp;
    }

    @Override
    public void onEvent(final CommandSlot slot, final long position, final boolean endOfBatch)
    {
        if (slot.kind == CommandSlot.COMMAND)
        {
            // never backwards, even when the wall clock is stepped back: the journal reads in time order
            timestamp = Math.max(timestamp, clock.time());
            slot.sequence = ++sequence;
            slot.timestamp = timestamp;
            journal.append(slot.sequence, timestamp, slot.clientId, slot.bytes, 0, slot.length);
        }
        if (endOfBatch)
        {
            journal.endOfBatch();
        }
    }

    @Override
    public void onShutdown()
    {
        journal.close();
    }
}
