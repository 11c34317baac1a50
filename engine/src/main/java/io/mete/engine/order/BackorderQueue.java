package io.mete.engine.order;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Lines waiting for stock, one queue per SKU, ordered by (priority, arrival): priority 0 first,
 * then first come first served. A line waits at most once, so the line index is the queue entry
 * and the links are two int arrays indexed by line.
 */
public final class BackorderQueue
{
    private static final int NONE = KeyedLinkedLists.NONE;

    private final KeyedLinkedLists queues;
    private int[] size;
    private long waitingLines;

    public BackorderQueue(final int expectedSkus, final int expectedLines)
    {
        queues = new KeyedLinkedLists(expectedSkus, expectedLines);
        size = new int[Math.max(16, expectedSkus)];
    }

    public boolean isEmpty(final int sku)
    {
        return queues.head(sku) == NONE;
    }

    public int size(final int sku)
    {
        return sku >= size.length ? 0 : size[sku];
    }

    public long waitingLines()
    {
        return waitingLines;
    }

    public int head(final int sku)
    {
        return queues.head(sku);
    }

    public int next(final int line)
    {
        return queues.next(line);
    }

    public boolean isQueued(final int line)
    {
        return queues.contains(line);
    }

    /**
     * Queues the line behind every line of the same SKU with a smaller or equal (priority, arrival).
     * New arrivals of the usual priority land at the tail in one step.
     */
    public void add(final int sku, final int line, final OrderBook book)
    {
        if (queues.contains(line))
        {
            return;
        }
        final int order = book.lineOrder(line);
        final int priority = book.priority(order);
        final long arrival = book.arrival(order);
        int after = queues.tail(sku);
        while (after != NONE)
        {
            final int other = book.lineOrder(after);
            final int otherPriority = book.priority(other);
            if (otherPriority < priority || (otherPriority == priority && book.arrival(other) <= arrival))
            {
                break;
            }
            after = queues.previous(after);
        }
        queues.insertAfter(sku, after, line);
        counted(sku, 1);
    }

    public void remove(final int sku, final int line)
    {
        if (!queues.contains(line))
        {
            return;
        }
        queues.remove(sku, line);
        counted(sku, -1);
    }

    public void clear()
    {
        queues.clear();
        Arrays.fill(size, 0);
        waitingLines = 0;
    }

    /** Writes every waiting queue in queue order (snapshots): SKU, length, then its lines head to tail. */
    public void writeTo(final DataOutput out) throws IOException
    {
        int count = 0;
        for (int sku = 0; sku < size.length; sku++)
        {
            count += size[sku] == 0 ? 0 : 1;
        }
        out.writeInt(count);
        for (int sku = 0; sku < size.length; sku++)
        {
            if (size[sku] == 0)
            {
                continue;
            }
            out.writeInt(sku);
            out.writeInt(size[sku]);
            for (int line = queues.head(sku); line != NONE; line = queues.next(line))
            {
                out.writeInt(line);
            }
        }
    }

    /** Replaces every queue with those {@link #writeTo} wrote, keeping each queue's order as written. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int count = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backorder queue");
        clear();
        for (int q = 0; q < count; q++)
        {
            final int sku = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backorder SKU id");
            final int lines = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backordered line");
            for (int i = 0; i < lines; i++)
            {
                final int line = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backordered line id");
                if (queues.contains(line))
                {
                    throw new IOException("snapshot: line " + line + " is queued twice");
                }
                queues.insertAfter(sku, queues.tail(sku), line);
                counted(sku, 1);
            }
        }
    }

    private void counted(final int sku, final int delta)
    {
        if (sku >= size.length)
        {
            size = Arrays.copyOf(size, Math.max(sku + 1, size.length * 2));
        }
        size[sku] += delta;
        waitingLines += delta;
    }
}
