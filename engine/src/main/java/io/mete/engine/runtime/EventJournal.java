package io.mete.engine.runtime;

import org.agrona.DirectBuffer;

/**
 * Keeps every event (never query results) with its event sequence, for subscribers that resume
 * from a sequence number. Called on the output thread, before the {@link OutputListener}s see the
 * event, so an event a subscriber saw is in the journal.
 */
public interface EventJournal extends AutoCloseable
{
    /** Adds an event; a journal may hold it back until {@link #flush} (events of one command are written together). */
    void append(long eventSequence, int clientId, long commandSequence, DirectBuffer buffer, int offset, int length);

    /** Writes every event appended so far; called before anyone is shown them. */
    default void flush()
    {
    }

    /** The output ring has no more events for now: write what was appended and make it as durable as configured. */
    void endOfBatch();

    /** Called on the output thread when the pipeline stops. */
    @Override
    void close();
}
