package io.mete.journal;

import io.mete.engine.runtime.OutputListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;

/**
 * Reads the event journal from a given event sequence, for a subscriber that resumes where it
 * left off (after a disconnect or a restart of either side). It follows the journal as it grows:
 * {@link #poll} returns 0 when it has caught up, and more on a later call once new events arrive.
 */
public final class EventJournalReader implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final JournalReader reader;
    private final boolean ownsQueue;
    private long nextSequence = 1;

    /** Opens {@code DIR/events} read-only. */
    public EventJournalReader(final Path dir)
    {
        this(new JournalDirectory(dir).openEventsReadOnly(), true);
    }

    public EventJournalReader(final SingleChronicleQueue events, final boolean ownsQueue)
    {
        this.queue = events;
        this.ownsQueue = ownsQueue;
        this.reader = new JournalReader(events, "event");
    }

    /**
     * Positions the reader so the next event delivered is {@code eventSequence}.
     *
     * @return false when the journal does not hold it (pruned, or not yet published); the position
     * is then unchanged
     */
    public boolean seek(final long eventSequence)
    {
        if (reader.seek(eventSequence))
        {
            nextSequence = eventSequence;
            return true;
        }
        return false;
    }

    /** The event sequence the next {@link #poll} delivers first. */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * Delivers up to {@code limit} events in order (endOfBatch is false: the return value ends the batch).
     *
     * @return how many were delivered, 0 when caught up
     */
    public int poll(final OutputListener listener, final int limit)
    {
        int delivered = 0;
        while (delivered < limit && reader.next((eventSequence, commandSequence, clientId, buffer, offset, length) ->
            listener.onOutput(eventSequence, clientId, commandSequence, buffer, offset, length, false)))
        {
            delivered++;
            nextSequence = reader.first() + 1;
        }
        return delivered;
    }

    @Override
    public void close()
    {
        reader.close();
        if (ownsQueue)
        {
            queue.close();
        }
    }
}
