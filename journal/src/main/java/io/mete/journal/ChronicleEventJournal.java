package io.mete.journal;

import io.mete.engine.runtime.EventJournal;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;

/**
 * The event journal on Chronicle Queue: the events of one command go into one document, a
 * {@link JournalEntry} group (first = event sequence of its first event, second = command
 * sequence). Runs on the pipeline's output thread.
 * <p>
 * {@link #append} collects; the group is written when an event of another command arrives, when it
 * reaches {@link #MAX_GROUP_BYTES}, and on {@link #flush}, {@link #endOfBatch} and {@link #close}.
 * A caller that shows events to anyone calls {@link #flush} first, so that nothing seen is missing
 * from the journal.
 */
public final class ChronicleEventJournal implements EventJournal
{
    /** A group is written once it holds this many bytes, so a command with many events makes several documents. */
    static final int MAX_GROUP_BYTES = 64 * 1024;

    private final ChronicleAppender appender;
    private final ExpandableArrayBuffer group = new ExpandableArrayBuffer(MAX_GROUP_BYTES + 1024);
    private int groupLength;
    private int groupCount;
    private long groupFirst;
    private long groupCommand;
    private int groupClient;

    public ChronicleEventJournal(final SingleChronicleQueue queue, final Durability durability, final boolean ownsQueue)
    {
        this.appender = new ChronicleAppender(queue, durability, ownsQueue);
    }

    @Override
    public void append(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (groupCount > 0 && (commandSequence != groupCommand || clientId != groupClient ||
            eventSequence != groupFirst + groupCount || groupLength + JournalEntry.GROUP_EVENT_HEADER + length > MAX_GROUP_BYTES))
        {
            flush();
        }
        if (groupCount == 0)
        {
            groupFirst = eventSequence;
            groupCommand = commandSequence;
            groupClient = clientId;
            groupLength = JournalEntry.GROUP_HEADER;
        }
        group.putInt(groupLength, length, ByteOrder.LITTLE_ENDIAN);
        group.putBytes(groupLength + JournalEntry.GROUP_EVENT_HEADER, buffer, offset, length);
        groupLength += JournalEntry.GROUP_EVENT_HEADER + length;
        groupCount++;
    }

    @Override
    public void flush()
    {
        if (groupCount == 0)
        {
            return;
        }
        group.putInt(0, JournalEntry.GROUP_MARKER, ByteOrder.LITTLE_ENDIAN);
        group.putInt(4, groupCount, ByteOrder.LITTLE_ENDIAN);
        appender.append(groupFirst, groupCommand, groupClient, group, 0, groupLength);
        groupCount = 0;
        groupLength = 0;
    }

    @Override
    public void endOfBatch()
    {
        flush();
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
        flush();
        appender.close();
    }
}
