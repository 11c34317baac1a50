package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.network.NodeTable;
import io.mete.engine.order.OrderBook;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;

/** Answers read-only queries from the engine's state; a query never changes anything. */
final class QueryResponder
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final byte[] UNKNOWN_ORDER = AllocationEngine.ascii("unknown order id");
    private static final byte[] UNKNOWN_SKU = AllocationEngine.ascii("unknown SKU");
    private static final byte[] UNKNOWN_NODE = AllocationEngine.ascii("unknown node");
    private static final byte[] BAD_STRING = AllocationEngine.ascii("identifier empty or not printable ASCII");
    private static final byte[] TOO_LONG = AllocationEngine.ascii("identifier longer than its limit");
    private static final byte[] TRUNCATED = AllocationEngine.ascii("message shorter than its fields or strings claim");

    private final AllocationEngine engine;
    private final EventPublisher events;
    private final QueryOrderDecoder queryOrder = new QueryOrderDecoder();
    private final ExplainOrderDecoder explainOrder = new ExplainOrderDecoder();
    private final QueryAvailabilityDecoder queryAvailability = new QueryAvailabilityDecoder();
    private final QueryNodeLoadDecoder queryNodeLoad = new QueryNodeLoadDecoder();
    private final OrderStatusEncoder orderStatus = new OrderStatusEncoder();
    private final AvailabilityEncoder availability = new AvailabilityEncoder();
    private final NodeLoadEncoder nodeLoad = new NodeLoadEncoder();
    private final TotalsEncoder totals = new TotalsEncoder();
    private final StateHashEncoder stateHash = new StateHashEncoder();
    private final QueryClientDecoder queryClient = new QueryClientDecoder();
    private final ClientStatusEncoder clientStatus = new ClientStatusEncoder();

    private final PromiseQuote promise;

    QueryResponder(final AllocationEngine engine, final EventPublisher events, final PromiseQuote promise)
    {
        this.engine = engine;
        this.events = events;
        this.promise = promise;
    }

    void answer(final int templateId, final UnsafeBuffer view, final int blockLength, final int version, final long correlationId)
    {
        switch (templateId)
        {
            case QueryOrderDecoder.TEMPLATE_ID:
            {
                queryOrder.wrap(view, HEADER, blockLength, version);
                final int length = queryOrder.orderIdLength();
                final int offset = queryOrder.limit() + 1;
                final int id = lookup(engine.orderIds(), view, offset, length, correlationId, templateId, UNKNOWN_ORDER);
                if (id >= 0)
                {
                    orderStatus(id, correlationId);
                }
                break;
            }
            case QueryAvailabilityDecoder.TEMPLATE_ID:
            {
                queryAvailability.wrap(view, HEADER, blockLength, version);
                final int length = queryAvailability.skuLength();
                final int offset = queryAvailability.limit() + 1;
                final int id = lookup(engine.skuCodes(), view, offset, length, correlationId, templateId, UNKNOWN_SKU);
                if (id >= 0)
                {
                    availability(id, correlationId);
                }
                break;
            }
            case QueryNodeLoadDecoder.TEMPLATE_ID:
            {
                queryNodeLoad.wrap(view, HEADER, blockLength, version);
                final int length = queryNodeLoad.nodeLength();
                final int offset = queryNodeLoad.limit() + 1;
                final int id = lookup(engine.nodeCodes(), view, offset, length, correlationId, templateId, UNKNOWN_NODE);
                if (id >= 0)
                {
                    nodeLoad(id, correlationId);
                }
                break;
            }
            case QueryTotalsDecoder.TEMPLATE_ID:
                totals(correlationId);
                break;
            case QueryStateHashDecoder.TEMPLATE_ID:
                stateHash.wrapAndApplyHeader(events.buffer(), 0, events.header())
                    .correlationId(correlationId)
                    .lastSequence(engine.lastSequence())
                    .hash(engine.stateHash());
                events.publish(HEADER + stateHash.encodedLength());
                break;
            case QueryClientDecoder.TEMPLATE_ID:
            {
                if (blockLength < QueryClientDecoder.BLOCK_LENGTH)
                {
                    throw new IndexOutOfBoundsException("block length");
                }
                queryClient.wrap(view, HEADER, blockLength, version);
                final long client = queryClient.clientId();
                final long last = client < ClientLedger.MAX_CLIENTS ? engine.ledger().lastApplied((int)client) : ClientLedger.NONE;
                clientStatus.wrapAndApplyHeader(events.buffer(), 0, events.header())
                    .correlationId(correlationId)
                    .clientId(client)
                    .lastClientSequence(last)
                    .lastSequence(engine.lastSequence());
                events.publish(HEADER + clientStatus.encodedLength());
                break;
            }
            case ExplainOrderDecoder.TEMPLATE_ID:
            {
                explainOrder.wrap(view, HEADER, blockLength, version);
                final int length = explainOrder.orderIdLength();
                final int offset = explainOrder.limit() + 1;
                final int id = lookup(engine.orderIds(), view, offset, length, correlationId, templateId, UNKNOWN_ORDER);
                if (id >= 0)
                {
                    promise.explainOrder(id, correlationId);
                }
                break;
            }
            case QueryPromiseDecoder.TEMPLATE_ID:
            case ExplainSourcingDecoder.TEMPLATE_ID:
                promise.answer(templateId, view, blockLength, version, correlationId);
                break;
            default:
                throw new IllegalArgumentException("not a query: " + templateId);
        }
    }

    private int lookup(
        final AsciiInterner interner,
        final UnsafeBuffer view,
        final int offset,
        final int length,
        final long correlationId,
        final int templateId,
        final byte[] unknown)
    {
        if (offset + length > view.capacity())
        {
            events.rejected(correlationId, engine.lastSequence(), templateId, RejectReason.MALFORMED, TRUNCATED, false);
            return -1;
        }
        if (length > interner.maxLength())
        {
            events.rejected(correlationId, engine.lastSequence(), templateId, RejectReason.STRING_TOO_LONG, TOO_LONG, false);
            return -1;
        }
        if (length == 0 || !CommandContext.isPrintableAscii(view, offset, length))
        {
            events.rejected(correlationId, engine.lastSequence(), templateId, RejectReason.STRING_NOT_ASCII, BAD_STRING, false);
            return -1;
        }
        final int id = interner.find(view, offset, length);
        if (id < 0)
        {
            final RejectReason reason = interner == engine.orderIds() ? RejectReason.UNKNOWN_ORDER :
                interner == engine.skuCodes() ? RejectReason.UNKNOWN_SKU : RejectReason.UNKNOWN_NODE;
            events.rejected(correlationId, engine.lastSequence(), templateId, reason, unknown, false);
        }
        return id;
    }

    private void orderStatus(final int order, final long correlationId)
    {
        final OrderBook book = engine.book();
        final AsciiInterner skus = engine.skuCodes();
        final AsciiInterner nodes = engine.nodeCodes();
        orderStatus.wrapAndApplyHeader(events.buffer(), 0, events.header())
            .correlationId(correlationId)
            .state(OrderState.get((short)book.state(order)))
            .priority((short)book.priority(order))
            .service(ServiceLevel.get((short)book.service(order)));
        final int first = book.firstLine(order);
        final int count = book.lineCount(order);
        final OrderStatusEncoder.LinesEncoder lines = orderStatus.linesCount(count);
        for (int i = 0; i < count; i++)
        {
            final int line = first + i;
            final int sku = book.lineSku(line);
            lines.next()
                .lineNumber(i)
                .quantity(book.lineQuantity(line))
                .allocated(book.lineAllocated(line))
                .backordered(book.lineBackordered(line))
                .shipped(book.lineShipped(line))
                .cancelled(book.lineCancelled(line))
                .returned(book.lineReturned(line))
                .putSku(skus.key(sku), 0, skus.length(sku));
        }
        int allocations = 0;
        for (int a = book.allocationHead(order); a != OrderBook.NONE; a = book.allocationNext(a))
        {
            if (book.allocationQuantity(a) > 0)
            {
                allocations++;
            }
        }
        final OrderStatusEncoder.AllocationsEncoder encoder = orderStatus.allocationsCount(allocations);
        // oldest first, as the allocations were made
        for (int i = allocations - 1; i >= 0; i--)
        {
            int a = book.allocationHead(order);
            int seen = -1;
            while (true)
            {
                if (book.allocationQuantity(a) > 0 && ++seen == i)
                {
                    break;
                }
                a = book.allocationNext(a);
            }
            final int node = book.allocationNode(a);
            encoder.next()
                .lineNumber(book.allocationLine(a) - first)
                .quantity(book.allocationQuantity(a))
                .state(AllocationState.get((short)book.allocationState(a)))
                .putNode(nodes.key(node), 0, nodes.length(node));
        }
        final AsciiInterner orders = engine.orderIds();
        final AsciiInterner channels = engine.channelCodes();
        final int channel = book.channel(order);
        orderStatus.putOrderId(orders.key(order), 0, orders.length(order));
        orderStatus.putChannel(channels.key(channel), 0, channels.length(channel));
        events.publish(HEADER + orderStatus.encodedLength());
    }

    private void availability(final int sku, final long correlationId)
    {
        final PositionTable positions = engine.positions();
        final AsciiInterner nodes = engine.nodeCodes();
        long atp = 0;
        long onHand = 0;
        long reserved = 0;
        final int count = positions.count(sku);
        for (int slot = 0; slot < count; slot++)
        {
            atp += positions.atp(sku, slot);
            onHand += positions.onHand(sku, slot);
            reserved += positions.reserved(sku, slot);
        }
        availability.wrapAndApplyHeader(events.buffer(), 0, events.header())
            .correlationId(correlationId)
            .totalAtp(atp)
            .totalOnHand(onHand)
            .totalReserved(reserved);
        final AvailabilityEncoder.NodesEncoder group = availability.nodesCount(count);
        for (int slot = 0; slot < count; slot++)
        {
            final int node = positions.node(sku, slot);
            group.next()
                .onHand(positions.onHand(sku, slot))
                .reserved(positions.reserved(sku, slot))
                .safetyStock(positions.safety(sku, slot))
                .atp(positions.atp(sku, slot))
                .putNode(nodes.key(node), 0, nodes.length(node));
        }
        final AsciiInterner channelCodes = engine.channelCodes();
        final ChannelAllocation channels = engine.channels();
        final NodeTable nodeTable = engine.nodes();
        final AvailabilityEncoder.ChannelsEncoder channelGroup = availability.channelsCount(channelCodes.size());
        final long fencedAgainst = channels.isFenced(sku) ? engine.planner().sellableAtp(sku) : 0;
        for (int channel = 0; channel < channelCodes.size(); channel++)
        {
            // sellable to the channel: ATP at nodes serving it, within its cap and outside the other channels' fences
            long sellable = 0;
            for (int slot = 0; slot < count; slot++)
            {
                final int node = positions.node(sku, slot);
                if (nodeTable.isEnabled(node) && nodeTable.isOnline(node) && nodeTable.serves(node, channel))
                {
                    sellable += positions.atp(sku, slot);
                }
            }
            sellable = Math.min(sellable, channels.headroom(channel, sku));
            if (channels.isFenced(sku))
            {
                sellable = Math.min(sellable, channels.fenceHeadroom(channel, sku, fencedAgainst));
            }
            channelGroup.next()
                .maxUnits(channels.cap(channel, sku))
                .reserved(channels.reserved(channel, sku))
                .available(sellable)
                .fenceUnits(channels.fence(channel, sku))
                .putChannel(channelCodes.key(channel), 0, channelCodes.length(channel));
        }
        final AsciiInterner skus = engine.skuCodes();
        availability.putSku(skus.key(sku), 0, skus.length(sku));
        events.publish(HEADER + availability.encodedLength());
    }

    private void nodeLoad(final int node, final long correlationId)
    {
        final NodeTable nodes = engine.nodes();
        final OrderBook book = engine.book();
        final PositionTable positions = engine.positions();
        long reserved = 0;
        int positionCount = 0;
        for (int sku = 0; sku < positions.skuCount(); sku++)
        {
            final int slot = positions.slotOf(sku, node);
            if (slot >= 0)
            {
                positionCount++;
                reserved += positions.reserved(sku, slot);
            }
        }
        // open shipments: distinct orders with an open allocation at the node
        int openShipments = 0;
        for (int order = 0; order < book.orderCount(); order++)
        {
            if (!book.isClosed(order) && book.hasOpenShipmentAt(order, node))
            {
                openShipments++;
            }
        }
        final AsciiInterner codes = engine.nodeCodes();
        nodeLoad.wrapAndApplyHeader(events.buffer(), 0, events.header())
            .correlationId(correlationId)
            .online(nodes.isOnline(node) ? BooleanType.TRUE : BooleanType.FALSE)
            .enabled(nodes.isEnabled(node) ? BooleanType.TRUE : BooleanType.FALSE)
            .dailyCapacity(nodes.dailyCapacity(node))
            .shipmentsToday(nodes.shipmentsToday(node))
            .openShipments(openShipments)
            .reservedUnits(reserved)
            .positions(positionCount)
            .cutoffMinute(nodes.cutoffMinute(node))
            .shipmentsNextDay(nodes.shipmentsNextDay(node))
            .putNode(codes.key(node), 0, codes.length(node));
        events.publish(HEADER + nodeLoad.encodedLength());
    }

    private void totals(final long correlationId)
    {
        final EngineTotals t = engine.totals();
        totals.wrapAndApplyHeader(events.buffer(), 0, events.header())
            .correlationId(correlationId)
            .lastSequence(engine.lastSequence())
            .orders(t.orders)
            .lines(t.lines)
            .unitsOrdered(t.unitsOrdered)
            .unitsAllocatedAtPlacement(t.unitsAllocatedAtPlacement)
            .ordersSplit(t.ordersSplit)
            .shipments(t.shipments)
            .totalCost(t.totalCost)
            .unitsBackordered(t.unitsBackordered)
            .unitsShipped(t.unitsShipped)
            .unitsCancelled(t.unitsCancelled)
            .commandsAccepted(t.commandsAccepted)
            .commandsRejected(t.commandsRejected)
            .ordersRetired(engine.ordersRetired())
            .ordersKept(engine.orderIds().liveCount());
        events.publish(HEADER + totals.encodedLength());
    }
}
