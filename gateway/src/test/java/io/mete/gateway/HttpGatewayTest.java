package io.mete.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.http.HttpGateway;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.server.MeteServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The HTTP/JSON door in front of a live gateway and pipeline, through real sockets. */
class HttpGatewayTest
{
    private static final int ORDERS = 10;
    private static final int INVENTORY = 20;
    private static final int MONITOR = 30;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestServer server;
    private HttpGateway gateway;
    private String base;

    @BeforeEach
    void start() throws Exception
    {
        server = new TestServer();
        try (MeteClient admin = server.client(1))
        {
            TestNetwork.load(admin, TestNetwork.SCARCE);
        }
        gateway = new HttpGateway(new HttpGateway.Settings("127.0.0.1", 0, 2, 2, 16384, 10_000, 200),
            new InetSocketAddress("127.0.0.1", server.port), server.events, server.gateway::lastEventSequence);
        base = "http://127.0.0.1:" + gateway.address().getPort();
    }

    @AfterEach
    void stop()
    {
        gateway.close();
        server.close();
    }

    @Test
    void ordersPlacedAsJsonAreAllocatedAndQueryable() throws Exception
    {
        final JsonNode accepted = ok(post(ORDERS, "/v1/messages", placeOrder("H-1", Workload.skuCode(1), 2)));
        assertEquals("CommandAccepted", accepted.get("type").asText());
        assertEquals("FALSE", accepted.get("duplicate").asText());

        // the type may be in the path instead of the body
        assertEquals("CommandAccepted", ok(post(ORDERS, "/v1/messages/PlaceOrder",
            "{\"service\":\"STANDARD\",\"latitude\":40000000,\"longitude\":-100000000,\"lines\":[{\"quantity\":1,\"sku\":\"" +
                Workload.skuCode(2) + "\"}],\"orderId\":\"H-2\",\"channel\":\"web\"}")).get("type").asText());

        final JsonNode status = ok(get(MONITOR, "/v1/orders/H-1"));
        assertEquals("OrderStatus", status.get("type").asText());
        assertEquals("H-1", status.get("orderId").asText());
        assertEquals(2, status.get("lines").get(0).get("quantity").asInt());
        assertEquals(2, status.get("lines").get(0).get("allocated").asInt() + status.get("lines").get(0).get("backordered").asInt());

        final JsonNode availability = ok(get(MONITOR, "/v1/availability/" + Workload.skuCode(1)));
        assertEquals("Availability", availability.get("type").asText());
        assertTrue(availability.get("totalReserved").asLong() >= status.get("lines").get(0).get("allocated").asInt());

        final JsonNode totals = ok(get(MONITOR, "/v1/totals"));
        assertEquals(2, totals.get("orders").asLong(), totals.toString());
        assertEquals("NodeLoad", ok(get(MONITOR, "/v1/nodes/" + TestNetwork.SCARCE.nodeCode(0) + "/load")).get("type").asText());

        // inventory through the INVENTORY role, and the engine sees it
        final long before = ok(get(MONITOR, "/v1/availability/" + Workload.skuCode(3))).get("totalOnHand").asLong();
        ok(post(INVENTORY, "/v1/messages", "{\"type\":\"AdjustOnHand\",\"delta\":5,\"reason\":\"RECEIPT\",\"node\":\"" +
            TestNetwork.SCARCE.nodeCode(0) + "\",\"sku\":\"" + Workload.skuCode(3) + "\"}"));
        assertEquals(before + 5, ok(get(MONITOR, "/v1/availability/" + Workload.skuCode(3))).get("totalOnHand").asLong());
    }

    @Test
    void engineRejectionsAre422WithTheReason() throws Exception
    {
        ok(post(ORDERS, "/v1/messages", placeOrder("H-1", Workload.skuCode(1), 1)));

        final HttpResponse<String> retry = post(ORDERS, "/v1/messages", placeOrder("H-1", Workload.skuCode(1), 1));
        assertEquals(422, retry.statusCode(), retry.body());
        final JsonNode rejected = mapper.readTree(retry.body());
        assertEquals("CommandRejected", rejected.get("type").asText());
        assertEquals("DUPLICATE_ORDER", rejected.get("reason").asText(), "a retried POST of the same order is not placed twice");

        final HttpResponse<String> unknownSku = post(ORDERS, "/v1/messages", placeOrder("H-2", "NO-SUCH-SKU", 1));
        assertEquals(422, unknownSku.statusCode());
        assertEquals("UNKNOWN_SKU", mapper.readTree(unknownSku.body()).get("reason").asText());
        assertEquals(1, ok(get(MONITOR, "/v1/totals")).get("orders").asLong());
    }

