package io.mete.engine.column;

import io.mete.engine.snapshot.SnapshotIo;
import org.agrona.UnsafeApi;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** A {@code long} per index; grows a page at a time, new indexes holding 0. */
public final class LongColumn extends PagedColumn
{
    public LongColumn(final int capacity)
    {
        super(3);
        ensureCapacity(capacity);
    }

    public long get(final int index)
    {
        return UnsafeApi.getLong(addresses[index >>> SHIFT] + ((long)(index & MASK) << 3));
    }

    public void set(final int index, final long value)
    {
        UnsafeApi.putLong(addresses[index >>> SHIFT] + ((long)(index & MASK) << 3), value);
    }

    public void ensureCapacity(final int capacity)
    {
        addPages(capacity);
    }

    public void fill(final int from, final int to, final long value)
    {
        for (int i = from; i < to; i++)
        {
            set(i, value);
        }
    }

    /** Writes indexes {@code 0 .. count - 1} as {@link SnapshotIo#writeLongs} writes an array of them. */
    public void write(final DataOutput out, final int count) throws IOException
    {
        final long[] chunk = new long[inPage(count, 0)];
        for (int at = 0; at < count; at += PAGE_SIZE)
        {
            final int n = inPage(count, at);
            page(at >>> SHIFT).asLongBuffer().get(chunk, 0, n);
            SnapshotIo.writeLongs(out, chunk, 0, n);
        }
    }

    public void read(final DataInput in, final int count) throws IOException
    {
        ensureCapacity(count);
        final long[] chunk = new long[inPage(count, 0)];
        for (int at = 0; at < count; at += PAGE_SIZE)
        {
            final int n = inPage(count, at);
            SnapshotIo.readLongs(in, chunk, 0, n);
            page(at >>> SHIFT).asLongBuffer().put(chunk, 0, n);
        }
    }
}
