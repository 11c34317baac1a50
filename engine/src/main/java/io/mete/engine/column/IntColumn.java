package io.mete.engine.column;

import io.mete.engine.snapshot.SnapshotIo;
import org.agrona.UnsafeApi;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** An {@code int} per index; grows a page at a time, new indexes holding the column's initial value. */
public final class IntColumn extends PagedColumn
{
    private final int initial;

    /** @param initial the value of every index until it is set */
    public IntColumn(final int capacity, final int initial)
    {
        super(2);
        this.initial = initial;
        ensureCapacity(capacity);
    }

    public int get(final int index)
    {
        return UnsafeApi.getInt(addresses[index >>> SHIFT] + ((long)(index & MASK) << 2));
    }

    public void set(final int index, final int value)
    {
        UnsafeApi.putInt(addresses[index >>> SHIFT] + ((long)(index & MASK) << 2), value);
    }

    public void add(final int index, final int delta)
    {
        final long address = addresses[index >>> SHIFT] + ((long)(index & MASK) << 2);
        UnsafeApi.putInt(address, UnsafeApi.getInt(address) + delta);
    }

    /** Adds pages until indexes {@code 0 .. capacity - 1} exist. */
    public void ensureCapacity(final int capacity)
    {
        final int from = addPages(capacity);
        if (from >= 0 && initial != 0)
        {
            fill(from, capacity(), initial);
        }
    }

    /** Sets indexes {@code from .. to - 1} to {@code value}. */
    public void fill(final int from, final int to, final int value)
    {
        for (int i = from; i < to; i++)
        {
            set(i, value);
        }
    }

    /** Writes indexes {@code 0 .. count - 1} as {@link SnapshotIo#writeInts} writes an array of them. */
    public void write(final DataOutput out, final int count) throws IOException
    {
        final int[] chunk = new int[inPage(count, 0)];
        for (int at = 0; at < count; at += PAGE_SIZE)
        {
            final int n = inPage(count, at);
            page(at >>> SHIFT).asIntBuffer().get(chunk, 0, n);
            SnapshotIo.writeInts(out, chunk, 0, n);
        }
    }

    /** Reads what {@link #write} wrote into indexes {@code 0 .. count - 1}, growing as needed. */
    public void read(final DataInput in, final int count) throws IOException
    {
        ensureCapacity(count);
        final int[] chunk = new int[inPage(count, 0)];
        for (int at = 0; at < count; at += PAGE_SIZE)
        {
            final int n = inPage(count, at);
            SnapshotIo.readInts(in, chunk, 0, n);
            page(at >>> SHIFT).asIntBuffer().put(chunk, 0, n);
        }
    }
}
