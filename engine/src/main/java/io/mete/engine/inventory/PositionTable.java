package io.mete.engine.inventory;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Stock positions (node × SKU), SKU-major: each SKU owns one {@code int[]} block holding, for a
 * capacity of {@code c} positions sorted by node id,
 * <pre>
 *   [0, 2c)   pairs  (node, atp)                    read by every sourcing pass
 *   [2c, 5c)  triples (onHand, reserved, safety)    written when stock or reservations move
 * </pre>
 * Sourcing one line scans only the pairs of one block: 20 positions are 160 bytes, three cache
 * lines. Reserving at a position touches its pair and its triple, two lines. ATP is stored, not
 * derived, because it is read on every pass and changes only with its inputs:
 * {@code atp = max(0, onHand - reserved - safety)}.
 */
public final class PositionTable
{
    public static final int NODE = 0;
    public static final int ATP = 1;
    public static final int ON_HAND = 2;
    public static final int RESERVED = 3;
    public static final int SAFETY = 4;
    private static final int INTS_PER_POSITION = 5;
    private static final int[] EMPTY = new int[0];

    private int[][] blocks;
    private int[] counts;
    private int skuCount;
    private long positions;

    public PositionTable(final int expectedSkus)
    {
        blocks = new int[Math.max(16, expectedSkus)][];
        counts = new int[blocks.length];
        Arrays.fill(blocks, EMPTY);
    }

    public int skuCount()
    {
        return skuCount;
    }

    public long positions()
    {
        return positions;
    }

    /** Makes room for SKU ids up to {@code sku}. */
    public void ensureSku(final int sku)
    {
        if (sku >= blocks.length)
        {
            final int capacity = Math.max(sku + 1, blocks.length * 2);
            final int old = blocks.length;
            blocks = Arrays.copyOf(blocks, capacity);
            counts = Arrays.copyOf(counts, capacity);
            Arrays.fill(blocks, old, capacity, EMPTY);
        }
        if (sku >= skuCount)
        {
            skuCount = sku + 1;
        }
    }

    public int count(final int sku)
    {
        return counts[sku];
    }

    /** The raw block of a SKU: node of slot i at {@code 2i}, its ATP at {@code 2i + 1}. */
    public int[] block(final int sku)
    {
        return blocks[sku];
    }

    public int capacity(final int sku)
    {
        return blocks[sku].length / INTS_PER_POSITION;
    }

    public int node(final int sku, final int slot)
    {
        return blocks[sku][2 * slot];
    }

    public int atp(final int sku, final int slot)
    {
        return blocks[sku][2 * slot + 1];
    }

    public int onHand(final int sku, final int slot)
    {
        final int[] block = blocks[sku];
        return block[tripleBase(block) + 3 * slot];
    }

    public int reserved(final int sku, final int slot)
    {
        final int[] block = blocks[sku];
        return block[tripleBase(block) + 3 * slot + 1];
    }

    public int safety(final int sku, final int slot)
    {
        final int[] block = blocks[sku];
        return block[tripleBase(block) + 3 * slot + 2];
    }

    /** One field of a position by its section constant ({@link #NODE} .. {@link #SAFETY}). */
    public int get(final int sku, final int slot, final int section)
    {
        switch (section)
        {
            case NODE: return node(sku, slot);
            case ATP: return atp(sku, slot);
            case ON_HAND: return onHand(sku, slot);
            case RESERVED: return reserved(sku, slot);
            case SAFETY: return safety(sku, slot);
            default: throw new IllegalArgumentException("section " + section);
        }
    }

    /**
     * Slot of the node's position for the SKU, or {@code -(insertion point + 1)} when there is none.
     * A lower-bound search whose steps choose by a conditional move rather than a branch: which
     * half holds the node is a coin toss for the branch predictor, and the steps are few (5 for 20
     * positions), so a mispredicted branch per step would cost more than the search itself.
     */
    public int slotOf(final int sku, final int node)
    {
        if (sku >= skuCount)
        {
            return -1;
        }
        final int[] block = blocks[sku];
        final int count = counts[sku];
        if (count == 0)
        {
            return -1;
        }
        int base = 0;
        for (int length = count; length > 1; )
        {
            final int half = length >>> 1;
            base = block[2 * (base + half)] <= node ? base + half : base;
            length -= half;
        }
        // block[2 * base] is the last node <= the one sought, or the first node when all are above it
        final int at = block[2 * base];
        if (at == node)
        {
            return base;
        }
        return -((at < node ? base + 1 : base) + 1);
    }

