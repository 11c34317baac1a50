package io.mete.benchmarks.support;

import io.mete.engine.core.EventSink;
import io.mete.schema.CommandRejectedDecoder;
import io.mete.schema.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * An event consumer that allocates nothing: it counts events per template id, sums their bytes and
 * folds the first eight bytes of every event body (the correlation id for command results) into a
 * checksum, so each event is read the way a real consumer would start reading it. The counts back
 * the benchmarks' correctness checks (for example, no command rejected).
 */
public final class CountingEventSink implements EventSink
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private final long[] byTemplate = new long[256];
    private long events;
    private long bytes;
    private long checksum;

    @Override
    public void onEvent(final DirectBuffer buffer, final int offset, final int length)
    {
        events++;
        bytes += length;
        byTemplate[buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFF]++;
        if (length >= HEADER + 8)
        {
            checksum = checksum * 31 + buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN);
        }
    }

    public long events()
    {
        return events;
    }

    public long bytes()
    {
        return bytes;
    }

    public long checksum()
    {
        return checksum;
    }

    public long count(final int templateId)
    {
        return byTemplate[templateId & 0xFF];
    }

    public long rejected()
    {
        return count(CommandRejectedDecoder.TEMPLATE_ID);
    }

    public void reset()
    {
        java.util.Arrays.fill(byTemplate, 0);
        events = 0;
        bytes = 0;
        checksum = 0;
    }
}
