package io.mete.journal;

import io.mete.engine.runtime.EventJournal;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

/**
 * The event journal on Chronicle Queue: one document per event (first = event sequence, second =
 * command sequence), laid out as {@link JournalEntry}. Runs on the pipeline's output thread.
 */
public final class ChronicleEventJournal implements EventJournal
{
    private final SingleChronicleQueue queue;
    private final boolean sync;
    private final boolean ownsQueue;
    private final JournalEntry entry = new JournalEntry();
    private ExcerptAppender appender;
    private boolean dirty;

    public ChronicleEventJournal(final SingleChronicleQueue queue, final Durability durability, final boolean ownsQueue)
    {
        this.queue = queue;
        this.sync = durability == Durability.SYNC;
        this.ownsQueue = ownsQueue;
    }

    @Override
    public void append(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (appender == null)
        {
            appender = queue.createAppender();
        }
        try (DocumentContext context = appender.writingDocument())
        {
            entry.write(context.wire().bytes(), eventSequence, commandSequence, clientId, buffer, offset, length);
        }
        dirty = true;
    }

    @Override
    public void endOfBatch()
    {
        if (sync && dirty)
        {
            appender.sync();
        }
        dirty = false;
    }

    @Override
    public void close()
    {
        if (appender != null)
        {
            endOfBatch();
            appender.close();
            appender = null;
        }
        if (ownsQueue)
        {
            queue.close();
        }
    }
}
