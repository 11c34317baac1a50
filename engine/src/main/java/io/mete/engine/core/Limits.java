package io.mete.engine.core;

/** Limits the schema documents; anything beyond is rejected with its own reason code. */
public final class Limits
{
    public static final int ORDER_ID_LENGTH = 64;
    public static final int SKU_LENGTH = 32;
    public static final int NODE_LENGTH = 16;
    public static final int CHANNEL_LENGTH = 16;
    public static final int TRACKING_LENGTH = 64;
    public static final int MAX_LINES = 64;
    public static final int MAX_LINE_QUANTITY = 1_000_000;
    public static final int MAX_ON_HAND = 1_000_000_000;
    public static final int MAX_CHANNELS = io.mete.engine.inventory.ChannelAllocation.MAX_CHANNELS;
    public static final int MAX_FENCE_UNITS = io.mete.engine.inventory.ChannelAllocation.MAX_FENCE_UNITS;
    public static final int MAX_NODES = 65_536;
    public static final int MAX_SHIPMENTS = 16;
    public static final int MAX_ZONES = io.mete.engine.network.RateCard.MAX_ZONES;

    private Limits()
    {
    }
}
