package io.mete.engine.inventory;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Stock positions (node × SKU), SKU-major: each SKU owns one {@code int[]} block laid out as five
 * sections of {@code capacity} ints — node ids (ascending), ATP, on-hand, reserved, safety stock.
 * <p>
 * Sourcing one line reads only the node and ATP sections of one block, so 20 positions cost three
 * cache lines rather than one per node. ATP is stored, not derived, because it is read on every
 * sourcing pass and written only when one of its three inputs changes:
 * {@code atp = max(0, onHand - reserved - safety)}.
 */
public final class PositionTable
{
    public static final int NODE = 0;
    public static final int ATP = 1;
    public static final int ON_HAND = 2;
    public static final int RESERVED = 3;
    public static final int SAFETY = 4;
    private static final int SECTIONS = 5;
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

    /** Makes room for SKU ids below {@code skuCount}. */
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

    /** The raw block of a SKU: section {@code s} of slot {@code i} is at {@code s * capacity(sku) + i}. */
    public int[] block(final int sku)
    {
        return blocks[sku];
    }

    public int capacity(final int sku)
    {
        return blocks[sku].length / SECTIONS;
    }

    public int node(final int sku, final int slot)
    {
        return blocks[sku][slot];
    }

    public int get(final int sku, final int slot, final int section)
    {
        final int[] block = blocks[sku];
        return block[section * (block.length / SECTIONS) + slot];
    }

    public int atp(final int sku, final int slot)
    {
        return get(sku, slot, ATP);
    }

    public int onHand(final int sku, final int slot)
    {
        return get(sku, slot, ON_HAND);
    }

    public int reserved(final int sku, final int slot)
    {
        return get(sku, slot, RESERVED);
    }

    public int safety(final int sku, final int slot)
    {
        return get(sku, slot, SAFETY);
    }

    /** Slot of the node's position for the SKU, or a negative number when there is none. */
    public int slotOf(final int sku, final int node)
    {
        if (sku >= skuCount)
        {
            return -1;
        }
        return Arrays.binarySearch(blocks[sku], 0, counts[sku], node);
    }

    /** Slot of the node's position for the SKU, created empty if missing. */
    public int slotOrCreate(final int sku, final int node)
    {
        ensureSku(sku);
        final int found = Arrays.binarySearch(blocks[sku], 0, counts[sku], node);
        if (found >= 0)
        {
            return found;
        }
        final int slot = -found - 1;
        final int count = counts[sku];
        int[] block = blocks[sku];
        int capacity = block.length / SECTIONS;
        if (count == capacity)
        {
            // Grow by half: positions of one SKU are added one by one as stock is first seen,
            // and doubling would leave a third of a large network's memory as slack.
            final int newCapacity = capacity + (capacity >> 1) + 2;
            final int[] grown = new int[newCapacity * SECTIONS];
            for (int section = 0; section < SECTIONS; section++)
            {
                System.arraycopy(block, section * capacity, grown, section * newCapacity, count);
            }
            block = grown;
            capacity = newCapacity;
            blocks[sku] = block;
        }
        for (int section = 0; section < SECTIONS; section++)
        {
            final int base = section * capacity;
            System.arraycopy(block, base + slot, block, base + slot + 1, count - slot);
            block[base + slot] = 0;
        }
        block[slot] = node;
        counts[sku] = count + 1;
        positions++;
        return slot;
    }

    public void setOnHand(final int sku, final int slot, final int onHand)
    {
        final int[] block = blocks[sku];
        final int capacity = block.length / SECTIONS;
        block[ON_HAND * capacity + slot] = onHand;
        refreshAtp(block, capacity, slot);
    }

    public void setSafety(final int sku, final int slot, final int safety)
    {
        final int[] block = blocks[sku];
        final int capacity = block.length / SECTIONS;
        block[SAFETY * capacity + slot] = safety;
        refreshAtp(block, capacity, slot);
    }

    public void addReserved(final int sku, final int slot, final int delta)
    {
        final int[] block = blocks[sku];
        final int capacity = block.length / SECTIONS;
        block[RESERVED * capacity + slot] += delta;
        refreshAtp(block, capacity, slot);
    }

    /** Shipment leaves the node: on-hand and reserved both drop by the quantity. */
    public void ship(final int sku, final int slot, final int quantity)
    {
        final int[] block = blocks[sku];
        final int capacity = block.length / SECTIONS;
        block[ON_HAND * capacity + slot] -= quantity;
        block[RESERVED * capacity + slot] -= quantity;
        refreshAtp(block, capacity, slot);
    }

    private static void refreshAtp(final int[] block, final int capacity, final int slot)
    {
        final int atp = block[ON_HAND * capacity + slot] - block[RESERVED * capacity + slot] - block[SAFETY * capacity + slot];
        block[ATP * capacity + slot] = Math.max(0, atp);
    }

    public long totalAtp(final int sku)
    {
        if (sku >= skuCount)
        {
            return 0;
        }
        final int[] block = blocks[sku];
        final int capacity = block.length / SECTIONS;
        long total = 0;
        for (int i = 0, n = counts[sku]; i < n; i++)
        {
            total += block[ATP * capacity + i];
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

    /** Writes every position (snapshots): per SKU its count, then each section's used slots. */
    public void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(skuCount);
        for (int sku = 0; sku < skuCount; sku++)
        {
            final int count = counts[sku];
            final int[] block = blocks[sku];
            final int capacity = block.length / SECTIONS;
            out.writeInt(count);
            for (int section = 0; section < SECTIONS; section++)
            {
                SnapshotIo.writeInts(out, block, section * capacity, count);
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
        for (int sku = 0; sku < skus; sku++)
        {
            final int count = SnapshotIo.readCount(in, Integer.MAX_VALUE / SECTIONS, "position");
            final int[] block = count == 0 ? EMPTY : new int[count * SECTIONS];
            for (int section = 0; section < SECTIONS; section++)
            {
                SnapshotIo.readInts(in, block, section * count, count);
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
