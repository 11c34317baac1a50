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

/**
 * Order commands: placement (validate everything, plan, then record), holds, cancellations, and the
 * lifecycle confirmations from nodes (pick, rejection, shipment, delivery, return).
 */
final class OrderCommands
{
    private final CommandContext ctx;
    private final Reservations reservations;
    private final CommandTime time;
    /** Nodes a changed delivery took unpicked units back from. */
    private final int[] heldNodes = new int[Limits.MAX_LINES * Limits.MAX_SHIPMENTS];
    private final AsciiInterner orderIds;
    private final AsciiInterner channelCodes;
    private final PositionTable positions;
    private final ChannelAllocation channels;
    private final SourcingPolicies policies;
    private final SourcingPlanner planner;
    private final OrderBook book;
    private final HoldTimers holds;
    private final EventPublisher events;
    private final EngineTotals totals;

    OrderCommands(final AllocationEngine engine, final CommandContext ctx, final Reservations reservations, final CommandTime time,
        final SourcingPlanner planner, final EventPublisher events, final HoldTimers holds)
    {
        this.ctx = ctx;
        this.reservations = reservations;
        this.time = time;
        this.orderIds = engine.orderIds();
        this.channelCodes = engine.channelCodes();
        this.positions = engine.positions();
        this.channels = engine.channels();
        this.policies = engine.policies();
        this.planner = planner;
        this.book = engine.book();
        this.holds = holds;
        this.events = events;
        this.totals = engine.totals();
    }

