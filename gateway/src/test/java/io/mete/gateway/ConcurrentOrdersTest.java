package io.mete.gateway;

import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.schema.*;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class ConcurrentOrdersTest
{
    private static final int CLIENTS = 4;
    private static final int ORDERS_PER_CLIENT = 1_500;

    @Test
    void concurrentClientsOnScarceSkusNeverOversellAndEveryOrderIsAccountedFor() throws Exception
    {
        try (TestServer server = new TestServer())
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            final List<Future<Map<String, int[]>>> placed = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++)
            {
                final int clientId = 10 + c;
                placed.add(pool.submit(() -> placeOrders(server, clientId)));
            }
            final Map<String, int[]> orders = new HashMap<>();
            for (final Future<Map<String, int[]>> result : placed)
            {
                orders.putAll(result.get());
            }
            pool.shutdown();
            assertEquals(CLIENTS * ORDERS_PER_CLIENT, orders.size());

            try (MeteClient monitor = server.client(30))
            {
                // no position oversold: reserved never above on-hand, at any node
                final long[] reservedPerSku = new long[TestNetwork.SCARCE.skus()];
                for (int sku = 0; sku < TestNetwork.SCARCE.skus(); sku++)
                {
                    final String skuName = Workload.skuCode(sku);
                    final AvailabilityDecoder availability = monitor.queryAvailability(Workload.skuCode(sku)).wrap(new AvailabilityDecoder());
                    reservedPerSku[sku] = availability.totalReserved();
                    for (final AvailabilityDecoder.NodesDecoder node : availability.nodes())
                    {
                        final int onHand = node.onHand();
                        final int reserved = node.reserved();
                        final int safety = node.safetyStock();
                        final int atp = node.atp();
                        final String name = node.node();
                        assertTrue(reserved <= onHand, () -> "reserved above on-hand at " + name + " sku " + skuName +
                            ": onHand=" + onHand + " reserved=" + reserved + " safety=" + safety + " atp=" + atp);
                        assertTrue(node.onHand() >= 0);
                    }
                }
                // every order is there once, and every unit of every line is allocated or backordered
                final long[] allocatedPerSku = new long[reservedPerSku.length];
                long backordered = 0;
                for (final Map.Entry<String, int[]> order : orders.entrySet())
                {
                    final Reply reply = monitor.queryOrder(order.getKey());
                    assertEquals(OrderStatusDecoder.TEMPLATE_ID, reply.templateId(), reply::toString);
                    final OrderStatusDecoder status = reply.wrap(new OrderStatusDecoder());
                    int line = 0;
                    for (final OrderStatusDecoder.LinesDecoder l : status.lines())
                    {
                        final int quantity = l.quantity();
                        assertEquals(order.getValue()[line * 2 + 1], quantity);
                        assertEquals(quantity, l.allocated() + l.backordered() + l.shipped() + l.cancelled(), "line accounted for");
                        allocatedPerSku[order.getValue()[line * 2]] += l.allocated();
                        backordered += l.backordered();
                        assertEquals(Workload.skuCode(order.getValue()[line * 2]), l.sku());
                        line++;
                    }
                }
                for (int sku = 0; sku < reservedPerSku.length; sku++)
                {
                    assertEquals(reservedPerSku[sku], allocatedPerSku[sku], "reserved stock equals what orders hold");
                }
                assertTrue(backordered > 0, "demand beyond stock was backordered");
                final TotalsDecoder totals = monitor.totals().wrap(new TotalsDecoder());
                assertEquals(CLIENTS * ORDERS_PER_CLIENT, totals.orders());
                assertEquals(backordered, totals.unitsBackordered());
            }
        }
    }

    /** Places orders pipelined; returns order id → {sku, quantity, sku, quantity}. */
    private static Map<String, int[]> placeOrders(final TestServer server, final int clientId) throws Exception
    {
        final Map<String, int[]> orders = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(clientId);
        try (MeteClient client = server.client(clientId))
        {
            final List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < ORDERS_PER_CLIENT; i++)
            {
                final int a = random.nextInt(TestNetwork.SCARCE.skus());
                final int b = (a + 1 + random.nextInt(TestNetwork.SCARCE.skus() - 1)) % TestNetwork.SCARCE.skus();
                final int qa = 1 + random.nextInt(3);
                final int qb = 1 + random.nextInt(3);
                final String orderId = "C" + clientId + "-" + i;
                orders.put(orderId, new int[] {a, qa, b, qb});
                replies.add(client.placeOrderAsync(orderId, "web", new String[] {Workload.skuCode(a), Workload.skuCode(b)},
                    new int[] {qa, qb}, 25 + random.nextDouble() * 20, -120 + random.nextDouble() * 50, ServiceLevel.STANDARD));
            }
            for (final CompletableFuture<Reply> reply : replies)
            {
                final Reply r = client.await(reply);
                assertTrue(r.isAccepted(), r::toString);
                assertFalse(r.isDuplicate());
            }
        }
        return orders;
    }
}
