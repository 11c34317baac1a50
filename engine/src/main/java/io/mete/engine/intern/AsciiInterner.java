package io.mete.engine.intern;

import io.mete.engine.snapshot.SnapshotIo;
import io.mete.engine.column.ByteColumn;
import io.mete.engine.column.IntColumn;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Maps the outside world's ASCII identifiers (order numbers, SKU and node codes) to dense ints
 * 0, 1, 2, ... in order of first sight, without creating a {@code String} per lookup.
 * <p>
 * Keys live back to back in one byte arena (paged outside the heap like the per-id columns), each as a
 * record of its id (4 bytes), its length (1 byte) and its bytes; a record never crosses a page, so
 * each is one run of memory. An open-addressing table (linear probing, power-of-two size, load factor
 * at most one half) holds {@code hash << 32 | record offset + 1} per slot, so a probe compares hashes
 * without touching the arena, a lookup of a new key costs one cache miss, and a lookup of a known key
 * two: the slot, then the record, which holds everything needed to confirm the match and answer the
 * id (per-id columns read on the way would be a miss each, and SKU codes are looked up three times
 * an order). The table
 * is {@value #PARTITIONS} tables, picked by the top bits of the hash, each doubling on its own: one
 * table of millions of keys doubling at once stopped the engine thread (140 ms at 4,194,304 order
 * ids); a partition doubles in a fraction of a millisecond.
 * <p>
 * A key may be {@linkplain #remove removed} (retired orders): its slot is emptied by backward shift, so
 * probes never meet tombstones, and its id goes on a free list that the next new key takes, last freed
 * first. Which id a key gets is therefore a function of the sequence of interns and removals alone,
 * which is what makes replay give the same ids. A reused id keeps its arena bytes when the new key
 * fits, so the arena stays bounded by the number of ids times the longest key.
 */
public final class AsciiInterner
{
    public static final int MISSING = -1;

    private static final int PARTITION_BITS = 8;
    /** A record: the id (int), the length (byte), then the key's bytes. */
    private static final int RECORD_ID = 0;
    private static final int RECORD_LENGTH = 4;
    private static final int RECORD_KEY = 5;
    private static final int PARTITIONS = 1 << PARTITION_BITS;

    private final int maxLength;
    private final ByteColumn arena;
    /** Wrapped over one key at a time: {@link #key}, copies in and out. */
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    private int arenaUsed;
    // per id, paged outside the heap (io.mete.engine.column): they grow without a copy
    /** Arena offset of each id's record. */
    private final IntColumn keyOffsets;
    private final ByteColumn keyLengths;
    /** Key bytes each id's record has room for: a reused id keeps its record when the new key fits. */
    private final ByteColumn keyCapacities;
    private final long[][] tables = new long[PARTITIONS][];
    private final int[] partitionKeys = new int[PARTITIONS];
    private int size;
    private int[] freeIds = new int[16];
    private int freeCount;
    private long modifications;
    private int missSlot = -1;
    private int missHash;
    private long[] missTable;
    private long missModifications = -1;

    public AsciiInterner(final int maxLength, final int expectedKeys)
    {
        this(maxLength, expectedKeys, 16);
    }

    /**
     * @param expectedKeyLength the arena holds this many bytes per expected key up front (at most
     *                          {@code maxLength}); past that it adds pages, so this only sizes the
     *                          memory taken at the start
     */
    public AsciiInterner(final int maxLength, final int expectedKeys, final int expectedKeyLength)
    {
        if (maxLength > 255)
        {
            throw new IllegalArgumentException("maxLength > 255: " + maxLength);
        }
        this.maxLength = maxLength;
        final int capacity = Math.max(16, expectedKeys);
        arena = new ByteColumn(Math.toIntExact((long)capacity * (RECORD_KEY + Math.max(1, Math.min(maxLength, expectedKeyLength)))));
        keyOffsets = new IntColumn(capacity, 0);
        keyLengths = new ByteColumn(capacity);
        keyCapacities = new ByteColumn(capacity);
        final int partitionSize = Math.max(16, tableSizeFor(capacity) / PARTITIONS);
        for (int p = 0; p < PARTITIONS; p++)
        {
            tables[p] = new long[partitionSize];
        }
    }

    public int maxLength()
    {
        return maxLength;
    }

    /** One past the highest id handed out: ids run {@code 0 .. size() - 1}, some of them free. */
    public int size()
    {
        return size;
    }

    /** Keys present: {@link #size()} less the free ids. */
    public int liveCount()
    {
        return size - freeCount;
    }

    public boolean isLive(final int id)
    {
        return id >= 0 && id < size && keyLengths.get(id) != 0;
    }

    /** Free ids, the one handed out next last. */
    public int freeCount()
    {
        return freeCount;
    }

    public int freeId(final int i)
    {
        return freeIds[i];
    }

    /**
     * Id of the key, or {@link #MISSING}. A miss remembers where the key would go, so an
     * {@link #intern} of the same key right after it (nothing added in between) does not probe again.
     */
    public int find(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        final long[] table = tables[hash >>> (32 - PARTITION_BITS)];
        final int mask = table.length - 1;
        int slot = hash & mask;
        long entry;
        while ((entry = table[slot]) != 0)
        {
            if ((int)(entry >>> 32) == hash)
            {
                final long record = arena.address((int)entry - 1);
                if (matches(record, buffer, offset, length))
                {
                    return UnsafeApi.getInt(record + RECORD_ID);
                }
            }
            slot = (slot + 1) & mask;
        }
        missSlot = slot;
        missHash = hash;
        missTable = table;
        missModifications = modifications;
        return MISSING;
    }

    /** Id of the key, adding it if it is new. The caller has validated length (1 to maxLength) and characters. */
    public int intern(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = hash(buffer, offset, length);
        final long[] table = tables[hash >>> (32 - PARTITION_BITS)];
        if (missModifications == modifications && missHash == hash && missTable == table && table[missSlot] == 0)
        {
            // the preceding find() missed this very key and nothing was added or removed since
            missModifications = -1;
            return add(buffer, offset, length, hash, missSlot);
        }
        final int mask = table.length - 1;
        int slot = hash & mask;
        long entry;
        while ((entry = table[slot]) != 0)
        {
            if ((int)(entry >>> 32) == hash)
            {
                final long record = arena.address((int)entry - 1);
                if (matches(record, buffer, offset, length))
                {
                    return UnsafeApi.getInt(record + RECORD_ID);
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
        return keyLengths.get(id) & 0xFF;
    }

    /**
     * The bytes of live key {@code id}, at index 0 for {@link #length(int)} bytes: a view this
     * interner reuses, valid until its next call. The length comes from the key's record, not the
     * per-id column, so events that name SKUs and orders read one place in memory per key.
     */
    public DirectBuffer key(final int id)
    {
        final long record = recordOf(id);
        keyView.wrap(record + RECORD_KEY, UnsafeApi.getByte(record + RECORD_LENGTH) & 0xFF);
        return keyView;
    }

    /**
     * Writes live key {@code id} at {@code index} the way SBE writes a variable-length ASCII field
     * (one length byte, then the bytes), copied from the key's record; returns the bytes written.
     */
    public int putVarAscii(final int id, final MutableDirectBuffer dst, final int index)
    {
        final long record = recordOf(id);
        final int length = UnsafeApi.getByte(record + RECORD_LENGTH) & 0xFF;
        dst.boundsCheck(index, length + 1);
        final byte[] array = dst.byteArray();
        final long at = dst.addressOffset() + index;
        UnsafeApi.putByte(array, at, (byte)length);
        UnsafeApi.copyMemory(null, record + RECORD_KEY, array, at + 1, length);
        return length + 1;
    }

    /** Address of the record (id, length, bytes) of live key {@code id}. */
    private long recordOf(final int id)
    {
        return arena.address(keyOffsets.get(id));
    }

    /** Bytes the arena holds before it adds a page. */
    public int arenaCapacity()
    {
        return arena.capacity();
    }

    public String toString(final int id)
    {
        return key(id).getStringWithoutLengthAscii(0, length(id));
    }

    /** Forgets every key, keeping the memory. */
    public void clear()
    {
        for (final long[] table : tables)
        {
            Arrays.fill(table, 0L);
        }
        Arrays.fill(partitionKeys, 0);
        keyLengths.fill(0, size, (byte)0);
        keyCapacities.fill(0, size, (byte)0);
        missModifications = -1;
        modifications++;
        arenaUsed = 0;
        size = 0;
        freeCount = 0;
    }

    /**
     * Forgets key {@code id}; its id becomes free and is handed to a later new key. The caller knows
     * the id is live.
     */
    public void remove(final int id)
    {
        final long record = recordOf(id);
        final int hash = hash(key(id), 0, length(id));
        final int partition = hash >>> (32 - PARTITION_BITS);
        final long[] table = tables[partition];
        final int mask = table.length - 1;
        final long wanted = entry(hash, keyOffsets.get(id));
        int hole = hash & mask;
        while (table[hole] != wanted)
        {
            if (table[hole] == 0)
            {
                throw new IllegalStateException("interned id " + id + " is not in the table");
            }
            hole = (hole + 1) & mask;
        }
        // backward shift: pull later entries of the probe run into the hole unless that would put
        // one before its home slot
        int slot = hole;
        while (true)
        {
            slot = (slot + 1) & mask;
            final long entry = table[slot];
            if (entry == 0)
            {
                break;
            }
            final int home = (int)(entry >>> 32) & mask;
            if (((slot - home) & mask) >= ((slot - hole) & mask))
            {
                table[hole] = entry;
                hole = slot;
            }
        }
        table[hole] = 0;
        partitionKeys[partition]--;
        keyLengths.set(id, (byte)0);
        UnsafeApi.putByte(record + RECORD_LENGTH, (byte)0);
        if (freeCount == freeIds.length)
        {
            freeIds = Arrays.copyOf(freeIds, freeCount * 2);
        }
        freeIds[freeCount++] = id;
        modifications++;
    }

    /**
     * Writes the keys in id order (snapshots): the id count, the bytes of the live keys, every id's
     * length (0 for a free id), the live keys back to back, then the free ids in hand-out order.
     */
    public void writeTo(final DataOutput out) throws IOException
    {
        int liveBytes = 0;
        for (int id = 0; id < size; id++)
        {
            liveBytes += keyLengths.get(id) & 0xFF;
        }
        out.writeInt(size);
        out.writeInt(liveBytes);
        keyLengths.write(out, size);
        final byte[] chunk = new byte[256];
        for (int id = 0; id < size; id++)
        {
            final int length = keyLengths.get(id) & 0xFF;
            if (length > 0)
            {
                key(id).getBytes(0, chunk, 0, length);
                out.write(chunk, 0, length);
            }
        }
        out.writeInt(freeCount);
        for (int i = 0; i < freeCount; i++)
        {
            out.writeInt(freeIds[i]);
        }
    }

    /**
     * Replaces every key with those {@link #writeTo} wrote; each key gets its id back.
     *
     * @param withFreeIds false for the first snapshot format, which had neither free ids nor their list
     */
    public void readFrom(final DataInput in, final boolean withFreeIds) throws IOException
    {
        final int count = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "interned key");
        final int bytes = SnapshotIo.readCount(in, Integer.MAX_VALUE - 16, "interned byte");
        clear();
        keyOffsets.ensureCapacity(count);
        keyCapacities.ensureCapacity(count);
        keyLengths.read(in, count);
        // the keys' bytes follow one another: read them in large chunks, not one small read per key
        final byte[] chunk = new byte[1 << 16];
        int chunkStart = 0;
        int chunkEnd = 0;
        int fetched = 0;
        int read = 0;
        int free = 0;
        final int[] hashes = new int[count];
        for (int id = 0; id < count; id++)
        {
            final int length = keyLengths.get(id) & 0xFF;
            if (length > maxLength || read + length > bytes || (length == 0 && !withFreeIds))
            {
                throw new IOException("snapshot: interned key " + id + " has length " + length);
            }
            keyCapacities.set(id, (byte)length);
            if (length == 0)
            {
                // a free id: no bytes until a key takes it again
                free++;
                keyOffsets.set(id, 0);
                continue;
            }
            if (chunkEnd - chunkStart < length)
            {
                final int kept = chunkEnd - chunkStart;
                System.arraycopy(chunk, chunkStart, chunk, 0, kept);
                final int more = Math.min(chunk.length - kept, bytes - fetched);
                in.readFully(chunk, kept, more);
                fetched += more;
                chunkStart = 0;
                chunkEnd = kept + more;
            }
            final int at = place(length);
            keyOffsets.set(id, at);
            recordView(at, id, length).putBytes(0, chunk, chunkStart, length);
            hashes[id] = hash(keyView, 0, length);
            chunkStart += length;
            read += length;
        }
        if (read != bytes)
        {
            throw new IOException("snapshot: interned keys fill " + read + " bytes, expected " + bytes);
        }
        final int listed = withFreeIds ? SnapshotIo.readCount(in, count, "free id") : 0;
        if (listed != free)
        {
            throw new IOException("snapshot: " + free + " free interned ids but " + listed + " listed");
        }
        if (listed > freeIds.length)
        {
            freeIds = new int[listed];
        }
        for (int i = 0; i < listed; i++)
        {
            final int id = in.readInt();
            if (id < 0 || id >= count || keyLengths.get(id) != 0)
            {
                throw new IOException("snapshot: listed free id " + id + " is not a free id");
            }
            freeIds[i] = id;
        }
        size = count;
        freeCount = listed;
        reinsert(count, count - listed, hashes);
        missModifications = -1;
    }

    /**
     * Puts every live key back into the tables clear() emptied, one partition at a time: a
     * partition's table stays in the cache while it fills, where inserting in id order would write
     * to a random partition, and so most likely miss the cache, for every key. Each partition is
     * sized for its keys first, so none doubles on the way.
     *
     * @param hashes each id's hash (any value for a free id)
     */
    private void reinsert(final int count, final int live, final int[] hashes)
    {
        final int[] start = new int[PARTITIONS + 1];
        for (int id = 0; id < count; id++)
        {
            if (keyLengths.get(id) != 0)
            {
                start[(hashes[id] >>> (32 - PARTITION_BITS)) + 1]++;
            }
        }
        for (int p = 0; p < PARTITIONS; p++)
        {
            final int keys = start[p + 1];
            if (tables[p].length < keys * 2)
            {
                tables[p] = new long[tableSizeFor(keys)];
            }
            start[p + 1] += start[p];
        }
        final int[] byPartition = new int[live];
        for (int id = 0; id < count; id++)
        {
            if (keyLengths.get(id) != 0)
            {
                byPartition[start[hashes[id] >>> (32 - PARTITION_BITS)]++] = id;
            }
        }
        for (final int id : byPartition)
        {
            insert(keyOffsets.get(id), hashes[id]);
        }
    }

    private int add(final DirectBuffer buffer, final int offset, final int length, final int hash, final int slot)
    {
        if (length == 0)
        {
            // a key's record is placed when its id is first handed out, and only for bytes it has;
            // snapshots mark a free id with length 0 (the engine rejects empty codes before this)
            throw new IllegalArgumentException("an interned key needs at least one byte");
        }
        final int id;
        if (freeCount > 0)
        {
            id = freeIds[--freeCount];
        }
        else
        {
            id = size;
            if (id == keyOffsets.capacity())
            {
                keyOffsets.ensureCapacity(id + 1);
                keyLengths.ensureCapacity(id + 1);
                keyCapacities.ensureCapacity(id + 1);
            }
            size = id + 1;
        }
        if (length > (keyCapacities.get(id) & 0xFF))
        {
            // a new id, or a reused one whose bytes are too short for this key
            keyOffsets.set(id, place(length));
            keyCapacities.set(id, (byte)length);
        }
        final int at = keyOffsets.get(id);
        buffer.getBytes(offset, recordView(at, id, length), 0, length);
        keyLengths.set(id, (byte)length);
        final int partition = hash >>> (32 - PARTITION_BITS);
        tables[partition][slot] = entry(hash, at);
        modifications++;
        if (++partitionKeys[partition] * 2 > tables[partition].length)
        {
            grow(partition);
        }
        return id;
    }

    /** Puts a live key's entry in its partition (loading a snapshot), doubling the partition when it fills. */
    private void insert(final int at, final int hash)
    {
        final int partition = hash >>> (32 - PARTITION_BITS);
        final long[] table = tables[partition];
        final int mask = table.length - 1;
        int slot = hash & mask;
        while (table[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = entry(hash, at);
        if (++partitionKeys[partition] * 2 > table.length)
        {
            grow(partition);
        }
    }

    /** Doubles one partition: its entries move, the other partitions' do not. */
    private void grow(final int partition)
    {
        final long[] old = tables[partition];
        final long[] table = new long[old.length * 2];
        final int mask = table.length - 1;
        for (final long entry : old)
        {
            if (entry != 0)
            {
                int slot = (int)(entry >>> 32) & mask;
                while (table[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                table[slot] = entry;
            }
        }
        tables[partition] = table;
        missModifications = -1;
    }

    /**
     * Writes the id and length of the record at arena offset {@code at} and answers {@link #keyView}
     * over its {@code length} key bytes, for the caller to fill.
     */
    private UnsafeBuffer recordView(final int at, final int id, final int length)
    {
        final long record = arena.address(at);
        UnsafeApi.putInt(record + RECORD_ID, id);
        UnsafeApi.putByte(record + RECORD_LENGTH, (byte)length);
        keyView.wrap(record + RECORD_KEY, length);
        return keyView;
    }

    /** A table slot's value: the key's hash and where its record is (plus one, so no entry is 0). */
    private static long entry(final int hash, final int at)
    {
        return ((long)hash << 32) | (at + 1L);
    }

    /** Whether the record at address {@code record} holds the key {@code buffer[offset, offset + length)}. */
    private static boolean matches(final long record, final DirectBuffer buffer, final int offset, final int length)
    {
        if ((UnsafeApi.getByte(record + RECORD_LENGTH) & 0xFF) != length)
        {
            return false;
        }
        // one bounds check for the whole key, then plain reads; eight bytes at a time, since codes
        // share long prefixes ("SKU0", "ORDER-00...") and a byte loop spends most of its time
        // confirming bytes that are equal
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long from = buffer.addressOffset() + offset;
        final long start = record + RECORD_KEY;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (UnsafeApi.getLong(start + i) != UnsafeApi.getLong(array, from + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (UnsafeApi.getByte(start + i) != UnsafeApi.getByte(array, from + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Room for a record of a key of {@code length} bytes at the end of the arena, within one page
     * (adding one when needed).
     */
    private int place(final int keyLength)
    {
        final int length = RECORD_KEY + keyLength;
        int at = arenaUsed;
        final int page = ByteColumn.pageSize();
        if ((at & (page - 1)) + length > page)
        {
            at = (at | (page - 1)) + 1;
        }
        arena.ensureCapacity(at + length);
        arenaUsed = at + length;
        return at;
    }

    private static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        // FNV-1a over 8-byte words where possible, then a finaliser that spreads bits over the mask,
        // over every byte but the last; the last byte's low four bits are added to the result.
        // Keys that differ only in their last character (order numbers ...0 to ...9 sent one after
        // another) so land in neighbouring slots, one or two cache lines, where a full hash would
        // put each new id's slot in a random line of a table of millions: a cache miss per order.
        final int head = Math.max(0, length - 1);
        long h = 0xcbf29ce484222325L ^ length;
        int i = 0;
        for (; i + 8 <= head; i += 8)
        {
            h = (h ^ buffer.getLong(offset + i, java.nio.ByteOrder.LITTLE_ENDIAN)) * 0x100000001b3L;
        }
        for (; i < head; i++)
        {
            h = (h ^ buffer.getByte(offset + i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return length == 0 ? (int)h : (int)h + (buffer.getByte(offset + head) & 0x0F);
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
