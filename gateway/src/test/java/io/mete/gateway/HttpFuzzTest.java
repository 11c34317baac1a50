package io.mete.gateway;

import io.mete.gateway.client.MeteClient;
import io.mete.gateway.http.HttpGateway;
import io.mete.schema.TotalsDecoder;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random and mutated HTTP requests against the HTTP door of a live gateway: every one gets an answer
 * with a status the API documents (never a 500 or a dropped connection), the engine applies only
 * what was a valid command, and a well-behaved client carries on throughout.
 */
class HttpFuzzTest
{
    private static final Set<Integer> DOCUMENTED = Set.of(200, 400, 401, 403, 404, 405, 413, 422);
    private static final List<String> VALID = List.of(
        "{\"type\":\"PlaceOrder\",\"service\":\"STANDARD\",\"latitude\":40000000,\"longitude\":-100000000," +
            "\"lines\":[{\"quantity\":1,\"sku\":\"SKU00001\"}],\"orderId\":\"F-1\",\"channel\":\"web\"}",
        "{\"type\":\"QueryAvailability\",\"sku\":\"SKU00002\"}",
        "{\"type\":\"QueryPromise\",\"lines\":[{\"quantity\":2,\"sku\":\"SKU00003\"}],\"channel\":\"web\"}",
        "{\"type\":\"ExplainSourcing\",\"lines\":[{\"quantity\":2,\"sku\":\"SKU00003\"}],\"channel\":\"web\",\"latestDeliveryDay\":1}",
        "{\"type\":\"CancelLine\",\"lineNumber\":0,\"quantity\":1,\"orderId\":\"F-1\"}",
        "{\"type\":\"QueryTotals\"}");
    private static final List<String> PATHS = List.of("/v1/messages", "/v1/messages/PlaceOrder", "/v1/messages/QueryTotals",
        "/v1/orders/F-1", "/v1/availability/SKU00001", "/v1/nodes/N000/load", "/v1/totals", "/v1/state-hash", "/v1/openapi.json",
        "/v1/", "/v1/orders/%25zz", "/v1/orders/a%2Fb", "/v1/nodes/N000/nope", "/v2/messages", "/v1/messages/PlaceOrder/extra");

    @Test
    void randomRequestsGetDocumentedAnswersAndAWellBehavedClientCarriesOn() throws Exception
    {
        try (TestServer server = new TestServer())
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            try (HttpGateway gateway = new HttpGateway(new HttpGateway.Settings("127.0.0.1", 0, 4, 2, 16384, 10_000, 200),
                new InetSocketAddress("127.0.0.1", server.port), server.events, server.gateway::lastEventSequence);
                 MeteClient steady = server.client(31))
            {
                final String base = "http://127.0.0.1:" + gateway.address().getPort();
                final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                final Random random = new Random(20261123);
                final TreeMap<Integer, Integer> statuses = new TreeMap<>();
                int ordersAccepted = 0;
                for (int i = 0; i < 3_000; i++)
                {
                    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + PATHS.get(random.nextInt(PATHS.size()))))
                        .timeout(Duration.ofSeconds(20));
                    final String body = body(random);
                    switch (random.nextInt(10))
                    {
                        case 0:
                            request.GET();
                            break;
                        case 1:
                            request.method("PUT", HttpRequest.BodyPublishers.ofString(body));
                            break;
                        case 2:
                            request.DELETE();
                            break;
                        default:
                            request.POST(HttpRequest.BodyPublishers.ofString(body));
                    }
                    switch (random.nextInt(6))
                    {
                        case 0:
                            break;
                        case 1:
                            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(bytes(random, 20)));
                            break;
                        case 2:
                            request.header("Authorization", "Bearer 10:secret-10");
                            break;
                        default:
                            final int client = List.of(1, 10, 20, 30).get(random.nextInt(4));
                            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                (client + ":" + (random.nextInt(8) == 0 ? "wrong" : TestServer.SECRET + client)).getBytes(StandardCharsets.US_ASCII)));
                    }
                    final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    if (response.statusCode() == 200 && response.body().startsWith("{\"type\":\"CommandAccepted\"") &&
                        response.body().contains("\"templateId\":20,"))
                    {
                        ordersAccepted++;
                    }
                    assertTrue(DOCUMENTED.contains(response.statusCode()), response.statusCode() + " " + response.body());
                    if (i % 500 == 0)
                    {
                        assertTrue(steady.totals().isAccepted(), "a well-behaved TCP client carries on");
                    }
                }
                assertTrue(statuses.containsKey(200) && statuses.containsKey(400) && statuses.containsKey(401), statuses.toString());
                final TotalsDecoder totals = steady.totals().wrap(new TotalsDecoder());
                assertTrue(ordersAccepted > 0, "some orders went through: " + statuses);
                assertEquals(ordersAccepted, totals.orders(), "every PlaceOrder answered accepted is one order, and no other: " + statuses);
                final HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/totals"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("30:secret-30".getBytes(StandardCharsets.US_ASCII)))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, after.statusCode(), after.body());
            }
        }
    }

    /** A valid request, a mutation of one, or noise. */
    private static String body(final Random random)
    {
        final String valid = VALID.get(random.nextInt(VALID.size()));
        switch (random.nextInt(8))
        {
            case 0:
                return valid;
            case 1:
                return new String(bytes(random, random.nextInt(200)), StandardCharsets.ISO_8859_1);
            case 2:
                return "[".repeat(2_000 + random.nextInt(2_000));
            case 3:
                return valid.replace("1", "9".repeat(1 + random.nextInt(40)));
            case 4:
                return valid.substring(0, random.nextInt(valid.length()));
            default:
                final char[] chars = valid.toCharArray();
                for (int n = 1 + random.nextInt(4); n > 0; n--)
                {
                    chars[random.nextInt(chars.length)] = (char)(' ' + random.nextInt(95));
                }
                return new String(chars);
        }
    }

    private static byte[] bytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
