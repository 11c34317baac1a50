package io.mete.engine.intern;

import io.mete.engine.snapshot.SnapshotIo;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Maps the outside world's ASCII identifiers (order numbers, SKU and node codes) to dense ints
 * 0, 1, 2, ... in order of first sight, without creating a {@code String} per lookup.
 * <p>
 * Keys live back to back in one byte arena; an open-addressing table (linear probing, power-of-two
 * size, load factor at most one half) holds {@code hash << 32 | id + 1} per slot, so a probe compares
 * hashes without touching the key arrays and a lookup of a new key costs one cache miss. Ids are never reused, so the
 * id of a key is stable for the life of the state, which is what makes replay give the same ids.
 */
public final class AsciiInterner
{
    public static final int MISSING = -1;

    private final int maxLength;
    private byte[] arena;
    private final UnsafeBuffer arenaView = new UnsafeBuffer(new byte[0]);
    private int arenaUsed;
    private int[] keyOffsets;
    private byte[] keyLengths;
    private int[] keyHashes;
    private long[] table;
    private int size;
    private int missSlot = -1;
    private int missHash;
    private int missSize = -1;

    public AsciiInterner(final int maxLength, final int expectedKeys)
    {
        if (maxLength > 255)
        {
            throw new IllegalArgumentException("maxLength > 255: " + maxLength);
        }
        this.maxLength = maxLength;
        final int capacity = Math.max(16, expectedKeys);
        arena = new byte[capacity * Math.min(maxLength, 16)];
        arenaView.wrap(arena);
        keyOffsets = new int[capacity];
        keyLengths = new byte[capacity];
        keyHashes = new int[capacity];
        table = new long[tableSizeFor(capacity)];
    }

    public int maxLength()
    {
        return maxLength;
    }

    public int size()
    {
        return size;
    }

    /**
     * Id of the key, or {@link #MISSING}. A miss remembers where the key would go, so an
     * {@link #intern} of the same key right after it (nothing added in between) does not probe again.
     */
    public int find(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        final long[] table = this.table;
        final int mask = table.length - 1;
        int slot = hash & mask;
        long entry;
        while ((entry = table[slot]) != 0)
        {
            if ((int)(entry >>> 32) == hash)
            {
                final int id = (int)entry - 1;
                if (equals(id, buffer, offset, length))
                {
                    return id;
                }
            }
            slot = (slot + 1) & mask;
        }
        missSlot = slot;
        missHash = hash;
        missSize = size;
        return MISSING;
    }

    /** Id of the key, adding it if it is new. The caller has validated length and characters. */
    public int intern(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        if (missSize == size && missHash == hash && table[missSlot] == 0)
        {
            // the preceding find() missed this very key and nothing was added since
            missSize = -1;
            return add(buffer, offset, length, hash, missSlot);
        }
        final long[] table = this.table;
        final int mask = table.length - 1;
        int slot = hash & mask;
        long entry;
        while ((entry = table[slot]) != 0)
        {
            if ((int)(entry >>> 32) == hash)
            {
                final int id = (int)entry - 1;
                if (equals(id, buffer, offset, length))
                {
                    return id;
                }
            }
            slot = (slot + 1) & mask;
        }
        return add(buffer, offset, length, hash, slot);
    }

