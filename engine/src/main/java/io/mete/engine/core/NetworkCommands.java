package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.network.NodeTable;
import io.mete.engine.network.RateCard;
import io.mete.engine.order.BackorderQueue;
import io.mete.engine.order.OrderBook;
import io.mete.engine.sourcing.SourcingPlanner;
import io.mete.engine.sourcing.SourcingPolicies;
import io.mete.schema.*;

import static io.mete.engine.order.OrderBook.*;

/** Configuration commands: nodes, node status, the rate card, channel policies, channel caps and fences. */
final class NetworkCommands
{
    private final CommandContext ctx;
    private final Reservations reservations;
    private final AsciiInterner skuCodes;
    private final AsciiInterner nodeCodes;
    private final AsciiInterner channelCodes;
    private final NodeTable nodes;
    private final RateCard rateCard;
    private final ChannelAllocation channels;
    private final SourcingPolicies policies;
    private final SourcingPlanner planner;
    private final OrderRetirement retirement;
    /** What {@link #readKnownChannelAndSku} read. */
    private int knownChannel;
    private int knownSku;

    NetworkCommands(final AllocationEngine engine, final CommandContext ctx, final Reservations reservations, final SourcingPlanner planner)
    {
        this.ctx = ctx;
        this.reservations = reservations;
        this.skuCodes = engine.skuCodes();
        this.nodeCodes = engine.nodeCodes();
        this.channelCodes = engine.channelCodes();
        this.nodes = engine.nodes();
        this.rateCard = engine.rateCard();
        this.channels = engine.channels();
        this.policies = engine.policies();
        this.planner = planner;
        this.retirement = engine.retirement();
    }

    void onSetOrderRetention(final SetOrderRetentionDecoder d)
    {
        ctx.accept();
        retirement.retentionMillis(d.retentionMillis());
    }

