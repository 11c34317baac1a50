package io.mete.gateway;

import io.mete.gateway.cli.MeteCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** {@code mete client ...} against a live server: exit status and JSON output. */
class ClientCommandTest
{
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException
    {
        server = new TestServer();
        try (io.mete.gateway.client.MeteClient admin = server.client(1))
        {
            TestNetwork.load(admin, TestNetwork.SCARCE);
        }
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private record Run(int exit, String out)
    {
    }

    private static Run run(final String... args)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final int exit = new CommandLine(new MeteCommand()).execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(original);
        }
    }

    @Test
    void placesAnOrderAndPrintsItsAllocationAsJson()
    {
        final Run run = run("client", "--port", String.valueOf(server.port), "--client-id", "10", "--secret", "secret-10", "--json",
            "place-order", "--order", "CLI-1", "--line", "SKU00001:2", "--line", "SKU00002:1");
        assertEquals(0, run.exit(), run.out());
        final String[] lines = run.out().trim().split("\n");
        assertTrue(lines[0].startsWith("{\"type\":\"CommandAccepted\""), lines[0]);
        assertTrue(lines[1].startsWith("{\"type\":\"OrderStatus\""), lines[1]);
        assertTrue(lines[1].contains("\"orderId\":\"CLI-1\""), lines[1]);
    }

    @Test
    void aRejectedCommandExitsOneAndARefusedSessionExitsTwo()
    {
        final Run rejected = run("client", "--port", String.valueOf(server.port), "--client-id", "20", "--secret", "secret-20",
            "adjust", "--node", "NOPE", "--sku", "SKU00001", "--delta=-1", "--json");
        assertEquals(1, rejected.exit(), rejected.out());
        assertTrue(rejected.out().contains("\"reason\":\"UNKNOWN_NODE\""), rejected.out());

        final Run refused = run("client", "--port", String.valueOf(server.port), "--client-id", "30", "--secret", "secret-30",
            "snapshot", "--json");
        assertEquals(2, refused.exit(), refused.out());
        assertTrue(refused.out().contains("NOT_PERMITTED"), refused.out());
    }

    @Test
    void sendsAnyRequestWrittenAsJsonAndRefusesBadOnesBeforeConnecting()
    {
        final String port = String.valueOf(server.port);
        final Run sent = run("client", "send", "--port", port, "--client-id", "20", "--secret", "secret-20", "--json",
            "{\"type\":\"SetSafetyStock\",\"quantity\":3,\"node\":\"N000\",\"sku\":\"SKU00004\"}",
            "{\"type\":\"QueryAvailability\",\"sku\":\"SKU00004\"}",
            "{\"type\":\"AdjustOnHand\",\"delta\":1,\"node\":\"NOPE\",\"sku\":\"SKU00004\"}");
        assertEquals(1, sent.exit(), "the third is rejected: " + sent.out());
        final String[] lines = sent.out().trim().split("\n");
        assertEquals(3, lines.length, sent.out());
        assertTrue(lines[0].startsWith("{\"type\":\"CommandAccepted\""), lines[0]);
        assertTrue(lines[1].startsWith("{\"type\":\"Availability\"") && lines[1].contains("\"safetyStock\":3"), lines[1]);
        assertTrue(lines[2].startsWith("{\"type\":\"CommandRejected\"") && lines[2].contains("UNKNOWN_NODE"), lines[2]);

        // a journal entry as inspect --json prints it sends its message
        final Run entry = run("client", "send", "--port", port, "--client-id", "20", "--secret", "secret-20",
            "{\"sequence\":7,\"timestamp\":\"2026-11-23T04:51:16.008Z\",\"clientId\":3,\"message\":" +
                "{\"type\":\"SetSafetyStock\",\"correlationId\":12,\"quantity\":4,\"node\":\"N000\",\"sku\":\"SKU00004\"}}");
        assertEquals(0, entry.exit(), entry.out());
        final Run after = run("client", "availability", "SKU00004", "--port", port, "--secret", "secret-1", "--json");
        assertTrue(after.out().contains("\"safetyStock\":4"), after.out());
        final Run misspelt = run("client", "send", "--port", port, "--secret", "secret-1", "{\"type\":\"QueryTotals\",\"colour\":1}");
        assertEquals(2, misspelt.exit());
        final Run outsideRole = run("client", "send", "--port", port, "--client-id", "30", "--secret", "secret-30",
            "{\"type\":\"QueryTotals\"}", "{\"type\":\"RequestSnapshot\"}");
        assertEquals(2, outsideRole.exit(), "nothing sent: " + outsideRole.out());
        assertEquals("", outsideRole.out());
    }

    @Test
    void explainOrderShowsWhereAWaitingOrderCouldShipFrom()
    {
        final String port = String.valueOf(server.port);
        final Run placed = run("client", "place-order", "--order", "CLI-WAIT", "--line", "SKU00007:500", "--port", port,
            "--client-id", "10", "--secret", "secret-10", "--json");
        assertEquals(0, placed.exit(), placed.out());
        final Run explained = run("client", "explain-order", "CLI-WAIT", "--port", port, "--client-id", "30", "--secret", "secret-30");
        assertEquals(0, explained.exit(), explained.out());
        final String[] rows = explained.out().trim().split("\n");
        assertTrue(rows[0].matches("explain: plan \\d+ shipments?, .*, \\d+ units short .*"), rows[0]);
        assertTrue(rows[1].contains("#0 SKU00007"), "the order's line 0 names its SKU: " + rows[1]);
        final Run unknown = run("client", "explain-order", "NOPE", "--port", port, "--client-id", "30", "--secret", "secret-30", "--json");
        assertEquals(1, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("UNKNOWN_ORDER"), unknown.out());
    }

    @Test
    void anAdminSetsAndRemovesANodesCutoff()
    {
        final String port = String.valueOf(server.port);
        final Run set = run("client", "node-cutoff", "N000", "--at", "15:30", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(0, set.exit(), set.out());
        assertTrue(set.out().startsWith("{\"type\":\"CommandAccepted\"") && set.out().contains("\"templateId\":7"), set.out());
        final Run unknown = run("client", "node-cutoff", "NOPE", "--at", "15:30", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(1, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("UNKNOWN_NODE"), unknown.out());
        final Run notAdmin = run("client", "node-cutoff", "N000", "--none", "--port", port, "--client-id", "10", "--secret", "secret-10", "--json");
        assertEquals(2, notAdmin.exit(), notAdmin.out());
        assertTrue(notAdmin.out().contains("NOT_PERMITTED"), notAdmin.out());
        final Run none = run("client", "node-cutoff", "N000", "--none", "--port", port, "--secret", "secret-1");
        assertEquals(0, none.exit(), none.out());
    }

    @Test
    void anAdminCapsAndFencesAChannelAndAvailabilityShowsBoth()
    {
        final String port = String.valueOf(server.port);
        final Run fence = run("client", "channel-fence", "web", "SKU00019", "--units", "5", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(0, fence.exit(), fence.out());
        assertTrue(fence.out().startsWith("{\"type\":\"CommandAccepted\"") && fence.out().contains("\"templateId\":8"), fence.out());
        final Run cap = run("client", "channel-cap", "web", "SKU00019", "--max", "3", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(0, cap.exit(), cap.out());
        final Run shown = run("client", "availability", "SKU00019", "--port", port, "--secret", "secret-1", "--json");
        assertTrue(shown.out().contains("{\"maxUnits\":3,\"reserved\":0,\"available\":3,\"fenceUnits\":5,\"channel\":\"web\"}"), shown.out());
        final Run explained = run("client", "explain", "--line", "SKU00019:5", "--port", port, "--secret", "secret-1");
        assertEquals(0, explained.exit(), explained.out());
        assertTrue(explained.out().contains("#0 SKU00019: the channel's cap leaves room for 3 of 5"), explained.out());
        final Run unknown = run("client", "channel-fence", "nochannel", "SKU00019", "--units", "5", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(1, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("UNKNOWN_CHANNEL"), unknown.out());
        final Run negative = run("client", "channel-fence", "web", "SKU00019", "--units", "-1", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(1, negative.exit(), negative.out());
        assertTrue(negative.out().contains("INVALID_VALUE"), negative.out());
        final Run notAdmin = run("client", "channel-fence", "web", "SKU00019", "--none", "--port", port, "--client-id", "10", "--secret", "secret-10");
        assertEquals(2, notAdmin.exit(), notAdmin.out());
        assertEquals(0, run("client", "channel-fence", "web", "SKU00019", "--none", "--port", port, "--secret", "secret-1").exit());
        assertEquals(0, run("client", "channel-cap", "web", "SKU00019", "--none", "--port", port, "--secret", "secret-1").exit());
        final Run cleared = run("client", "availability", "SKU00019", "--port", port, "--secret", "secret-1", "--json");
        assertTrue(cleared.out().contains("{\"maxUnits\":-1,\"reserved\":0,\"available\":"), cleared.out());
        assertTrue(cleared.out().contains("\"fenceUnits\":0,\"channel\":\"web\"}"), cleared.out());
    }

    @Test
    void queriesTotalsAvailabilityAndSnapshots()
    {
        final String port = String.valueOf(server.port);
        final Run totals = run("client", "totals", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(0, totals.exit(), totals.out());
        assertTrue(totals.out().startsWith("{\"type\":\"Totals\""), totals.out());
        final Run availability = run("client", "availability", "SKU00003", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(0, availability.exit(), availability.out());
        assertTrue(availability.out().contains("\"sku\":\"SKU00003\""), availability.out());
        final Run snapshot = run("client", "snapshot", "--port", port, "--secret", "secret-1");
        assertEquals(0, snapshot.exit(), snapshot.out());
        assertTrue(snapshot.out().contains("SnapshotTaken"), snapshot.out());
    }

    @Test
    void adminSetsTheOrderRetentionAndRetiredOrdersAreForgotten() throws Exception
    {
        final String port = String.valueOf(server.port);
        final Run notAllowed = run("client", "order-retention", "--millis", "0", "--port", port, "--client-id", "11", "--secret", "secret-11",
            "--json");
        assertEquals(2, notAllowed.exit(), notAllowed.out());
        assertTrue(notAllowed.out().contains("NOT_PERMITTED"), notAllowed.out());

        final Run set = run("client", "order-retention", "--millis", "0", "--port", port, "--client-id", "2", "--secret", "secret-2", "--json");
        assertEquals(0, set.exit(), set.out());
        assertTrue(set.out().startsWith("{\"type\":\"CommandAccepted\""), set.out());
        try (io.mete.gateway.client.MeteClient orders = server.client(12))
        {
            assertTrue(orders.placeOrder("CLI-RETIRED", "web", new String[] {"SKU00005"}, new int[] {1}, 40, -100,
                io.mete.schema.ServiceLevel.STANDARD).isAccepted());
            assertTrue(orders.cancelOrder("CLI-RETIRED").isAccepted());
            // retirement happens at the next command time after the cancel: any later command will do
            Thread.sleep(5);
            assertTrue(orders.placeOrder("CLI-KEPT", "web", new String[] {"SKU00005"}, new int[] {1}, 40, -100,
                io.mete.schema.ServiceLevel.STANDARD).isAccepted());
        }
        final Run gone = run("client", "order", "CLI-RETIRED", "--port", port, "--secret", "secret-1", "--json");
        assertEquals(1, gone.exit(), gone.out());
        assertTrue(gone.out().contains("\"reason\":\"UNKNOWN_ORDER\""), gone.out());
        final Run totals = run("client", "totals", "--port", port, "--secret", "secret-1", "--json");
        assertTrue(totals.out().contains("\"ordersRetired\":1"), totals.out());

        final Run forever = run("client", "order-retention", "--forever", "--port", port, "--client-id", "2", "--secret", "secret-2");
        assertEquals(0, forever.exit(), forever.out());
    }

    @Test
    void aMonitorAsksWhereAnOrderWouldShipAndTheOrderPlacedNextShipsFromThere() throws Exception
    {
        final String port = String.valueOf(server.port);
        final Run promise = run("client", "promise", "--line", "SKU00011:2", "--line", "SKU00012:1", "--port", port,
            "--client-id", "30", "--secret", "secret-30", "--json");
        assertEquals(0, promise.exit(), promise.out());
        assertTrue(promise.out().startsWith("{\"type\":\"Promise\""), promise.out());
        assertTrue(promise.out().contains("\"shipments\":[{"), promise.out());
        final Run readable = run("client", "promise", "--line", "SKU00011:2", "--line", "SKU00012:1", "--port", port,
            "--client-id", "30", "--secret", "secret-30");
        assertEquals(0, readable.exit(), readable.out());
        assertTrue(readable.out().matches("(?s)promise: \\d+ shipments?, delivered by \\d{4}-\\d\\d-\\d\\d, cost \\d+\\.\\d\\d, nothing short.*"),
            readable.out());
        assertTrue(readable.out().contains("SKU00011 x2") && readable.out().contains("SKU00012 x1"), readable.out());
        final Run unknown = run("client", "promise", "--line", "NOPE:1", "--port", port, "--client-id", "30", "--secret", "secret-30", "--json");
        assertEquals(1, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("\"reason\":\"UNKNOWN_SKU\""), unknown.out());

        // the workings: a row per node holding either SKU, the plan's nodes marked
        final Run explained = run("client", "explain", "--line", "SKU00011:2", "--line", "SKU00012:1", "--port", port,
            "--client-id", "30", "--secret", "secret-30");
        assertEquals(0, explained.exit(), explained.out());
        final String[] rows = explained.out().trim().split("\n");
        assertTrue(rows[0].matches("explain: plan \\d+ shipments?, delivered by \\d{4}-\\d\\d-\\d\\d, cost \\d+\\.\\d\\d, nothing short.*"), rows[0]);
        assertTrue(rows[1].contains("verdict") && rows[1].contains("SKU00011") && rows[1].contains("SKU00012"), rows[1]);
        assertTrue(rows.length > 2 && java.util.Arrays.stream(rows).skip(2).anyMatch(r -> r.contains("ELIGIBLE") && r.contains("#0")), explained.out());
        final Run explainedJson = run("client", "explain", "--line", "SKU00011:2", "--port", port, "--client-id", "30", "--secret", "secret-30",
            "--json");
        assertEquals(0, explainedJson.exit(), explainedJson.out());
        assertTrue(explainedJson.out().startsWith("{\"type\":\"SourcingExplanation\"") && explainedJson.out().contains("\"verdict\":\"ELIGIBLE\""),
            explainedJson.out());

        final String[] skus = {"SKU00011", "SKU00012"};
        final int[] quantities = {2, 1};
        try (io.mete.gateway.client.MeteClient monitor = server.client(31); io.mete.gateway.client.MeteClient orders = server.client(13))
        {
            final io.mete.gateway.client.Reply quoted = monitor.queryPromise("web", skus, quantities, 40.7, -74.0,
                io.mete.schema.ServiceLevel.STANDARD, 0);
            final java.util.TreeSet<String> promised = new java.util.TreeSet<>();
            long promisedUnits = 0;
            final io.mete.schema.PromiseDecoder p = quoted.wrap(new io.mete.schema.PromiseDecoder());
            for (final io.mete.schema.PromiseDecoder.ShipmentsDecoder shipment : p.shipments())
            {
                promised.add(shipment.node());
            }
            for (final io.mete.schema.PromiseDecoder.LinesDecoder line : p.lines())
            {
                promisedUnits += line.quantity();
            }
            assertFalse(promised.isEmpty(), quoted.toString());
            assertTrue(orders.placeOrder("CLI-PROMISED", "web", skus, quantities, 40.7, -74.0, io.mete.schema.ServiceLevel.STANDARD).isAccepted());
            final io.mete.schema.OrderStatusDecoder status = orders.queryOrder("CLI-PROMISED").wrap(new io.mete.schema.OrderStatusDecoder());
            final java.util.TreeSet<String> allocated = new java.util.TreeSet<>();
            long allocatedUnits = 0;
            for (final io.mete.schema.OrderStatusDecoder.LinesDecoder line : status.lines())
            {
                line.sku();   // groups are read in order: the lines before the allocations
            }
            for (final io.mete.schema.OrderStatusDecoder.AllocationsDecoder allocation : status.allocations())
            {
                allocatedUnits += allocation.quantity();
                allocated.add(allocation.node());
            }
            assertEquals(promised, allocated, "the order ships from the promised nodes");
            assertEquals(promisedUnits, allocatedUnits);
        }
    }

    @Test
    void eventsArePrintedFromASequenceAsJsonAndTheLastLineSaysWhereToGoOn()
    {
        final String port = String.valueOf(server.port);
        final Run five = run("client", "events", "--from", "0", "--count", "5", "--port", port, "--client-id", "30", "--secret", "secret-30",
            "--json");
        assertEquals(0, five.exit(), five.out());
        final String[] lines = five.out().trim().split("\n");
        assertEquals(6, lines.length, five.out());
        final long first = Long.parseLong(lines[0].substring("{\"eventSequence\":".length(), lines[0].indexOf(',')));
        for (int i = 0; i < 5; i++)
        {
            assertTrue(lines[i].startsWith("{\"eventSequence\":" + (first + i) + ",\"commandSequence\":"), "in sequence: " + lines[i]);
            assertTrue(lines[i].contains(",\"message\":{\"type\":\""), lines[i]);
        }
        assertTrue(lines[0].contains("\"message\":{\"type\":\"CommandAccepted\""), "the first command's answer: " + lines[0]);
        assertEquals("{\"next-sequence\":" + (first + 5) + "}", lines[5]);

        final Run rest = run("client", "events", "--from", String.valueOf(first + 5), "--idle", "1", "--port", port, "--client-id", "30", "--secret", "secret-30");
        assertEquals(0, rest.exit(), rest.out());
        final String[] more = rest.out().trim().split("\n");
        assertTrue(more.length > 10, "the network's setup made many events: " + more.length);
        assertTrue(more[0].startsWith((first + 5) + " cmd="), more[0]);
        final String last = more[more.length - 2];
        final long lastSequence = Long.parseLong(last.substring(0, last.indexOf(' ')));
        assertEquals("next-sequence: " + (lastSequence + 1), more[more.length - 1]);
    }

    @Test
    void eventsCanBeLimitedToSomeTypes()
    {
        final String port = String.valueOf(server.port);
        final Run stock = run("client", "events", "--from", "0", "--count", "3", "--types", "AvailabilityChanged", "--port", port,
            "--client-id", "30", "--secret", "secret-30", "--json");
        assertEquals(0, stock.exit(), stock.out());
        final String[] lines = stock.out().trim().split("\n");
        assertEquals(4, lines.length, stock.out());
        for (int i = 0; i < 3; i++)
        {
            assertTrue(lines[i].contains("\"message\":{\"type\":\"AvailabilityChanged\""), lines[i]);
        }
        final long third = Long.parseLong(lines[2].substring("{\"eventSequence\":".length(), lines[2].indexOf(',')));
        assertEquals("{\"next-sequence\":" + (third + 1) + "}", lines[3]);
        final Run bad = run("client", "events", "--types", "PlaceOrder", "--port", port, "--client-id", "30", "--secret", "secret-30");
        assertEquals(2, bad.exit());
    }

    @Test
    void anOperatorFollowsAnOrderThroughShipmentAndDeliveryAndTakesANodeOffline() throws Exception
    {
        final String port = String.valueOf(server.port);
        final String[] orders = {"--port", port, "--client-id", "14", "--secret", "secret-14"};
        final String[] admin = {"--port", port, "--client-id", "1", "--secret", "secret-1"};
        assertEquals(0, run(concat(new String[] {"client", "place-order", "--order", "CLI-LIFE", "--line", "SKU00015:1"}, orders)).exit());
        final String node;
        try (io.mete.gateway.client.MeteClient monitor = server.client(32))
        {
            final io.mete.schema.OrderStatusDecoder status = monitor.queryOrder("CLI-LIFE").wrap(new io.mete.schema.OrderStatusDecoder());
            for (final io.mete.schema.OrderStatusDecoder.LinesDecoder line : status.lines())
            {
                line.sku();
            }
            final io.mete.schema.OrderStatusDecoder.AllocationsDecoder allocations = status.allocations();
            assertEquals(1, allocations.count());
            node = allocations.next().node();
        }
        final Run changed = run(concat(new String[] {"client", "change-delivery", "CLI-LIFE", "--lat", "40.0", "--lon", "-100.0",
            "--service", "EXPEDITED", "--json"}, orders));
        assertEquals(0, changed.exit(), changed.out());
        assertTrue(changed.out().contains("\"service\":\"EXPEDITED\""), "the order's new service: " + changed.out());
        final String shipFrom;
        try (io.mete.gateway.client.MeteClient monitor = server.client(33))
        {
            final io.mete.schema.OrderStatusDecoder status = monitor.queryOrder("CLI-LIFE").wrap(new io.mete.schema.OrderStatusDecoder());
            for (final io.mete.schema.OrderStatusDecoder.LinesDecoder line : status.lines())
            {
                line.sku();
            }
            String open = null;
            for (final io.mete.schema.OrderStatusDecoder.AllocationsDecoder allocation : status.allocations())
            {
                open = allocation.quantity() > 0 ? allocation.node() : open;
            }
            shipFrom = open;
        }
        assertNotNull(shipFrom, "re-sourced somewhere");
        assertEquals(0, run(concat(new String[] {"client", "ship", "CLI-LIFE", "--node", shipFrom, "--tracking", "1Z999"}, orders)).exit());
        assertEquals(0, run(concat(new String[] {"client", "deliver", "CLI-LIFE", "--node", shipFrom}, orders)).exit());
        final Run order = run(concat(new String[] {"client", "order", "CLI-LIFE", "--json"}, orders));
        assertTrue(order.out().contains("\"state\":\"COMPLETED\"") && order.out().contains("\"state\":\"DELIVERED\""), order.out());
        final Run again = run(concat(new String[] {"client", "cancel-order", "CLI-LIFE", "--json"}, orders));
        assertEquals(1, again.exit(), again.out());
        assertTrue(again.out().contains("\"reason\":\"ORDER_CLOSED\""), again.out());

        final Run notAdmin = run(concat(new String[] {"client", "node-status", node, "--offline"}, orders));
        assertEquals(2, notAdmin.exit(), notAdmin.out());
        assertEquals(0, run(concat(new String[] {"client", "node-status", node, "--offline"}, admin)).exit());
        final Run offline = run(concat(new String[] {"client", "node-load", node, "--json"}, admin));
        assertTrue(offline.out().contains("\"online\":false"), offline.out());
        assertEquals(0, run(concat(new String[] {"client", "node-status", node, "--online"}, admin)).exit());
        assertTrue(run(concat(new String[] {"client", "node-load", node, "--json"}, admin)).out().contains("\"online\":true"));
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
