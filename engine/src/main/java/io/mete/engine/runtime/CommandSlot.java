package io.mete.engine.runtime;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One pre-allocated input ring entry. The producer fills kind, client and bytes; the journal
 * stage gives commands their sequence and timestamp (in ring order, so sequences are dense and
 * increasing in the journal); the business-logic stage reads it all.
 */
final class CommandSlot
{
    static final byte COMMAND = 0;
    static final byte QUERY = 1;
    static final byte SNAPSHOT = 2;

    final UnsafeBuffer bytes;
    byte kind;
    int clientId;
    int length;
    long sequence;
    long timestamp;
    /** System.nanoTime when offered (0: not timed), for {@link ApplyLatency}. */
    long offeredNs;

    CommandSlot(final int capacity)
    {
        bytes = new UnsafeBuffer(new byte[capacity]);
    }

    void copy(final DirectBuffer source, final int offset, final int length)
    {
        if (length > bytes.capacity())
        {
            // a larger message than any before in this slot: grow once, keep it
            bytes.wrap(new byte[Integer.highestOneBit(length - 1) << 1]);
        }
        bytes.putBytes(0, source, offset, length);
        this.length = length;
    }
}