    @Test
    void aCommandCarryingItsOwnClientSequenceIsAppliedOnceHoweverOftenItIsSent() throws Exception
    {
        final String sku = Workload.skuCode(5);
        final String adjust = "{\"type\":\"AdjustOnHand\",\"delta\":5,\"reason\":\"RECEIPT\",\"node\":\"" +
            TestNetwork.SCARCE.nodeCode(0) + "\",\"sku\":\"" + sku + "\"}";
        final long before = ok(get(MONITOR, "/v1/availability/" + sku)).get("totalOnHand").asLong();

        final JsonNode first = ok(sequenced(INVENTORY, adjust, "1000"));
        assertEquals("FALSE", first.get("duplicate").asText());
        assertEquals(1000, first.get("correlationId").asLong());
        final JsonNode retry = ok(sequenced(INVENTORY, adjust, "1000"));
        assertEquals("TRUE", retry.get("duplicate").asText(), "a retry is the same command");
        assertEquals(first.get("commandSequence"), retry.get("commandSequence"), "answered with the original result");
        assertEquals(before + 5, ok(get(MONITOR, "/v1/availability/" + sku)).get("totalOnHand").asLong(), "applied once");

        // a number below the last applied that was never sent: nothing applied
        final HttpResponse<String> older = sequenced(INVENTORY, adjust, "999");
        assertEquals(422, older.statusCode(), older.body());
        assertEquals("DUPLICATE_REQUEST", mapper.readTree(older.body()).get("reason").asText());
        assertEquals(before + 5, ok(get(MONITOR, "/v1/availability/" + sku)).get("totalOnHand").asLong());

        // the next one applies; without the header the gateway numbers above what the caller used
        ok(sequenced(INVENTORY, adjust, "1001"));
        assertTrue(ok(post(INVENTORY, "/v1/messages", adjust)).get("correlationId").asLong() > 1001);
        assertEquals(before + 15, ok(get(MONITOR, "/v1/availability/" + sku)).get("totalOnHand").asLong());
        assertError(400, "Mete-Client-Sequence must be a whole number from 0 up, not -3", sequenced(INVENTORY, adjust, "-3"));
        assertError(400, "Mete-Client-Sequence must be a whole number from 0 up, not x", sequenced(INVENTORY, adjust, "x"));
    }

