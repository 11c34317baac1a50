package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.schema.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageEncoderFlyweight;

import java.nio.ByteBuffer;

/**
 * Encodes events into one reusable buffer and hands them to the sink. Identifiers go out as the
 * OMS's own strings, copied straight from the interners' arenas, so publishing allocates nothing.
 */
final class EventPublisher
{
    static final int BUFFER_SIZE = 1 << 20;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_SIZE));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final CommandAcceptedEncoder accepted = new CommandAcceptedEncoder();
    private final CommandRejectedEncoder rejected = new CommandRejectedEncoder();
    private final OrderAllocatedEncoder allocated = new OrderAllocatedEncoder();
    private final LineBackorderedEncoder backordered = new LineBackorderedEncoder();
    private final BackorderFilledEncoder filled = new BackorderFilledEncoder();
    private final ShipmentReleasedEncoder released = new ShipmentReleasedEncoder();
    private final ShortfallResourcedEncoder resourced = new ShortfallResourcedEncoder();
    private final ShippedEncoder shipped = new ShippedEncoder();
    private final DeliveredEncoder delivered = new DeliveredEncoder();
    private final CancelledEncoder cancelled = new CancelledEncoder();
    private final ReturnedEncoder returned = new ReturnedEncoder();
    private final HoldExpiredEncoder holdExpired = new HoldExpiredEncoder();
    private final OrderRetiredEncoder orderRetired = new OrderRetiredEncoder();
    private final AvailabilityChangedEncoder availability = new AvailabilityChangedEncoder();

    private final AsciiInterner orders;
    private final AsciiInterner skus;
    private final AsciiInterner nodes;
    private EventSink sink;
    private long published;

    EventPublisher(final AsciiInterner orders, final AsciiInterner skus, final AsciiInterner nodes, final EventSink sink)
    {
        this.orders = orders;
        this.skus = skus;
        this.nodes = nodes;
        this.sink = sink;
    }

    private boolean countOnly;

    void sink(final EventSink sink)
    {
        this.sink = sink;
    }

    long published()
    {
        return published;
    }

    /**
     * Counts events instead of encoding and publishing them (replay of commands whose events are
     * journaled already): {@link #published} still goes up by one per event, nothing reaches the sink.
     */
    void countOnly(final boolean countOnly)
    {
        this.countOnly = countOnly;
    }

    /** In count-only mode, counts the event the caller was about to encode and says so. */
    private boolean counted()
    {
        if (countOnly)
        {
            published++;
            return true;
        }
        return false;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    MessageHeaderEncoder header()
    {
        return header;
    }

    void publish(final int length)
    {
        published++;
        sink.onEvent(buffer, 0, length);
    }

    /**
     * Appends an interned key as the message's next variable-length field, copied from the
     * interner's record: what {@code putOrderId(interner.key(id), 0, interner.length(id))} writes,
     * without the view and the second look-up of the length.
     */
    private void putKey(final MessageEncoderFlyweight message, final AsciiInterner interner, final int id)
    {
        final int limit = message.limit();
        message.limit(limit + interner.putVarAscii(id, buffer, limit));
    }

    void accepted(final long correlationId, final long sequence, final int templateId, final boolean duplicate)
    {
        if (counted())
        {
            return;
        }
        accepted.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .commandSequence(sequence)
            .templateId(templateId)
            .duplicate(duplicate ? BooleanType.TRUE : BooleanType.FALSE);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength());
    }

    void rejected(
        final long correlationId, final long sequence, final int templateId, final RejectReason reason, final byte[] text,
        final boolean duplicate)
    {
        if (counted())
        {
            return;
        }
        rejected.wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId)
            .commandSequence(sequence)
            .templateId(templateId)
            .reason(reason)
            .duplicate(duplicate ? BooleanType.TRUE : BooleanType.FALSE)
            .putText(text, 0, text.length);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + rejected.encodedLength());
    }

    OrderAllocatedEncoder.LinesEncoder beginAllocated(
        final int service, final int cost, final int promisedDay, final int lineCount)
    {
        if (countOnly)
        {
            return null;
        }
        allocated.wrapAndApplyHeader(buffer, 0, header)
            .service(ServiceLevel.get((short)service))
            .cost(cost)
            .promisedDay(promisedDay);
        return allocated.linesCount(lineCount);
    }

    void allocatedLine(final OrderAllocatedEncoder.LinesEncoder lines, final int lineNumber, final int quantity, final int sku)
    {
        if (countOnly)
        {
            return;
        }
        lines.next().lineNumber(lineNumber).quantity(quantity);
        // a line's SKU goes where the message has got to, like any variable-length field
        putKey(allocated, skus, sku);
    }

    void endAllocated(final int order, final int node)
    {
        if (counted())
        {
            return;
        }
        putKey(allocated, orders, order);
        putKey(allocated, nodes, node);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + allocated.encodedLength());
    }

    void backordered(final int order, final int lineNumber, final int sku, final int quantity)
    {
        if (counted())
        {
            return;
        }
        backordered.wrapAndApplyHeader(buffer, 0, header).lineNumber(lineNumber).quantity(quantity);
        putKey(backordered, orders, order);
        putKey(backordered, skus, sku);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + backordered.encodedLength());
    }

    void filled(final int order, final int lineNumber, final int sku, final int node, final int quantity, final int remaining)
    {
        if (counted())
        {
            return;
        }
        filled.wrapAndApplyHeader(buffer, 0, header).lineNumber(lineNumber).quantity(quantity).remainingBackordered(remaining);
        putKey(filled, orders, order);
        putKey(filled, skus, sku);
        putKey(filled, nodes, node);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + filled.encodedLength());
    }

    void released(final int order, final int node)
    {
        if (counted())
        {
            return;
        }
        released.wrapAndApplyHeader(buffer, 0, header);
        putKey(released, orders, order);
        putKey(released, nodes, node);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + released.encodedLength());
    }

    void resourced(final int order, final int lineNumber, final int quantity, final int fromNode)
    {
        if (counted())
        {
            return;
        }
        resourced.wrapAndApplyHeader(buffer, 0, header).lineNumber(lineNumber).quantity(quantity);
        putKey(resourced, orders, order);
        putKey(resourced, nodes, fromNode);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + resourced.encodedLength());
    }

    void shipped(final int order, final int node, final int quantity, final DirectBuffer tracking, final int offset, final int length)
    {
        if (counted())
        {
            return;
        }
        shipped.wrapAndApplyHeader(buffer, 0, header).quantity(quantity);
        putKey(shipped, orders, order);
        putKey(shipped, nodes, node);
        shipped.putTrackingId(tracking, offset, length);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + shipped.encodedLength());
    }

    void delivered(final int order, final int node)
    {
        if (counted())
        {
            return;
        }
        delivered.wrapAndApplyHeader(buffer, 0, header);
        putKey(delivered, orders, order);
        putKey(delivered, nodes, node);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + delivered.encodedLength());
    }

    void cancelled(final int order, final int lineNumber, final int quantity, final boolean orderCancelled)
    {
        if (counted())
        {
            return;
        }
        cancelled.wrapAndApplyHeader(buffer, 0, header).lineNumber(lineNumber).quantity(quantity)
            .orderCancelled(orderCancelled ? BooleanType.TRUE : BooleanType.FALSE);
        putKey(cancelled, orders, order);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + cancelled.encodedLength());
    }

    void returned(final int order, final int lineNumber, final int quantity, final boolean sellable, final int node)
    {
        if (counted())
        {
            return;
        }
        returned.wrapAndApplyHeader(buffer, 0, header).lineNumber(lineNumber).quantity(quantity)
            .sellable(sellable ? BooleanType.TRUE : BooleanType.FALSE);
        putKey(returned, orders, order);
        putKey(returned, nodes, node);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + returned.encodedLength());
    }

    void holdExpired(final int order)
    {
        if (counted())
        {
            return;
        }
        holdExpired.wrapAndApplyHeader(buffer, 0, header);
        putKey(holdExpired, orders, order);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + holdExpired.encodedLength());
    }

    void orderRetired(final int order, final int state)
    {
        if (counted())
        {
            return;
        }
        orderRetired.wrapAndApplyHeader(buffer, 0, header).finalState(OrderState.get((short)state));
        putKey(orderRetired, orders, order);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + orderRetired.encodedLength());
    }

    void availability(final int sku, final int node, final int atp)
    {
        if (counted())
        {
            return;
        }
        availability.wrapAndApplyHeader(buffer, 0, header).atp(atp);
        putKey(availability, skus, sku);
        putKey(availability, nodes, node);
        publish(MessageHeaderEncoder.ENCODED_LENGTH + availability.encodedLength());
    }
}
