package io.mete.gateway;

import io.mete.engine.runtime.EventJournal;
import io.mete.engine.runtime.OutputListener;
import io.mete.gateway.server.EventSource;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event in memory: the pipeline appends, the gateway reads (tests only). */
final class MemoryEventJournal implements EventJournal, EventSource
{
    private record Stored(long eventSequence, int clientId, long commandSequence, byte[] bytes)
    {
    }

    private final List<Stored> events = new ArrayList<>();

    @Override
    public synchronized void append(
        final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        events.add(new Stored(eventSequence, clientId, commandSequence, bytes));
    }

    @Override
    public void endOfBatch()
    {
    }

    @Override
    public void close()
    {
    }

    @Override
    public synchronized long firstSequence()
    {
        return events.isEmpty() ? -1 : events.get(0).eventSequence();
    }

    synchronized int size()
    {
        return events.size();
    }

    @Override
    public Reader open(final long fromSequence)
    {
        return new Reader()
        {
            private int index = -1;

            @Override
            public int read(final OutputListener listener, final int limit)
            {
                final List<Stored> batch = new ArrayList<>();
                synchronized (MemoryEventJournal.this)
                {
                    if (index < 0)
                    {
                        index = 0;
                        while (index < events.size() && events.get(index).eventSequence() < fromSequence)
                        {
                            index++;
                        }
                    }
                    while (index < events.size() && batch.size() < limit)
                    {
                        batch.add(events.get(index++));
                    }
                }
                for (final Stored e : batch)
                {
                    listener.onOutput(e.eventSequence(), e.clientId(), e.commandSequence(), new UnsafeBuffer(e.bytes()), 0, e.bytes().length, false);
                }
                return batch.size();
            }

            @Override
            public void close()
            {
            }
        };
    }
}
