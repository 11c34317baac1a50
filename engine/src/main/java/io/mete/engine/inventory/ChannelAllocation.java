package io.mete.engine.inventory;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per channel and SKU: the units the channel holds reserved, an optional cap on them and an optional
 * fence, so one channel (a marketplace, wholesale) cannot take stock that belongs to another.
 * <p>
 * The cap bounds open reservations (reserved, not yet shipped): shipping or cancelling frees room.
 * Lowering a cap below what is already reserved takes nothing back; it only stops new reservations
 * until the channel falls under it.
 * <p>
 * A fence works the other way round: it keeps units for its channel. Of a fence of F units, the
 * channel holding R reserved still has {@code max(0, F - R)} unused, and every other channel may
 * only reserve what the SKU's sellable stock holds beyond the unused fences of the channels that are
 * not it ({@link #fenceHeadroom}). R counts open reservations, as for the cap, so a fence whose
 * channel's orders have shipped keeps all of F again. Fences are few (a marketplace's share of a
 * launch, a wholesale contract), so they live apart from caps and reservations, and a SKU no channel
 * fences costs sourcing one test ({@link #isFenced}).
 * <p>
 * A channel's cap and reserved units of a SKU sit side by side in one array ({@code 2·sku} and
 * {@code 2·sku + 1}): placing an order reads the cap and then adds to the reserved units of each
 * line's SKU, one cache line between them instead of two.
 */
public final class ChannelAllocation
{
    public static final int NO_CAP = -1;
    public static final int MAX_CHANNELS = 32;
    public static final int MAX_FENCE_UNITS = 1_000_000_000;

    private static final int CAP = 0;
    private static final int RESERVED = 1;

    /** Per channel in use: cap and reserved units per SKU, interleaved; null for a channel never used. */
    private final int[][] perSku = new int[MAX_CHANNELS][];
    /** Per channel that ever had a fence: fenced units per SKU; null for the others. */
    private final int[][] fences = new int[MAX_CHANNELS][];
    /** Per SKU, how many channels fence it; null until the first fence. */
    private int[] fencesOfSku;
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
            if (fences[channel] != null)
            {
                fences[channel] = Arrays.copyOf(fences[channel], skuCapacity);
            }
        }
        if (fencesOfSku != null)
        {
            fencesOfSku = Arrays.copyOf(fencesOfSku, skuCapacity);
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

    /** Fences {@code units} of the SKU for the channel (0 removes the fence). The channel is in use. */
    public void setFence(final int channel, final int sku, final int units)
    {
        if (fences[channel] == null)
        {
            if (units == 0)
            {
                return;
            }
            fences[channel] = new int[skuCapacity];
        }
        if (fencesOfSku == null)
        {
            fencesOfSku = new int[skuCapacity];
        }
        final int before = fences[channel][sku];
        fences[channel][sku] = units;
        fencesOfSku[sku] += (units != 0 ? 1 : 0) - (before != 0 ? 1 : 0);
    }

    /** Units of the SKU fenced for the channel; 0 = no fence. */
    public int fence(final int channel, final int sku)
    {
        final int[] units = fences[channel];
        return units == null ? 0 : units[sku];
    }

    /** True when some channel fences the SKU. */
    public boolean isFenced(final int sku)
    {
        return fencesOfSku != null && fencesOfSku[sku] != 0;
    }

    /**
     * Units of the SKU the channel may reserve when {@code sellable} units of it are available at
     * the nodes that may ship: what the other channels' fences do not still protect. A channel's own
     * fence does not hold it back, and the part of a fence its channel already holds reserved
     * protects nothing more (those units have left the sellable stock).
     */
    public long fenceHeadroom(final int channel, final int sku, final long sellable)
    {
        long protectedUnits = 0;
        for (int other = 0; other < MAX_CHANNELS; other++)
        {
            final int[] units = fences[other];
            if (other != channel && units != null && units[sku] != 0)
            {
                protectedUnits += Math.max(0, units[sku] - perSku[other][2 * sku + RESERVED]);
            }
        }
        return Math.max(0, sellable - protectedUnits);
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

    /**
     * Writes every fence (snapshots; a section of its own, added with snapshot format 4): the number
     * of fences, then channel, SKU and units of each, by channel and SKU.
     */
    public void writeFencesTo(final DataOutput out, final int skuCount) throws IOException
    {
        int count = 0;
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            for (int sku = 0; fences[channel] != null && sku < skuCount; sku++)
            {
                count += fences[channel][sku] != 0 ? 1 : 0;
            }
        }
        out.writeInt(count);
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            for (int sku = 0; fences[channel] != null && sku < skuCount; sku++)
            {
                if (fences[channel][sku] != 0)
                {
                    out.writeByte(channel);
                    out.writeInt(sku);
                    out.writeInt(fences[channel][sku]);
                }
            }
        }
    }

    /** Reads what {@link #writeFencesTo} wrote, after {@link #readFrom} restored the channels. */
    public void readFencesFrom(final DataInput in) throws IOException
    {
        final int count = SnapshotIo.readCount(in, Integer.MAX_VALUE, "channel fence");
        for (int i = 0; i < count; i++)
        {
            final int channel = in.readUnsignedByte();
            final int sku = in.readInt();
            final int units = in.readInt();
            if (channel >= MAX_CHANNELS || perSku[channel] == null || sku < 0 || sku >= skuCapacity || units <= 0 || units > MAX_FENCE_UNITS
                || fence(channel, sku) != 0)
            {
                throw new IOException("snapshot: channel fence " + i + " (channel " + channel + ", SKU " + sku + ", " + units + " units) is not valid");
            }
            setFence(channel, sku, units);
        }
    }

    public void clear()
    {
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            perSku[channel] = null;
            fences[channel] = null;
        }
        fencesOfSku = null;
    }
}
