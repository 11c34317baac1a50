package io.mete.engine.command;

import io.mete.schema.*;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes commands into a buffer at an offset and returns the encoded length (header included).
 * A convenience for tools, tests and clients: it takes {@code String}s, so it allocates; the hot
 * paths (load generators, benchmarks) pre-encode their commands once.
 */
public final class CommandWriter
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final DefineNodeEncoder defineNode = new DefineNodeEncoder();
    private final SetNodeStatusEncoder setNodeStatus = new SetNodeStatusEncoder();
    private final SetRateCardEncoder setRateCard = new SetRateCardEncoder();
    private final SetSourcingPolicyEncoder setPolicy = new SetSourcingPolicyEncoder();
    private final SetChannelCapEncoder setChannelCap = new SetChannelCapEncoder();
    private final SetChannelFenceEncoder setChannelFence = new SetChannelFenceEncoder();
    private final SetOrderRetentionEncoder setOrderRetention = new SetOrderRetentionEncoder();
    private final SetOnHandEncoder setOnHand = new SetOnHandEncoder();
    private final AdjustOnHandEncoder adjustOnHand = new AdjustOnHandEncoder();
    private final SetSafetyStockEncoder setSafety = new SetSafetyStockEncoder();
    private final PlaceOrderEncoder placeOrder = new PlaceOrderEncoder();
    private final ReleaseHoldEncoder releaseHold = new ReleaseHoldEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final CancelLineEncoder cancelLine = new CancelLineEncoder();
    private final ConfirmPickEncoder confirmPick = new ConfirmPickEncoder();
    private final RejectAllocationEncoder rejectAllocation = new RejectAllocationEncoder();
    private final ConfirmShipmentEncoder confirmShipment = new ConfirmShipmentEncoder();
    private final ConfirmDeliveryEncoder confirmDelivery = new ConfirmDeliveryEncoder();
    private final ReturnItemsEncoder returnItems = new ReturnItemsEncoder();
    private final ChangeDeliveryEncoder changeDelivery = new ChangeDeliveryEncoder();
    private final TickEncoder tick = new TickEncoder();
    private final QueryOrderEncoder queryOrder = new QueryOrderEncoder();
    private final QueryAvailabilityEncoder queryAvailability = new QueryAvailabilityEncoder();
    private final QueryNodeLoadEncoder queryNodeLoad = new QueryNodeLoadEncoder();
    private final QueryTotalsEncoder queryTotals = new QueryTotalsEncoder();
    private final QueryStateHashEncoder queryStateHash = new QueryStateHashEncoder();
    private final QueryClientEncoder queryClient = new QueryClientEncoder();
    private final SetNodeCutoffEncoder setNodeCutoff = new SetNodeCutoffEncoder();
    private final ExplainOrderEncoder explainOrder = new ExplainOrderEncoder();
    private final QueryPromiseEncoder queryPromise = new QueryPromiseEncoder();

    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    public int defineNode(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String node, final NodeType type,
        final boolean enabled, final double latitude, final double longitude, final int dailyCapacity, final int handlingCost,
        final int handlingDays, final String... channels)
    {
        defineNode.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .nodeType(type)
            .enabled(bool(enabled))
            .handlingDays((short)handlingDays)
            .latitude(micros(latitude))
            .longitude(micros(longitude))
            .dailyCapacity(dailyCapacity)
            .handlingCost(handlingCost);
        final DefineNodeEncoder.ChannelsEncoder group = defineNode.channelsCount(channels.length);
        for (final String channel : channels)
        {
            group.next().channel(channel);
        }
        defineNode.node(node);
        return HEADER + defineNode.encodedLength();
    }

    public int setNodeStatus(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String node, final boolean online)
    {
        setNodeStatus.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).online(bool(online)).node(node);
        return HEADER + setNodeStatus.encodedLength();
    }

    /** SetNodeCutoff: {@code minute} after midnight UTC (0 = no cutoff). */
    public int setNodeCutoff(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String node, final int minute)
    {
        setNodeCutoff.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).cutoffMinute(minute).node(node);
        return HEADER + setNodeCutoff.encodedLength();
    }

    /**
     * Rate card: {@code bandsKm} ascending distance limits (zone i = first band the distance fits);
     * {@code rates} rows of {service ordinal, zone, cost cents, transit days}.
     */
    public int setRateCard(final MutableDirectBuffer buffer, final int offset, final long correlationId, final int[] bandsKm, final int[][] rates)
    {
        setRateCard.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId);
        final SetRateCardEncoder.BandsEncoder bands = setRateCard.bandsCount(bandsKm.length);
        for (final int km : bandsKm)
        {
            bands.next().maxDistanceKm(km);
        }
        final SetRateCardEncoder.RatesEncoder group = setRateCard.ratesCount(rates.length);
        for (final int[] rate : rates)
        {
            group.next()
                .service(ServiceLevel.get((short)rate[0]))
                .zone((short)rate[1])
                .cost(rate[2])
                .transitDays((short)rate[3]);
        }
        return HEADER + setRateCard.encodedLength();
    }

    public int setSourcingPolicy(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String channel, final SourcingStrategy strategy,
        final int splitPenalty, final int maxShipments, final boolean allowLineSplit, final boolean storesEligible,
        final ShortfallAction shortfall)
    {
        setPolicy.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .strategy(strategy)
            .splitPenalty(splitPenalty)
            .maxShipments((short)maxShipments)
            .allowLineSplit(bool(allowLineSplit))
            .storesEligible(bool(storesEligible))
            .shortfall(shortfall)
            .channel(channel);
        return HEADER + setPolicy.encodedLength();
    }

    public int setChannelCap(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String channel, final String sku, final int cap)
    {
        setChannelCap.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).maxUnits(cap).channel(channel).sku(sku);
        return HEADER + setChannelCap.encodedLength();
    }

    /** SetChannelFence: {@code units} of the SKU kept for the channel (0 removes the fence). */
    public int setChannelFence(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String channel, final String sku, final int units)
    {
        setChannelFence.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).fenceUnits(units).channel(channel).sku(sku);
        return HEADER + setChannelFence.encodedLength();
    }

    /** Closed orders are retired this long after their last change; negative keeps them forever. */
    public int setOrderRetention(final MutableDirectBuffer buffer, final int offset, final long correlationId, final long retentionMillis)
    {
        setOrderRetention.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).retentionMillis(retentionMillis);
        return HEADER + setOrderRetention.encodedLength();
    }

    public int setOnHand(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String node, final String sku, final int quantity)
    {
        setOnHand.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).quantity(quantity).node(node).sku(sku);
        return HEADER + setOnHand.encodedLength();
    }

    public int adjustOnHand(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String node, final String sku, final int delta,
        final AdjustReason reason)
    {
        adjustOnHand.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).delta(delta).reason(reason).node(node).sku(sku);
        return HEADER + adjustOnHand.encodedLength();
    }

    public int setSafetyStock(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String node, final String sku, final int quantity)
    {
        setSafety.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).quantity(quantity).node(node).sku(sku);
        return HEADER + setSafety.encodedLength();
    }

    /** Places an order with lines {@code skus[i] × quantities[i]}. */
    public int placeOrder(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final String channel,
        final int priority, final ServiceLevel service, final double latitude, final double longitude, final int latestDeliveryDay,
        final long holdUntil, final String[] skus, final int[] quantities)
    {
        placeOrder.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .priority((short)priority)
            .service(service)
            .latitude(micros(latitude))
            .longitude(micros(longitude))
            .latestDeliveryDay(latestDeliveryDay)
            .holdUntil(holdUntil);
        final PlaceOrderEncoder.LinesEncoder lines = placeOrder.linesCount(skus.length);
        for (int i = 0; i < skus.length; i++)
        {
            lines.next().quantity(quantities[i]).sku(skus[i]);
        }
        placeOrder.orderId(orderId).channel(channel);
        return HEADER + placeOrder.encodedLength();
    }

    public int releaseHold(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId)
    {
        releaseHold.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).orderId(orderId);
        return HEADER + releaseHold.encodedLength();
    }

    public int cancelOrder(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId)
    {
        cancelOrder.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).orderId(orderId);
        return HEADER + cancelOrder.encodedLength();
    }

    public int cancelLine(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final int lineNumber, final int quantity)
    {
        cancelLine.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).lineNumber(lineNumber).quantity(quantity)
            .orderId(orderId);
        return HEADER + cancelLine.encodedLength();
    }

    /** Pick confirmation: {@code lineNumbers[i]} picked {@code picked[i]} at the node. */
    public int confirmPick(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final String node,
        final int[] lineNumbers, final int[] picked)
    {
        confirmPick.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId);
        final ConfirmPickEncoder.LinesEncoder lines = confirmPick.linesCount(lineNumbers.length);
        for (int i = 0; i < lineNumbers.length; i++)
        {
            lines.next().lineNumber(lineNumbers[i]).pickedQuantity(picked[i]);
        }
        confirmPick.orderId(orderId).node(node);
        return HEADER + confirmPick.encodedLength();
    }

    public int rejectAllocation(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final String node)
    {
        rejectAllocation.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).orderId(orderId).node(node);
        return HEADER + rejectAllocation.encodedLength();
    }

    public int confirmShipment(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final String node, final String trackingId)
    {
        confirmShipment.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).orderId(orderId).node(node)
            .trackingId(trackingId);
        return HEADER + confirmShipment.encodedLength();
    }

    /** A new destination, service level and latest delivery day (epoch day, 0 for none) for an open order. */
    public int changeDelivery(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final ServiceLevel service,
        final double latitude, final double longitude, final int latestDeliveryDay)
    {
        changeDelivery.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .service(service)
            .latitude(micros(latitude))
            .longitude(micros(longitude))
            .latestDeliveryDay(latestDeliveryDay)
            .orderId(orderId);
        return HEADER + changeDelivery.encodedLength();
    }

    public int confirmDelivery(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final String node)
    {
        confirmDelivery.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).orderId(orderId).node(node);
        return HEADER + confirmDelivery.encodedLength();
    }

    public int returnItems(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId, final String node,
        final int[] lineNumbers, final int[] quantities, final boolean[] sellable)
    {
        returnItems.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId);
        final ReturnItemsEncoder.LinesEncoder lines = returnItems.linesCount(lineNumbers.length);
        for (int i = 0; i < lineNumbers.length; i++)
        {
            lines.next().lineNumber(lineNumbers[i]).quantity(quantities[i]).sellable(bool(sellable[i]));
        }
        returnItems.orderId(orderId).node(node);
        return HEADER + returnItems.encodedLength();
    }

    public int tick(final MutableDirectBuffer buffer, final int offset, final long correlationId)
    {
        tick.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId);
        return HEADER + tick.encodedLength();
    }

    public int queryOrder(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId)
    {
        queryOrder.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).orderId(orderId);
        return HEADER + queryOrder.encodedLength();
    }

    public int queryAvailability(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String sku)
    {
        queryAvailability.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).sku(sku);
        return HEADER + queryAvailability.encodedLength();
    }

    public int queryNodeLoad(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String node)
    {
        queryNodeLoad.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).node(node);
        return HEADER + queryNodeLoad.encodedLength();
    }

    public int queryTotals(final MutableDirectBuffer buffer, final int offset, final long correlationId)
    {
        queryTotals.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId);
        return HEADER + queryTotals.encodedLength();
    }

    public int queryStateHash(final MutableDirectBuffer buffer, final int offset, final long correlationId)
    {
        queryStateHash.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId);
        return HEADER + queryStateHash.encodedLength();
    }

    /** Where and when these lines would ship to this destination if placed now (answered with Promise). */
    public int queryPromise(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String channel, final ServiceLevel service,
        final double latitude, final double longitude, final int latestDeliveryDay, final String[] skus, final int[] quantities)
    {
        queryPromise.wrapAndApplyHeader(buffer, offset, header)
            .correlationId(correlationId)
            .service(service)
            .latitude(micros(latitude))
            .longitude(micros(longitude))
            .latestDeliveryDay(latestDeliveryDay);
        final QueryPromiseEncoder.LinesEncoder lines = queryPromise.linesCount(skus.length);
        for (int i = 0; i < skus.length; i++)
        {
            lines.next().quantity(quantities[i]).sku(skus[i]);
        }
        queryPromise.channel(channel);
        return HEADER + queryPromise.encodedLength();
    }

    /**
     * ExplainSourcing: QueryPromise's question, answered with every candidate node's verdict
     * (SourcingExplanation). The schema gives both messages the same fields in the same layout, so
     * it is QueryPromise's bytes under the other template id.
     */
    public int explainSourcing(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final String channel, final ServiceLevel service,
        final double latitude, final double longitude, final int latestDeliveryDay, final String[] skus, final int[] quantities)
    {
        final int length = queryPromise(buffer, offset, correlationId, channel, service, latitude, longitude, latestDeliveryDay, skus, quantities);
        header.wrap(buffer, offset).templateId(ExplainSourcingEncoder.TEMPLATE_ID);
        return length;
    }

    /** ExplainOrder: why the order waits, answered with SourcingExplanation. */
    public int explainOrder(final MutableDirectBuffer buffer, final int offset, final long correlationId, final String orderId)
    {
        explainOrder.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).orderId(orderId);
        return HEADER + explainOrder.encodedLength();
    }

    public int queryClient(final MutableDirectBuffer buffer, final int offset, final long correlationId, final int clientId)
    {
        queryClient.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).clientId(clientId);
        return HEADER + queryClient.encodedLength();
    }

    public static int micros(final double degrees)
    {
        return (int)Math.round(degrees * 1e6);
    }

    private static BooleanType bool(final boolean value)
    {
        return value ? BooleanType.TRUE : BooleanType.FALSE;
    }
}
