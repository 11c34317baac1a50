package io.mete.journal;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.AdjustReason;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded command stream for journal tests: a small reference-like network with a few scarce SKUs
 * (so orders backorder and stock arrivals fill them), then 80% orders from the reference {@link OrderGenerator}, 10%
 * stock adjustments (mostly receipts on the hot SKUs), 5% cancels of recent orders and 5% ship
 * confirmations (many rejected: the node is a guess), plus the odd tick. Commands are encoded in
 * pools up front, so producing one allocates nothing.
 */
final class MixedTraffic
{
    /** The reference network shrunk to 2,000 SKUs (a quick setup), with 2% of lines on 10 scarce SKUs. */
    static final Workload WORKLOAD = new Workload("journal-mix", 100, 2_000, 20, 1_000_000, 3, 0.02, 10, 200,
        SourcingStrategy.COST, Workload.SEED);

    private final SplittableRandom random;
    private final OrderGenerator orders;
    private final String prefix;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer adjustments = new UnsafeBuffer(new byte[64 * 1024]);
    private final int[] adjustmentOffsets = new int[1024];
    private final int[] adjustmentLengths = new int[1024];
    private UnsafeBuffer buffer;
    private int offset;
    private int length;
    private long correlation = 1;

    MixedTraffic(final long seed, final String prefix)
    {
        this.random = new SplittableRandom(seed);
        this.prefix = prefix;
        this.orders = new OrderGenerator(WORKLOAD, 4096, prefix);
        int at = 0;
        for (int i = 0; i < adjustmentOffsets.length; i++)
        {
            final int sku = random.nextInt(4) == 0 ? random.nextInt(WORKLOAD.skus()) : random.nextInt(WORKLOAD.hotSkus());
            final int node = WORKLOAD.stockingNode(sku, random.nextInt(WORKLOAD.nodesPerSku()));
            final int delta = random.nextInt(10) == 0 ? -random.nextInt(1, 5) : random.nextInt(1, 40);
            adjustmentOffsets[i] = at;
            adjustmentLengths[i] = writer.adjustOnHand(adjustments, at, 0, WORKLOAD.nodeCode(node), Workload.skuCode(sku), delta,
                delta > 0 ? AdjustReason.RECEIPT : AdjustReason.DAMAGE);
            at += adjustmentLengths[i];
        }
    }

    static EngineConfig engineConfig(final int orders)
    {
        return EngineConfig.defaults().expectedNodes(WORKLOAD.nodes()).expectedSkus(WORKLOAD.skus()).expectedOrders(orders)
            .expectedLinesPerOrder(WORKLOAD.linesPerOrder());
    }

    /** The setup commands (network, rate card, policy, stock), each encoded on its own. */
    static List<byte[]> setup()
    {
        final List<byte[]> commands = new ArrayList<>();
        ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            commands.add(copy);
        });
        return commands;
    }

    /** Encodes the next command; read it at {@link #buffer()}, {@link #offset()}, {@link #length()}. */
    void next()
    {
        final int roll = random.nextInt(100);
        if (roll < 80 || orders.generated() < 100)
        {
            orders.next();
            buffer = orders.buffer();
            offset = orders.offset();
            length = orders.length();
        }
        else if (roll < 90)
        {
            final int i = random.nextInt(adjustmentOffsets.length);
            buffer = adjustments;
            offset = adjustmentOffsets[i];
            length = adjustmentLengths[i];
            adjustments.putLong(offset + 8, correlation++, java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        else if (roll < 95)
        {
            final long id = orders.generated() - 1 - random.nextInt((int)Math.min(orders.generated(), 50));
            buffer = scratch;
            offset = 0;
            length = writer.cancelOrder(scratch, 0, correlation++, OrderGenerator.orderId(prefix, id));
        }
        else if (roll < 99)
        {
            final long id = orders.generated() - 1 - random.nextInt((int)Math.min(orders.generated(), 500));
            buffer = scratch;
            offset = 0;
            length = writer.confirmShipment(scratch, 0, correlation++, OrderGenerator.orderId(prefix, id),
                WORKLOAD.nodeCode(random.nextInt(WORKLOAD.nodes())), "T" + id);
        }
        else
        {
            buffer = scratch;
            offset = 0;
            length = writer.tick(scratch, 0, correlation++);
        }
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    int offset()
    {
        return offset;
    }

    int length()
    {
        return length;
    }
}
