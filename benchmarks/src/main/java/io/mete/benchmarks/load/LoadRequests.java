package io.mete.benchmarks.load;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.gateway.protocol.Framing;
import io.mete.schema.*;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Frames of one connection, encoded once and patched in place: PlaceOrder from the workload's
 * {@link OrderGenerator} (order ids {@code prefix + 12 digits}), AdjustOnHand from a pool of stocked
 * positions, and CancelOrder, QueryOrder and ConfirmShipment templates whose order-id digits, node
 * code and correlation id are rewritten for each request. Nothing is allocated per request.
 */
final class LoadRequests
{
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int CORRELATION = Framing.HEADER_LENGTH + HEADER;
    private static final int ADJUST_POOL = 4096;

    private final Workload workload;
    private final String prefix;
    private final OrderGenerator orders;
    private long lastOrder = -1;

    private final UnsafeBuffer adjusts;
    private final int[] adjustOffsets;
    private final int[] adjustLengths;

    private final UnsafeBuffer cancel = new UnsafeBuffer(new byte[256]);
    private final int cancelLength;
    private final UnsafeBuffer lookup = new UnsafeBuffer(new byte[256]);
    private final int lookupLength;
    private final UnsafeBuffer confirm = new UnsafeBuffer(new byte[256]);
    private final int confirmLength;
    private final int confirmNodeAt;
    private final int nodeCodeLength;
    private final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[64]);
    private final int heartbeatLength;
    private final byte[][] nodeCodes;

    LoadRequests(final Workload workload, final String prefix, final boolean mixed)
    {
        this.workload = workload;
        this.prefix = prefix;
        this.orders = new OrderGenerator(workload, 4096, prefix);
        final CommandWriter writer = new CommandWriter();
        final String zeros = OrderGenerator.orderId(prefix, 0);
        nodeCodeLength = workload.nodeCode(0).length();
        nodeCodes = new byte[workload.nodes()][];
        for (int n = 0; n < workload.nodes(); n++)
        {
            nodeCodes[n] = workload.nodeCode(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        cancelLength = frame(cancel, writer.cancelOrder(cancel, Framing.HEADER_LENGTH, 0, zeros));
        lookupLength = frame(lookup, writer.queryOrder(lookup, Framing.HEADER_LENGTH, 0, zeros));
        confirmLength = frame(confirm, writer.confirmShipment(confirm, Framing.HEADER_LENGTH, 0, zeros, workload.nodeCode(0), "LOAD"));
        // ConfirmShipment: block, then orderId, node and trackingId, each behind a 1-byte length
        confirmNodeAt = CORRELATION + ConfirmShipmentEncoder.BLOCK_LENGTH + 1 + zeros.length() + 1;
        final HeartbeatEncoder hb = new HeartbeatEncoder();
        hb.wrapAndApplyHeader(heartbeat, Framing.HEADER_LENGTH, new MessageHeaderEncoder()).timestamp(0);
        heartbeatLength = frame(heartbeat, HEADER + hb.encodedLength());

        if (mixed)
        {
            final SplittableRandom random = new SplittableRandom(workload.seed() ^ 0x5EED);
            adjusts = new UnsafeBuffer(new byte[ADJUST_POOL * 96]);
            adjustOffsets = new int[ADJUST_POOL];
            adjustLengths = new int[ADJUST_POOL];
            int at = 0;
            for (int i = 0; i < ADJUST_POOL; i++)
            {
                final int sku = random.nextInt(workload.skus());
                final int node = workload.stockingNode(sku, random.nextInt(workload.nodesPerSku()));
                final int length = writer.adjustOnHand(adjusts, at + Framing.HEADER_LENGTH, 0, workload.nodeCode(node),
                    Workload.skuCode(sku), 1, AdjustReason.RECEIPT);
                Framing.writeHeader(adjusts, at, length);
                adjustOffsets[i] = at;
                adjustLengths[i] = Framing.HEADER_LENGTH + length;
                at += Framing.HEADER_LENGTH + length;
            }
        }
        else
        {
            adjusts = null;
            adjustOffsets = null;
            adjustLengths = null;
        }
    }

    private static int frame(final UnsafeBuffer buffer, final int messageLength)
    {
        Framing.writeHeader(buffer, 0, messageLength);
        return Framing.HEADER_LENGTH + messageLength;
    }

    /** Largest frame any request of this connection takes. */
    int maxFrameLength()
    {
        return Framing.HEADER_LENGTH + 96 + prefix.length() + OrderGenerator.ID_DIGITS + workload.linesPerOrder() * 16 + 64;
    }

    String prefix()
    {
        return prefix;
    }

    /** The order number of the last {@link #place}. */
    long lastOrder()
    {
        return lastOrder;
    }

    /** Writes the next PlaceOrder frame at {@code at}; returns the frame length. */
    int place(final MutableDirectBuffer dst, final int at, final long sequence)
    {
        lastOrder = orders.next();
        final int length = orders.length();
        Framing.writeHeader(dst, at, length);
        dst.putBytes(at + Framing.HEADER_LENGTH, orders.buffer(), orders.offset(), length);
        dst.putLong(at + CORRELATION, sequence, ByteOrder.LITTLE_ENDIAN);
        return Framing.HEADER_LENGTH + length;
    }

    int adjust(final MutableDirectBuffer dst, final int at, final long sequence, final long pick)
    {
        final int i = (int)(pick & (ADJUST_POOL - 1));
        dst.putBytes(at, adjusts, adjustOffsets[i], adjustLengths[i]);
        dst.putLong(at + CORRELATION, sequence, ByteOrder.LITTLE_ENDIAN);
        return adjustLengths[i];
    }

    int cancel(final MutableDirectBuffer dst, final int at, final long sequence, final long order)
    {
        return copyWithOrder(cancel, cancelLength, dst, at, sequence, order);
    }

    int lookup(final MutableDirectBuffer dst, final int at, final long sequence, final long order)
    {
        return copyWithOrder(lookup, lookupLength, dst, at, sequence, order);
    }

    int confirm(final MutableDirectBuffer dst, final int at, final long sequence, final long order, final int node)
    {
        final int length = copyWithOrder(confirm, confirmLength, dst, at, sequence, order);
        dst.putBytes(at + confirmNodeAt, nodeCodes[node], 0, nodeCodeLength);
        return length;
    }

    int heartbeat(final MutableDirectBuffer dst, final int at)
    {
        dst.putBytes(at, heartbeat, 0, heartbeatLength);
        return heartbeatLength;
    }

    /** CancelOrder, QueryOrder and ConfirmShipment all start with the correlation id and the order id. */
    private int copyWithOrder(
        final UnsafeBuffer template, final int length, final MutableDirectBuffer dst, final int at, final long sequence, final long order)
    {
        dst.putBytes(at, template, 0, length);
        dst.putLong(at + CORRELATION, sequence, ByteOrder.LITTLE_ENDIAN);
        OrderGenerator.putDigits(dst, at + CORRELATION + 8 + 1 + prefix.length(), order);
        return length;
    }

    /** Node number from its code ({@code N000}, {@code N0000}); -1 when it is not one of the workload's. */
    static int nodeNumber(final byte[] code, final int length)
    {
        if (length < 2 || code[0] != 'N')
        {
            return -1;
        }
        int n = 0;
        for (int i = 1; i < length; i++)
        {
            final int d = code[i] - '0';
            if (d < 0 || d > 9)
            {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }
}
