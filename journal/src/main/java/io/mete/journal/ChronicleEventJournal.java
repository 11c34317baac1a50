package io.mete.journal;

import io.mete.engine.runtime.EventJournal;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;

/**
 * The event journal on Chronicle Queue: one document per event (first = event sequence, second =
 * command sequence), laid out as {@link JournalEntry}. Runs on the pipeline's output thread.
 */
public final class ChronicleEventJournal implements EventJournal
{
    private final ChronicleAppender appender;

    public ChronicleEventJournal(final SingleChronicleQueue queue, final Durability durability, final boolean ownsQueue)
    {
        this.appender = new ChronicleAppender(queue, durability, ownsQueue);
    }

    @Override
    public void append(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer,
        final int offset, final int length)
    {
        appender.append(eventSequence, commandSequence, clientId, buffer, offset, length);
    }

    @Override
    public void endOfBatch()
    {
        appender.endOfBatch();
    }

    @Override
    public void close()
    {
        appender.close();
    }
}
