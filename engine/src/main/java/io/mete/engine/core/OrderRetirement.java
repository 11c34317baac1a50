package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.order.OrderBook;
import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;
import java.util.stream.IntStream;

import static io.mete.engine.order.OrderBook.STATE_CANCELLED;
import static io.mete.engine.order.OrderBook.STATE_COMPLETED;

/**
 * Retires closed orders once the retention period has passed since their last change, so a
 * long-running engine holds the orders still in play and not every order it ever saw.
 * <p>
 * Every change to a closed order (closing it, a delivery, a return) stamps the order with the
 * command time and, while a retention is set, appends (time, order) to a FIFO. Command time never
 * goes back and the retention is one figure for all orders, so the FIFO is in due order and
 * retiring is a pop from its head. An entry whose order changed again since (its closed-at time
 * moved on) is stale and skipped; the later entry decides. The initial retention is negative:
 * closed orders are kept forever and nothing is queued until a SetOrderRetention command sets a
 * period, which queues the closed orders there are, oldest change first.
 */
final class OrderRetirement
{
    static final long KEEP_FOREVER = -1;

    private final OrderBook book;
    private final AsciiInterner orderIds;
    private final EventPublisher events;
    private final CommandTime time;
    private long retentionMillis = KEEP_FOREVER;
    private long retired;

    // FIFO ring of (closed-at time, order)
    private long[] entryTime = new long[1024];
    private int[] entryOrder = new int[1024];
    private int head;
    private int count;

    OrderRetirement(final OrderBook book, final AsciiInterner orderIds, final EventPublisher events, final CommandTime time)
    {
        this.book = book;
        this.orderIds = orderIds;
        this.events = events;
        this.time = time;
    }

    long retentionMillis()
    {
        return retentionMillis;
    }

    void retentionMillis(final long millis)
    {
        final boolean wasKeeping = retentionMillis < 0;
        retentionMillis = millis < 0 ? KEEP_FOREVER : millis;
        if (retentionMillis < 0)
        {
            head = 0;
            count = 0;
        }
        else if (wasKeeping)
        {
            queueClosedOrders();
        }
        // a shorter retention takes effect at once, not at the next step of time
        retireDue();
    }

    /** Queues every kept closed order by its last change (ties by order id): a rare command's work. */
    private void queueClosedOrders()
    {
        head = 0;
        count = 0;
        final int[] closed = IntStream.range(0, book.orderCount())
            .filter(order -> book.exists(order) && book.isClosed(order))
            .boxed()
            .sorted(Comparator.<Integer>comparingLong(book::closedAt).thenComparingInt(Integer::intValue))
            .mapToInt(Integer::intValue)
            .toArray();
        for (final int order : closed)
        {
            enqueue(book.closedAt(order), order);
        }
    }

    /** Closed orders retired so far. */
    long retired()
    {
        return retired;
    }

    /** Closed orders waiting for their retention to pass (stale entries included). */
    int pending()
    {
        return count;
    }

    long pendingTime(final int i)
    {
        return entryTime[(head + i) & (entryTime.length - 1)];
    }

    int pendingOrder(final int i)
    {
        return entryOrder[(head + i) & (entryOrder.length - 1)];
    }

    /** The order, closed, changed now: its retention starts again. */
    void changed(final int order)
    {
        book.closedAt(order, time.now);
        if (retentionMillis >= 0)
        {
            enqueue(time.now, order);
        }
    }

    private void enqueue(final long time, final int order)
    {
        if (count == entryTime.length)
        {
            grow();
        }
        final int tail = (head + count) & (entryTime.length - 1);
        entryTime[tail] = time;
        entryOrder[tail] = order;
        count++;
    }

    /** Retires every order whose last change is at least the retention period before now. */
    void retireDue()
    {
        final long now = time.now;
        if (retentionMillis < 0)
        {
            return;
        }
        final int mask = entryTime.length - 1;
        while (count > 0 && now - entryTime[head] >= retentionMillis)
        {
            final long closedAt = entryTime[head];
            final int order = entryOrder[head];
            head = (head + 1) & mask;
            count--;
            final int state = book.state(order);
            if ((state == STATE_COMPLETED || state == STATE_CANCELLED) && book.closedAt(order) == closedAt)
            {
                retire(order, state);
            }
        }
    }

    private void retire(final int order, final int state)
    {
        // closed means nothing allocated or backordered, so no backorder queue holds its lines
        events.orderRetired(order, state);
        book.retire(order);
        orderIds.remove(order);
        retired++;
    }

    private void grow()
    {
        final int capacity = entryTime.length * 2;
        final long[] times = new long[capacity];
        final int[] orders = new int[capacity];
        for (int i = 0; i < count; i++)
        {
            times[i] = pendingTime(i);
            orders[i] = pendingOrder(i);
        }
        entryTime = times;
        entryOrder = orders;
        head = 0;
    }

    void writeTo(final DataOutput out) throws IOException
    {
        out.writeLong(retentionMillis);
        out.writeLong(retired);
        out.writeInt(count);
        for (int i = 0; i < count; i++)
        {
            out.writeLong(pendingTime(i));
            out.writeInt(pendingOrder(i));
        }
    }

    void readFrom(final DataInput in) throws IOException
    {
        retentionMillis = in.readLong();
        retired = in.readLong();
        final int entries = SnapshotIo.readCount(in, Integer.MAX_VALUE / 4, "retirement entry");
        int capacity = 1024;
        while (capacity < entries)
        {
            capacity <<= 1;
        }
        entryTime = new long[capacity];
        entryOrder = new int[capacity];
        head = 0;
        count = entries;
        for (int i = 0; i < entries; i++)
        {
            entryTime[i] = in.readLong();
            entryOrder[i] = in.readInt();
            if (entryOrder[i] < 0 || entryOrder[i] >= book.orderCount())
            {
                throw new IOException("snapshot: a closed order waiting for retirement is not an order: " + entryOrder[i]);
            }
        }
    }
}
