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
 * The whole engine in one command: a server on embedded defaults in a temporary data directory,
 * the reference network loaded through an ADMIN client, a burst of orders through several TCP
 * client connections, then a summary. {@code --in-process} runs the core alone instead.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Start a server in a temporary data directory, load the reference network, place a burst of orders",
        "through real TCP clients and print a summary (throughput, latency percentiles, fill, split, cost, backorders).",
        "--in-process: the core alone on one thread."})
public final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--orders", defaultValue = "-1", description = "orders to place (default: 500,000 over TCP, 2,000,000 --in-process)")
    long orders;

    @Option(names = "--in-process", description = "run the core alone on one thread (no server, journal or sockets)")
    boolean inProcess;

    @Option(names = "--connections", defaultValue = "3", description = "client connections placing orders (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--wait", defaultValue = "BLOCKING", description = "pipeline wait mode: BLOCKING, SLEEPING, YIELDING, BUSY_SPIN (default: ${DEFAULT-VALUE})")
    String waitMode;

    @Option(names = "--window", defaultValue = "64", description = "unanswered orders per connection at most (default: ${DEFAULT-VALUE}, max 1024)")
    int window;

    @Option(names = "--rate", defaultValue = "0", description = "open loop: orders per second over all connections, latency "
        + "measured from each order's scheduled send time (0 = as fast as the window allows)")
    long rate;

    @Option(names = "--verbose", description = "also print the gateway's counters")
    boolean verbose;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory for the demo server (default: a new temporary directory)")
    java.nio.file.Path data;

    @Option(names = "--workload", defaultValue = "reference", description = "reference, scale, wide or hot-sku (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--strategy", defaultValue = "COST", description = "COST or FIRST_FIT (default: ${DEFAULT-VALUE})")
    SourcingStrategy strategy;

    private long rejected;

    @Override
    public Integer call() throws Exception
    {
        if (inProcess)
        {
            return runInProcess(orders < 0 ? 2_000_000 : orders);
        }
        return new TcpDemo(this).run(orders < 0 ? 500_000 : orders);
    }

    /** The core alone on this thread: no ring, no journal, no sockets. */
    private Integer runInProcess(final long orders)
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
