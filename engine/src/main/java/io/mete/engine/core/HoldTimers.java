package io.mete.engine.core;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Orders on hold by expiry time: a binary min-heap of (due, order), ties by order id so the expiry
 * order is a function of the state alone. Entries whose order was released or cancelled stay until
 * they surface and are then skipped.
 */
final class HoldTimers
{
    private long[] due = new long[64];
    private int[] order = new int[64];
    private int size;

    boolean isEmpty()
    {
        return size == 0;
    }

    int size()
    {
        return size;
    }

    long dueAt(final int i)
    {
        return due[i];
    }

    int orderAt(final int i)
    {
        return order[i];
    }

    long nextDue()
    {
        return due[0];
    }

    void add(final long dueTime, final int orderId)
    {
        if (size == due.length)
        {
            due = Arrays.copyOf(due, size * 2);
            order = Arrays.copyOf(order, size * 2);
        }
        int i = size++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!less(dueTime, orderId, due[parent], order[parent]))
            {
                break;
            }
            due[i] = due[parent];
            order[i] = order[parent];
            i = parent;
        }
        due[i] = dueTime;
        order[i] = orderId;
    }

    int pollOrder()
    {
        final int top = order[0];
        final int last = --size;
        final long lastDue = due[last];
        final int lastOrder = order[last];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && less(due[child + 1], order[child + 1], due[child], order[child]))
            {
                child++;
            }
            if (!less(due[child], order[child], lastDue, lastOrder))
            {
                break;
            }
            due[i] = due[child];
            order[i] = order[child];
            i = child;
        }
        if (size > 0)
        {
            due[i] = lastDue;
            order[i] = lastOrder;
        }
        return top;
    }

    /** Writes the heap as it is laid out (snapshots), so expiry ties resolve the same after a restore. */
    void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(size);
        SnapshotIo.writeLongs(out, due, 0, size);
        SnapshotIo.writeInts(out, order, 0, size);
    }

    /** Replaces the heap with the one {@link #writeTo} wrote. */
    void readFrom(final DataInput in) throws IOException
    {
        final int count = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "hold timer");
        if (count > due.length)
        {
            due = new long[count];
            order = new int[count];
        }
        SnapshotIo.readLongs(in, due, 0, count);
        SnapshotIo.readInts(in, order, 0, count);
        size = count;
    }

    void clear()
    {
        size = 0;
    }

    private static boolean less(final long dueA, final int orderA, final long dueB, final int orderB)
    {
        return dueA < dueB || (dueA == dueB && orderA < orderB);
    }
}
