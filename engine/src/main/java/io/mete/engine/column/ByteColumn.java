package io.mete.engine.column;

import org.agrona.UnsafeApi;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** A {@code byte} per index; grows a page at a time, new indexes holding 0. */
public final class ByteColumn extends PagedColumn
{
    public ByteColumn(final int capacity)
    {
        super(0);
        ensureCapacity(capacity);
    }

    public byte get(final int index)
    {
        return UnsafeApi.getByte(addresses[index >>> SHIFT] + (index & MASK));
    }

    public void set(final int index, final byte value)
    {
        UnsafeApi.putByte(addresses[index >>> SHIFT] + (index & MASK), value);
    }

    public void ensureCapacity(final int capacity)
    {
        addPages(capacity);
    }

    /**
     * Memory address of an index, for bulk copies within its page (a page holds
     * {@value PagedColumn#PAGE_SIZE} bytes; pages never move, so the address stays valid).
     */
    public long address(final int index)
    {
        return addresses[index >>> SHIFT] + (index & MASK);
    }

    /** Bytes per page: a run of bytes that must be contiguous in memory must not cross a multiple of it. */
    public static int pageSize()
    {
        return PAGE_SIZE;
    }

    /** Sets indexes {@code from .. to - 1} to {@code value}. */
    public void fill(final int from, final int to, final byte value)
    {
        for (int i = from; i < to; i++)
        {
            set(i, value);
        }
    }

    /** Writes indexes {@code 0 .. count - 1}, a byte each. */
    public void write(final DataOutput out, final int count) throws IOException
    {
        final byte[] chunk = new byte[inPage(count, 0)];
        for (int at = 0; at < count; at += PAGE_SIZE)
        {
            final int n = inPage(count, at);
            page(at >>> SHIFT).get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    public void read(final DataInput in, final int count) throws IOException
    {
        ensureCapacity(count);
        final byte[] chunk = new byte[inPage(count, 0)];
        for (int at = 0; at < count; at += PAGE_SIZE)
        {
            final int n = inPage(count, at);
            in.readFully(chunk, 0, n);
            page(at >>> SHIFT).put(chunk, 0, n);
        }
    }
}
