package io.mete.journal;

import io.mete.engine.runtime.CommandJournal;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

/**
 * The command journal on Chronicle Queue: one document per command, laid out as {@link JournalEntry}.
 * Runs on the pipeline's journal thread; the appender is created there on first use.
 */
public final class ChronicleCommandJournal implements CommandJournal
{
    private final SingleChronicleQueue queue;
    private final boolean sync;
    private final boolean ownsQueue;
    private final JournalEntry entry = new JournalEntry();
    private ExcerptAppender appender;
    private boolean dirty;

    public ChronicleCommandJournal(final SingleChronicleQueue queue, final Durability durability, final boolean ownsQueue)
    {
        this.queue = queue;
        this.sync = durability == Durability.SYNC;
        this.ownsQueue = ownsQueue;
    }

    @Override
    public void append(final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (appender == null)
        {
            appender = queue.createAppender();
        }
        try (DocumentContext context = appender.writingDocument())
        {
            entry.write(context.wire().bytes(), sequence, timestamp, clientId, buffer, offset, length);
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