    void onDefineNode(final DefineNodeDecoder d)
    {
        final int type = d.nodeTypeRaw();
        final int enabled = d.enabledRaw();
        final int handlingDays = d.handlingDays();
        final int latitude = d.latitude();
        final int longitude = d.longitude();
        final int capacity = d.dailyCapacity();
        final int handlingCost = d.handlingCost();
        final DefineNodeDecoder.ChannelsDecoder group = d.channels();
        if (group.actingBlockLength() < DefineNodeDecoder.ChannelsDecoder.sbeBlockLength())
        {
            ctx.malformed();
            return;
        }
        final int channelCount = group.count();
        if (channelCount > Limits.MAX_CHANNELS)
        {
            ctx.reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_CHANNELS);
            return;
        }
        int newChannels = 0;
        int known = 0;
        for (int i = 0; i < channelCount; i++)
        {
            group.next();
            final int length = group.channelLength();
            final int offset = d.limit() + 1;
            group.skipChannel();
            if (!ctx.checkString(offset, length, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
            {
                ctx.reject(ctx.rejectReason, ctx.rejectText);
                return;
            }
            ctx.scratchLine[i] = offset;
            ctx.scratchQuantity[i] = length;
            final int channel = channelCodes.find(ctx.view, offset, length);
            if (channel == AsciiInterner.MISSING && !namedEarlier(i, offset, length))
            {
                newChannels++;
            }
            else
            {
                known |= 1 << channel;
            }
        }
        if (!ctx.readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        d.skipNode();
        if (d.limit() > ctx.view.capacity())
        {
            ctx.malformed();
            return;
        }
        if (type > NodeTable.TYPE_DROPSHIP || enabled > 1 || Math.abs(latitude) > 90_000_000 ||
            Math.abs(longitude) > 180_000_000 || capacity < 0 || handlingCost < 0 || handlingDays > 60)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.NODE_VALUES);
            return;
        }
        if (channelCodes.size() + newChannels > Limits.MAX_CHANNELS)
        {
            ctx.reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_CHANNELS);
            return;
        }
        final boolean isNew = nodeCodes.find(ctx.view, ctx.stringOffset, ctx.stringLength) == AsciiInterner.MISSING;
        if (isNew && nodeCodes.size() >= Limits.MAX_NODES)
        {
            ctx.reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_NODES);
            return;
        }
        int mask = channelCount == 0 ? NodeTable.ALL_CHANNELS : known;
        for (int i = 0; i < channelCount; i++)
        {
            final int channel = ctx.internChannel(ctx.scratchLine[i], ctx.scratchQuantity[i]);
            mask |= 1 << channel;
        }
        final int node = nodeCodes.intern(ctx.view, ctx.stringOffset, ctx.stringLength);
        ctx.accept();
        nodes.define(node, type, enabled == 1, latitude, longitude, capacity, handlingCost, handlingDays, mask);
        planner.configChanged();
        reservations.allStockFreed();
    }

    void onSetNodeStatus(final SetNodeStatusDecoder d)
    {
        final int online = d.onlineRaw();
        if (!ctx.readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int node = ctx.knownNode();
        if (node < 0)
        {
            return;
        }
        if (online > 1)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.BAD_BOOLEAN);
            return;
        }
        ctx.accept();
        nodes.online(node, online == 1);
        planner.configChanged();
        if (online == 1)
        {
            reservations.allStockFreed();
        }
    }

    void onSetNodeCutoff(final SetNodeCutoffDecoder d)
    {
        final int minute = d.cutoffMinute();
        if (!ctx.readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int node = ctx.knownNode();
        if (node < 0)
        {
            return;
        }
        if (minute >= MINUTES_PER_DAY)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.BAD_CUTOFF);
            return;
        }
        ctx.accept();
        nodes.cutoffMinute(node, minute);
        planner.configChanged();
        // a later cutoff (or none) can bring the node back within an order's latest delivery day
        reservations.allStockFreed();
    }

    private static final int MINUTES_PER_DAY = 1440;

    void onSetRateCard(final SetRateCardDecoder d)
    {
        final SetRateCardDecoder.BandsDecoder bands = d.bands();
        if (bands.actingBlockLength() < SetRateCardDecoder.BandsDecoder.sbeBlockLength())
        {
            ctx.malformed();
            return;
        }
        final int bandCount = bands.count();
        if (bandCount == 0 || bandCount > Limits.MAX_ZONES)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.BAND_COUNT);
            return;
        }
        int previous = -1;
        for (int i = 0; i < bandCount; i++)
        {
            bands.next();
            final int km = bands.maxDistanceKm();
            if (km <= previous)
            {
                ctx.reject(RejectReason.INVALID_VALUE, Text.BANDS_ASCENDING);
                return;
            }
            previous = km;
            ctx.scratchLine[i] = km;
        }
        final SetRateCardDecoder.RatesDecoder rates = d.rates();
        if (rates.actingBlockLength() < SetRateCardDecoder.RatesDecoder.sbeBlockLength())
        {
            ctx.malformed();
            return;
        }
        final int rateCount = rates.count();
        if (rateCount > RateCard.SERVICES * Limits.MAX_ZONES)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.RATE_COUNT);
            return;
        }
        // validate all rates first, then apply; rates are re-read from the buffer
        final int ratesStart = d.limit();
        for (int i = 0; i < rateCount; i++)
        {
            rates.next();
            if (rates.serviceRaw() >= RateCard.SERVICES || rates.zone() >= bandCount || rates.cost() < 0)
            {
                ctx.reject(RejectReason.INVALID_VALUE, Text.RATE_VALUES);
                return;
            }
        }
        if (d.limit() > ctx.view.capacity())
        {
            ctx.malformed();
            return;
        }
        ctx.accept();
        rateCard.beginReplace();
        for (int i = 0; i < bandCount; i++)
        {
            rateCard.addBand(ctx.scratchLine[i]);
        }
        for (int i = 0; i < rateCount; i++)
        {
            final int entry = ratesStart + i * rates.actingBlockLength();
            rateCard.rate(
                ctx.view.getByte(entry + SetRateCardDecoder.RatesDecoder.serviceEncodingOffset()) & 0xFF,
                ctx.view.getByte(entry + SetRateCardDecoder.RatesDecoder.zoneEncodingOffset()) & 0xFF,
                ctx.view.getInt(entry + SetRateCardDecoder.RatesDecoder.costEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN),
                ctx.view.getByte(entry + SetRateCardDecoder.RatesDecoder.transitDaysEncodingOffset()) & 0xFF);
        }
        planner.configChanged();
        reservations.allStockFreed();
    }

    void onSetSourcingPolicy(final SetSourcingPolicyDecoder d)
    {
        final int strategy = d.strategyRaw();
        final int penalty = d.splitPenalty();
        final int maxShipments = d.maxShipments();
        final int split = d.allowLineSplitRaw();
        final int stores = d.storesEligibleRaw();
        final int shortfall = d.shortfallRaw();
        if (!ctx.readString(d.channelLength(), d.limit() + 1, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
        {
            return;
        }
        if (strategy > 1 || penalty < 0 || maxShipments < 1 || maxShipments > Limits.MAX_SHIPMENTS || split > 1 || stores > 1 ||
            shortfall > 1)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.POLICY_VALUES);
            return;
        }
        if (channelCodes.find(ctx.view, ctx.stringOffset, ctx.stringLength) == AsciiInterner.MISSING &&
            channelCodes.size() >= Limits.MAX_CHANNELS)
        {
            ctx.reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_CHANNELS);
            return;
        }
        final int channel = ctx.internChannel(ctx.stringOffset, ctx.stringLength);
        ctx.accept();
        policies.set(channel, strategy, penalty, maxShipments, split == 1, stores == 1, shortfall == 1);
        planner.configChanged();
        reservations.allStockFreed();
    }

    void onSetChannelCap(final SetChannelCapDecoder d)
    {
        final int cap = d.maxUnits();
        if (!readKnownChannelAndSku(d.limit()))
        {
            return;
        }
        ctx.accept();
        channels.setCap(knownChannel, knownSku, cap);
        reservations.stockFreed(knownSku);
    }

    void onSetChannelFence(final SetChannelFenceDecoder d)
    {
        final int units = d.fenceUnits();
        if (!readKnownChannelAndSku(d.limit()))
        {
            return;
        }
        if (units < 0 || units > Limits.MAX_FENCE_UNITS)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.FENCE_RANGE);
            return;
        }
        ctx.accept();
        final int before = channels.fence(knownChannel, knownSku);
        channels.setFence(knownChannel, knownSku, units);
        if (units < before)
        {
            reservations.stockFreed(knownSku); // the other channels' backorders may fit in what the fence let go
        }
    }

    /**
     * Reads the channel and the SKU that SetChannelCap and SetChannelFence end with (their strings
     * start at {@code varStart}), both of which must be known, into {@link #knownChannel} and
     * {@link #knownSku}; false when the command was rejected.
     */
    private boolean readKnownChannelAndSku(final int varStart)
    {
        final int channelLength = ctx.view.getByte(varStart) & 0xFF;
        if (!ctx.readString(channelLength, varStart + 1, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
        {
            return false;
        }
        final int channel = channelCodes.find(ctx.view, ctx.stringOffset, ctx.stringLength);
        final int skuStart = varStart + 1 + channelLength;
        if (!ctx.readString(ctx.view.getByte(skuStart) & 0xFF, skuStart + 1, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
        {
            return false;
        }
        if (channel == AsciiInterner.MISSING)
        {
            ctx.reject(RejectReason.UNKNOWN_CHANNEL, Text.UNKNOWN_CHANNEL);
            return false;
        }
        final int sku = skuCodes.find(ctx.view, ctx.stringOffset, ctx.stringLength);
        if (sku == AsciiInterner.MISSING)
        {
            ctx.reject(RejectReason.UNKNOWN_SKU, Text.UNKNOWN_SKU);
            return false;
        }
        knownChannel = channel;
        knownSku = sku;
        return true;
    }

    /** True when one of the node's first {@code count} channels has the same code (counted once). */
    private boolean namedEarlier(final int count, final int offset, final int length)
    {
        for (int j = 0; j < count; j++)
        {
            if (ctx.scratchQuantity[j] == length && sameBytes(ctx.scratchLine[j], offset, length))
            {
                return true;
            }
        }
        return false;
    }

    private boolean sameBytes(final int a, final int b, final int length)
    {
        for (int k = 0; k < length; k++)
        {
            if (ctx.view.getByte(a + k) != ctx.view.getByte(b + k))
            {
                return false;
            }
        }
        return true;
    }
}