    public int intern(final String key)
    {
        final org.agrona.concurrent.UnsafeBuffer buffer =
            new org.agrona.concurrent.UnsafeBuffer(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return intern(buffer, 0, buffer.capacity());
    }

    public int find(final String key)
    {
        final org.agrona.concurrent.UnsafeBuffer buffer =
            new org.agrona.concurrent.UnsafeBuffer(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return find(buffer, 0, buffer.capacity());
    }

    public int length(final int id)
    {
        return keyLengths[id] & 0xFF;
    }

    public int offset(final int id)
    {
        return keyOffsets[id];
    }

    /** The arena holding every key; key {@code id} is at {@link #offset(int)} for {@link #length(int)} bytes. */
    public byte[] arena()
    {
        return arena;
    }

    public String toString(final int id)
    {
        return new String(arena, keyOffsets[id], length(id), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Forgets every key, keeping the memory. */
    public void clear()
    {
        Arrays.fill(table, 0L);
        missSize = -1;
        arenaUsed = 0;
        size = 0;
    }

    /** Writes every key in id order (snapshots): the count, the key lengths, then the keys back to back. */
    public void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(size);
        out.writeInt(arenaUsed);
        out.write(keyLengths, 0, size);
        out.write(arena, 0, arenaUsed);
    }

    /** Replaces every key with those {@link #writeTo} wrote; each key gets its id back. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int count = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "interned key");
        final int bytes = SnapshotIo.readCount(in, Integer.MAX_VALUE - 16, "interned byte");
        clear();
        if (count > keyOffsets.length)
        {
            keyOffsets = new int[count];
            keyLengths = new byte[count];
            keyHashes = new int[count];
        }
        if (bytes > arena.length)
        {
            arena = new byte[bytes];
            arenaView.wrap(arena);
        }
        in.readFully(keyLengths, 0, count);
        in.readFully(arena, 0, bytes);
        final UnsafeBuffer keys = new UnsafeBuffer(arena);
        int offset = 0;
        for (int id = 0; id < count; id++)
        {
            final int length = keyLengths[id] & 0xFF;
            if (length > maxLength || offset + length > bytes)
            {
                throw new IOException("snapshot: interned key " + id + " has length " + length);
            }
            keyOffsets[id] = offset;
            keyHashes[id] = hash(keys, offset, length);
            offset += length;
        }
        if (offset != bytes)
        {
            throw new IOException("snapshot: interned keys fill " + offset + " bytes, expected " + bytes);
        }
        arenaUsed = bytes;
        size = count;
        rehash(Math.max(table.length, tableSizeFor(count)));
    }

    private int add(final DirectBuffer buffer, final int offset, final int length, final int hash, final int slot)
    {
        final int id = size;
        if (id == keyOffsets.length)
        {
            final int capacity = id * 2;
            keyOffsets = Arrays.copyOf(keyOffsets, capacity);
            keyLengths = Arrays.copyOf(keyLengths, capacity);
            keyHashes = Arrays.copyOf(keyHashes, capacity);
        }
        if (arenaUsed + length > arena.length)
        {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
            arenaView.wrap(arena);
        }
        buffer.getBytes(offset, arena, arenaUsed, length);
        keyOffsets[id] = arenaUsed;
        keyLengths[id] = (byte)length;
        keyHashes[id] = hash;
        arenaUsed += length;
        size = id + 1;
        table[slot] = ((long)hash << 32) | (id + 1L);
        if (size * 2 > table.length)
        {
            rehash(table.length * 2);
        }
        return id;
    }

    private void rehash(final int newSize)
    {
        final long[] table = new long[newSize];
        final int mask = newSize - 1;
        for (int id = 0; id < size; id++)
        {
            int slot = keyHashes[id] & mask;
            while (table[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            table[slot] = ((long)keyHashes[id] << 32) | (id + 1L);
        }
        this.table = table;
        missSize = -1;
    }

    private boolean equals(final int id, final DirectBuffer buffer, final int offset, final int length)
    {
        if ((keyLengths[id] & 0xFF) != length)
        {
            return false;
        }
        // eight bytes at a time: codes share long prefixes ("SKU0", "ORDER-00..."), so a byte loop
        // spends most of its time confirming bytes that are equal
        final UnsafeBuffer arena = arenaView;
        final int start = keyOffsets[id];
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (arena.getLong(start + i) != buffer.getLong(offset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (arena.getByte(start + i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        // FNV-1a over 8-byte words where possible, then a finaliser that spreads bits over the mask.
        long h = 0xcbf29ce484222325L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            h = (h ^ buffer.getLong(offset + i, java.nio.ByteOrder.LITTLE_ENDIAN)) * 0x100000001b3L;
        }
        for (; i < length; i++)
        {
            h = (h ^ buffer.getByte(offset + i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int)h;
    }

    private static int tableSizeFor(final int keys)
    {
        int size = 16;
        while (size < keys * 2)
        {
            size <<= 1;
        }
        return size;
    }
}