    void onPlaceOrder(final PlaceOrderDecoder d)
    {
        final int priority = d.priority();
        final int service = d.serviceRaw();
        final int latitude = d.latitude();
        final int longitude = d.longitude();
        final int latestDay = d.latestDeliveryDay();
        final long holdUntil = d.holdUntil();
        final PlaceOrderDecoder.LinesDecoder lines = d.lines();
        if (lines.actingBlockLength() < PlaceOrderDecoder.LinesDecoder.sbeBlockLength())
        {
            ctx.malformed();
            return;
        }
        final int lineCount = lines.count();
        if (lineCount > Limits.MAX_LINES)
        {
            ctx.reject(RejectReason.TOO_MANY_LINES, Text.TOO_MANY_LINES);
            return;
        }
        final int stamp = ctx.nextStamp();
        RejectReason lineError = null;
        byte[] lineText = null;
        for (int i = 0; i < lineCount; i++)
        {
            lines.next();
            final int quantity = lines.quantity();
            final int length = lines.skuLength();
            final int offset = d.limit() + 1;
            lines.skipSku();
            if (lineError == null && !ctx.checkLine(i, quantity, offset, length, stamp))
            {
                lineError = ctx.rejectReason;
                lineText = ctx.rejectText;
            }
        }
        if (!ctx.readString(d.orderIdLength(), d.limit() + 1, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return;
        }
        final int orderOffset = ctx.stringOffset;
        final int orderLength = ctx.stringLength;
        d.skipOrderId();
        if (!ctx.readString(d.channelLength(), d.limit() + 1, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
        {
            return;
        }
        d.skipChannel();
        if (d.limit() > ctx.view.capacity())
        {
            ctx.malformed();
            return;
        }
        final int channel = channelCodes.find(ctx.view, ctx.stringOffset, ctx.stringLength);
        if (channel == AsciiInterner.MISSING)
        {
            ctx.reject(RejectReason.UNKNOWN_CHANNEL, Text.UNKNOWN_CHANNEL);
            return;
        }
        if (lineError != null)
        {
            ctx.reject(lineError, lineText);
            return;
        }
        if (lineCount == 0)
        {
            ctx.reject(RejectReason.NO_LINES, Text.NO_LINES);
            return;
        }
        if (service > 2 || Math.abs(latitude) > 90_000_000 || Math.abs(longitude) > 180_000_000 || latestDay < 0 || holdUntil < 0 ||
            (holdUntil != 0 && holdUntil <= time.now))
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.ORDER_VALUES);
            return;
        }
        if (orderIds.find(ctx.view, orderOffset, orderLength) != AsciiInterner.MISSING)
        {
            ctx.reject(RejectReason.DUPLICATE_ORDER, Text.DUPLICATE_ORDER);
            return;
        }

        // Plan before recording anything: under a REJECT policy a short order leaves no trace.
        planner.begin(-1, channel, service, latitude, longitude, latestDay, time.today, -1);
        for (int i = 0; i < lineCount; i++)
        {
            planner.request(ctx.scratchSku[i], ctx.scratchQuantity[i]);
        }
        final int shortfall = planner.plan();
        if (shortfall > 0 && policies.rejectShortfall(channel))
        {
            ctx.reject(RejectReason.INSUFFICIENT_STOCK, Text.INSUFFICIENT_STOCK);
            return;
        }

        final int order = orderIds.intern(ctx.view, orderOffset, orderLength);
        final boolean onHold = holdUntil != 0;
        book.addOrder(order, channel, priority, service, latitude, longitude, latestDay, holdUntil,
            onHold ? STATE_ON_HOLD : STATE_OPEN, ctx.sequence, lineCount);
        long units = 0;
        for (int i = 0; i < lineCount; i++)
        {
            reservations.requestLine[i] = book.addLine(order, ctx.scratchSku[i], ctx.scratchQuantity[i]);
            units += ctx.scratchQuantity[i];
        }
        if (onHold)
        {
            holds.add(holdUntil, order);
        }
        ctx.accept();
        final long reservedBefore = totals.unitsReservedEver;
        reservations.commitPlan(order, onHold ? ALLOC_RESERVED : ALLOC_RELEASED, false);
        reservations.backorderUnfilled(order);
        totals.orders++;
        totals.lines += lineCount;
        totals.unitsOrdered += units;
        totals.unitsAllocatedAtPlacement += totals.unitsReservedEver - reservedBefore;
        if (planner.shipmentCount() > 1)
        {
            totals.ordersSplit++;
        }
    }

    void onReleaseHold(final ReleaseHoldDecoder d)
    {
        if (!ctx.readString(d.orderIdLength(), d.limit() + 1, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return;
        }
        final int order = ctx.knownOrder();
        if (order < 0)
        {
            return;
        }
        if (book.state(order) != STATE_ON_HOLD)
        {
            ctx.reject(book.isClosed(order) ? RejectReason.ORDER_CLOSED : RejectReason.ORDER_NOT_ON_HOLD, Text.NOT_ON_HOLD);
            return;
        }
        ctx.accept();
        book.state(order, STATE_OPEN);
        reservations.releaseReserved(order);
        reservations.refreshOrderState(order);
    }

    void onCancelOrder(final CancelOrderDecoder d)
    {
        final int order = openOrder(d.orderIdLength(), d.limit() + 1);
        if (order < 0)
        {
            return;
        }
        ctx.accept();
        reservations.cancelOpenQuantities(order);
    }

    void onCancelLine(final CancelLineDecoder d)
    {
        final int lineNumber = d.lineNumber();
        final int quantity = d.quantity();
        final int order = openOrder(d.orderIdLength(), d.limit() + 1);
        if (order < 0)
        {
            return;
        }
        if (lineNumber >= book.lineCount(order))
        {
            ctx.reject(RejectReason.UNKNOWN_LINE, Text.UNKNOWN_LINE);
            return;
        }
        if (quantity <= 0)
        {
            ctx.reject(RejectReason.QUANTITY_NOT_POSITIVE, Text.QUANTITY_NOT_POSITIVE);
            return;
        }
        final int line = book.firstLine(order) + lineNumber;
        if (quantity > book.lineOpen(line))
        {
            ctx.reject(RejectReason.QUANTITY_EXCEEDS_OPEN, Text.CANCEL_EXCEEDS_OPEN);
            return;
        }
        ctx.accept();
        reservations.cancelFromLine(order, line, quantity);
        reservations.refreshOrderState(order);
        events.cancelled(order, lineNumber, quantity, book.state(order) == STATE_CANCELLED);
    }

    void onConfirmPick(final ConfirmPickDecoder d)
    {
        final ConfirmPickDecoder.LinesDecoder lines = d.lines();
        if (lines.actingBlockLength() < ConfirmPickDecoder.LinesDecoder.sbeBlockLength())
        {
            ctx.malformed();
            return;
        }
        final int count = lines.count();
        if (count > Limits.MAX_LINES)
        {
            ctx.reject(RejectReason.TOO_MANY_LINES, Text.TOO_MANY_LINES);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            lines.next();
            ctx.scratchLine[i] = lines.lineNumber();
            ctx.scratchQuantity[i] = lines.pickedQuantity();
        }
        if (!ctx.readOrderAndNode(d.limit()))
        {
            return;
        }
        final int order = ctx.order;
        final int node = ctx.node;
        if (!checkLifecycle(order))
        {
            return;
        }
        if (count == 0)
        {
            ctx.reject(RejectReason.NO_LINES, Text.NO_LINES);
            return;
        }
        final int stamp = ctx.nextStamp();
        for (int i = 0; i < count; i++)
        {
            final int lineNumber = ctx.scratchLine[i];
            if (lineNumber >= book.lineCount(order))
            {
                ctx.reject(RejectReason.UNKNOWN_LINE, Text.UNKNOWN_LINE);
                return;
            }
            if (ctx.skuStamp.length > lineNumber && ctx.skuStamp[lineNumber] == stamp)
            {
                ctx.reject(RejectReason.DUPLICATE_SKU_LINE, Text.DUPLICATE_PICK_LINE);
                return;
            }
            ctx.skuStamp[lineNumber] = stamp;
            final int atNode = reservations.quantityAtNode(order, book.firstLine(order) + lineNumber, node, ALLOC_RELEASED, ALLOC_RELEASED);
            if (atNode == 0)
            {
                ctx.reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_PICK);
                return;
            }
            if (ctx.scratchQuantity[i] < 0)
            {
                ctx.reject(RejectReason.QUANTITY_NOT_POSITIVE, Text.QUANTITY_NEGATIVE);
                return;
            }
            if (ctx.scratchQuantity[i] > atNode)
            {
                ctx.reject(RejectReason.QUANTITY_EXCEEDS_OPEN, Text.PICK_EXCEEDS);
                return;
            }
        }
        ctx.accept();
        for (int i = 0; i < count; i++)
        {
            final int line = book.firstLine(order) + ctx.scratchLine[i];
            int picked = ctx.scratchQuantity[i];
            int shortfall = 0;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                if (book.allocationLine(a) != line || book.allocationNode(a) != node ||
                    book.allocationState(a) != ALLOC_RELEASED || book.allocationQuantity(a) == 0)
                {
                    continue;
                }
                final int quantity = book.allocationQuantity(a);
                final int keep = Math.min(quantity, picked);
                picked -= keep;
                if (keep < quantity)
                {
                    final int missing = quantity - keep;
                    reservations.unreserve(order, a, missing);
                    shortfall += missing;
                }
                book.allocationState(a, ALLOC_PICKED);
            }
            if (shortfall > 0)
            {
                // The node could not find the units: its on-hand was wrong by the shortfall.
                final int sku = book.lineSku(line);
                final int slot = positions.slotOf(sku, node);
                positions.setOnHand(sku, slot, Math.max(0, positions.onHand(sku, slot) - shortfall));
                reservations.availabilityChanged(sku, slot);
                events.resourced(order, ctx.scratchLine[i], shortfall, node);
                reservations.resource(order, line, shortfall, node);
                reservations.enforceCoverage(sku, slot);
            }
        }
        reservations.refreshOrderState(order);
    }

