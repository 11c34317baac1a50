package io.mete.gateway.cli;

import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.server.MeteServer;
import io.mete.gateway.server.ServerLog;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.Role;
import io.mete.schema.TotalsDecoder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mete demo} over real sockets: server, ADMIN setup client, order clients, summary.
 * Latency is measured per order from the send call to its answer arriving (closed loop, at most
 * the in-flight window per connection), so it includes queueing behind the window.
 */
final class TcpDemo
{
    private static final int ADMIN = 1;
    private static final int FIRST_ORDERS_CLIENT = 10;

    private final DemoCommand options;
    private final PrintStream out = System.out;

    TcpDemo(final DemoCommand options)
    {
        this.options = options;
    }

    int run(final long orders) throws Exception
    {
        final Workload spec = Workload.named(options.workload, options.strategy);
        final Path data = options.data != null ? options.data : Files.createTempDirectory("mete-demo-");
        final GatewayConfig config = new GatewayConfig();
        config.port = 0;
        config.dataDir = data;
        config.waitMode = options.waitMode.toUpperCase(java.util.Locale.ROOT);
        config.expectedOrders = (int)Math.min(orders + 1024, 1 << 26);
        config.clients = new ClientRegistry();
        final SecureRandom random = new SecureRandom();
        final String[] secrets = new String[FIRST_ORDERS_CLIENT + options.connections];
        for (int id = ADMIN; id < secrets.length; id++)
        {
            if (id == ADMIN || id >= FIRST_ORDERS_CLIENT)
            {
                final byte[] bytes = new byte[16];
                random.nextBytes(bytes);
                secrets[id] = HexFormat.of().formatHex(bytes);
                config.clients.add(new ClientRegistry.Client(id, secrets[id], id == ADMIN ? Role.ADMIN : Role.ORDERS));
            }
        }
        ServerLog.level(ServerLog.WARN);
        out.printf("mete demo: starting a server with its journal in %s%n", data.toAbsolutePath());
        final MeteServer server = MeteServer.start(config, MeteVersion.version());
        final int port = server.address().getPort();
        try
        {
            final long setupStart = System.nanoTime();
            final int setupCommands;
            try (MeteClient admin = MeteClient.connect(options(port, ADMIN, secrets[ADMIN])))
            {
                setupCommands = load(admin, spec);
            }
            out.printf("  loaded the %s network over TCP: %d nodes, %,d SKUs, %,d setup commands in %.2f s%n", spec.name(), spec.nodes(),
                spec.skus(), setupCommands, (System.nanoTime() - setupStart) / 1e9);

            final Recorder latency = new Recorder(3);
            final AtomicLong answered = new AtomicLong();
            final AtomicLong rejected = new AtomicLong();
            final List<Thread> senders = new ArrayList<>();
            final List<MeteClient> clients = new ArrayList<>();
            for (int c = 0; c < options.connections; c++)
            {
                final int id = FIRST_ORDERS_CLIENT + c;
                final MeteClient.Options orderOptions = options(port, id, secrets[id]);
                orderOptions.maxInFlight = Math.max(1, Math.min(1024, options.window));
                clients.add(MeteClient.connect(orderOptions));
            }
            final long start = System.nanoTime();
            for (int c = 0; c < options.connections; c++)
            {
                final MeteClient client = clients.get(c);
                final long share = orders / options.connections + (c < orders % options.connections ? 1 : 0);
                final String prefix = "DEMO-" + c + "-";
                final long intervalNs = options.rate > 0 ? Math.max(1, options.connections * 1_000_000_000L / options.rate) : 0;
                final Thread sender = new Thread(() -> placeOrders(client, spec, prefix, share, intervalNs, latency, answered, rejected),
                    "demo-orders-" + c);
                sender.start();
                senders.add(sender);
            }
            long lastPrint = 0;
            long lastAnswered = 0;
            long lastNs = start;
            while (answered.get() < orders && senders.stream().anyMatch(Thread::isAlive))
            {
                Thread.sleep(50);
                final long now = System.nanoTime();
                if (now - lastPrint > 500_000_000L)
                {
                    final long done = answered.get();
                    out.printf("\r  placed %,d / %,d orders (%.0f%%), %,.0f orders/s   ", done, orders, 100.0 * done / orders,
                        (done - lastAnswered) * 1e9 / (now - lastNs));
                    out.flush();
                    lastPrint = now;
                    lastAnswered = done;
                    lastNs = now;
                }
            }
            for (final Thread sender : senders)
            {
                sender.join();
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            out.print("\r" + " ".repeat(78) + "\r");
            final Histogram histogram = latency.getIntervalHistogram();
            final TotalsDecoder totals = clients.get(0).totals().wrap(new TotalsDecoder());
            final String promise = promise(clients.get(0));
            for (final MeteClient client : clients)
            {
                client.close();
            }
            out.printf("  placed %,d orders in %.2f s over %d TCP connections, at most %d unanswered each (journal on, %s, written by the %s thread, %s waits)%n",
                answered.get(), seconds, options.connections, clients.get(0).maxInFlight(), config.durability,
                config.journalOnEngineThread() ? "engine" : "journal", config.waitMode);
            out.printf("%-28s %,.0f orders/s%n", "throughput:", answered.get() / seconds);
            out.printf("%-28s p50 %s  p90 %s  p99 %s  p99.9 %s  p99.99 %s  max %s%n",
                options.rate > 0 ? "latency (open loop, " + options.rate + "/s):" : "latency (closed loop):",
                micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(90)),
                micros(histogram.getValueAtPercentile(99)), micros(histogram.getValueAtPercentile(99.9)),
                micros(histogram.getValueAtPercentile(99.99)), micros(histogram.getMaxValue()));
            final double fill = totals.unitsOrdered() == 0 ? 0 : (double)totals.unitsAllocatedAtPlacement() / totals.unitsOrdered();
            out.printf("%-28s %.2f%%%n", "fill rate at placement:", 100 * fill);
            out.printf("%-28s %.2f%% of orders in more than one shipment%n", "split rate:",
                totals.orders() == 0 ? 0.0 : 100.0 * totals.ordersSplit() / totals.orders());
            out.printf("%-28s %.2f%n", "average cost per order:", totals.orders() == 0 ? 0.0 : totals.totalCost() / 100.0 / totals.orders());
            out.printf("%-28s %,d units waiting%n", "backorders:", totals.unitsBackordered());
            out.printf("%-28s %,d accepted, %,d rejected (last sequence %,d)%n", "commands:", totals.commandsAccepted(),
                totals.commandsRejected(), totals.lastSequence());
            if (rejected.get() > 0)
            {
                out.printf("%-28s %,d orders rejected%n", "rejected:", rejected.get());
            }
            out.printf("%-28s %s%n", "a promise, before ordering:", promise);
        }
        finally
        {
            if (options.verbose)
            {
                out.printf("%-28s %s%n", "gateway:", server.gateway().stats());
            }
            server.close();
        }
        out.printf("%-28s %s (commands/, events/, snapshots/)%n", "journal:", data.toAbsolutePath());
        out.printf("  inspect it with ./mete journal tools; start a server on it with ./mete server --data %s%n", data.toAbsolutePath());
        return 0;
    }

