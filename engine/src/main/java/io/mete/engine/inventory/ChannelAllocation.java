package io.mete.engine.inventory;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Per channel and SKU: the units the channel holds reserved, and an optional cap on them, so one
 * channel (a marketplace, wholesale) cannot take stock that belongs to another.
 * <p>
 * The cap bounds open reservations (reserved, not yet shipped): shipping or cancelling frees room.
 * Lowering a cap below what is already reserved takes nothing back; it only stops new reservations
 * until the channel falls under it.
 * <p>
 * A channel's cap and reserved units of a SKU sit side by side in one array ({@code 2·sku} and
 * {@code 2·sku + 1}): placing an order reads the cap and then adds to the reserved units of each
 * line's SKU, one cache line between them instead of two.
 */
public final class ChannelAllocation
{
    public static final int NO_CAP = -1;
    public static final int MAX_CHANNELS = 32;

    private static final int CAP = 0;
    private static final int RESERVED = 1;

    /** Per channel in use: cap and reserved units per SKU, interleaved; null for a channel never used. */
    private final int[][] perSku = new int[MAX_CHANNELS][];
    private int skuCapacity;

    public ChannelAllocation(final int expectedSkus)
    {
        skuCapacity = Math.max(16, expectedSkus);
    }

    public void ensureChannel(final int channel)
    {
        if (perSku[channel] == null)
        {
            perSku[channel] = uncapped(skuCapacity);
        }
    }

    public void ensureSku(final int sku)
    {
        if (sku < skuCapacity)
        {
            return;
        }
        final int old = skuCapacity;
        skuCapacity = Math.max(sku + 1, skuCapacity * 2);
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            if (perSku[channel] != null)
            {
                final int[] grown = uncapped(skuCapacity);
                System.arraycopy(perSku[channel], 0, grown, 0, 2 * old);
                perSku[channel] = grown;
            }
        }
    }

    private static int[] uncapped(final int skus)
    {
        final int[] values = new int[2 * skus];
        for (int sku = 0; sku < skus; sku++)
        {
            values[2 * sku + CAP] = NO_CAP;
        }
        return values;
    }

    public void setCap(final int channel, final int sku, final int cap)
    {
        perSku[channel][2 * sku + CAP] = cap < 0 ? NO_CAP : cap;
    }

    public int cap(final int channel, final int sku)
    {
        return perSku[channel][2 * sku + CAP];
    }

    public int reserved(final int channel, final int sku)
    {
        return perSku[channel][2 * sku + RESERVED];
    }

    /** Units the channel may still reserve of the SKU; {@link Integer#MAX_VALUE} when uncapped. */
    public int headroom(final int channel, final int sku)
    {
        final int[] values = perSku[channel];
        final int cap = values[2 * sku + CAP];
        if (cap == NO_CAP)
        {
            return Integer.MAX_VALUE;
        }
        return Math.max(0, cap - values[2 * sku + RESERVED]);
    }

    public void addReserved(final int channel, final int sku, final int delta)
    {
        perSku[channel][2 * sku + RESERVED] += delta;
    }

    /**
     * Writes caps and reserved units of every channel in use for SKU ids below {@code skuCount}
     * (snapshots): per channel all its caps, then all its reserved units.
     */
    public void writeTo(final DataOutput out, final int skuCount) throws IOException
    {
        out.writeInt(skuCount);
        final int[] column = new int[skuCount];
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            final int[] values = perSku[channel];
            out.writeBoolean(values != null);
            if (values != null)
            {
                for (final int field : new int[] {CAP, RESERVED})
                {
                    for (int sku = 0; sku < skuCount; sku++)
                    {
                        column[sku] = values[2 * sku + field];
                    }
                    SnapshotIo.writeInts(out, column, 0, skuCount);
                }
            }
        }
    }

    /** Replaces every channel's caps and reserved units with those {@link #writeTo} wrote. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int skuCount = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "channel SKU");
        clear();
        if (skuCount > 0)
        {
            ensureSku(skuCount - 1);
        }
        final int[] column = new int[skuCount];
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            if (in.readBoolean())
            {
                ensureChannel(channel);
                final int[] values = perSku[channel];
                for (final int field : new int[] {CAP, RESERVED})
                {
                    SnapshotIo.readInts(in, column, 0, skuCount);
                    for (int sku = 0; sku < skuCount; sku++)
                    {
                        values[2 * sku + field] = column[sku];
                    }
                }
            }
        }
    }

    public void clear()
    {
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            perSku[channel] = null;
        }
    }
}
