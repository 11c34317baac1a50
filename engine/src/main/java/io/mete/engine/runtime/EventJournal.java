package io.mete.engine.runtime;

import org.agrona.DirectBuffer;

/**
 * Keeps every event (never query results) with its event sequence, for subscribers that resume
 * from a sequence number. Called on the output thread, before the {@link OutputListener}s see the
 * event, so an event a subscriber saw is in the journal.
 */
public interface EventJournal extends AutoCloseable
{
    void append(long eventSequence, int clientId, long commandSequence, DirectBuffer buffer, int offset, int length);

    /** The output ring has no more events for now: make what was appended as durable as configured. */
    void endOfBatch();

    /** Called on the output thread when the pipeline stops. */
    @Override
    void close();
}
