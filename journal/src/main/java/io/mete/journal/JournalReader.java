package io.mete.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.NavigableSet;

/**
 * Reads journal entries in order and checks each one ({@link JournalEntry}): a short entry, a
 * length that does not match, or a checksum failure throws {@link JournalCorruptException} naming
 * the entry. Works for both journals; {@code first} is the command or event sequence, dense (one
 * more per entry), which {@link #seek} relies on.
 */
public final class JournalReader implements AutoCloseable
{
    /** Receives one checked entry; the buffer is reused after the call. */
    @FunctionalInterface
    public interface Handler
    {
        void onEntry(long first, long second, int clientId, DirectBuffer buffer, int offset, int length);
    }

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final RollCycle rollCycle;
    private final JournalEntry entry = new JournalEntry();
    private final String name;
    private UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private long index = -1;
    private long first;
    private long second;

    public JournalReader(final SingleChronicleQueue queue, final String name)
    {
        this.queue = queue;
        this.name = name;
        this.tailer = queue.createTailer();
        this.rollCycle = queue.rollCycle();
    }

    /**
     * Reads the next entry into the handler.
     *
     * @return false at the end of the journal
     * @throws JournalCorruptException when the entry is damaged
     */
    public boolean next(final Handler handler)
    {
        if (!readNext())
        {
            return false;
        }
        handler.onEntry(first, second, buffer.getInt(JournalEntry.CLIENT_ID, ByteOrder.LITTLE_ENDIAN), buffer, JournalEntry.HEADER,
            buffer.getInt(JournalEntry.LENGTH, ByteOrder.LITTLE_ENDIAN));
        return true;
    }

    private boolean readNext()
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return false;
            }
            index = context.index();
            final Bytes<?> bytes = context.wire().bytes();
            final long remaining = bytes.readRemaining();
            if (remaining > Integer.MAX_VALUE / 2)
            {
                throw corrupt("entry claims " + remaining + " bytes");
            }
            final int size = (int)remaining;
            if (buffer.capacity() < size)
            {
                buffer = new UnsafeBuffer(new byte[Math.max(size, buffer.capacity() * 2)]);
            }
            bytes.read(buffer.byteArray(), 0, size);
            final String problem = entry.check(buffer, size);
            if (problem != null)
            {
                throw corrupt(problem);
            }
            first = buffer.getLong(JournalEntry.FIRST, ByteOrder.LITTLE_ENDIAN);
            second = buffer.getLong(JournalEntry.SECOND, ByteOrder.LITTLE_ENDIAN);
            return true;
        }
    }

    private JournalCorruptException corrupt(final String problem)
    {
        return new JournalCorruptException(String.format("%s journal %s: entry at index 0x%x (cycle %d, entry %d of the cycle) is corrupt: %s",
            name, queue.file(), index, rollCycle.toCycle(index), rollCycle.toSequenceNumber(index), problem));
    }

    /** Chronicle index of the entry read last. */
    public long index()
    {
        return index;
    }

    /** {@code first} of the entry read last (command or event sequence). */
    public long first()
    {
        return first;
    }

    public long second()
    {
        return second;
    }

    public void toStart()
    {
        tailer.toStart();
    }

    /**
     * Positions the reader so that {@link #next} returns the entry whose {@code first} is
     * {@code value}. Finds the cycle by its first entry, then the entry by its offset in the cycle.
     *
     * @return false when no entry has that value (before the start or after the end)
     */
    public boolean seek(final long value)
    {
        final int cycle = lastCycleStartingAtMost(value);
        if (cycle == Integer.MIN_VALUE)
        {
            return false;
        }
        tailer.moveToCycle(cycle);
        if (!readNext())
        {
            return false;
        }
        final long start = first;
        final long target = rollCycle.toIndex(cycle, value - start);
        if (!tailer.moveToIndex(target))
        {
            return false;
        }
        if (!readNext() || first != value)
        {
            throw new JournalCorruptException(String.format("%s journal %s: expected sequence %d at index 0x%x but found %d",
                name, queue.file(), value, target, first));
        }
        tailer.moveToIndex(target);
        return true;
    }

    /**
     * The entry with the largest {@code second} at most {@code value} ({@code second} must not
     * decrease along the journal, as command sequences in the event journal do), read into
     * {@link #first()}/{@link #second()}.
     *
     * @return false when every entry's second is above the value, or the journal is empty
     */
    public boolean findLastWithSecondAtMost(final long value)
    {
        final NavigableSet<Long> cycles = cycles();
        for (final Long boxed : cycles.descendingSet())
        {
            final int cycle = boxed.intValue();
            final long count = tailer.excerptsInCycle(cycle);
            if (count <= 0)
            {
                continue;
            }
            if (!readAt(rollCycle.toIndex(cycle, 0)) || second > value)
            {
                continue;
            }
            long low = 0;
            long high = count - 1;
            while (low < high)
            {
                final long mid = (low + high + 1) >>> 1;
                if (readAt(rollCycle.toIndex(cycle, mid)) && second <= value)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }
            return readAt(rollCycle.toIndex(cycle, low));
        }
        return false;
    }

    /** Reads the last entry of the journal into {@link #first()}/{@link #second()}; false when empty. */
    public boolean readLast()
    {
        final NavigableSet<Long> cycles = cycles();
        for (final Long boxed : cycles.descendingSet())
        {
            final long count = tailer.excerptsInCycle(boxed.intValue());
            if (count > 0)
            {
                return readAt(rollCycle.toIndex(boxed.intValue(), count - 1));
            }
        }
        return false;
    }

    /** Reads the first entry of the journal into {@link #first()}/{@link #second()}; false when empty. */
    public boolean readFirst()
    {
        tailer.toStart();
        return readNext();
    }

    private boolean readAt(final long at)
    {
        return tailer.moveToIndex(at) && readNext();
    }

    private int lastCycleStartingAtMost(final long value)
    {
        final NavigableSet<Long> cycles = cycles();
        for (final Long boxed : cycles.descendingSet())
        {
            final int cycle = boxed.intValue();
            if (tailer.moveToCycle(cycle) && readNext() && first <= value)
            {
                return cycle;
            }
        }
        return Integer.MIN_VALUE;
    }

    /** The cycles that hold files, oldest first. */
    public NavigableSet<Long> cycles()
    {
        queue.refreshDirectoryListing();
        final int firstCycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE || lastCycle == Integer.MIN_VALUE || firstCycle > lastCycle)
        {
            return new java.util.TreeSet<>();
        }
        return queue.listCyclesBetween(firstCycle, lastCycle);
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
