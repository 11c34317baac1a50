package io.mete.engine.sourcing;

import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Sourcing policy per channel, set by command (so it is journaled like everything else).
 * A channel that was never given a policy uses the defaults below.
 */
public final class SourcingPolicies
{
    public static final int STRATEGY_COST = 0;
    public static final int STRATEGY_FIRST_FIT = 1;

    public static final int DEFAULT_SPLIT_PENALTY = 500;
    public static final int DEFAULT_MAX_SHIPMENTS = 4;

    private final byte[] strategy = new byte[ChannelAllocation.MAX_CHANNELS];
    private final int[] splitPenalty = new int[ChannelAllocation.MAX_CHANNELS];
    private final byte[] maxShipments = new byte[ChannelAllocation.MAX_CHANNELS];
    private final boolean[] allowLineSplit = new boolean[ChannelAllocation.MAX_CHANNELS];
    private final boolean[] storesEligible = new boolean[ChannelAllocation.MAX_CHANNELS];
    private final boolean[] rejectShortfall = new boolean[ChannelAllocation.MAX_CHANNELS];

    public SourcingPolicies()
    {
        clear();
    }

    public void clear()
    {
        for (int channel = 0; channel < ChannelAllocation.MAX_CHANNELS; channel++)
        {
            set(channel, STRATEGY_COST, DEFAULT_SPLIT_PENALTY, DEFAULT_MAX_SHIPMENTS, true, true, false);
        }
    }

    public void set(
        final int channel,
        final int strategy,
        final int splitPenalty,
        final int maxShipments,
        final boolean allowLineSplit,
        final boolean storesEligible,
        final boolean rejectShortfall)
    {
        this.strategy[channel] = (byte)strategy;
        this.splitPenalty[channel] = splitPenalty;
        this.maxShipments[channel] = (byte)maxShipments;
        this.allowLineSplit[channel] = allowLineSplit;
        this.storesEligible[channel] = storesEligible;
        this.rejectShortfall[channel] = rejectShortfall;
    }

    /** Writes every channel's policy (snapshots), set or default. */
    public void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(ChannelAllocation.MAX_CHANNELS);
        for (int channel = 0; channel < ChannelAllocation.MAX_CHANNELS; channel++)
        {
            out.writeByte(strategy[channel]);
            out.writeInt(splitPenalty[channel]);
            out.writeByte(maxShipments[channel]);
            out.writeBoolean(allowLineSplit[channel]);
            out.writeBoolean(storesEligible[channel]);
            out.writeBoolean(rejectShortfall[channel]);
        }
    }

    /** Replaces every channel's policy with those {@link #writeTo} wrote. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int channels = SnapshotIo.readCount(in, ChannelAllocation.MAX_CHANNELS, "policy channel");
        clear();
        for (int channel = 0; channel < channels; channel++)
        {
            strategy[channel] = in.readByte();
            splitPenalty[channel] = in.readInt();
            maxShipments[channel] = in.readByte();
            allowLineSplit[channel] = in.readBoolean();
            storesEligible[channel] = in.readBoolean();
            rejectShortfall[channel] = in.readBoolean();
        }
    }

    public int strategy(final int channel)
    {
        return strategy[channel];
    }

    public int splitPenalty(final int channel)
    {
        return splitPenalty[channel];
    }

    public int maxShipments(final int channel)
    {
        return maxShipments[channel];
    }

    public boolean allowLineSplit(final int channel)
    {
        return allowLineSplit[channel];
    }

    public boolean storesEligible(final int channel)
    {
        return storesEligible[channel];
    }

    public boolean rejectShortfall(final int channel)
    {
        return rejectShortfall[channel];
    }
}
