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
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The command being applied: its bytes, identity and outcome, and the parsing helpers every handler
 * shares. Handlers validate through it first and call {@link #accept()} only when nothing can fail
 * any more; everything that changes state comes after that call.
 */
final class CommandContext
{
    final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    long sequence;
    long correlationId;
    int clientId;
    int templateId;
    boolean changingState;
    RejectReason rejectReason;
    byte[] rejectText;

    // the last identifier read by readString
    int stringOffset;
    int stringLength;
    // resolved by readOrderAndNode / readNodeAndSku
    int order;
    int node;
    int afterIdentifiers;

    // scratch for parsing before any state changes
    final int[] scratchSku = new int[Limits.MAX_LINES];
    final int[] scratchQuantity = new int[Limits.MAX_LINES];
    final int[] scratchLine = new int[Limits.MAX_LINES];
    final int[] scratchFlag = new int[Limits.MAX_LINES];
    int[] skuStamp;
    private int stamp;

    private final AsciiInterner orderIds;
    private final AsciiInterner skuCodes;
    private final AsciiInterner nodeCodes;
    private final AsciiInterner channelCodes;
    private final PositionTable positions;
    private final ChannelAllocation channels;
    private final EventPublisher events;
    private final EngineTotals totals;
    private final ClientLedger ledger;

    CommandContext(
        final AsciiInterner orderIds,
        final AsciiInterner skuCodes,
        final AsciiInterner nodeCodes,
        final AsciiInterner channelCodes,
        final PositionTable positions,
        final ChannelAllocation channels,
        final EventPublisher events,
        final EngineTotals totals,
        final ClientLedger ledger,
        final int expectedSkus)
    {
        this.orderIds = orderIds;
        this.skuCodes = skuCodes;
        this.nodeCodes = nodeCodes;
        this.channelCodes = channelCodes;
        this.positions = positions;
        this.channels = channels;
        this.events = events;
        this.totals = totals;
        this.ledger = ledger;
        this.skuStamp = new int[Math.max(Limits.MAX_LINES, expectedSkus)];
    }

    /** Starts a command: nothing is known about it yet. */
    void begin(final long sequence)
    {
        this.sequence = sequence;
        this.correlationId = 0;
        this.clientId = 0;
        this.templateId = 0;
        this.changingState = false;
        this.rejectReason = null;
    }

    /** Sizes per-SKU scratch for SKUs that arrived without passing through {@link #internSku()} (snapshots). */
    void ensureSkus(final int skus)
    {
        if (skus > skuStamp.length)
        {
            skuStamp = java.util.Arrays.copyOf(skuStamp, skus);
        }
    }

    /**
     * Reads an order id and the node code right behind it, starting at {@code offset} (the decoder's
     * limit after its fixed fields and groups), and resolves both into {@link #order} and
     * {@link #node}; {@link #afterIdentifiers} is where the next field starts. On failure the
     * command is rejected and false returned.
     */
    boolean readOrderAndNode(final int offset)
    {
        final int orderLength = view.getByte(offset) & 0xFF;
        if (!readString(orderLength, offset + 1, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return false;
        }
        final int nodeAt = offset + 1 + orderLength;
        final int nodeLength = view.getByte(nodeAt) & 0xFF;
        if (!readString(nodeLength, nodeAt + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return false;
        }
        afterIdentifiers = nodeAt + 1 + nodeLength;
        order = knownOrder(offset + 1, orderLength);
        if (order < 0)
        {
            return false;
        }
        node = knownNode();
        return node >= 0;
    }

    /**
     * Reads a node code and the SKU code right behind it, starting at {@code offset}; resolves the
     * node into {@link #node} and leaves the SKU in {@link #stringOffset}/{@link #stringLength} for
     * the caller to look up or intern. On failure the command is rejected and false returned.
     */
    boolean readNodeAndSku(final int offset)
    {
        final int nodeLength = view.getByte(offset) & 0xFF;
        if (!readString(nodeLength, offset + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return false;
        }
        final int skuAt = offset + 1 + nodeLength;
        final int skuLength = view.getByte(skuAt) & 0xFF;
        if (!readString(skuLength, skuAt + 1, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
        {
            return false;
        }
        node = nodeCodes.find(view, offset + 1, nodeLength);
        if (node == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_NODE, Text.UNKNOWN_NODE);
            return false;
        }
        return true;
    }

    int internSku()
    {
        final int sku = skuCodes.intern(view, stringOffset, stringLength);
        positions.ensureSku(sku);
        channels.ensureSku(sku);
        if (sku >= skuStamp.length)
        {
            skuStamp = java.util.Arrays.copyOf(skuStamp, Math.max(sku + 1, skuStamp.length * 2));
        }
        return sku;
    }

    int internChannel(final int offset, final int length)
    {
        final int channel = channelCodes.intern(view, offset, length);
        channels.ensureChannel(channel);
        return channel;
    }

    int knownOrder()
    {
        return knownOrder(stringOffset, stringLength);
    }

    int knownOrder(final int offset, final int length)
    {
        final int order = orderIds.find(view, offset, length);
        if (order == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_ORDER, Text.UNKNOWN_ORDER);
        }
        return order;
    }

    int knownNode()
    {
        final int node = nodeCodes.find(view, stringOffset, stringLength);
        if (node == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_NODE, Text.UNKNOWN_NODE);
        }
        return node;
    }

    /** Validates a var-length identifier; on failure publishes the rejection and returns false. */
    boolean readString(final int length, final int offset, final int max, final byte[] tooLong, final byte[] notAscii)
    {
        if (!checkString(offset, length, max, tooLong, notAscii))
        {
            reject(rejectReason, rejectText);
            return false;
        }
        stringOffset = offset;
        stringLength = length;
        return true;
    }

    boolean checkString(final int offset, final int length, final int max, final byte[] tooLong, final byte[] notAscii)
    {
        if (offset + length > view.capacity())
        {
            rejectReason = RejectReason.MALFORMED;
            rejectText = Text.TRUNCATED;
            return false;
        }
        if (length > max)
        {
            rejectReason = RejectReason.STRING_TOO_LONG;
            rejectText = tooLong;
            return false;
        }
        if (length == 0)
        {
            rejectReason = RejectReason.STRING_NOT_ASCII;
            rejectText = notAscii;
            return false;
        }
        if (!isPrintableAscii(view, offset, length))
        {
            rejectReason = RejectReason.STRING_NOT_ASCII;
            rejectText = notAscii;
            return false;
        }
        return true;
    }

    /**
     * Checks one line of an order (PlaceOrder, QueryPromise): the SKU code at {@code offset} and the
     * quantity. A good line goes to {@link #scratchSku} and {@link #scratchQuantity} at {@code i};
     * otherwise false, with {@link #rejectReason} and {@link #rejectText} saying why. {@code stamp}
     * ({@link #nextStamp}, one per order) finds a SKU named on two lines.
     */
    boolean checkLine(final int i, final int quantity, final int offset, final int length, final int stamp)
    {
        if (!checkString(offset, length, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
        {
            return false;
        }
        final int sku = skuCodes.find(view, offset, length);
        if (sku == AsciiInterner.MISSING)
        {
            return lineError(RejectReason.UNKNOWN_SKU, Text.UNKNOWN_SKU);
        }
        if (quantity <= 0)
        {
            return lineError(RejectReason.QUANTITY_NOT_POSITIVE, Text.QUANTITY_NOT_POSITIVE);
        }
        if (quantity > Limits.MAX_LINE_QUANTITY)
        {
            return lineError(RejectReason.QUANTITY_TOO_LARGE, Text.QUANTITY_TOO_LARGE);
        }
        if (skuStamp[sku] == stamp)
        {
            return lineError(RejectReason.DUPLICATE_SKU_LINE, Text.DUPLICATE_SKU_LINE);
        }
        skuStamp[sku] = stamp;
        scratchSku[i] = sku;
        scratchQuantity[i] = quantity;
        return true;
    }

    private boolean lineError(final RejectReason reason, final byte[] text)
    {
        rejectReason = reason;
        rejectText = text;
        return false;
    }

    /** True when every byte is printable US-ASCII (0x20..0x7E): what identifiers may hold. */
    static boolean isPrintableAscii(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b < 0x20 || b > 0x7E)
            {
                return false;
            }
        }
        return true;
    }

    int nextStamp()
    {
        if (++stamp == Integer.MAX_VALUE)
        {
            java.util.Arrays.fill(skuStamp, 0);
            stamp = 1;
        }
        if (skuStamp.length < Limits.MAX_LINES)
        {
            skuStamp = java.util.Arrays.copyOf(skuStamp, Limits.MAX_LINES);
        }
        return stamp;
    }

    void accept()
    {
        changingState = true;
        totals.commandsAccepted++;
        if (clientId != 0)
        {
            ledger.record(clientId, correlationId, sequence, 0);
        }
        events.accepted(correlationId, sequence, templateId, false);
    }

    void malformed()
    {
        reject(RejectReason.MALFORMED, Text.TRUNCATED);
    }

    void reject(final RejectReason reason, final byte[] text)
    {
        totals.commandsRejected++;
        if (clientId != 0)
        {
            ledger.record(clientId, correlationId, sequence, reason.value());
        }
        events.rejected(correlationId, sequence, templateId, reason, text, false);
    }
}
