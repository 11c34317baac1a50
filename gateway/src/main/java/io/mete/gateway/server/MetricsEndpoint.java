package io.mete.gateway.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mete.engine.runtime.EngineGauges;
import io.mete.gateway.session.ClientRegistry;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4) and {@code GET /health}
 * (200 {@code ok}, or 503 once the gateway or the pipeline stopped on a fault), on a port of its
 * own. It uses the JDK's own HTTP server on one thread: a scrape every few seconds needs nothing
 * more, and nothing of it runs on a thread that serves commands.
 */
final class MetricsEndpoint implements AutoCloseable
{
    /** Upper bounds of the request latency histogram's buckets, in microseconds. */
    static final long[] BUCKETS_US = {
        50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000};
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final ServerMonitor monitor;
    private final HttpServer server;

    MetricsEndpoint(final ServerMonitor monitor, final String host, final int port) throws IOException
    {
        this.monitor = monitor;
        server = io.mete.gateway.http.HttpServers.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", this::health);
        server.createContext("/latency", this::latency);
        server.start();
    }

    InetSocketAddress address()
    {
        return server.getAddress();
    }

    private void metrics(final HttpExchange exchange) throws IOException
    {
        if (!"GET".equals(exchange.getRequestMethod()))
        {
            reply(exchange, 405, "only GET\n");
            return;
        }
        reply(exchange, 200, render(monitor.sample(), monitor.gateway(), monitor.http()));
    }

