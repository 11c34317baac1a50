package io.mete.engine.runtime;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** One pre-allocated output ring entry: an event or query result and the command that caused it. */
final class OutputSlot
{
    final UnsafeBuffer bytes;
    long eventSequence;
    int clientId;
    long commandSequence;
    int length;

    OutputSlot(final int capacity)
    {
        bytes = new UnsafeBuffer(new byte[capacity]);
    }

    void copy(final DirectBuffer source, final int offset, final int length)
    {
        if (length > bytes.capacity())
        {
            bytes.wrap(new byte[Integer.highestOneBit(length - 1) << 1]);
        }
        bytes.putBytes(0, source, offset, length);
        this.length = length;
    }
}