    private HttpResponse<String> sequenced(final int clientId, final String json, final String sequence) throws Exception
    {
        return send(HttpRequest.newBuilder(URI.create(base + "/v1/messages")).POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Mete-Client-Sequence", sequence), clientId, TestServer.SECRET + clientId);
    }

    @Test
    void badRequestsAreAnsweredWithoutTouchingTheEngine() throws Exception
    {
        final JsonNode hash = ok(get(MONITOR, "/v1/state-hash")).get("hash");
        final long commands = ok(get(MONITOR, "/v1/totals")).get("lastSequence").asLong();

        assertError(400, "not valid JSON", post(ORDERS, "/v1/messages", "{\"type\":\"PlaceOrder\","));
        assertError(400, "PlaceOrder: no field \"qty\"", post(ORDERS, "/v1/messages", "{\"type\":\"PlaceOrder\",\"qty\":1}"));
        assertError(400, "PlaceOrder.lines[0].quantity: expected an integer",
            post(ORDERS, "/v1/messages/PlaceOrder", "{\"lines\":[{\"quantity\":\"one\"}]}"));
        assertError(400, "unknown message type \"PlaceOrders\"", post(ORDERS, "/v1/messages/PlaceOrders", "{}"));
        assertError(400, "\"type\" must name the message", post(ORDERS, "/v1/messages", "{\"orderId\":\"A\"}"));
        assertError(400, "Login is not a command or query", post(ORDERS, "/v1/messages/Login", "{}"));
        assertError(400, "OrderAllocated is not a command or query", post(ORDERS, "/v1/messages/OrderAllocated", "{}"));
        assertError(403, "role MONITOR may not send PlaceOrder", post(MONITOR, "/v1/messages", placeOrder("H-9", Workload.skuCode(1), 1)));
        assertError(403, "role ORDERS may not send AdjustOnHand", post(ORDERS, "/v1/messages/AdjustOnHand", "{}"));
        assertError(413, "request bodies are at most", post(ORDERS, "/v1/messages", "{\"x\":\"" + "y".repeat(200_000) + "\"}"));
        assertError(405, "takes POST, not GET", get(ORDERS, "/v1/messages"));
        assertError(405, "takes GET, not POST", post(ORDERS, "/v1/totals", "{}"));
        assertError(404, "no resource /v1/nope", get(ORDERS, "/v1/nope"));
        final HttpResponse<String> openApi = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/openapi.json")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, openApi.statusCode(), "the contract needs no credentials");
        assertEquals("3.1.0", mapper.readTree(openApi.body()).get("openapi").asText());
        assertError(404, "the API is under /v1/", get(ORDERS, "/metrics"));
        assertError(400, "from and Last-Event-ID must be event sequence numbers", get(MONITOR, "/v1/events?from=abc"));

        final HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/totals")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertError(401, "HTTP Basic credentials required", anonymous);
        assertEquals("Basic realm=\"mete\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertError(401, "AUTHENTICATION_FAILED", send(HttpRequest.newBuilder(URI.create(base + "/v1/totals")).GET(), 31, "wrong"));
        ok(get(MONITOR, "/v1/totals"));
        assertError(401, "AUTHENTICATION_FAILED: wrong secret",
            send(HttpRequest.newBuilder(URI.create(base + "/v1/totals")).GET(), MONITOR, "wrong"));
        assertError(401, "AUTHENTICATION_FAILED", send(HttpRequest.newBuilder(URI.create(base + "/v1/totals")).GET(), 999, "x"));

        assertEquals(hash, ok(get(MONITOR, "/v1/state-hash")).get("hash"), "no bad request changed the engine");
        assertEquals(commands, ok(get(MONITOR, "/v1/totals")).get("lastSequence").asLong(), "none reached it as a command");
    }

    @Test
    void eventStreamsServeTheJournalThenLiveAndResumeAfterLastEventId() throws Exception
    {
        ok(post(ORDERS, "/v1/messages", placeOrder("E-1", Workload.skuCode(1), 1)));
        final List<String[]> first = readEvents("/v1/events?from=0", null, 12);
        long expected = first.get(0)[0].isEmpty() ? -1 : Long.parseLong(first.get(0)[0]);
        for (final String[] event : first)
        {
            assertEquals(expected++, Long.parseLong(event[0]), "event ids follow one another");
            final JsonNode data = mapper.readTree(event[2]);
            assertEquals(Long.parseLong(event[0]), data.get("eventSequence").asLong());
            assertEquals(event[1], data.get("message").get("type").asText(), "the event name is the message type");
        }

        // resuming after the fifth event starts at the sixth
        final long fifth = Long.parseLong(first.get(4)[0]);
        final List<String[]> resumed = readEvents("/v1/events", Long.toString(fifth), 3);
        assertEquals(fifth + 1, Long.parseLong(resumed.get(0)[0]));
        assertEquals(first.get(5)[2], resumed.get(0)[2]);

        // only the types asked for, still numbered by event sequence
        awaitNoStreams();
        final List<String[]> allocations = readEvents("/v1/events?from=0&types=OrderAllocated,ShipmentReleased", null, 2);
        for (final String[] event : allocations)
        {
            assertTrue(event[1].equals("OrderAllocated") || event[1].equals("ShipmentReleased"), event[1]);
        }
        assertTrue(Long.parseLong(allocations.get(1)[0]) > Long.parseLong(allocations.get(0)[0]));
        awaitNoStreams();
        assertEquals(readEvents("/v1/events?from=" + allocations.get(0)[0], null, 1).get(0)[2], allocations.get(0)[2],
            "the same event as in the full stream");
        assertError(400, "types: PlaceOrder is not an event", get(MONITOR, "/v1/events?types=OrderAllocated,PlaceOrder"));
        assertError(400, "types: Totals is not an event", get(MONITOR, "/v1/events?types=Totals"));

        // a stream without a start sees what comes next: this order's events (once the streams
        // above gave their places back: at most two here)
        awaitNoStreams();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        final CompletableFuture<List<String[]>> live = CompletableFuture.supplyAsync(() -> readEventsUnchecked("/v1/events", null, 1));
        while (gateway.openStreams() == 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        ok(post(ORDERS, "/v1/messages", placeOrder("E-2", Workload.skuCode(2), 1)));
        final JsonNode next = mapper.readTree(live.get(10, TimeUnit.SECONDS).get(0)[2]);
        assertEquals(ORDERS, next.get("clientId").asInt());
        assertTrue(next.get("eventSequence").asLong() > Long.parseLong(first.get(first.size() - 1)[0]));
    }

    @Test
    void eventStreamsAreLimited() throws Exception
    {
        final List<InputStream> open = new ArrayList<>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                final HttpResponse<InputStream> stream = http.send(authorized(HttpRequest.newBuilder(URI.create(base + "/v1/events?from=0")).GET(),
                    MONITOR), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, stream.statusCode());
                assertEquals("text/event-stream", stream.headers().firstValue("Content-Type").orElse(""));
                open.add(stream.body());
            }
            assertError(503, "at most 2 event streams", get(MONITOR, "/v1/events"));
        }
        finally
        {
            for (final InputStream stream : open)
            {
                stream.close();
            }
        }
        // a closed stream gives its place back once its next write fails (keep-alives every 200 ms here)
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gateway.openStreams() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(0, gateway.openStreams());
    }

    /** No HTTP thread waits for the engine: a client held back by its rate limit does not hold up another client. */
    @Test
    void aClientHeldBackByItsRateLimitHoldsUpNoOtherClient() throws Exception
    {
        gateway.close();
        server.close();
        server = new TestServer(config -> config.clients.add(
            new io.mete.gateway.session.ClientRegistry.Client(12, TestServer.SECRET + 12, io.mete.schema.Role.ORDERS)
                .withRateLimit(new io.mete.gateway.session.RateLimit(2, 1))), pipeline -> {});
        gateway = new HttpGateway(new HttpGateway.Settings("127.0.0.1", 0, 2, 2, 16384, 10_000, 200),
            new InetSocketAddress("127.0.0.1", server.port), server.events, server.gateway::lastEventSequence);
        base = "http://127.0.0.1:" + gateway.address().getPort();
        ok(get(12, "/v1/totals"));

        // eight requests from client 12, at most two a second: more than the two HTTP threads, for over three seconds
        final List<CompletableFuture<HttpResponse<String>>> limited = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            limited.add(http.sendAsync(authorized(HttpRequest.newBuilder(URI.create(base + "/v1/totals")).GET(), 12),
                HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(100);
        ok(get(MONITOR, "/v1/totals"));
        final long waiting = limited.stream().filter(f -> !f.isDone()).count();
        assertTrue(waiting >= 4, "client 30 was answered while most of client 12's requests still waited: " + waiting + " of 8");
        for (final CompletableFuture<HttpResponse<String>> response : limited)
        {
            assertEquals(200, response.get(20, TimeUnit.SECONDS).statusCode());
        }
    }

    /** {@code httpPort} on a real server: requests through its TCP gateway, events from its Chronicle event journal. */
    @Test
    void aServerWithHttpOnServesOrdersAndItsJournaledEvents(@TempDir final Path dir) throws Exception
    {
        final GatewayConfig config = GatewayConfig.defaults();
        config.port = 0;
        config.httpPort = 0;
        config.metricsPort = 0;
        config.dataDir = dir.resolve("data");
        config.expectedOrders = 1 << 16;
        try (MeteServer server = MeteServer.start(config, "test"))
        {
            try (MeteClient admin = MeteClient.connect("127.0.0.1", server.address().getPort(), 1, "mete-admin"))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            final String previousBase = base;
            base = "http://127.0.0.1:" + server.httpAddress().getPort();
            try
            {
                final HttpResponse<String> placed = send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString(placeOrder("S-1", Workload.skuCode(1), 1))), 2, "mete-orders");
                assertEquals("CommandAccepted", ok(placed).get("type").asText());
                final long sequence = mapper.readTree(placed.body()).get("commandSequence").asLong();

                // the journal holds the setup's events and the order's: find the order's allocation in it
                final HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events?from=0"))
                    .header("Authorization", basic(4, "mete-monitor")).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, stream.statusCode());
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.US_ASCII)))
                {
                    JsonNode allocated = null;
                    for (String line; allocated == null && (line = reader.readLine()) != null; )
                    {
                        if (line.startsWith("data: "))
                        {
                            final JsonNode event = mapper.readTree(line.substring(6));
                            if (event.get("commandSequence").asLong() == sequence && "OrderAllocated".equals(event.get("message").get("type").asText()))
                            {
                                allocated = event.get("message");
                            }
                        }
                    }
                    assertNotNull(allocated, "the order's OrderAllocated event is in the stream");
                    assertEquals("S-1", allocated.get("orderId").asText());
                }
                assertError(401, "AUTHENTICATION_FAILED", send(HttpRequest.newBuilder(URI.create(base + "/v1/totals")).GET(), 2, "wrong"));

