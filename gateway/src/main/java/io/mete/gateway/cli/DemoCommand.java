package io.mete.gateway.cli;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EngineTotals;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.CommandRejectedDecoder;
import io.mete.schema.SourcingStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * Runs the allocation core in-process on a workload and prints what it did: a first look at the
 * engine that needs nothing but a JDK.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Load the reference network, place a burst of orders through the core in-process, print a summary.")
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--orders", defaultValue = "2000000", description = "orders to place (default: ${DEFAULT-VALUE})")
    long orders;

    @Option(names = "--workload", defaultValue = "reference", description = "reference, scale, wide or hot-sku (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--strategy", defaultValue = "COST", description = "COST or FIRST_FIT (default: ${DEFAULT-VALUE})")
    SourcingStrategy strategy;

    private long rejected;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        final Workload spec = Workload.named(workload, strategy);
        final AllocationEngine engine = new AllocationEngine(
            EngineConfig.defaults()
                .expectedNodes(spec.nodes())
                .expectedSkus(spec.skus())
                .expectedOrders((int)Math.min(orders + 16, 1 << 26))
                .expectedLinesPerOrder(spec.linesPerOrder()),
            (buffer, offset, length) ->
            {
                if (buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) == CommandRejectedDecoder.TEMPLATE_ID)
                {
                    rejected++;
                }
            });
        final long epoch = 1_795_000_000_000L;
        final long[] sequence = {0};
        final long setupStart = System.nanoTime();
        final int setupCommands = ReferenceNetwork.build(spec, (buffer, offset, length) ->
            engine.apply(sequence[0]++, epoch, buffer, offset, length));
        final double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        out.printf("mete demo: workload %s, %d nodes, %d SKUs, %d positions, strategy %s (%d setup commands in %.2f s)%n",
            spec.name(), spec.nodes(), spec.skus(), engine.positions().positions(), strategy, setupCommands, setupSeconds);

        final OrderGenerator generator = new OrderGenerator(spec, 1 << 16, "DEMO-");
        final long start = System.nanoTime();
        long lastReport = start;
        for (long i = 0; i < orders; i++)
        {
            generator.next();
            engine.apply(sequence[0]++, epoch + i / 1000, generator.buffer(), generator.offset(), generator.length());
            if ((i & 0xFFFF) == 0)
            {
                final long now = System.nanoTime();
                if (now - lastReport > 500_000_000L)
                {
                    out.printf("\r  placed %,d / %,d orders (%.0f%%)", i, orders, 100.0 * i / orders);
                    out.flush();
                    lastReport = now;
                }
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        out.print("\r");
        final EngineTotals totals = engine.totals();
        out.printf("  placed %,d orders in %.2f s on one thread%n", orders, seconds);
        out.printf("%-28s %,.0f orders/s (%.0f ns/order)%n", "throughput:", orders / seconds, seconds * 1e9 / orders);
        out.printf("%-28s %.2f%%%n", "fill rate at placement:", 100 * totals.fillRate());
        out.printf("%-28s %.2f%% of orders in more than one shipment%n", "split rate:", 100 * totals.splitRate());
        out.printf("%-28s %.2f (rate card + handling, cents %,.1f)%n", "average cost per order:",
            totals.averageCostPerOrder() / 100.0, totals.averageCostPerOrder());
        out.printf("%-28s %,d units waiting%n", "backorders:", totals.unitsBackordered);
        out.printf("%-28s %,d shipments, %,d events, %,d rejected commands%n", "output:", totals.shipments,
            engine.eventsPublished(), rejected);
        out.printf("%-28s %,d bytes in position blocks (%.1f bytes/position)%n", "position memory:",
            engine.positions().footprintBytes(), (double)engine.positions().footprintBytes() / engine.positions().positions());
        out.printf("state-hash: %016x%n", engine.stateHash());
        return 0;
    }
}
