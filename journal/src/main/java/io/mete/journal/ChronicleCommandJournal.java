package io.mete.journal;

import io.mete.engine.runtime.CommandJournal;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;

/**
 * The command journal on Chronicle Queue: one document per command (first = command sequence,
 * second = timestamp), laid out as {@link JournalEntry}. Runs on the pipeline's journal thread.
 */
public final class ChronicleCommandJournal implements CommandJournal
{
    private final ChronicleAppender appender;

    public ChronicleCommandJournal(final SingleChronicleQueue queue, final Durability durability, final boolean ownsQueue)
    {
        this.appender = new ChronicleAppender(queue, durability, ownsQueue);
    }

    @Override
    public void append(final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        appender.append(sequence, timestamp, clientId, buffer, offset, length);
    }

    @Override
    public void endOfBatch()
    {
        appender.endOfBatch();
    }

    /** Offset in the cycle file being written just past the last entry appended: where {@link JournalReadAhead} reads from. */
    public long writtenTo()
    {
        return appender.writtenTo();
    }

    @Override
    public void close()
    {
        appender.close();
    }
}