                // the HTTP door's own series in /metrics
                final String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsAddress().getPort() +
                    "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("mete_http_responses_total{status=\"200\"} 2\n"), "the order and the stream: " + metrics);
                assertTrue(metrics.contains("mete_http_responses_total{status=\"401\"} 1\n"), metrics);
                assertTrue(metrics.contains("mete_http_client_sessions 2\n"), "clients 2 and 4: " + metrics);
                assertTrue(metrics.matches("(?s).*mete_http_events_streamed_total [1-9][0-9]*\n.*"), metrics);
            }
            finally
            {
                base = previousBase;
            }
        }

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            config.httpPort = taken.getLocalPort();
            final IOException refused = assertThrows(IOException.class, () -> MeteServer.start(config, "test"));
            assertTrue(refused.getMessage().startsWith("HTTP on 127.0.0.1:" + taken.getLocalPort()), refused.getMessage());
        }
        // the failed start closed everything it opened: the same data directory starts again
        config.httpPort = -1;
        try (MeteServer server = MeteServer.start(config, "test"))
        {
            assertNull(server.httpAddress());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Streams a test closed give their places back when their next keep-alive fails (every 200 ms here). */
    private void awaitNoStreams() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gateway.openStreams() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(0, gateway.openStreams());
    }

    private static String placeOrder(final String orderId, final String sku, final int quantity)
    {
        return "{\"type\":\"PlaceOrder\",\"service\":\"STANDARD\",\"latitude\":40000000,\"longitude\":-100000000," +
            "\"lines\":[{\"quantity\":" + quantity + ",\"sku\":\"" + sku + "\"}],\"orderId\":\"" + orderId + "\",\"channel\":\"web\"}";
    }

    private HttpResponse<String> post(final int clientId, final String path, final String json) throws Exception
    {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json"), clientId, TestServer.SECRET + clientId);
    }

    private HttpResponse<String> get(final int clientId, final String path) throws Exception
    {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), clientId, TestServer.SECRET + clientId);
    }

    private HttpResponse<String> send(final HttpRequest.Builder request, final int clientId, final String secret) throws Exception
    {
        return http.send(request.header("Authorization", basic(clientId, secret)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest authorized(final HttpRequest.Builder request, final int clientId)
    {
        return request.header("Authorization", basic(clientId, TestServer.SECRET + clientId)).build();
    }

    private static String basic(final int clientId, final String secret)
    {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode ok(final HttpResponse<String> response) throws Exception
    {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return mapper.readTree(response.body());
    }

    private void assertError(final int status, final String text, final HttpResponse<String> response) throws Exception
    {
        assertEquals(status, response.statusCode(), response.body());
        final JsonNode error = mapper.readTree(response.body());
        assertEquals(status, error.get("status").asInt());
        assertTrue(error.get("text").asText().contains(text), "'" + error.get("text").asText() + "' should contain '" + text + "'");
    }

    /** The first {@code count} events of a stream: id, event name, data. */
    private List<String[]> readEvents(final String path, final String lastEventId, final int count) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (lastEventId != null)
        {
            request.header("Last-Event-ID", lastEventId);
        }
        final HttpResponse<InputStream> response = http.send(authorized(request, MONITOR), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        final List<String[]> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.US_ASCII)))
        {
            String id = "";
            String name = "";
            String line;
            while (events.size() < count && (line = reader.readLine()) != null)
            {
                if (line.startsWith("id: "))
                {
                    id = line.substring(4);
                }
                else if (line.startsWith("event: "))
                {
                    name = line.substring(7);
                }
                else if (line.startsWith("data: "))
                {
                    events.add(new String[] {id, name, line.substring(6)});
                }
            }
        }
        assertEquals(count, events.size());
        return events;
    }

    private List<String[]> readEventsUnchecked(final String path, final String lastEventId, final int count)
    {
        try
        {
            return readEvents(path, lastEventId, count);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
