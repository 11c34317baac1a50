package io.mete.gateway;

import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.server.MeteServer;
import io.mete.gateway.server.ServerLog;
import io.mete.gateway.server.ServerMonitor;
import io.mete.schema.ServiceLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/** The stats lines, GET /metrics and GET /health of a live server. */
class MonitoringTest
{
    private static final int ORDERS = 400;
    /** 10 nodes, 300 SKUs at 4 nodes each with plenty: every order is placed whole. */
    private static final Workload NETWORK = new Workload("monitoring", 10, 300, 4, 1_000_000, 3, 0.0, 0, 0,
        io.mete.schema.SourcingStrategy.COST, 11L);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsCountWhatTheClientsDid() throws Exception
    {
        try (TestServer server = new TestServer();
             ServerMonitor monitor = new ServerMonitor(server.gateway, server.pipeline, System.nanoTime(), 0, "127.0.0.1", 0))
        {
            final int setup = placeOrders(server, ORDERS);
            // the engine records a batch's latencies just after handing its answers on: wait for the last batch's
            Map<String, Double> metrics = scrape(monitor.metricsAddress());
            for (int i = 0; i < 100 && metrics.get("mete_engine_latency_seconds_count") < setup + ORDERS; i++)
            {
                Thread.sleep(50);
                metrics = scrape(monitor.metricsAddress());
            }
            assertEquals(1.0, metrics.get("mete_up"));
            assertEquals(ORDERS, metrics.get("mete_orders_total"));
            assertEquals(3.0 * ORDERS, metrics.get("mete_order_lines_total"));
            assertEquals(setup + ORDERS, metrics.get("mete_engine_commands_total{outcome=\"accepted\"}"));
            assertEquals(0.0, metrics.get("mete_engine_commands_total{outcome=\"rejected\"}"));
            assertEquals(setup + ORDERS - 1, metrics.get("mete_engine_applied_sequence"));
            assertEquals(ORDERS, metrics.get("mete_orders_in_memory"));
            assertEquals(metrics.get("mete_gateway_requests_total"), metrics.get("mete_gateway_answers_total"));
            assertTrue(metrics.get("mete_gateway_requests_total") >= setup + ORDERS);
            assertEquals(2.0, metrics.get("mete_gateway_connections_total"));
            assertEquals(0.0, metrics.get("mete_input_ring_used"));

            // per client: what each did, labelled with its role
            assertEquals(ORDERS, metrics.get("mete_client_requests_total{client=\"10\",role=\"ORDERS\"}"));
            assertTrue(metrics.get("mete_client_requests_total{client=\"1\",role=\"ADMIN\"}") >= setup);
            assertEquals(0.0, metrics.get("mete_client_requests_total{client=\"30\",role=\"MONITOR\"}"));
            assertEquals(0.0, metrics.get("mete_client_rate_limited_total{client=\"10\",role=\"ORDERS\"}"));
            try (MeteClient watching = server.client(30))
            {
                assertTrue(watching.totals().isAccepted());
                assertEquals(1.0, scrape(monitor.metricsAddress()).get("mete_client_connected{client=\"30\",role=\"MONITOR\"}"));
            }
            assertEquals(0.0, metrics.get("mete_client_connected{client=\"31\",role=\"MONITOR\"}"));

            // every engine answer is in the latency histogram once, its buckets cumulative
            final double count = metrics.get("mete_request_latency_seconds_count");
            assertTrue(count >= setup + ORDERS, "latencies recorded: " + count);
            assertEquals(count, metrics.get("mete_request_latency_seconds_bucket{le=\"+Inf\"}"));
            double previous = 0;
            for (final Map.Entry<String, Double> entry : metrics.entrySet())
            {
                if (entry.getKey().startsWith("mete_request_latency_seconds_bucket"))
                {
                    assertTrue(entry.getValue() >= previous, entry.getKey() + " below the bucket before it");
                    previous = entry.getValue();
                }
            }
            assertTrue(metrics.get("mete_request_latency_seconds_sum") > 0);
            // the engine's share: every request offered, each no longer than its whole server latency at the median
            final double engineCount = metrics.get("mete_engine_latency_seconds_count");
            assertTrue(engineCount >= setup + ORDERS && engineCount <= count, "engine latencies " + engineCount + " of " + count);
            assertTrue(metrics.get("mete_engine_latency_recent_seconds{quantile=\"0.5\"}")
                <= metrics.get("mete_request_latency_recent_seconds{quantile=\"0.5\"}"));
            final double p50 = metrics.get("mete_request_latency_recent_seconds{quantile=\"0.5\"}");
            final double p99 = metrics.get("mete_request_latency_recent_seconds{quantile=\"0.99\"}");
            assertTrue(p50 > 0 && p99 >= p50, "recent p50 " + p50 + ", p99 " + p99);

            // a later scrape sees later work, and the histogram keeps what the earlier one saw
            placeMore(server);
            final Map<String, Double> later = scrape(monitor.metricsAddress());
            assertEquals(ORDERS + 1, later.get("mete_orders_total"));
            assertTrue(later.get("mete_request_latency_seconds_count") > count);

            final HttpResponse<String> health = get(monitor.metricsAddress(), "/health");
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());
            final HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri(monitor.metricsAddress(), "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void statsLinesGiveTheWindowsRatesAndTotals() throws Exception
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (TestServer server = new TestServer())
        {
            ServerLog.output(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ServerLog.level(ServerLog.INFO);
            try (ServerMonitor monitor = new ServerMonitor(server.gateway, server.pipeline, System.nanoTime(), 1, "127.0.0.1", -1))
            {
                assertNull(monitor.metricsAddress());
                placeOrders(server, ORDERS);
                final String line = awaitLine(captured, "orders=" + ORDERS + " ");
                assertTrue(line.contains("event=stats"), line);
                assertTrue(line.contains("rejected=0 "), line);
                assertTrue(line.contains("input-ring=0/"), line);
                assertTrue(line.contains("orders-in-memory=" + ORDERS + " "), line);
                assertTrue(line.matches(".*window-s=1\\.\\d .*"), line);
                assertTrue(line.matches(".*engine-p99-us=\\d+ .*"), line);
            }
        }
        finally
        {
            ServerLog.level(ServerLog.WARN);
            ServerLog.output(System.out);
        }
    }

    @Test
    void aServerWithMetricsOnServesThemAndATakenPortStopsTheStartCleanly(@TempDir final Path dir) throws Exception
    {
        ServerLog.level(ServerLog.WARN);
        final GatewayConfig config = GatewayConfig.defaults();
        config.port = 0;
        config.metricsPort = 0;
        config.dataDir = dir.resolve("data");
        config.expectedOrders = 1 << 16;
        try (MeteServer server = MeteServer.start(config, "test"))
        {
            final InetSocketAddress metrics = server.metricsAddress();
            assertNotNull(metrics);
            assertEquals(1.0, scrape(metrics).get("mete_up"));
        }

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            config.metricsPort = taken.getLocalPort();
            final IOException refused = assertThrows(IOException.class, () -> MeteServer.start(config, "test"));
            assertTrue(refused.getMessage().startsWith("metrics on 127.0.0.1:" + taken.getLocalPort()), refused.getMessage());
        }
        // the failed start closed the journals and the gateway: the same data directory starts again
        config.metricsPort = -1;
        try (MeteServer server = MeteServer.start(config, "test"))
        {
            assertNull(server.metricsAddress());
        }
    }

    /** Loads the test network and places {@code orders} 3-line orders from an ORDERS client; returns the setup commands. */
    private static int placeOrders(final TestServer server, final int orders) throws IOException
    {
        final int setup;
        try (MeteClient admin = server.client(1))
        {
            setup = TestNetwork.load(admin, NETWORK);
        }
        try (MeteClient client = server.client(10))
        {
            final List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < orders; i++)
            {
                replies.add(client.placeOrderAsync("M-" + i, "web", new String[] {
                    Workload.skuCode(i % 100), Workload.skuCode(100 + i % 100), Workload.skuCode(200 + i % 100)}, new int[] {1, 1, 1},
                    40.0, -90.0, ServiceLevel.STANDARD));
            }
            for (final CompletableFuture<Reply> reply : replies)
            {
                assertTrue(client.await(reply).isAccepted());
            }
        }
        return setup;
    }

