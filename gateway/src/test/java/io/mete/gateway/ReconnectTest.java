package io.mete.gateway;

import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.schema.*;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class ReconnectTest
{
    @Test
    void reconnectMidStreamResendsWithoutDuplicatesOrLoss() throws Exception
    {
        try (TestServer server = new TestServer())
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, Workload.reference(SourcingStrategy.COST).withNodes(10));
            }
            final int orders = 6_000;
            final List<Long> events = new CopyOnWriteArrayList<>();
            try (MeteClient client = server.client(10); MeteClient subscriber = server.client(30))
            {
                subscriber.subscribe(-1, (eventSequence, commandSequence, clientId, buffer, offset, length) -> events.add(eventSequence));
                final List<CompletableFuture<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < orders; i++)
                {
                    replies.add(client.placeOrderAsync("R-" + i, "web", new String[] {Workload.skuCode(i % 500)}, new int[] {1}, 40, -90,
                        ServiceLevel.STANDARD));
                    if (i % 1_500 == 700)
                    {
                        // the network drops both connections with requests still unanswered
                        client.dropConnection();
                        subscriber.dropConnection();
                    }
                }
                int duplicates = 0;
                for (final CompletableFuture<Reply> reply : replies)
                {
                    final Reply r = client.await(reply);
                    assertTrue(r.isAccepted(), r::toString);
                    duplicates += r.isDuplicate() ? 1 : 0;
                }
                assertTrue(client.reconnects() >= 1, "reconnected");
                final TotalsDecoder totals = client.totals().wrap(new TotalsDecoder());
                assertEquals(orders, totals.orders(), "every order applied exactly once (" + duplicates + " answered as duplicates)");
                for (int i = 0; i < orders; i += 97)
                {
                    assertEquals(OrderStatusDecoder.TEMPLATE_ID, client.queryOrder("R-" + i).templateId());
                }
                // the subscriber resumed after each drop from the last event it saw: no gap, no repeat
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && (events.isEmpty() || events.get(events.size() - 1) < server.events.size()))
                {
                    Thread.sleep(5);
                }
                for (int i = 1; i < events.size(); i++)
                {
                    assertEquals(events.get(i - 1) + 1, events.get(i), "events in order without gap or repeat");
                }
                assertEquals(server.events.size(), events.get(events.size() - 1));
            }
        }
    }

    @Test
    void aSecondLoginOfTheSameClientReplacesTheFirst() throws Exception
    {
        try (TestServer server = new TestServer())
        {
            final MeteClient first = server.client(10, o -> o.reconnect = false);
            try (MeteClient second = server.client(10))
            {
                assertTrue(second.totals().isAccepted());
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!first.isClosed() && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                assertTrue(first.isClosed());
                assertTrue(first.closedReason().contains("SESSION_REPLACED"), first.closedReason());
            }
        }
    }
}