    void onRejectAllocation(final RejectAllocationDecoder d)
    {
        if (!ctx.readOrderAndNode(d.limit()))
        {
            return;
        }
        final int order = ctx.order;
        final int node = ctx.node;
        if (book.isClosed(order))
        {
            ctx.reject(RejectReason.ORDER_CLOSED, Text.ORDER_CLOSED);
            return;
        }
        if (reservations.quantityAtNode(order, -1, node, ALLOC_RESERVED, ALLOC_RELEASED) == 0)
        {
            ctx.reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_REJECT);
            return;
        }
        ctx.accept();
        book.exclude(order, node);
        final int first = book.firstLine(order);
        for (int i = 0, n = book.lineCount(order); i < n; i++)
        {
            final int line = first + i;
            int taken = 0;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                if (book.allocationLine(a) == line && book.allocationNode(a) == node &&
                    book.allocationState(a) <= ALLOC_RELEASED && book.allocationQuantity(a) > 0)
                {
                    taken += book.allocationQuantity(a);
                    reservations.unreserve(order, a, book.allocationQuantity(a));
                }
            }
            if (taken > 0)
            {
                events.resourced(order, i, taken, node);
                reservations.resource(order, line, taken, -1);
            }
        }
        reservations.refreshOrderState(order);
    }

    /**
     * A new destination, service level or delivery day. Unpicked reservations are taken back and the
     * order's lines planned again together, as a placement would plan them for the new delivery;
     * picked and shipped units stay where they are.
     */
    void onChangeDelivery(final ChangeDeliveryDecoder d)
    {
        final int service = d.serviceRaw();
        final int latitude = d.latitude();
        final int longitude = d.longitude();
        final int latestDay = d.latestDeliveryDay();
        final int order = openOrder(d.orderIdLength(), d.limit() + 1);
        if (order < 0)
        {
            return;
        }
        if (service > 2 || Math.abs(latitude) > 90_000_000 || Math.abs(longitude) > 180_000_000 || latestDay < 0)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.DELIVERY_VALUES);
            return;
        }
        ctx.accept();
        book.delivery(order, service, latitude, longitude, latestDay);
        final int first = book.firstLine(order);
        final int[] lines = ctx.scratchLine;
        final int[] quantities = ctx.scratchQuantity;
        final int[] heldNodes = this.heldNodes;
        int held = 0;
        int count = 0;
        for (int i = 0, n = book.lineCount(order); i < n; i++)
        {
            final int line = first + i;
            int taken = 0;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                if (book.allocationLine(a) != line || book.allocationState(a) > ALLOC_RELEASED || book.allocationQuantity(a) == 0)
                {
                    continue;
                }
                final int node = book.allocationNode(a);
                final int quantity = book.allocationQuantity(a);
                held = addNode(heldNodes, held, node);
                reservations.unreserve(order, a, quantity);
                events.resourced(order, i, quantity, node);
                taken += quantity;
            }
            if (taken > 0)
            {
                lines[count] = line;
                quantities[count] = taken;
                count++;
            }
        }
        // the emptied allocations are reused by the new plan, so changing again and again grows nothing
        book.freeEmptyAllocations(order);
        if (count > 0)
        {
            reservations.resource(order, lines, quantities, count, heldNodes, held);
        }
    }

    void onConfirmShipment(final ConfirmShipmentDecoder d)
    {
        if (!ctx.readOrderAndNode(d.limit()))
        {
            return;
        }
        final int order = ctx.order;
        final int node = ctx.node;
        final int trackingLength = ctx.view.getByte(ctx.afterIdentifiers) & 0xFF;
        final int trackingOffset = ctx.afterIdentifiers + 1;
        if (trackingLength > 0 &&
            !ctx.checkString(trackingOffset, trackingLength, Limits.TRACKING_LENGTH, Text.TRACKING_TOO_LONG, Text.TRACKING_NOT_ASCII))
        {
            ctx.reject(ctx.rejectReason, ctx.rejectText);
            return;
        }
        if (!checkLifecycle(order))
        {
            return;
        }
        if (reservations.quantityAtNode(order, -1, node, ALLOC_RELEASED, ALLOC_PICKED) == 0)
        {
            ctx.reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_SHIP);
            return;
        }
        ctx.accept();
        int units = 0;
        final int channel = book.channel(order);
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            final int state = book.allocationState(a);
            final int quantity = book.allocationQuantity(a);
            if (book.allocationNode(a) != node || quantity == 0 || state < ALLOC_RELEASED || state > ALLOC_PICKED)
            {
                continue;
            }
            final int sku = book.lineSku(book.allocationLine(a));
            final int slot = positions.slotOf(sku, node);
            positions.ship(sku, slot, quantity);
            channels.addReserved(channel, sku, -quantity);
            if (channels.cap(channel, sku) != ChannelAllocation.NO_CAP)
            {
                reservations.stockFreed(sku); // room under the channel's cap: backorders it held back may fit now
            }
            book.shipAllocation(a);
            units += quantity;
        }
        totals.unitsShipped += units;
        events.shipped(order, node, units, ctx.view, trackingOffset, trackingLength);
        reservations.refreshOrderState(order);
    }

    void onConfirmDelivery(final ConfirmDeliveryDecoder d)
    {
        if (!ctx.readOrderAndNode(d.limit()))
        {
            return;
        }
        final int order = ctx.order;
        final int node = ctx.node;
        if (reservations.quantityAtNode(order, -1, node, ALLOC_SHIPPED, ALLOC_SHIPPED) == 0)
        {
            ctx.reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_DELIVER);
            return;
        }
        ctx.accept();
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            if (book.allocationNode(a) == node && book.allocationState(a) == ALLOC_SHIPPED && book.allocationQuantity(a) > 0)
            {
                book.allocationState(a, ALLOC_DELIVERED);
            }
        }
        events.delivered(order, node);
        reservations.closedOrderChanged(order);
    }

    void onReturnItems(final ReturnItemsDecoder d)
    {
        final ReturnItemsDecoder.LinesDecoder lines = d.lines();
        if (lines.actingBlockLength() < ReturnItemsDecoder.LinesDecoder.sbeBlockLength())
        {
            ctx.malformed();
            return;
        }
        final int count = lines.count();
        if (count > Limits.MAX_LINES)
        {
            ctx.reject(RejectReason.TOO_MANY_LINES, Text.TOO_MANY_LINES);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            lines.next();
            ctx.scratchLine[i] = lines.lineNumber();
            ctx.scratchQuantity[i] = lines.quantity();
            ctx.scratchFlag[i] = lines.sellableRaw();
        }
        if (!ctx.readOrderAndNode(d.limit()))
        {
            return;
        }
        final int order = ctx.order;
        final int node = ctx.node;
        if (count == 0)
        {
            ctx.reject(RejectReason.NO_LINES, Text.NO_LINES);
            return;
        }
        final int stamp = ctx.nextStamp();
        for (int i = 0; i < count; i++)
        {
            final int lineNumber = ctx.scratchLine[i];
            if (lineNumber >= book.lineCount(order))
            {
                ctx.reject(RejectReason.UNKNOWN_LINE, Text.UNKNOWN_LINE);
                return;
            }
            if (ctx.skuStamp[lineNumber] == stamp)
            {
                ctx.reject(RejectReason.DUPLICATE_SKU_LINE, Text.DUPLICATE_RETURN_LINE);
                return;
            }
            ctx.skuStamp[lineNumber] = stamp;
            if (ctx.scratchQuantity[i] <= 0)
            {
                ctx.reject(RejectReason.QUANTITY_NOT_POSITIVE, Text.QUANTITY_NOT_POSITIVE);
                return;
            }
            if (ctx.scratchFlag[i] > 1)
            {
                ctx.reject(RejectReason.INVALID_VALUE, Text.BAD_BOOLEAN);
                return;
            }
            final int line = book.firstLine(order) + lineNumber;
            if (ctx.scratchQuantity[i] > book.lineShipped(line) - book.lineReturned(line))
            {
                ctx.reject(RejectReason.RETURN_EXCEEDS_SHIPPED, Text.RETURN_EXCEEDS);
                return;
            }
        }
        ctx.accept();
        for (int i = 0; i < count; i++)
        {
            final int line = book.firstLine(order) + ctx.scratchLine[i];
            final int quantity = ctx.scratchQuantity[i];
            final boolean sellable = ctx.scratchFlag[i] == 1;
            book.addReturned(line, quantity);
            if (sellable)
            {
                final int sku = book.lineSku(line);
                final int slot = positions.slotOrCreate(sku, node);
                positions.setOnHand(sku, slot, (int)Math.min(Limits.MAX_ON_HAND, (long)positions.onHand(sku, slot) + quantity));
                reservations.availabilityChanged(sku, slot);
                reservations.stockFreed(sku);
            }
            events.returned(order, ctx.scratchLine[i], quantity, sellable, node);
        }
        reservations.closedOrderChanged(order);
    }

    /**
     * Adds the node to the first {@code count} of {@code nodes} unless it is there or the array is
     * full; returns the new count. (An order past that many nodes has its extra ones counted again
     * against their capacity when planned there again: a rare order, a small error.)
     */
    private static int addNode(final int[] nodes, final int count, final int node)
    {
        for (int i = 0; i < count; i++)
        {
            if (nodes[i] == node)
            {
                return count;
            }
        }
        if (count == nodes.length)
        {
            return count;
        }
        nodes[count] = node;
        return count + 1;
    }

    /** The open order the command names, or -1 once the command is rejected (bad or unknown id, order closed). */
    private int openOrder(final int idLength, final int idOffset)
    {
        if (!ctx.readString(idLength, idOffset, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return -1;
        }
        final int order = ctx.knownOrder();
        if (order >= 0 && book.isClosed(order))
        {
            ctx.reject(RejectReason.ORDER_CLOSED, Text.ORDER_CLOSED);
            return -1;
        }
        return order;
    }

    private boolean checkLifecycle(final int order)
    {
        if (book.state(order) == STATE_ON_HOLD)
        {
            ctx.reject(RejectReason.ORDER_ON_HOLD, Text.ON_HOLD);
            return false;
        }
        return true;
    }
}
