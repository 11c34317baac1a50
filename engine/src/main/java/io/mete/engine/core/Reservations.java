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
 * What happens to stock once a command is accepted: reserving a plan, backordering what it could not
 * place, giving reservations back, re-sourcing shortfalls, keeping {@code reserved <= onHand}, and
 * serving the backorder queues of SKUs whose ATP rose.
 */
final class Reservations
{
    /** Book line of each planner request; set by whoever starts the plan. */
    final int[] requestLine = new int[SourcingPlanner.MAX_REQUESTS];

    private final OrderBook book;
    private final PositionTable positions;
    private final ChannelAllocation channels;
    private final NodeTable nodes;
    private final SourcingPlanner planner;
    private final BackorderQueue backorders;
    private final EventPublisher events;
    private final EngineTotals totals;
    private final EngineConfig config;
    private final CommandTime time;
    private final OrderRetirement retirement;

    // SKUs whose ATP rose during the command: their backorders are served after it
    private int[] freedSkus = new int[64];
    private int freedCount;
    private int[] freedStamp;
    private int freedEpoch = 1;

    Reservations(
        final OrderBook book,
        final PositionTable positions,
        final ChannelAllocation channels,
        final NodeTable nodes,
        final SourcingPlanner planner,
        final BackorderQueue backorders,
        final EventPublisher events,
        final EngineTotals totals,
        final EngineConfig config,
        final CommandTime time,
        final OrderRetirement retirement)
    {
        this.book = book;
        this.positions = positions;
        this.channels = channels;
        this.nodes = nodes;
        this.planner = planner;
        this.backorders = backorders;
        this.events = events;
        this.totals = totals;
        this.config = config;
        this.time = time;
        this.retirement = retirement;
        this.freedStamp = new int[Math.max(16, config.expectedSkus())];
    }

    boolean hasFreedStock()
    {
        return freedCount > 0;
    }

    void ensureSkus(final int skus)
    {
        if (skus > freedStamp.length)
        {
            freedStamp = java.util.Arrays.copyOf(freedStamp, skus);
        }
    }

    /** Reserves the planner's assignments for the order and publishes one OrderAllocated per shipment. */
    void commitPlan(final int order, final int allocationState, final boolean fromBackorder)
    {
        final SourcingPlanner planner = this.planner;
        final int channel = book.channel(order);
        final int service = book.service(order);
        final int first = book.firstLine(order);
        for (int s = 0, shipments = planner.shipmentCount(); s < shipments; s++)
        {
            final int node = planner.shipmentNode(s);
            if (!book.hasOpenShipmentAt(order, node) && !planner.shippedFromBeforeThisPlan(node))
            {
                nodes.countShipment(node, planner.leavesNextDay(node));
                totals.shipments++;
                totals.totalCost += planner.shipmentCost(s);
            }
            int lines = 0;
            for (int a = 0, n = planner.assignmentCount(); a < n; a++)
            {
                if (planner.assignmentShipment(a) != s)
                {
                    continue;
                }
                lines++;
                final int line = requestLine[planner.assignmentRequest(a)];
                final int sku = book.lineSku(line);
                final int quantity = planner.assignmentQuantity(a);
                positions.addReserved(sku, planner.assignmentSlot(a), quantity);
                channels.addReserved(channel, sku, quantity);
                book.allocate(order, line, node, quantity, allocationState);
                totals.unitsReservedEver += quantity;
                if (fromBackorder)
                {
                    book.addBackordered(line, -quantity);
                    totals.unitsBackordered -= quantity;
                    events.filled(order, line - first, sku, node, quantity, book.lineBackordered(line));
                }
            }
            final OrderAllocatedEncoder.LinesEncoder encoder =
                events.beginAllocated(service, planner.shipmentCost(s), planner.shipmentPromisedDay(s), lines);
            for (int a = 0, n = planner.assignmentCount(); a < n; a++)
            {
                if (planner.assignmentShipment(a) == s)
                {
                    final int line = requestLine[planner.assignmentRequest(a)];
                    events.allocatedLine(encoder, line - first, planner.assignmentQuantity(a), book.lineSku(line));
                }
            }
            events.endAllocated(order, node);
            if (allocationState == ALLOC_RELEASED)
            {
                events.released(order, node);
            }
        }
        if (config.publishAvailability())
        {
            for (int a = 0, n = planner.assignmentCount(); a < n; a++)
            {
                final int sku = book.lineSku(requestLine[planner.assignmentRequest(a)]);
                final int slot = planner.assignmentSlot(a);
                events.availability(sku, planner.assignmentNode(a), positions.atp(sku, slot));
            }
        }
    }

