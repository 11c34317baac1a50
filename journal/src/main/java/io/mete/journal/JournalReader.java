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
import java.util.function.BooleanSupplier;

/**
 * Reads journal entries in order and checks each one ({@link JournalEntry}): a short entry, a
 * length that does not match, or a checksum failure throws {@link JournalCorruptException} naming
 * the entry. Works for both journals; {@code first} is the command or event sequence, dense (one
 * more per entry).
 * <p>
 * An event journal document may hold a group of events (see {@link JournalEntry}); the reader hands
 * them out one by one, each with its own sequence, so callers see one entry per event either way.
 * {@link #index()} is then the document of the event read last.
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
    // the document read last: its first sequence, its events, and where the next one to hand out starts
    private long documentFirst;
    private int documentCount;
    private int clientId;
    private boolean grouped;
    private int delivered;
    private int cursor;

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
        if (delivered == documentCount && !readDocument())
        {
            return false;
        }
        final int offset;
        final int length;
        if (grouped)
        {
            length = buffer.getInt(cursor, ByteOrder.LITTLE_ENDIAN);
            offset = cursor + JournalEntry.GROUP_EVENT_HEADER;
            cursor = offset + length;
        }
        else
        {
            offset = JournalEntry.HEADER;
            length = buffer.getInt(JournalEntry.LENGTH, ByteOrder.LITTLE_ENDIAN);
        }
        first = documentFirst + delivered;
        delivered++;
        handler.onEntry(first, second, clientId, buffer, offset, length);
        return true;
    }

    /**
     * Takes the entries of the document just read up to and including {@code sequence} as read:
     * {@link #first()} reports it and {@link #next} goes on after it.
     */
    private void readThrough(final long sequence)
    {
        delivered = 0;
        cursor = JournalEntry.HEADER + JournalEntry.GROUP_HEADER;
        skipBefore(sequence + 1);
        first = sequence;
    }

    /** Moves the group cursor so that {@link #next} hands out {@code sequence} of the document just read. */
    private void skipBefore(final long sequence)
    {
        while (documentFirst + delivered < sequence)
        {
            if (grouped)
            {
                cursor += JournalEntry.GROUP_EVENT_HEADER + buffer.getInt(cursor, ByteOrder.LITTLE_ENDIAN);
            }
            delivered++;
        }
    }

    /** Reads the next document and takes its first entry as read. */
    private boolean readNext()
    {
        if (!readDocument())
        {
            return false;
        }
        readThrough(documentFirst);
        return true;
    }

    private boolean readDocument()
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
            documentFirst = buffer.getLong(JournalEntry.FIRST, ByteOrder.LITTLE_ENDIAN);
            second = buffer.getLong(JournalEntry.SECOND, ByteOrder.LITTLE_ENDIAN);
            clientId = buffer.getInt(JournalEntry.CLIENT_ID, ByteOrder.LITTLE_ENDIAN);
            final int length = buffer.getInt(JournalEntry.LENGTH, ByteOrder.LITTLE_ENDIAN);
            grouped = length >= JournalEntry.GROUP_HEADER &&
                buffer.getInt(JournalEntry.HEADER, ByteOrder.LITTLE_ENDIAN) == JournalEntry.GROUP_MARKER;
            documentCount = grouped ? groupCount(size) : 1;
            delivered = 0;
            cursor = JournalEntry.HEADER + JournalEntry.GROUP_HEADER;
            first = documentFirst;
            return true;
        }
    }

    /** Events in the group just read, after checking that their lengths fill it exactly. */
    private int groupCount(final int size)
    {
        final int count = buffer.getInt(JournalEntry.HEADER + 4, ByteOrder.LITTLE_ENDIAN);
        if (count < 1)
        {
            throw corrupt("event group of " + count + " events");
        }
        int at = JournalEntry.HEADER + JournalEntry.GROUP_HEADER;
        for (int i = 0; i < count; i++)
        {
            if (at + JournalEntry.GROUP_EVENT_HEADER > size)
            {
                throw corrupt("event group of " + count + " events ends after " + i);
            }
            final int length = buffer.getInt(at, ByteOrder.LITTLE_ENDIAN);
            if (length < 0 || length > size - at - JournalEntry.GROUP_EVENT_HEADER)
            {
                throw corrupt("event " + (i + 1) + " of " + count + " in the group claims " + length + " bytes");
            }
            at += JournalEntry.GROUP_EVENT_HEADER + length;
        }
        if (at != size)
        {
            throw corrupt("event group of " + count + " events leaves " + (size - at) + " bytes over");
        }
        return count;
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
     * {@code value}. Finds the cycle by its first entry, then the document: directly by its offset in
     * the cycle when every document holds one entry (the command journal), else by binary search.
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
        final long start = documentFirst;
        final long count = tailer.excerptsInCycle(cycle);
        final long direct = value - start;
        long document;
        if (direct < count && readAt(rollCycle.toIndex(cycle, direct)) && documentFirst == value)
        {
            document = direct;
        }
        else
        {
            // groups: the last document of the cycle starting at or before the value
            document = lastDocumentWhere(cycle, Math.min(direct, count - 1), () -> documentFirst <= value);
            if (!readAt(rollCycle.toIndex(cycle, document)))
            {
                return false;
            }
        }
        if (value >= documentFirst + documentCount)
        {
            if (document + 1 < count || readDocument())
            {
                throw new JournalCorruptException(String.format("%s journal %s: no entry holds sequence %d (the document at index 0x%x " +
                    "holds %d..%d and another follows it)", name, queue.file(), value, index, documentFirst, documentFirst + documentCount - 1));
            }
            return false; // past the end
        }
        skipBefore(value);
        first = value;
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
            if (readAt(rollCycle.toIndex(cycle, lastDocumentWhere(cycle, count - 1, () -> second <= value))))
            {
                readThrough(documentFirst + documentCount - 1);
                return true;
            }
            return false;
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
            if (count > 0 && readAt(rollCycle.toIndex(boxed.intValue(), count - 1)))
            {
                readThrough(documentFirst + documentCount - 1);
                return true;
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

    /**
     * Binary search: the last document number in {@code 0..high} of the cycle for which {@code holds}
     * (asked after reading it) is true, where it is true for document 0 and, once false, stays false.
     */
    private long lastDocumentWhere(final int cycle, final long high, final BooleanSupplier holds)
    {
        long low = 0;
        long top = high;
        while (low < top)
        {
            final long mid = (low + top + 1) >>> 1;
            if (readAt(rollCycle.toIndex(cycle, mid)) && holds.getAsBoolean())
            {
                low = mid;
            }
            else
            {
                top = mid - 1;
            }
        }
        return low;
    }

    /** Reads the document at a Chronicle index; {@link #next} then hands out its first entry. */
    private boolean readAt(final long at)
    {
        return tailer.moveToIndex(at) && readDocument();
    }

    private int lastCycleStartingAtMost(final long value)
    {
        final NavigableSet<Long> cycles = cycles();
        for (final Long boxed : cycles.descendingSet())
        {
            final int cycle = boxed.intValue();
            if (tailer.moveToCycle(cycle) && readDocument() && documentFirst <= value)
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