    private static void placeMore(final TestServer server) throws IOException
    {
        try (MeteClient client = server.client(11))
        {
            assertTrue(client.placeOrder("M-more", "web", new String[] {Workload.skuCode(1)}, new int[] {1}, 40.0, -90.0,
                ServiceLevel.STANDARD).isAccepted());
        }
    }

    private static String awaitLine(final ByteArrayOutputStream captured, final String fragment) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            for (final String line : captured.toString(StandardCharsets.UTF_8).split("\n"))
            {
                if (line.contains(fragment))
                {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        fail("no log line with '" + fragment + "' in:\n" + captured.toString(StandardCharsets.UTF_8));
        return null;
    }

    /** Every sample line of the exposition, name and labels as the key; comment lines checked for form. */
    private static Map<String, Double> scrape(final InetSocketAddress address) throws Exception
    {
        final HttpResponse<String> response = get(address, "/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        final Map<String, Double> samples = new LinkedHashMap<>();
        for (final String line : response.body().split("\n"))
        {
            if (line.startsWith("#"))
            {
                assertTrue(line.matches("# (HELP|TYPE) mete_[a-z0-9_]+ .+"), line);
                continue;
            }
            final int space = line.lastIndexOf(' ');
            assertTrue(line.substring(0, space).matches("mete_[a-z0-9_]+(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*})?"), line);
            assertNull(samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1))), "repeated " + line);
        }
        return samples;
    }

    private static HttpResponse<String> get(final InetSocketAddress address, final String path) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(uri(address, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(final InetSocketAddress address, final String path)
    {
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
    }
}
