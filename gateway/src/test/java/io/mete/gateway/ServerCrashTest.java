package io.mete.gateway;

import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.engine.workload.Workload;
import io.mete.schema.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The server process is killed (SIGKILL) while clients send; restarted on the same data dir, it has every acknowledged command once. */
class ServerCrashTest
{
    private static final int SENDERS = 3;
    private static final int ORDERS_PER_SENDER = 4_000;

    @Test
    void everyAcknowledgedCommandSurvivesAKillOnceAndClientsCarryOn(@TempDir final Path dir) throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final Path config = dir.resolve("mete.properties");
        final StringBuilder properties = new StringBuilder()
            .append("host=127.0.0.1\nport=").append(port).append("\ndata=").append(dir.resolve("data")).append('\n')
            .append("idleTimeoutMs=10000\nheartbeatIntervalMs=1000\nexpectedOrders=65536\n")
            .append("client.1.secret=secret-1\nclient.1.role=ADMIN\n");
        for (int id = 10; id < 10 + SENDERS + 1; id++)
        {
            properties.append("client.").append(id).append(".secret=secret-").append(id).append("\nclient.").append(id).append(".role=ORDERS\n");
        }
        Files.writeString(config, properties);

        ServerProcess server = new ServerProcess(config);
        try
        {
            try (MeteClient admin = connect(port, 1))
            {
                TestNetwork.load(admin, Workload.reference(SourcingStrategy.COST).withNodes(10));
            }
            final Map<String, Reply> acknowledged = new ConcurrentHashMap<>();
            final AtomicInteger sent = new AtomicInteger();
            final AtomicBoolean failed = new AtomicBoolean();
            final List<Thread> senders = new ArrayList<>();
            final List<MeteClient> clients = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++)
            {
                final MeteClient client = connect(port, 10 + s);
                clients.add(client);
                final int sender = s;
                final Thread thread = new Thread(() ->
                {
                    final List<CompletableFuture<Reply>> replies = new ArrayList<>();
                    for (int i = 0; i < ORDERS_PER_SENDER; i++)
                    {
                        final String orderId = "K" + sender + "-" + i;
                        final CompletableFuture<Reply> reply = client.placeOrderAsync(orderId, "web",
                            new String[] {Workload.skuCode(i % 2000)}, new int[] {1}, 38, -95, ServiceLevel.STANDARD);
                        reply.thenAccept(r -> acknowledged.put(orderId, r));
                        replies.add(reply);
                        sent.incrementAndGet();
                        if (i % 100 == 0)
                        {
                            sleep(2);
                        }
                    }
                    for (final CompletableFuture<Reply> reply : replies)
                    {
                        try
                        {
                            assertTrue(client.await(reply).isAccepted());
                        }
                        catch (final Throwable ex)
                        {
                            failed.set(true);
                            ex.printStackTrace();
                        }
                    }
                });
                thread.start();
                senders.add(thread);
            }
            while (acknowledged.size() < SENDERS * ORDERS_PER_SENDER / 4)
            {
                Thread.sleep(1);
            }
            final int acknowledgedBeforeKill = acknowledged.size();
            server.kill();
            final String killedAt = "killed after " + acknowledgedBeforeKill + " acknowledged, " + sent.get() + " sent";
            server = new ServerProcess(config);
            assertNotNull(server.line("recovered"), killedAt);
            for (final Thread thread : senders)
            {
                thread.join(120_000);
            }
            assertFalse(failed.get(), "every order was eventually answered as accepted; " + killedAt);
            assertEquals(SENDERS * ORDERS_PER_SENDER, acknowledged.size());
            try (MeteClient check = connect(port, 10 + SENDERS))
            {
                final TotalsDecoder totals = check.totals().wrap(new TotalsDecoder());
                assertEquals(SENDERS * ORDERS_PER_SENDER, totals.orders(), "each order applied exactly once; " + killedAt);
                for (final String orderId : acknowledged.keySet())
                {
                    assertEquals(OrderStatusDecoder.TEMPLATE_ID, check.queryOrder(orderId).templateId(), orderId);
                }
            }
            for (final MeteClient client : clients)
            {
                assertTrue(client.reconnects() >= 1);
                client.close();
            }
            assertTrue(server.process.isAlive(), "the restarted server is still running");
            assertEquals(0, server.terminate(), "SIGTERM drains, snapshots and exits 0");
            assertNotNull(server.line("stopped"), String.join("\n", server.lines));
        }
        finally
        {
            server.close();
        }
    }

    private static MeteClient connect(final int port, final int clientId) throws java.io.IOException
    {
        final MeteClient.Options options = new MeteClient.Options("127.0.0.1", port, clientId, "secret-" + clientId);
        options.reconnectTimeoutMs = 90_000;
        options.requestTimeoutMs = 120_000;
        return MeteClient.connect(options);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
