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
    private static final int NONE = -1;

    private int[] head;
    private int[] tail;
    private int[] size;
    private int[] next;
    private int[] prev;
    private boolean[] queued;
    private long waitingLines;

    public BackorderQueue(final int expectedSkus, final int expectedLines)
    {
        head = new int[Math.max(16, expectedSkus)];
        tail = new int[head.length];
        size = new int[head.length];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        next = new int[Math.max(16, expectedLines)];
        prev = new int[next.length];
        queued = new boolean[next.length];
    }

    public boolean isEmpty(final int sku)
    {
        return sku >= head.length || head[sku] == NONE;
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
        return sku >= head.length ? NONE : head[sku];
    }

    public int next(final int line)
    {
        return next[line];
    }

    public boolean isQueued(final int line)
    {
        return line < queued.length && queued[line];
    }

    /**
     * Queues the line behind every line of the same SKU with a smaller or equal (priority, arrival).
     * New arrivals of the usual priority land at the tail in one step.
     */
    public void add(final int sku, final int line, final OrderBook book)
    {
        ensureSku(sku);
        ensureLine(line);
        if (queued[line])
        {
            return;
        }
        final int order = book.lineOrder(line);
        final int priority = book.priority(order);
        final long arrival = book.arrival(order);
        int after = tail[sku];
        while (after != NONE)
        {
            final int other = book.lineOrder(after);
            final int otherPriority = book.priority(other);
            if (otherPriority < priority || (otherPriority == priority && book.arrival(other) <= arrival))
            {
                break;
            }
            after = prev[after];
        }
        final int before = after == NONE ? head[sku] : next[after];
        prev[line] = after;
        next[line] = before;
        if (after == NONE)
        {
            head[sku] = line;
        }
        else
        {
            next[after] = line;
        }
        if (before == NONE)
        {
            tail[sku] = line;
        }
        else
        {
            prev[before] = line;
        }
        queued[line] = true;
        size[sku]++;
        waitingLines++;
    }

    public void remove(final int sku, final int line)
    {
        if (!isQueued(line))
        {
            return;
        }
        final int p = prev[line];
        final int n = next[line];
        if (p == NONE)
        {
            head[sku] = n;
        }
        else
        {
            next[p] = n;
        }
        if (n == NONE)
        {
            tail[sku] = p;
        }
        else
        {
            prev[n] = p;
        }
        queued[line] = false;
        size[sku]--;
        waitingLines--;
    }

    public void clear()
    {
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        Arrays.fill(size, 0);
        Arrays.fill(queued, false);
        waitingLines = 0;
    }

    /** Writes every waiting queue in queue order (snapshots): SKU, length, then its lines head to tail. */
    public void writeTo(final DataOutput out) throws IOException
    {
        int queues = 0;
        for (int sku = 0; sku < head.length; sku++)
        {
            queues += head[sku] == NONE ? 0 : 1;
        }
        out.writeInt(queues);
        for (int sku = 0; sku < head.length; sku++)
        {
            if (head[sku] == NONE)
            {
                continue;
            }
            out.writeInt(sku);
            out.writeInt(size[sku]);
            for (int line = head[sku]; line != NONE; line = next[line])
            {
                out.writeInt(line);
            }
        }
    }

    /** Replaces every queue with those {@link #writeTo} wrote, keeping each queue's order as written. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int queues = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backorder queue");
        clear();
        for (int q = 0; q < queues; q++)
        {
            final int sku = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backorder SKU id");
            final int lines = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backordered line");
            ensureSku(sku);
            for (int i = 0; i < lines; i++)
            {
                final int line = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "backordered line id");
                ensureLine(line);
                if (queued[line])
                {
                    throw new IOException("snapshot: line " + line + " is queued twice");
                }
                final int last = tail[sku];
                prev[line] = last;
                next[line] = NONE;
                if (last == NONE)
                {
                    head[sku] = line;
                }
                else
                {
                    next[last] = line;
                }
                tail[sku] = line;
                queued[line] = true;
                size[sku]++;
                waitingLines++;
            }
        }
    }

    private void ensureSku(final int sku)
    {
        if (sku < head.length)
        {
            return;
        }
        final int old = head.length;
        final int capacity = Math.max(sku + 1, old * 2);
        head = Arrays.copyOf(head, capacity);
        tail = Arrays.copyOf(tail, capacity);
        size = Arrays.copyOf(size, capacity);
        Arrays.fill(head, old, capacity, NONE);
        Arrays.fill(tail, old, capacity, NONE);
    }

    private void ensureLine(final int line)
    {
        if (line < next.length)
        {
            return;
        }
        final int capacity = Math.max(line + 1, next.length * 2);
        next = Arrays.copyOf(next, capacity);
        prev = Arrays.copyOf(prev, capacity);
        queued = Arrays.copyOf(queued, capacity);
    }
}
