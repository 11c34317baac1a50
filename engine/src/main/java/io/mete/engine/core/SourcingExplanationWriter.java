package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.order.OrderBook;
import io.mete.engine.sourcing.SourcingPlanner;
import io.mete.schema.MessageHeaderDecoder;
import io.mete.schema.NodeVerdict;
import io.mete.schema.ServiceLevel;
import io.mete.schema.SourcingExplanationEncoder;

import java.util.Arrays;

/**
 * Answers ExplainSourcing once the planner has planned the query's lines (see {@link PromiseQuote}):
 * every node holding any of the lines, by node id, with the planner's own verdict on it, its
 * distance, zone, cost and promised day, its stock of each line and what the plan takes from it;
 * then per line what the channel's cap and the other channels' fences leave it.
 * For the question an operator asks about a placement ("why did this ship from there, and why
 * not from the store next door?"). A query: nothing changes.
 */
final class SourcingExplanationWriter
{
    /** Nodes listed at most: keeps the answer within one output message (about 700 bytes a node with 64 lines). */
    static final int MAX_NODES = 512;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    private final AllocationEngine engine;
    private final SourcingPlanner planner;
    private final EventPublisher events;
    private final SourcingExplanationEncoder explanation = new SourcingExplanationEncoder();
    private int[] seen = new int[0];
    private int stamp;
    private int[] candidates = new int[0];
    private final int[] orderSkus = new int[Limits.MAX_LINES];
    private final int[] orderLines = new int[Limits.MAX_LINES];
    /** Line numbers of a question whose requests are its lines in order (ExplainSourcing). */
    static final int[] IN_ORDER = new int[Limits.MAX_LINES];

    static
    {
        for (int i = 0; i < IN_ORDER.length; i++)
        {
            IN_ORDER[i] = i;
        }
    }

    SourcingExplanationWriter(final AllocationEngine engine, final SourcingPlanner planner, final EventPublisher events)
    {
        this.engine = engine;
        this.planner = planner;
        this.events = events;
    }

    /**
     * Answers ExplainOrder: the order's backordered units (or, with none, its lines as ordered) planned
     * now for its own destination, service, delivery day and channel, with the nodes it excluded.
     */
    void explainOrder(final int order, final long correlationId)
    {
        final OrderBook book = engine.book();
        final int first = book.firstLine(order);
        final int count = book.lineCount(order);
        boolean waiting = false;
        for (int i = 0; i < count; i++)
        {
            waiting |= book.lineBackordered(first + i) > 0;
        }
        planner.begin(order, engine.today(), -1);
        int requests = 0;
        for (int i = 0; i < count; i++)
        {
            final int line = first + i;
            final int quantity = waiting ? book.lineBackordered(line) : book.lineQuantity(line);
            if (quantity > 0)
            {
                orderSkus[requests] = book.lineSku(line);
                orderLines[requests] = i;
                planner.request(book.lineSku(line), quantity);
                requests++;
            }
        }
        final int short_ = planner.plan();
        publish(correlationId, book.service(order), short_, orderSkus, orderLines, requests);
    }

    /**
     * The planner has planned {@code lineCount} requests, of {@code skus}, which are the lines
     * {@code lineNumbers} of the question; {@code short_} units were left unplanned.
     */
    void publish(final long correlationId, final int service, final int short_, final int[] skus, final int[] lineNumbers, final int lineCount)
    {
        final PositionTable positions = engine.positions();
        final int candidateCount = collectCandidates(positions, skus, lineCount);
        final int listed = Math.min(candidateCount, MAX_NODES);
        explanation.wrapAndApplyHeader(events.buffer(), 0, events.header())
            .correlationId(correlationId)
            .service(ServiceLevel.get((short)service))
            .today(engine.today())
            .deliveryDay(planner.deliveryDay())
            .totalCost(planner.totalCost())
            .unitsShort(short_)
            .nodesLeftOut(candidateCount - listed);
        final AsciiInterner nodeCodes = engine.nodeCodes();
        final AsciiInterner skuCodes = engine.skuCodes();
        final SourcingExplanationEncoder.NodesEncoder nodes = explanation.nodesCount(listed);
        for (int c = 0; c < listed; c++)
        {
            final int node = candidates[c];
            final int verdict = planner.verdict(node);
            nodes.next()
                .verdict(NodeVerdict.get((short)verdict))
                .distanceKm(planner.distanceKm(node))
                .zone((short)planner.explainedZone())
                .cost(planner.explainedCost())
                .promisedDay(planner.explainedPromisedDay())
                .shipment((short)shipmentAt(node));
            int held = 0;
            for (int r = 0; r < lineCount; r++)
            {
                held += positions.slotOf(skus[r], node) >= 0 ? 1 : 0;
            }
            final SourcingExplanationEncoder.NodesEncoder.LinesEncoder lines = nodes.linesCount(held);
            for (int r = 0; r < lineCount; r++)
            {
                final int slot = positions.slotOf(skus[r], node);
                if (slot >= 0)
                {
                    lines.next().lineNumber(lineNumbers[r]).atp(positions.atp(skus[r], slot)).planned(planned(r, node))
                        .putSku(skuCodes.key(skus[r]), 0, skuCodes.length(skus[r]));
                }
            }
            nodes.putNode(nodeCodes.key(node), 0, nodeCodes.length(node));
        }
        final ChannelAllocation channels = engine.channels();
        final int channel = planner.channel();
        final SourcingExplanationEncoder.LinesEncoder lines = explanation.linesCount(lineCount);
        for (int r = 0; r < lineCount; r++)
        {
            final int sku = skus[r];
            final int capRoom = sku < positions.skuCount() ? channels.headroom(channel, sku) : 0;
            lines.next()
                .lineNumber(lineNumbers[r])
                .quantity(planner.requestQuantity(r))
                .capRoom(capRoom == Integer.MAX_VALUE ? -1 : capRoom)
                .fenceRoom(channels.isFenced(sku) ? planner.fenceRoom(sku) : -1)
                .putSku(skuCodes.key(sku), 0, skuCodes.length(sku));
        }
        events.publish(HEADER + explanation.encodedLength());
    }

    /** Every node holding a position of any of the lines, ascending; returns how many. */
    private int collectCandidates(final PositionTable positions, final int[] skus, final int lineCount)
    {
        final int nodeCount = engine.nodeCodes().size();
        if (seen.length < nodeCount)
        {
            seen = new int[nodeCount];
            candidates = new int[nodeCount];
            stamp = 0;
        }
        if (++stamp == Integer.MAX_VALUE)
        {
            Arrays.fill(seen, 0);
            stamp = 1;
        }
        int count = 0;
        for (int r = 0; r < lineCount; r++)
        {
            final int sku = skus[r];
            for (int slot = 0; slot < positions.count(sku); slot++)
            {
                final int node = positions.node(sku, slot);
                if (seen[node] != stamp)
                {
                    seen[node] = stamp;
                    candidates[count++] = node;
                }
            }
        }
        Arrays.sort(candidates, 0, count);
        return count;
    }

    private int shipmentAt(final int node)
    {
        for (int s = 0; s < planner.shipmentCount(); s++)
        {
            if (planner.shipmentNode(s) == node)
            {
                return s;
            }
        }
        return -1;
    }

    private int planned(final int request, final int node)
    {
        int units = 0;
        for (int a = 0; a < planner.assignmentCount(); a++)
        {
            if (planner.assignmentRequest(a) == request && planner.assignmentNode(a) == node)
            {
                units += planner.assignmentQuantity(a);
            }
        }
        return units;
    }
}
