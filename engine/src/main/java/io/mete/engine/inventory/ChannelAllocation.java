package io.mete.engine.inventory;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per channel and SKU: the units the channel holds reserved, and an optional cap on them, so one
 * channel (a marketplace, wholesale) cannot take stock that belongs to another.
 * <p>
 * The cap bounds open reservations (reserved, not yet shipped): shipping or cancelling frees room.
 * Lowering a cap below what is already reserved takes nothing back; it only stops new reservations
 * until the channel falls under it.
 */
public final class ChannelAllocation
{
    public static final int NO_CAP = -1;
    public static final int MAX_CHANNELS = 32;

    private final int[][] caps = new int[MAX_CHANNELS][];
    private final int[][] reserved = new int[MAX_CHANNELS][];
    private int skuCapacity;

    public ChannelAllocation(final int expectedSkus)
    {
        skuCapacity = Math.max(16, expectedSkus);
    }

    public void ensureChannel(final int channel)
    {
        if (caps[channel] == null)
        {
            caps[channel] = new int[skuCapacity];
            Arrays.fill(caps[channel], NO_CAP);
            reserved[channel] = new int[skuCapacity];
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
            if (caps[channel] != null)
            {
                caps[channel] = Arrays.copyOf(caps[channel], skuCapacity);
                Arrays.fill(caps[channel], old, skuCapacity, NO_CAP);
                reserved[channel] = Arrays.copyOf(reserved[channel], skuCapacity);
            }
        }
    }

    public void setCap(final int channel, final int sku, final int cap)
    {
        caps[channel][sku] = cap < 0 ? NO_CAP : cap;
    }

    public int cap(final int channel, final int sku)
    {
        return caps[channel][sku];
    }

    public int reserved(final int channel, final int sku)
    {
        return reserved[channel][sku];
    }

    /** Units the channel may still reserve of the SKU; {@link Integer#MAX_VALUE} when uncapped. */
    public int headroom(final int channel, final int sku)
    {
        final int cap = caps[channel][sku];
        if (cap == NO_CAP)
        {
            return Integer.MAX_VALUE;
        }
        return Math.max(0, cap - reserved[channel][sku]);
    }

    public void addReserved(final int channel, final int sku, final int delta)
    {
        reserved[channel][sku] += delta;
    }

    /** Writes caps and reserved units of every channel in use for SKU ids below {@code skuCount} (snapshots). */
    public void writeTo(final DataOutput out, final int skuCount) throws IOException
    {
        out.writeInt(skuCount);
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            out.writeBoolean(caps[channel] != null);
            if (caps[channel] != null)
            {
                SnapshotIo.writeInts(out, caps[channel], 0, skuCount);
                SnapshotIo.writeInts(out, reserved[channel], 0, skuCount);
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
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            if (in.readBoolean())
            {
                ensureChannel(channel);
                SnapshotIo.readInts(in, caps[channel], 0, skuCount);
                SnapshotIo.readInts(in, reserved[channel], 0, skuCount);
            }
        }
    }

    public void clear()
    {
        for (int channel = 0; channel < MAX_CHANNELS; channel++)
        {
            caps[channel] = null;
            reserved[channel] = null;
        }
    }
}
