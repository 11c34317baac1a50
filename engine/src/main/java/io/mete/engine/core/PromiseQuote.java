package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.sourcing.SourcingPlanner;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Answers QueryPromise (and ExplainSourcing, see {@link SourcingExplanationWriter}): runs the sourcing planner on the lines and destination exactly as PlaceOrder
 * would now, and reports the plan instead of committing it. This is the checkout's question ("can
 * it be delivered by Friday, and from where?") answered by the same code that will place the order,
 * so a promise made and an order placed straight after it agree shipment for shipment.
 * <p>
 * It is a query: validation failures are answered CommandRejected with the same reasons PlaceOrder
 * gives, and nothing in the state, the totals, the sequence or the clock changes. The planner's
 * scratch arrays are overwritten, which is safe because every plan starts from {@code begin}.
 */
final class PromiseQuote
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    private final AllocationEngine engine;
    private final CommandContext ctx;
    private final SourcingPlanner planner;
    private final EventPublisher events;
    private final QueryPromiseDecoder query = new QueryPromiseDecoder();
    private final PromiseEncoder promise = new PromiseEncoder();
    private final SourcingExplanationWriter explanation;

    /** Answers ExplainOrder for an order the book holds. */
    void explainOrder(final int order, final long correlationId)
    {
        explanation.explainOrder(order, correlationId);
    }
    private int templateId;

    PromiseQuote(final AllocationEngine engine, final CommandContext ctx, final SourcingPlanner planner, final EventPublisher events)
    {
        this.engine = engine;
        this.ctx = ctx;
        this.planner = planner;
        this.events = events;
        explanation = new SourcingExplanationWriter(engine, planner, events);
    }

    /**
     * Answers QueryPromise with Promise, or ExplainSourcing (the same fields in the same layout, so
     * QueryPromise's decoder reads both) with SourcingExplanation.
     */
    void answer(final int templateId, final UnsafeBuffer view, final int blockLength, final int version, final long correlationId)
    {
        this.templateId = templateId;
        if (blockLength < QueryPromiseDecoder.BLOCK_LENGTH)
        {
            throw new IndexOutOfBoundsException("block length");
        }
        final QueryPromiseDecoder d = query.wrap(view, HEADER, blockLength, version);
        final int service = d.serviceRaw();
        final int latitude = d.latitude();
        final int longitude = d.longitude();
        final int latestDay = d.latestDeliveryDay();
        final QueryPromiseDecoder.LinesDecoder lines = d.lines();
        if (lines.actingBlockLength() < QueryPromiseDecoder.LinesDecoder.sbeBlockLength())
        {
            reject(correlationId, RejectReason.MALFORMED, Text.TRUNCATED);
            return;
        }
        final int lineCount = lines.count();
        if (lineCount > Limits.MAX_LINES)
        {
            reject(correlationId, RejectReason.TOO_MANY_LINES, Text.TOO_MANY_LINES);
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
        final int channelLength = d.channelLength();
        final int channelOffset = d.limit() + 1;
        if (!ctx.checkString(channelOffset, channelLength, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
        {
            reject(correlationId, ctx.rejectReason, ctx.rejectText);
            return;
        }
        final int channel = engine.channelCodes().find(view, channelOffset, channelLength);
        if (channel == AsciiInterner.MISSING)
        {
            reject(correlationId, RejectReason.UNKNOWN_CHANNEL, Text.UNKNOWN_CHANNEL);
            return;
        }
        if (lineError != null)
        {
            reject(correlationId, lineError, lineText);
            return;
        }
        if (lineCount == 0)
        {
            reject(correlationId, RejectReason.NO_LINES, Text.NO_LINES);
            return;
        }
        if (service > 2 || Math.abs(latitude) > 90_000_000 || Math.abs(longitude) > 180_000_000 || latestDay < 0)
        {
            reject(correlationId, RejectReason.INVALID_VALUE, Text.PROMISE_VALUES);
            return;
        }

        planner.begin(-1, channel, service, latitude, longitude, latestDay, engine.today(), -1);
        for (int i = 0; i < lineCount; i++)
        {
            planner.request(ctx.scratchSku[i], ctx.scratchQuantity[i]);
        }
        final int short_ = planner.plan();
        if (templateId == ExplainSourcingDecoder.TEMPLATE_ID)
        {
            explanation.publish(correlationId, service, short_, ctx.scratchSku, SourcingExplanationWriter.IN_ORDER, lineCount);
        }
        else
        {
            publish(correlationId, service, channel, short_, lineCount);
        }
    }

    private void publish(final long correlationId, final int service, final int channel, final int short_, final int lineCount)
    {
        final SourcingPlanner planner = this.planner;
        final int shipments = planner.shipmentCount();
        promise.wrapAndApplyHeader(events.buffer(), 0, events.header())
            .correlationId(correlationId)
            .service(ServiceLevel.get((short)service))
            .today(engine.today())
            .deliveryDay(planner.deliveryDay())
            .totalCost(planner.totalCost())
            .unitsShort(short_)
            .shortfallAction(engine.policies().rejectShortfall(channel) ? ShortfallAction.REJECT : ShortfallAction.BACKORDER);
        final AsciiInterner nodes = engine.nodeCodes();
        final PromiseEncoder.ShipmentsEncoder shipmentGroup = promise.shipmentsCount(shipments);
        for (int s = 0; s < shipments; s++)
        {
            final int node = planner.shipmentNode(s);
            shipmentGroup.next()
                .cost(planner.shipmentCost(s))
                .promisedDay(planner.shipmentPromisedDay(s))
                .putNode(nodes.key(node), 0, nodes.length(node));
        }
        // by shipment, then in the order the planner assigned: as the OrderAllocated events list them
        final int assignments = planner.assignmentCount();
        final PromiseEncoder.LinesEncoder lineGroup = promise.linesCount(assignments);
        for (int s = 0; s < shipments; s++)
        {
            for (int a = 0; a < assignments; a++)
            {
                if (planner.assignmentShipment(a) == s)
                {
                    lineGroup.next()
                        .lineNumber(planner.assignmentRequest(a))
                        .shipment(s)
                        .quantity(planner.assignmentQuantity(a));
                }
            }
        }
        int shortLines = 0;
        for (int r = 0; r < lineCount; r++)
        {
            shortLines += planner.unfilled(r) > 0 ? 1 : 0;
        }
        final PromiseEncoder.ShortLinesEncoder shortGroup = promise.shortLinesCount(shortLines);
        for (int r = 0; r < lineCount; r++)
        {
            if (planner.unfilled(r) > 0)
            {
                shortGroup.next().lineNumber(r).quantity(planner.unfilled(r));
            }
        }
        events.publish(HEADER + promise.encodedLength());
    }

    private void reject(final long correlationId, final RejectReason reason, final byte[] text)
    {
        events.rejected(correlationId, engine.lastSequence(), templateId, reason, text, false);
    }
}
