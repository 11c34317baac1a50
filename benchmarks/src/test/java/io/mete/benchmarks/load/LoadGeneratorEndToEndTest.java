package io.mete.benchmarks.load;

import io.mete.engine.workload.Workload;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.Role;
import io.mete.schema.SourcingStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The generator against a real gateway on loopback: short runs, every figure checked against the server's state. */
class LoadGeneratorEndToEndTest
{
    private static InProcessServer server;
    private static final Workload WORKLOAD = Workload.reference(SourcingStrategy.COST);

    @BeforeAll
    static void start() throws Exception
    {
        final GatewayConfig config = GatewayConfig.defaults();
        config.clients.add(new ClientRegistry.Client(11, "load-11", Role.ORDERS));
        config.clients.add(new ClientRegistry.Client(12, "load-12", Role.ADMIN));
        server = new InProcessServer(config);
        NetworkSetup.load("127.0.0.1", server.port, new ClientRegistry.Client(1, "mete-admin", Role.ADMIN), WORKLOAD, null);
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static LoadClients clients()
    {
        final GatewayConfig config = GatewayConfig.defaults();
        config.clients.add(new ClientRegistry.Client(11, "load-11", Role.ORDERS));
        config.clients.add(new ClientRegistry.Client(12, "load-12", Role.ADMIN));
        return LoadClients.of(config.clients.all());
    }

    private static LoadRun.Settings settings(final RateSchedule schedule, final boolean mixed, final int connections)
    {
        final LoadRun.Settings s = new LoadRun.Settings();
        s.port = server.port;
        s.clients = clients().forLoad(connections, mixed);
        s.workload = WORKLOAD;
        s.mixed = mixed;
        s.schedule = schedule;
        s.windowNs = TimeUnit.MILLISECONDS.toNanos(100);
        s.drainTimeoutNs = TimeUnit.SECONDS.toNanos(20);
        s.orderPrefix = "T" + System.nanoTime() % 100_000;
        return s;
    }

    @Test
    void openLoopRunPlacesEveryScheduledOrderAndTheServerAgrees() throws Exception
    {
        final CorrectnessCheck check = new CorrectnessCheck("127.0.0.1", server.port, clients().admin(), WORKLOAD, 10_000);
        final CorrectnessCheck.State before = check.capture();
        final RateSchedule schedule = RateSchedule.constant(5_000, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.MILLISECONDS.toNanos(800));
        final LoadResult r = new LoadRun(settings(schedule, false, 3)).run();
        final CorrectnessCheck.State after = check.capture();

        assertEquals(schedule.totalRequests(), r.acceptedPlaces, "every scheduled order accepted");
        assertEquals(0, r.unanswered);
        assertEquals(0, r.rejected());
        assertEquals(4_000, r.phases[1].accepted);
        assertTrue(r.measuredLatency().getValueAtPercentile(50) > 0);
        assertEquals(List.of(), CorrectnessCheck.compare(before, after, r, WORKLOAD, true));
        assertEquals(3L * r.acceptedPlaces, after.reserved - before.reserved, "reserved = 3 × orders");
        assertEquals(List.of(), check.checkOrders(r.sampleOrderIds, 3));
    }

    @Test
    void withTheServersMetricsTheResultHasTheServersOwnLatencyForTheMeasuredRequests() throws Exception
    {
        try (io.mete.gateway.server.ServerMonitor monitor =
                 new io.mete.gateway.server.ServerMonitor(server.gateway, server.pipeline, System.nanoTime(), 0, "127.0.0.1", 0))
        {
            // two measured seconds: the server's figures move on once a second, and requests the engine
            // has applied but the gateway not yet answered when a second turns count for the engine
            // first, so a window of about one second could differ by more than the tolerance below
            final RateSchedule schedule = RateSchedule.constant(5_000, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.SECONDS.toNanos(2));
            final LoadRun.Settings s = settings(schedule, false, 2);
            s.serverMetrics = "127.0.0.1:" + monitor.metricsAddress().getPort();
            final LoadResult r = new LoadRun(s).run();

            assertNotNull(r.serverLatency, "server latency taken");
            // from the measured phase's start (seen within the progress loop's 250 ms) to the last answer
            final long count = r.serverLatency.getTotalCount();
            assertTrue(count > 1_000 && count <= r.phases[1].sent, "server latencies " + count + " for " + r.phases[1].sent + " measured");
            assertTrue(r.serverLatency.getValueAtPercentile(50) <= r.serverLatency.getValueAtPercentile(99));
            // the engine's share is part of the server's latency for the same requests
            assertNotNull(r.engineLatency);
            assertEquals(count, r.engineLatency.getTotalCount(), 0.1 * count);
            assertTrue(r.engineLatency.getValueAtPercentile(50) <= r.serverLatency.getValueAtPercentile(50),
                "engine p50 " + r.engineLatency.getValueAtPercentile(50) + " µs, server p50 " + r.serverLatency.getValueAtPercentile(50) + " µs");
            final java.util.Map<String, String> figures = r.figures("");
            assertEquals(Long.toString(count), figures.get("server_count"));
            assertNotNull(figures.get("server_p99_us"));
        }
        // no endpoint: the run goes on without the figures
        final LoadRun.Settings s = settings(RateSchedule.constant(2_000, 0, TimeUnit.MILLISECONDS.toNanos(600)), false, 1);
        s.serverMetrics = "127.0.0.1:1";
        final LoadResult r = new LoadRun(s).run();
        assertNull(r.serverLatency);
        assertNull(r.engineLatency);
        assertEquals(0, r.unanswered);
        assertFalse(r.figures("").containsKey("server_count"));
    }

    @Test
    void mixedTrafficCancelsAndShipsEarlierOrdersAndTheTotalsAddUp() throws Exception
    {
        final CorrectnessCheck check = new CorrectnessCheck("127.0.0.1", server.port, clients().admin(), WORKLOAD, 10_000);
        final CorrectnessCheck.State before = check.capture();
        final RateSchedule schedule = RateSchedule.constant(4_000, 0, TimeUnit.SECONDS.toNanos(1));
        final LoadResult r = new LoadRun(settings(schedule, true, 2)).run();
        final CorrectnessCheck.State after = check.capture();

        assertEquals(0, r.rejected(), r.rejectSummary());
        assertTrue(r.acceptedCancels > 50, "cancels: " + r.acceptedCancels);
        assertTrue(r.acceptedConfirms > 50, "confirms: " + r.acceptedConfirms);
        assertTrue(r.byKind[LoadConnection.ADJUST].getTotalCount() > 200);
        assertTrue(r.expectedShippedUnits >= r.acceptedConfirms);
        assertEquals(List.of(), CorrectnessCheck.compare(before, after, r, WORKLOAD, true));
    }

    @Test
    void closedLoopKeepsTheWindowFullAndReportsThroughput() throws Exception
    {
        final LoadRun.Settings s = settings(RateSchedule.constant(1_000, TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.MILLISECONDS.toNanos(800)),
            false, 2);
        s.window = 16;
        final LoadResult r = new LoadRun(s).run();
        assertTrue(r.acceptedPlaces > 1_000, "closed loop is not paced by the schedule: " + r.acceptedPlaces);
        assertEquals(0, r.unanswered);
        assertTrue(r.achievedRate() > 0);
    }

    @Test
    void commandLineRunPrintsTheFiguresAndWritesTheLogs(@TempDir final Path dir) throws Exception
    {
        final Path config = dir.resolve("server.properties");
        Files.writeString(config, "client.1.secret=mete-admin\nclient.1.role=ADMIN\nclient.11.secret=load-11\nclient.11.role=ORDERS\n" +
            "client.12.secret=load-12\nclient.12.role=ADMIN\n");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream previous = System.out;
        final int exit;
        try
        {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            exit = new picocli.CommandLine(new LoadGenerator()).execute("--port", Integer.toString(server.port), "--server-config",
                config.toString(), "--connections", "2", "--rate", "3000", "--warmup", "200ms", "--duration", "1s", "--interval", "100ms",
                "--histogram-log", dir.resolve("run.hlog").toString(), "--timeline", dir.resolve("run.csv").toString(),
                "--result", dir.resolve("run.properties").toString(), "--quiet");
        }
        finally
        {
            System.setOut(previous);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        final String[] lines = output.trim().split("\n");
        final String last = lines[lines.length - 1];
        assertTrue(last.contains("achieved_per_s: ") && last.contains("p99_us: ") && last.contains("check: OK"), last);
        assertTrue(Files.readString(dir.resolve("run.hlog")).contains("#[StartTime:"));
        assertTrue(Files.readAllLines(dir.resolve("run.csv")).size() > 5);
        assertTrue(Files.readString(dir.resolve("run.properties")).contains("accepted_places=3600"));
        assertTrue(last.contains("hiccup_p99_us: ") && last.contains("hiccup_over_10ms: "), "the platform's hiccups: " + last);
        assertTrue(Files.readString(dir.resolve("run.properties")).contains("hiccup_max_us="));
    }
}