    /** Queues what the last plan could not place. */
    void backorderUnfilled(final int order)
    {
        final int first = book.firstLine(order);
        for (int r = 0, n = planner.requestCount(); r < n; r++)
        {
            final int missing = planner.unfilled(r);
            if (missing > 0)
            {
                final int line = requestLine[r];
                book.addBackordered(line, missing);
                totals.unitsBackordered += missing;
                backorders.add(book.lineSku(line), line, book);
                events.backordered(order, line - first, book.lineSku(line), missing);
            }
        }
    }

    /** Sources a line's quantity again (short pick, rejection, lost stock); what cannot be placed waits. */
    void resource(final int order, final int line, final int quantity, final int skipNode)
    {
        planner.begin(order, time.today, skipNode);
        planner.request(book.lineSku(line), quantity);
        requestLine[0] = line;
        planner.plan();
        commitPlan(order, book.state(order) == STATE_ON_HOLD ? ALLOC_RESERVED : ALLOC_RELEASED, false);
        backorderUnfilled(order);
    }

    /**
     * Sources quantities of several lines of an order again in one plan (a changed delivery), so the
     * planner can keep them together; what cannot be placed waits. {@code heldNodes} are the nodes
     * the order shipped from until now: planned there again, it is the same shipment.
     */
    void resource(final int order, final int[] lines, final int[] quantities, final int count, final int[] heldNodes, final int held)
    {
        planner.begin(order, time.today, -1);
        for (int i = 0; i < held; i++)
        {
            planner.shippedFromBefore(heldNodes[i]);
        }
        for (int r = 0; r < count; r++)
        {
            planner.request(book.lineSku(lines[r]), quantities[r]);
            requestLine[r] = lines[r];
        }
        planner.plan();
        commitPlan(order, book.state(order) == STATE_ON_HOLD ? ALLOC_RESERVED : ALLOC_RELEASED, false);
        backorderUnfilled(order);
    }

    /** Gives back {@code quantity} of an open allocation: the position, the channel and the line drop. */
    void unreserve(final int order, final int allocation, final int quantity)
    {
        final int line = book.allocationLine(allocation);
        final int sku = book.lineSku(line);
        final int node = book.allocationNode(allocation);
        final int slot = positions.slotOf(sku, node);
        positions.addReserved(sku, slot, -quantity);
        channels.addReserved(book.channel(order), sku, -quantity);
        book.reduceAllocation(allocation, quantity);
        availabilityChanged(sku, slot);
        stockFreed(sku);
    }
    /**
     * Keeps {@code reserved <= onHand} after on-hand dropped (WMS snapshot, damage, short pick):
     * the newest open reservations at the position are taken back and sourced elsewhere.
     */
    void enforceCoverage(final int sku, final int slot)
    {
        int excess = positions.reserved(sku, slot) - positions.onHand(sku, slot);
        if (excess <= 0)
        {
            return;
        }
        final int node = positions.node(sku, slot);
        // the SKU's open allocations, highest id first; re-sourcing adds allocations at other nodes only
        int next;
        for (int a = book.firstOpenAllocation(sku); a != NONE && excess > 0; a = next)
        {
            next = book.nextOpenAllocation(a);
            if (book.allocationNode(a) != node)
            {
                continue;
            }
            final int quantity = book.allocationQuantity(a);
            final int line = book.allocationLine(a);
            final int order = book.lineOrder(line);
            final int take = Math.min(quantity, excess);
            unreserve(order, a, take);
            excess -= take;
            events.resourced(order, line - book.firstLine(order), take, node);
            resource(order, line, take, node);
            refreshOrderState(order);
        }
    }