    /** Slot of the node's position for the SKU, created empty if missing. */
    public int slotOrCreate(final int sku, final int node)
    {
        ensureSku(sku);
        final int found = slotOf(sku, node);
        if (found >= 0)
        {
            return found;
        }
        final int slot = -found - 1;
        final int count = counts[sku];
        int[] block = blocks[sku];
        final int capacity = block.length / INTS_PER_POSITION;
        if (count == capacity)
        {
            // Grow by half: positions of one SKU are added one by one as stock is first seen,
            // and doubling would leave a third of a large network's memory as slack.
            final int newCapacity = capacity + (capacity >> 1) + 2;
            final int[] grown = new int[newCapacity * INTS_PER_POSITION];
            System.arraycopy(block, 0, grown, 0, 2 * count);
            System.arraycopy(block, 2 * capacity, grown, 2 * newCapacity, 3 * count);
            block = grown;
            blocks[sku] = block;
        }
        final int triples = tripleBase(block);
        System.arraycopy(block, 2 * slot, block, 2 * slot + 2, 2 * (count - slot));
        System.arraycopy(block, triples + 3 * slot, block, triples + 3 * slot + 3, 3 * (count - slot));
        block[2 * slot] = node;
        block[2 * slot + 1] = 0;
        block[triples + 3 * slot] = 0;
        block[triples + 3 * slot + 1] = 0;
        block[triples + 3 * slot + 2] = 0;
        counts[sku] = count + 1;
        positions++;
        return slot;
    }

    public void setOnHand(final int sku, final int slot, final int onHand)
    {
        final int[] block = blocks[sku];
        final int at = tripleBase(block) + 3 * slot;
        block[at] = onHand;
        refreshAtp(block, at, slot);
    }

    public void setSafety(final int sku, final int slot, final int safety)
    {
        final int[] block = blocks[sku];
        final int at = tripleBase(block) + 3 * slot;
        block[at + 2] = safety;
        refreshAtp(block, at, slot);
    }

    public void addReserved(final int sku, final int slot, final int delta)
    {
        final int[] block = blocks[sku];
        final int at = tripleBase(block) + 3 * slot;
        block[at + 1] += delta;
        refreshAtp(block, at, slot);
    }

    /** Shipment leaves the node: on-hand and reserved both drop by the quantity. */
    public void ship(final int sku, final int slot, final int quantity)
    {
        final int[] block = blocks[sku];
        final int at = tripleBase(block) + 3 * slot;
        block[at] -= quantity;
        block[at + 1] -= quantity;
        refreshAtp(block, at, slot);
    }

    private static int tripleBase(final int[] block)
    {
        return 2 * (block.length / INTS_PER_POSITION);
    }

    private static void refreshAtp(final int[] block, final int at, final int slot)
    {
        block[2 * slot + 1] = Math.max(0, block[at] - block[at + 1] - block[at + 2]);
    }

    public long totalAtp(final int sku)
    {
        if (sku >= skuCount)
        {
            return 0;
        }
        final int[] block = blocks[sku];
        long total = 0;
        for (int i = 0, n = counts[sku]; i < n; i++)
        {
            total += block[2 * i + 1];
        }
        return total;
    }

    /** Bytes held by position blocks, for memory reports. */
    public long footprintBytes()
    {
        long bytes = 16L + 8L * blocks.length + 4L * counts.length;
        for (int sku = 0; sku < skuCount; sku++)
        {
            if (blocks[sku] != EMPTY)
            {
                bytes += 16L + 4L * blocks[sku].length;
            }
        }
        return bytes;
    }

    /**
     * Writes every position (snapshots): per SKU its count, then the nodes, ATP, on-hand, reserved
     * and safety of its slots, each as one run, read through the accessors so the format does not
     * follow the block layout.
     */
    public void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(skuCount);
        int[] run = new int[16];
        for (int sku = 0; sku < skuCount; sku++)
        {
            final int count = counts[sku];
            out.writeInt(count);
            if (count > run.length)
            {
                run = new int[count];
            }
            for (int section = NODE; section <= SAFETY; section++)
            {
                for (int slot = 0; slot < count; slot++)
                {
                    run[slot] = get(sku, slot, section);
                }
                SnapshotIo.writeInts(out, run, 0, count);
            }
        }
    }

    /** Replaces every position with those {@link #writeTo} wrote; each block is sized to its positions. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int skus = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "position SKU");
        clear();
        if (skus > 0)
        {
            ensureSku(skus - 1);
        }
        int[] run = new int[16];
        for (int sku = 0; sku < skus; sku++)
        {
            final int count = SnapshotIo.readCount(in, Integer.MAX_VALUE / INTS_PER_POSITION, "position");
            final int[] block = count == 0 ? EMPTY : new int[count * INTS_PER_POSITION];
            if (count > run.length)
            {
                run = new int[count];
            }
            final int triples = 2 * count;
            for (int section = NODE; section <= SAFETY; section++)
            {
                SnapshotIo.readInts(in, run, 0, count);
                for (int slot = 0; slot < count; slot++)
                {
                    if (section <= ATP)
                    {
                        block[2 * slot + section] = run[slot];
                    }
                    else
                    {
                        block[triples + 3 * slot + section - ON_HAND] = run[slot];
                    }
                }
            }
            blocks[sku] = block;
            counts[sku] = count;
            positions += count;
        }
    }

    public void clear()
    {
        Arrays.fill(blocks, 0, skuCount, EMPTY);
        Arrays.fill(counts, 0, skuCount, 0);
        skuCount = 0;
        positions = 0;
    }
}