    /**
     * The request latency histogram since start, in microseconds ({@code ?stage=engine}: the engine's
     * share), HdrHistogram's compressed form, base64. Two of them subtract to a window's exact percentiles, which the bucket counts of
     * /metrics only bound.
     */
    private void latency(final HttpExchange exchange) throws IOException
    {
        final ServerMonitor.Sample sample = monitor.sample();
        final String query = exchange.getRequestURI().getQuery();
        final Histogram latency = "stage=engine".equals(query) ? sample.engineLatency : sample.latency;
        final ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        final int length = latency.encodeIntoCompressedByteBuffer(buffer, Deflater.BEST_SPEED);
        reply(exchange, 200, Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)) + "\n");
    }

    private void health(final HttpExchange exchange) throws IOException
    {
        final boolean healthy = monitor.healthy();
        reply(exchange, healthy ? 200 : 503, healthy ? "ok\n" : "failed: the gateway or the engine pipeline stopped on a fault\n");
    }

    private static void reply(final HttpExchange exchange, final int status, final String body) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 && body.startsWith("#")
            ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    static String render(final ServerMonitor.Sample sample, final GatewayServer gateway, final io.mete.gateway.http.HttpGateway http)
    {
        final StringBuilder out = new StringBuilder(8192);
        final long[] e = sample.engine;
        gauge(out, "mete_up", "1 while the gateway and the engine pipeline run, 0 after either stopped on a fault", sample.healthy ? 1 : 0);
        gauge(out, "mete_uptime_seconds", "Seconds since the server started", sample.uptimeSeconds);

        header(out, "mete_engine_commands_total", "counter", "Commands the engine applied, by outcome");
        out.append("mete_engine_commands_total{outcome=\"accepted\"} ").append(e[EngineGauges.COMMANDS_ACCEPTED]).append('\n');
        out.append("mete_engine_commands_total{outcome=\"rejected\"} ").append(e[EngineGauges.COMMANDS_REJECTED]).append('\n');
        gauge(out, "mete_engine_applied_sequence", "Sequence of the last command applied (-1: none yet)", e[EngineGauges.APPLIED_SEQUENCE]);
        counter(out, "mete_orders_total", "Orders placed", e[EngineGauges.ORDERS]);
        counter(out, "mete_order_lines_total", "Order lines placed", e[EngineGauges.LINES]);
        counter(out, "mete_units_ordered_total", "Units ordered", e[EngineGauges.UNITS_ORDERED]);
        counter(out, "mete_units_allocated_at_placement_total", "Units reserved when their order was placed", e[EngineGauges.UNITS_ALLOCATED_AT_PLACEMENT]);
        counter(out, "mete_units_reserved_total", "Units reserved, at placement, from backorder or re-sourced", e[EngineGauges.UNITS_RESERVED_EVER]);
        counter(out, "mete_orders_split_total", "Orders placed into more than one shipment", e[EngineGauges.ORDERS_SPLIT]);
        counter(out, "mete_shipments_total", "Shipments planned (one per order and node)", e[EngineGauges.SHIPMENTS]);
        counter(out, "mete_shipping_cost_cents_total", "Rate plus handling of every shipment planned, in cents", e[EngineGauges.TOTAL_COST]);
        counter(out, "mete_units_shipped_total", "Units confirmed shipped", e[EngineGauges.UNITS_SHIPPED]);
        counter(out, "mete_units_cancelled_total", "Units cancelled", e[EngineGauges.UNITS_CANCELLED]);
        gauge(out, "mete_units_backordered", "Units waiting for stock now", e[EngineGauges.UNITS_BACKORDERED]);
        gauge(out, "mete_orders_in_memory", "Orders the engine holds (placed and not yet retired)", e[EngineGauges.ORDERS_IN_MEMORY]);
        gauge(out, "mete_input_ring_used", "Input ring slots holding commands not yet applied", sample.inputRingUsed);
        gauge(out, "mete_input_ring_size", "Input ring slots", sample.inputRingSize);
        counter(out, "mete_snapshots_written_total", "Snapshots written since start", sample.snapshotsWritten);

        gauge(out, "mete_gateway_sessions", "Connections open", gateway.sessionCount());
        counter(out, "mete_gateway_connections_total", "Connections accepted", gateway.connectionsAccepted());
        counter(out, "mete_gateway_sessions_rejected_total", "Sessions closed with a session reject", gateway.sessionsRejected());
        counter(out, "mete_gateway_requests_total", "Requests put on the engine's ring", gateway.requestsOffered());
        counter(out, "mete_gateway_answers_total", "Answers written to sessions", gateway.answersSent());
        counter(out, "mete_gateway_events_sent_total", "Events written to subscribers", gateway.eventsSent());
        counter(out, "mete_gateway_back_pressure_total", "Times a session stopped being read because the ring was full", gateway.backPressureEpisodes());
        counter(out, "mete_gateway_rate_limited_total", "Times a session stopped being read because its client went over its rate limit",
            gateway.rateLimitedEpisodes());
        counter(out, "mete_gateway_busy_answers_total", "Requests answered BUSY", gateway.busyAnswers());
        counter(out, "mete_gateway_slow_consumers_total", "Subscribers cut off as too slow", gateway.slowConsumers());
        counter(out, "mete_gateway_stale_answers_total", "Engine answers for a connection that had gone", gateway.staleAnswers());

        clientSeries(out, gateway);
        if (http != null)
        {
            header(out, "mete_http_responses_total", "counter", "HTTP/JSON API responses, by status code (event streams when they start)");
            for (final int status : http.statuses())
            {
                out.append("mete_http_responses_total{status=\"").append(status).append("\"} ").append(http.responses(status)).append('\n');
            }
            gauge(out, "mete_http_event_streams", "HTTP event streams open", http.openStreams());
            counter(out, "mete_http_events_streamed_total", "Events written to HTTP event streams", http.eventsStreamed());
            gauge(out, "mete_http_client_sessions", "Client ids the HTTP API holds a gateway session for", http.clientSessions());
        }

        latencyHistogram(out, "mete_request_latency_seconds", sample.latency,
            "From reading a request to its answer leaving the engine (ring, journal, business logic, output stage), since start");
        quantiles(out, "mete_request_latency_recent_seconds", sample.recentLatency, "Request latency");
        latencyHistogram(out, "mete_engine_latency_seconds", sample.engineLatency,
            "From offering a request to the engine's ring to the engine having applied it (ring, journal, business logic; clock read every 16 requests), since start");
        quantiles(out, "mete_engine_latency_recent_seconds", sample.engineRecentLatency, "Engine latency");

        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        gauge(out, "mete_jvm_heap_used_bytes", "Heap in use", heap.getUsed());
        gauge(out, "mete_jvm_heap_max_bytes", "Largest heap the JVM may use", heap.getMax());
        header(out, "mete_jvm_gc_collections_total", "counter", "Garbage collections, by collector");
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            out.append("mete_jvm_gc_collections_total{collector=\"").append(label(gc.getName())).append("\"} ")
                .append(Math.max(0, gc.getCollectionCount())).append('\n');
        }
        header(out, "mete_jvm_gc_seconds_total", "counter", "Time spent in garbage collections, by collector");
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            out.append("mete_jvm_gc_seconds_total{collector=\"").append(label(gc.getName())).append("\"} ")
                .append(Math.max(0, gc.getCollectionTime()) / 1000.0).append('\n');
        }
        return out.toString();
    }

    /** Per configured client: connected or not, requests, rate-limit spells; labelled with the client id and role. */
    private static void clientSeries(final StringBuilder out, final GatewayServer gateway)
    {
        header(out, "mete_client_connected", "gauge", "1 while the client has a logged-in session");
        for (final ClientRegistry.Client client : gateway.clients())
        {
            clientLabels(out, "mete_client_connected", client).append(gateway.clientConnected(client.id()) ? 1 : 0).append('\n');
        }
        header(out, "mete_client_requests_total", "counter", "Requests (commands and queries) the client's sessions put on the engine's ring");
        for (final ClientRegistry.Client client : gateway.clients())
        {
            clientLabels(out, "mete_client_requests_total", client).append(gateway.clientRequests(client.id())).append('\n');
        }
        header(out, "mete_client_rate_limited_total", "counter", "Times the client's session stopped being read because it went over its rate limit");
        for (final ClientRegistry.Client client : gateway.clients())
        {
            clientLabels(out, "mete_client_rate_limited_total", client).append(gateway.clientRateLimited(client.id())).append('\n');
        }
    }

    private static StringBuilder clientLabels(final StringBuilder out, final String name, final ClientRegistry.Client client)
    {
        return out.append(name).append("{client=\"").append(client.id()).append("\",role=\"").append(client.role()).append("\"} ");
    }

    /** Cumulative buckets over the whole run, as Prometheus histograms have them. */
    private static void latencyHistogram(final StringBuilder out, final String name, final Histogram latency, final String help)
    {
        header(out, name, "histogram", help);
        for (final long bound : BUCKETS_US)
        {
            out.append(name).append("_bucket{le=\"").append(seconds(bound)).append("\"} ")
                .append(latency.getTotalCount() == 0 ? 0 : latency.getCountBetweenValues(0, bound)).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(latency.getTotalCount()).append('\n');
        final double sum = latency.getTotalCount() == 0 ? 0 : latency.getMean() * latency.getTotalCount() / 1e6;
        out.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.6f", sum)).append('\n');
        out.append(name).append("_count ").append(latency.getTotalCount()).append('\n');
    }

    private static void quantiles(final StringBuilder out, final String name, final Histogram recent, final String what)
    {
        header(out, name, "gauge", what + " quantiles over the last " + ServerMonitor.RECENT_SECONDS + " seconds (0 when nothing was recorded)");
        for (final double q : QUANTILES)
        {
            out.append(name).append("{quantile=\"").append(q).append("\"} ")
                .append(seconds(recent.getTotalCount() == 0 ? 0 : recent.getValueAtPercentile(q * 100))).append('\n');
        }
    }

    private static String seconds(final long micros)
    {
        return micros == 0 ? "0" : BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private static String label(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void header(final StringBuilder out, final String name, final String type, final String help)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(final StringBuilder out, final String name, final String help, final long value)
    {
        series(out, name, "counter", help, Long.toString(value));
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final long value)
    {
        series(out, name, "gauge", help, Long.toString(value));
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final double value)
    {
        series(out, name, "gauge", help, String.format(Locale.ROOT, "%.3f", value));
    }

    /** A series of one sample without labels. */
    private static void series(final StringBuilder out, final String name, final String type, final String help, final String value)
    {
        header(out, name, type, help);
        out.append(name).append(' ').append(value).append('\n');
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