    void releaseReserved(final int order)
    {
        int lastNode = -1;
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            if (book.allocationState(a) == ALLOC_RESERVED)
            {
                book.allocationState(a, ALLOC_RELEASED);
            }
        }
        // one ShipmentReleased per node, in ascending node order
        while (true)
        {
            int next = Integer.MAX_VALUE;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                final int node = book.allocationNode(a);
                if (book.allocationState(a) == ALLOC_RELEASED && book.allocationQuantity(a) > 0 && node > lastNode && node < next)
                {
                    next = node;
                }
            }
            if (next == Integer.MAX_VALUE)
            {
                return;
            }
            events.released(order, next);
            lastNode = next;
        }
    }

    void refreshOrderState(final int order)
    {
        final int state = book.state(order);
        if ((state == STATE_OPEN || state == STATE_ON_HOLD) && book.isFinished(order))
        {
            close(order);
        }
    }

    /** Closes the order: completed when anything shipped, else cancelled; its retention starts now. */
    void close(final int order)
    {
        book.state(order, book.hasShipped(order) ? STATE_COMPLETED : STATE_CANCELLED);
        retirement.changed(order);
    }

    /** A delivery or return touched a closed order: its retention starts again. */
    void closedOrderChanged(final int order)
    {
        if (book.isClosed(order))
        {
            retirement.changed(order);
        }
    }

    int quantityAtNode(final int order, final int line, final int node, final int minState, final int maxState)
    {
        int total = 0;
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            final int state = book.allocationState(a);
            if (book.allocationNode(a) == node && (line < 0 || book.allocationLine(a) == line) && state >= minState && state <= maxState)
            {
                total += book.allocationQuantity(a);
            }
        }
        return total;
    }

    /** Cancels quantity of a line: backordered first, then open allocations, newest first. */
    void cancelFromLine(final int order, final int line, final int quantity)
    {
        int left = quantity;
        final int sku = book.lineSku(line);
        final int waiting = book.lineBackordered(line);
        if (waiting > 0)
        {
            final int take = Math.min(waiting, left);
            book.addBackordered(line, -take);
            totals.unitsBackordered -= take;
            if (book.lineBackordered(line) == 0)
            {
                backorders.remove(sku, line);
            }
            left -= take;
        }
        for (int a = book.allocationHead(order); a != NONE && left > 0; a = book.allocationNext(a))
        {
            if (book.allocationLine(a) != line || !isOpen(book.allocationState(a)) || book.allocationQuantity(a) == 0)
            {
                continue;
            }
            final int take = Math.min(book.allocationQuantity(a), left);
            unreserve(order, a, take);
            left -= take;
        }
        book.addCancelled(line, quantity);
        totals.unitsCancelled += quantity;
    }

    void cancelOpenQuantities(final int order)
    {
        final int first = book.firstLine(order);
        final int count = book.lineCount(order);
        int lastWithOpen = -1;
        for (int i = 0; i < count; i++)
        {
            if (book.lineOpen(first + i) > 0)
            {
                lastWithOpen = i;
            }
        }
        for (int i = 0; i < count; i++)
        {
            final int line = first + i;
            final int open = book.lineOpen(line);
            if (open > 0)
            {
                cancelFromLine(order, line, open);
                if (i == lastWithOpen)
                {
                    close(order);
                }
                events.cancelled(order, i, open, i == lastWithOpen && book.state(order) == STATE_CANCELLED);
            }
        }
        refreshOrderState(order);
    }

    void stockFreed(final int sku)
    {
        if (backorders.isEmpty(sku))
        {
            return;
        }
        if (sku >= freedStamp.length)
        {
            freedStamp = java.util.Arrays.copyOf(freedStamp, Math.max(sku + 1, freedStamp.length * 2));
        }
        if (freedStamp[sku] == freedEpoch)
        {
            return;
        }
        freedStamp[sku] = freedEpoch;
        if (freedCount == freedSkus.length)
        {
            freedSkus = java.util.Arrays.copyOf(freedSkus, freedCount * 2);
        }
        freedSkus[freedCount++] = sku;
    }

    void allStockFreed()
    {
        if (backorders.waitingLines() == 0)
        {
            return;
        }
        for (int sku = 0, n = positions.skuCount(); sku < n; sku++)
        {
            stockFreed(sku);
        }
    }

    /** Serves the backorder queues of SKUs whose ATP rose, in the order the SKUs were touched. */
    void serveFreedBackorders()
    {
        for (int i = 0; i < freedCount; i++)
        {
            fillBackorders(freedSkus[i]);
        }
        freedCount = 0;
        if (++freedEpoch == Integer.MAX_VALUE)
        {
            java.util.Arrays.fill(freedStamp, 0);
            freedEpoch = 1;
        }
    }

    void fillBackorders(final int sku)
    {
        int line = backorders.head(sku);
        while (line != NONE && positions.totalAtp(sku) > 0)
        {
            final int next = backorders.next(line);
            final int order = book.lineOrder(line);
            final int waiting = book.lineBackordered(line);
            planner.begin(order, time.today, -1);
            planner.request(sku, waiting);
            requestLine[0] = line;
            planner.plan();
            if (planner.assignmentCount() > 0)
            {
                commitPlan(order, book.state(order) == STATE_ON_HOLD ? ALLOC_RESERVED : ALLOC_RELEASED, true);
                if (book.lineBackordered(line) == 0)
                {
                    backorders.remove(sku, line);
                }
            }
            line = next;
        }
    }

    void availabilityChanged(final int sku, final int slot)
    {
        if (config.publishAvailability())
        {
            events.availability(sku, positions.node(sku, slot), positions.atp(sku, slot));
        }
    }
}
