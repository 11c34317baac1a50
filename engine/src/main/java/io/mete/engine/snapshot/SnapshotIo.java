package io.mete.engine.snapshot;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bulk array I/O for snapshots. {@link DataOutput#writeInt} costs a call per byte on most streams,
 * and a snapshot of millions of orders is tens of millions of ints, so arrays go through a byte
 * chunk (big-endian, like every {@code DataOutput} value).
 */
public final class SnapshotIo
{
    private static final int CHUNK_INTS = 16 * 1024;

    private SnapshotIo()
    {
    }

    public static void writeInts(final DataOutput out, final int[] values, final int offset, final int length) throws IOException
    {
        final byte[] chunk = new byte[Math.min(length, CHUNK_INTS) * Integer.BYTES];
        final ByteBuffer buffer = ByteBuffer.wrap(chunk);
        for (int done = 0; done < length; )
        {
            final int n = Math.min(length - done, CHUNK_INTS);
            buffer.clear();
            buffer.asIntBuffer().put(values, offset + done, n);
            out.write(chunk, 0, n * Integer.BYTES);
            done += n;
        }
    }

    public static void readInts(final DataInput in, final int[] values, final int offset, final int length) throws IOException
    {
        final byte[] chunk = new byte[Math.min(length, CHUNK_INTS) * Integer.BYTES];
        final ByteBuffer buffer = ByteBuffer.wrap(chunk);
        for (int done = 0; done < length; )
        {
            final int n = Math.min(length - done, CHUNK_INTS);
            in.readFully(chunk, 0, n * Integer.BYTES);
            buffer.clear();
            buffer.asIntBuffer().get(values, offset + done, n);
            done += n;
        }
    }

    public static void writeLongs(final DataOutput out, final long[] values, final int offset, final int length) throws IOException
    {
        final int chunkLongs = CHUNK_INTS / 2;
        final byte[] chunk = new byte[Math.min(length, chunkLongs) * Long.BYTES];
        final ByteBuffer buffer = ByteBuffer.wrap(chunk);
        for (int done = 0; done < length; )
        {
            final int n = Math.min(length - done, chunkLongs);
            buffer.clear();
            buffer.asLongBuffer().put(values, offset + done, n);
            out.write(chunk, 0, n * Long.BYTES);
            done += n;
        }
    }

    public static void readLongs(final DataInput in, final long[] values, final int offset, final int length) throws IOException
    {
        final int chunkLongs = CHUNK_INTS / 2;
        final byte[] chunk = new byte[Math.min(length, chunkLongs) * Long.BYTES];
        final ByteBuffer buffer = ByteBuffer.wrap(chunk);
        for (int done = 0; done < length; )
        {
            final int n = Math.min(length - done, chunkLongs);
            in.readFully(chunk, 0, n * Long.BYTES);
            buffer.clear();
            buffer.asLongBuffer().get(values, offset + done, n);
            done += n;
        }
    }

    public static void writeShorts(final DataOutput out, final short[] values, final int offset, final int length) throws IOException
    {
        final byte[] chunk = new byte[length * Short.BYTES];
        ByteBuffer.wrap(chunk).asShortBuffer().put(values, offset, length);
        out.write(chunk);
    }

    public static void readShorts(final DataInput in, final short[] values, final int offset, final int length) throws IOException
    {
        final byte[] chunk = new byte[length * Short.BYTES];
        in.readFully(chunk);
        ByteBuffer.wrap(chunk).asShortBuffer().get(values, offset, length);
    }

    /** Reads an element count and rejects one that is negative or above {@code max}: a damaged stream, not a state. */
    public static int readCount(final DataInput in, final int max, final String what) throws IOException
    {
        final int count = in.readInt();
        if (count < 0 || count > max)
        {
            throw new IOException("snapshot: " + what + " count " + count + " is outside 0.." + max);
        }
        return count;
    }
}
