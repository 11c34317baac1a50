package io.mete.engine.runtime;

import org.agrona.DirectBuffer;

/**
 * The write-ahead log of commands, called on the journal thread only. The pipeline applies a
 * command to the state only after {@link #append} returned for it and {@link #endOfBatch} ran for
 * the batch it belongs to, so everything applied (and so everything acknowledged) is journaled.
 * Queries are never appended.
 */
public interface CommandJournal extends AutoCloseable
{
    /** Keeps nothing: for tests and benchmarks of the core without a disk. */
    CommandJournal NONE = new CommandJournal()
    {
        @Override
        public void append(final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer, final int offset,
            final int length)
        {
        }

        @Override
        public void endOfBatch()
        {
        }

        @Override
        public void close()
        {
        }
    };

    /**
     * Appends one command exactly as it entered the ring, with the sequence and timestamp the
     * host gave it. An exception stops the pipeline: nothing after this command is applied.
     */
    void append(long sequence, long timestamp, int clientId, DirectBuffer buffer, int offset, int length);

    /** The ring has no more commands for now: make what was appended as durable as configured. */
    void endOfBatch();

    /** Called on the journal thread when the pipeline stops. */
    @Override
    void close();
}
