package io.mete.journal;

import io.mete.engine.runtime.OutputListener;
import org.agrona.DirectBuffer;

/**
 * Folds events (sequence, command, client and every byte) into one 64-bit value, so two runs of
 * millions of events compare without keeping them. Query results (event sequence 0) are skipped.
 */
final class EventDigest implements OutputListener, Recovery.Listener
{
    long count;
    long lastEventSequence;
    private long hash = 0xCBF29CE484222325L;

    @Override
    public void onOutput(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer,
        final int offset, final int length, final boolean endOfBatch)
    {
        if (eventSequence > 0)
        {
            onEvent(eventSequence, clientId, commandSequence, buffer, offset, length);
        }
    }

    @Override
    public void onEvent(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer,
        final int offset, final int length)
    {
        count++;
        lastEventSequence = eventSequence;
        mix(eventSequence);
        mix(commandSequence);
        mix(clientId);
        mix(length);
        for (int i = 0; i < length; i++)
        {
            hash = (hash ^ buffer.getByte(offset + i)) * 0x100000001B3L;
        }
    }

    private void mix(final long value)
    {
        hash = (hash ^ value) * 0x100000001B3L;
        hash ^= hash >>> 29;
    }

    long value()
    {
        return hash;
    }
}
