package io.mete.gateway;

import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.server.GatewayServer;
import io.mete.gateway.session.ClientRegistry;
import io.mete.gateway.session.RateLimit;
import io.mete.schema.Role;
import io.mete.schema.ServiceLevel;
import io.mete.schema.TotalsDecoder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Clients (secrets, roles, rate limits) replaced while the server runs: in process, and by SIGHUP to a server process. */
class ClientReloadTest
{
    @Test
    void removedOrReassignedClientsAreCutOffNewOnesMayLogInAndLimitsApplyToLiveSessions() throws Exception
    {
        try (TestServer server = new TestServer())
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            final MeteClient removed = server.client(10);
            final MeteClient reassigned = server.client(11);
            final MeteClient limited = server.client(12);
            final MeteClient unchanged = server.client(13);
            try
            {
                assertTrue(removed.totals().isAccepted());
                final ClientRegistry fresh = new ClientRegistry();
                for (int id = 1; id < 40; id++)
                {
                    final Role role = id < 10 ? Role.ADMIN : id < 20 ? Role.ORDERS : id < 30 ? Role.INVENTORY : Role.MONITOR;
                    if (id == 10)
                    {
                        continue;
                    }
                    ClientRegistry.Client client = new ClientRegistry.Client(id, TestServer.SECRET + id, id == 11 ? Role.INVENTORY : role);
                    if (id == 12)
                    {
                        client = client.withRateLimit(new RateLimit(200, 20));
                    }
                    fresh.add(client);
                }
                fresh.add(new ClientRegistry.Client(50, TestServer.SECRET + 50, Role.ORDERS));

                final GatewayServer.ClientsReloaded result = server.gateway.reloadClients(fresh).get(10, TimeUnit.SECONDS);
                assertEquals(new GatewayServer.ClientsReloaded(39, 1, 1, 2, 2, 1), result);

                assertThrows(RuntimeException.class, removed::totals, "client 10 is gone");
                assertThrows(RuntimeException.class, reassigned::totals, "client 11 must log in again to be INVENTORY");
                final IOException refused = assertThrows(IOException.class, () -> server.client(10));
                assertTrue(refused.getMessage().contains("AUTHENTICATION_FAILED"), refused.getMessage());
                try (MeteClient added = server.client(50))
                {
                    assertTrue(added.totals().isAccepted(), "client 50 was added");
                }
                assertTrue(unchanged.totals().isAccepted(), "the others carry on");

                // client 12 keeps its session and is held to its new rate from now on
                final long start = System.nanoTime();
                final List<CompletableFuture<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 60; i++)
                {
                    replies.add(limited.placeOrderAsync("R-" + i, "web", new String[] {Workload.skuCode(i % 20)}, new int[] {1}, 40, -100,
                        ServiceLevel.STANDARD));
                }
                for (final CompletableFuture<Reply> reply : replies)
                {
                    assertTrue(limited.await(reply).isAccepted());
                }
                final double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(seconds >= 0.15, "60 requests at 200/s with a burst of 20 took " + seconds + " s");
                assertTrue(server.gateway.clientRateLimited(12) > 0);
            }
            finally
            {
                removed.close();
                reassigned.close();
                limited.close();
                unchanged.close();
            }
        }
    }

    @Test
    void sigHupReadsTheConfigFileAgainAndABrokenFileChangesNothing(@TempDir final Path dir) throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final Path config = dir.resolve("mete.properties");
        final String base = "host=127.0.0.1\nport=" + port + "\ndata=" + dir.resolve("data") + "\nexpectedOrders=65536\n" +
            "client.1.secret=secret-1\nclient.1.role=ADMIN\n";
        Files.writeString(config, base);
        try (ServerProcess server = new ServerProcess(config))
        {
            assertThrows(IOException.class, () -> connect(port, 7), "not configured yet");
            // under nohup the server inherits SIGHUP ignored and says so: no reload can be asked for
            Assumptions.assumeFalse(server.logged("reload-unavailable"), "SIGHUP is ignored in this environment");

            Files.writeString(config, base + "client.7.secret=secret-7\nclient.7.role=MONITOR\n");
            server.hangUp();
            final String reloaded = server.await("reloaded", 1);
            assertTrue(reloaded.contains("added=1") && reloaded.contains("clients=2"), reloaded);
            try (MeteClient monitor = connect(port, 7))
            {
                assertEquals(0, monitor.totals().wrap(new TotalsDecoder()).orders());
            }

            Files.writeString(config, base + "client.7.secret=secret-7\nclient.7.role=WIZARD\n");
            server.hangUp();
            final String failed = server.await("reload-failed", 1);
            assertTrue(failed.contains("WIZARD") || failed.contains("role"), failed);
            try (MeteClient monitor = connect(port, 7))
            {
                assertTrue(monitor.totals().isAccepted(), "the clients from before the broken file stay");
            }
            assertEquals(0, server.terminate());
        }
    }

    private static MeteClient connect(final int port, final int clientId) throws IOException
    {
        final MeteClient.Options options = new MeteClient.Options("127.0.0.1", port, clientId, "secret-" + clientId);
        options.reconnectTimeoutMs = 0;
        return MeteClient.connect(options);
    }
}
