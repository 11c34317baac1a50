package io.mete.gateway.server;

import io.mete.engine.runtime.OutputListener;

/**
 * The engine's output as stored, for subscribers that start behind the live stream. Read only by
 * the gateway thread.
 */
public interface EventSource
{
    /** Sequence of the oldest event still stored, or -1 when nothing is stored. */
    long firstSequence();

    /** A reader positioned at the first stored event whose sequence is at least {@code fromSequence}. */
    Reader open(long fromSequence);

    interface Reader extends AutoCloseable
    {
        /**
         * Hands up to {@code limit} events to the listener ({@code endOfBatch} is false) and returns
         * how many; 0 means nothing more is stored yet.
         */
        int read(OutputListener listener, int limit);

        @Override
        void close();
    }
}