    private static MeteClient.Options options(final int port, final int clientId, final String secret)
    {
        final MeteClient.Options options = new MeteClient.Options("127.0.0.1", port, clientId, secret);
        options.autoFlush = false;
        options.requestTimeoutMs = 120_000;
        return options;
    }

    private static String micros(final long nanos)
    {
        return nanos < 10_000_000 ? String.format("%,.0f µs", nanos / 1e3) : String.format("%,.1f ms", nanos / 1e6);
    }

    /** Sends every setup command pipelined; waits for all answers. */
    private static int load(final MeteClient admin, final Workload spec)
    {
        final List<CompletableFuture<Reply>> replies = new ArrayList<>();
        final int[] sent = {0};
        final int commands = ReferenceNetwork.build(spec, (buffer, offset, length) ->
        {
            replies.add(admin.send(buffer, offset, length));
            if (++sent[0] % 256 == 0)
            {
                admin.flush();
            }
        });
        admin.flush();
        for (final CompletableFuture<Reply> reply : replies)
        {
            final Reply r = admin.await(reply);
            if (!r.isAccepted())
            {
                throw new IllegalStateException("setup command rejected: " + r);
            }
        }
        return commands;
    }

    /**
     * Places orders as fast as the window allows ({@code intervalNs} 0), or open loop: order i is due
     * at start + i × interval and its latency counts from then, so a stall shows up in the
     * histogram instead of delaying the next send (no coordinated omission).
     */
    private static void placeOrders(
        final MeteClient client, final Workload spec, final String prefix, final long count, final long intervalNs,
        final Recorder latency, final AtomicLong answered, final AtomicLong rejected)
    {
        final OrderGenerator generator = new OrderGenerator(spec, 1 << 14, prefix);
        CompletableFuture<Reply> last = null;
        final long start = System.nanoTime();
        for (long i = 0; i < count; i++)
        {
            generator.next();
            final long sentAt;
            if (intervalNs > 0)
            {
                sentAt = start + i * intervalNs;
                long wait;
                while ((wait = sentAt - System.nanoTime()) > 0)
                {
                    if (wait > 100_000)
                    {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait - 50_000);
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            else
            {
                sentAt = System.nanoTime();
            }
            last = client.send(generator.buffer(), generator.offset(), generator.length());
            last.whenComplete((reply, failure) ->
            {
                latency.recordValue(System.nanoTime() - sentAt);
                if (failure != null || !reply.isAccepted())
                {
                    rejected.incrementAndGet();
                }
                answered.incrementAndGet();
            });
            if (intervalNs > 0 || (i & 63) == 63)
            {
                client.flush();
            }
        }
        client.flush();
        if (last != null)
        {
            client.await(last);
        }
    }

    /** Where and when three lines would ship to New York now (QueryPromise), in one line. */
    private static String promise(final MeteClient client)
    {
        final String[] skus = {Workload.skuCode(1), Workload.skuCode(42), Workload.skuCode(77)};
        final io.mete.gateway.client.Reply reply = client.queryPromise("web", skus, new int[] {1, 1, 1}, 40.7, -74.0,
            io.mete.schema.ServiceLevel.STANDARD, 0);
        if (reply.isRejected())
        {
            return reply.toString();
        }
        final io.mete.schema.PromiseDecoder p = reply.wrap(new io.mete.schema.PromiseDecoder());
        final long totalCost = p.totalCost();
        final long unitsShort = p.unitsShort();
        final StringBuilder text = new StringBuilder(String.join(" + ", skus)).append(" to New York: ");
        String separator = "";
        for (final io.mete.schema.PromiseDecoder.ShipmentsDecoder shipment : p.shipments())
        {
            final int day = shipment.promisedDay();
            text.append(separator).append(shipment.node()).append(" by ").append(java.time.LocalDate.ofEpochDay(day));
            separator = ", ";
        }
        text.append(String.format(", %.2f", totalCost / 100.0));
        if (unitsShort > 0)
        {
            text.append(", ").append(unitsShort).append(" short");
        }
        return text.append(" (./mete client promise)").toString();
    }
}
