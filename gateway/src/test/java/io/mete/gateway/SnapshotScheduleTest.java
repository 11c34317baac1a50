package io.mete.gateway;

import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.server.MeteServer;
import io.mete.gateway.server.ServerLog;
import io.mete.schema.ServiceLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.*;

/** snapshotIntervalSeconds: a snapshot every so often, each holding the commands applied before it. */
class SnapshotScheduleTest
{
    @Test
    void snapshotsFollowTheClock(@TempDir final Path dir) throws Exception
    {
        ServerLog.level(ServerLog.WARN);
        final GatewayConfig config = GatewayConfig.defaults();
        config.port = 0;
        config.dataDir = dir.resolve("data");
        config.expectedOrders = 1 << 16;
        config.statsIntervalSeconds = 0;
        config.snapshotIntervalSeconds = 1;
        try (MeteServer server = MeteServer.start(config, "test");
             MeteClient admin = MeteClient.connect("127.0.0.1", server.address().getPort(), 1, "mete-admin"))
        {
            final LongSupplier written = () -> server.engine().pipeline().snapshotsWritten();
            TestNetwork.load(admin, TestNetwork.SCARCE);
            awaitAbove(written, 0);
            final long first = written.getAsLong();
            assertTrue(admin.placeOrder("S-1", "web", new String[] {Workload.skuCode(1)}, new int[] {1}, 40, -100,
                ServiceLevel.STANDARD).isAccepted());
            final long placedAt = server.engine().lastAppliedSequence();
            // a snapshot asked for before the order may still be on its way: wait for one that holds it
            awaitAbove(() -> newestSnapshotSequence(dir.resolve("data")), placedAt - 1);
            // the file is in place a moment before the pipeline counts it: wait for the count too
            awaitAbove(written, first);
            assertTrue(written.getAsLong() > first, "no client asked for any of them");
        }
    }

    private static void awaitAbove(final LongSupplier value, final long floor) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (value.getAsLong() <= floor)
        {
            assertTrue(System.nanoTime() < deadline, "no snapshot within 15 s");
            Thread.sleep(20);
        }
    }

    private static long newestSnapshotSequence(final Path data)
    {
        try
        {
            return new io.mete.journal.snapshot.SnapshotStore(new io.mete.journal.JournalDirectory(data).snapshots()).list().stream()
                .mapToLong(io.mete.journal.snapshot.SnapshotInfo::sequence).max().orElse(-1);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
