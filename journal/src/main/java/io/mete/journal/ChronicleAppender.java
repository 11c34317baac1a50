package io.mete.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends {@link JournalEntry} documents to one Chronicle Queue and applies the durability setting
 * at batch end; the command and event journals differ only in what their two leading numbers mean.
 * The appender is created on the first append, on the thread that appends.
 */
final class ChronicleAppender implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final boolean sync;
    private final boolean ownsQueue;
    private final JournalEntry entry = new JournalEntry();
    private final ReadAroundOff readAroundOff = new ReadAroundOff();
    private final AtomicLong writtenTo = new AtomicLong();
    private ExcerptAppender appender;
    private boolean dirty;

    ChronicleAppender(final SingleChronicleQueue queue, final Durability durability, final boolean ownsQueue)
    {
        this.queue = queue;
        this.sync = durability == Durability.SYNC;
        this.ownsQueue = ownsQueue;
    }

    void append(final long first, final long second, final int clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (appender == null)
        {
            appender = queue.createAppender();
        }
        try (DocumentContext context = appender.writingDocument())
        {
            final Bytes<?> bytes = context.wire().bytes();
            entry.write(bytes, first, second, clientId, buffer, offset, length);
            readAroundOff.onWrite(bytes.bytesStore());
            // an ordered store, no fence: JournalReadAhead only needs to see it soon
            writtenTo.lazySet(bytes.writePosition());
        }
        dirty = true;
    }

    /** Offset in the cycle file being written just past the last entry appended (0 before the first). */
    long writtenTo()
    {
        return writtenTo.get();
    }

    /** In {@link Durability#SYNC} mode, msyncs the mapped file up to the last entry written since the last call. */
    void endOfBatch()
    {
        if (sync && dirty)
        {
            appender.sync();
        }
        dirty = false;
    }

    /** Mapped journal chunks whose read-around was turned off, and those where that failed. */
    int readAroundOffChunks()
    {
        return readAroundOff.advisedChunks();
    }

    int readAroundOffFailures()
    {
        return readAroundOff.failures();
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
