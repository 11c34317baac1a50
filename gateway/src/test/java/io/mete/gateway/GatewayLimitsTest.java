package io.mete.gateway;

import io.mete.engine.runtime.EngineHost;
import io.mete.engine.runtime.OutputListener;
import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.session.RateLimit;
import io.mete.schema.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class GatewayLimitsTest
{
    /** A host whose ring can be made to look full. */
    private static final class GatedHost implements EngineHost
    {
        private final EngineHost host;
        volatile boolean full;

        volatile boolean broken;

        GatedHost(final EngineHost host)
        {
            this.host = host;
        }

        @Override
        public long offer(final int clientId, final DirectBuffer buffer, final int offset, final int length)
        {
            if (broken)
            {
                throw new AssertionError("injected fault below the sessions");
            }
            return full ? BACK_PRESSURED : host.offer(clientId, buffer, offset, length);
        }

        @Override
        public void addListener(final OutputListener listener)
        {
            host.addListener(listener);
        }

        @Override
        public long lastAppliedSequence()
        {
            return host.lastAppliedSequence();
        }

        @Override
        public void close()
        {
            host.close();
        }
    }

    @Test
    void aFullRingPausesTheSessionAndNothingIsLost() throws Exception
    {
        final GatedHost[] gate = new GatedHost[1];
        try (TestServer server = new TestServer(c -> {}, p -> {}, host -> gate[0] = new GatedHost(host)))
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            try (MeteClient client = server.client(10))
            {
                gate[0].full = true;
                final List<CompletableFuture<Reply>> replies = placeOrders(client, "P-", 50);
                Thread.sleep(300);
                assertTrue(replies.stream().noneMatch(CompletableFuture::isDone), "nothing answered while the ring is full");
                gate[0].full = false;
                assertAllAcceptedInOrder(client, replies);
                assertEquals(50, client.totals().wrap(new TotalsDecoder()).orders());
            }
        }
    }

    @Test
    void busyAnswersAfterTheConfiguredWaitAndTheClientSendsAgainInOrder() throws Exception
    {
        final GatedHost[] gate = new GatedHost[1];
        try (TestServer server = new TestServer(c -> c.busyTimeoutMs = 20, p -> {}, host -> gate[0] = new GatedHost(host)))
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            try (MeteClient client = server.client(10))
            {
                gate[0].full = true;
                final List<CompletableFuture<Reply>> replies = placeOrders(client, "B-", 50);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.gateway.stats().contains(" busy=0 ") && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                assertFalse(server.gateway.stats().contains(" busy=0 "), "BUSY was answered");
                Thread.sleep(100);
                gate[0].full = false;
                assertAllAcceptedInOrder(client, replies);
                assertEquals(50, client.totals().wrap(new TotalsDecoder()).orders(), "each order applied once");
            }
        }
    }

    @Test
    void aClientOverItsRateLimitIsReadNoFasterThanItAndOthersAreNotHeldUp() throws Exception
    {
        try (TestServer server = new TestServer(c -> c.clients.add(c.clients.get(10).withRateLimit(new RateLimit(200, 20))), p -> {}))
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            try (MeteClient limited = server.client(10); MeteClient free = server.client(11))
            {
                final long start = System.nanoTime();
                final List<CompletableFuture<Reply>> throttled = placeOrders(limited, "L-", 220);
                final List<CompletableFuture<Reply>> unthrottled = placeOrders(free, "F-", 220);
                assertAllAcceptedInOrder(free, unthrottled);
                assertFalse(throttled.get(throttled.size() - 1).isDone(),
                    "the unlimited client was answered in full while the limited one still waits for its rate");
                assertAllAcceptedInOrder(limited, throttled);
                final double seconds = (System.nanoTime() - start) / 1e9;
                // 20 at once, then one every 5 ms: the 220th cannot be read before 1 s after the login
                assertTrue(seconds >= 0.9, "220 requests at 200/s with a burst of 20 took " + seconds + " s");
                assertTrue(server.gateway.rateLimitedEpisodes() > 0);
                assertTrue(server.gateway.clientRateLimited(10) > 0, "counted for the limited client");
                assertEquals(0, server.gateway.clientRateLimited(11), "and not for the other");
                assertEquals(440, limited.totals().wrap(new TotalsDecoder()).orders(), "nothing refused, nothing lost");
            }
        }
    }

    private static List<CompletableFuture<Reply>> placeOrders(final MeteClient client, final String prefix, final int count)
    {
        final List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            replies.add(client.placeOrderAsync(prefix + i, "web", new String[] {Workload.skuCode(i % 20)}, new int[] {1}, 40, -100,
                ServiceLevel.STANDARD));
        }
        return replies;
    }

    private static void assertAllAcceptedInOrder(final MeteClient client, final List<CompletableFuture<Reply>> replies)
    {
        long previous = -1;
        for (final CompletableFuture<Reply> future : replies)
        {
            final Reply reply = client.await(future);
            assertTrue(reply.isAccepted(), reply::toString);
            assertTrue(reply.commandSequence() > previous, "applied in the order sent");
            previous = reply.commandSequence();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception
    {
        try (TestServer server = new TestServer(c -> c.maxConnections = 2, p -> {});
             MeteClient first = server.client(10);
             MeteClient second = server.client(11))
        {
            final java.io.IOException refused = assertThrows(java.io.IOException.class, () -> server.client(12));
            assertTrue(refused.getMessage().contains("TOO_MANY_CONNECTIONS"), refused.getMessage());
            assertTrue(first.totals().isAccepted());
        }
    }

    @Test
    void aSilentSessionGetsHeartbeatsThenIsClosedAfterTheIdleTimeout() throws Exception
    {
        try (TestServer server = new TestServer(c ->
        {
            c.heartbeatIntervalMs = 50;
            c.idleTimeoutMs = 400;
        }, p -> {}))
        {
            try (MeteClient talking = server.client(11); RawConnection silent = new RawConnection(server.port))
            {
                silent.login(10, TestServer.SECRET + 10);
                assertNotNull(silent.receive(LoginAcceptedDecoder.TEMPLATE_ID));
                int heartbeats = 0;
                UnsafeBuffer message;
                SessionRejectReason reason = null;
                while ((message = silent.receive()) != null)
                {
                    if (RawConnection.templateId(message) == HeartbeatDecoder.TEMPLATE_ID)
                    {
                        heartbeats++;
                    }
                    else if (RawConnection.templateId(message) == SessionRejectDecoder.TEMPLATE_ID)
                    {
                        reason = RawConnection.sessionReject(message).reason();
                    }
                }
                assertTrue(heartbeats >= 2, "heartbeats while idle: " + heartbeats);
                assertEquals(SessionRejectReason.IDLE_TIMEOUT, reason);
                // the client library heartbeats on its own, so its session lives on
                assertTrue(talking.totals().isAccepted());
                assertEquals(0, talking.reconnects());
            }
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsCutOffAndResumesFromItsLastEvent() throws Exception
    {
        try (TestServer server = new TestServer(c -> c.subscriberBufferBytes = 64 * 1024, p -> {}))
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, Workload.reference(SourcingStrategy.COST).withNodes(10));
            }
            final Socket slow = new Socket();
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", server.port));
            try (RawConnection subscriber = new RawConnection(slow); MeteClient orders = server.client(10))
            {
                subscriber.login(30, TestServer.SECRET + 30);
                assertNotNull(subscriber.receive(LoginAcceptedDecoder.TEMPLATE_ID));
                final UnsafeBuffer subscribe = new UnsafeBuffer(new byte[64]);
                final SubscribeEncoder encoder = new SubscribeEncoder().wrapAndApplyHeader(subscribe, 0, new MessageHeaderEncoder())
                    .correlationId(1).fromSequence(-1);
                subscriber.send(subscribe, 8 + encoder.encodedLength());
                assertNotNull(subscriber.receive(SubscriptionStartedDecoder.TEMPLATE_ID));
                // the subscriber reads nothing while orders produce events
                final List<CompletableFuture<Reply>> replies = new ArrayList<>();
                int placed = 0;
                while (!server.gateway.stats().contains("slow-consumers=1") && placed < 200_000)
                {
                    replies.add(orders.placeOrderAsync("S-" + placed, "web", new String[] {Workload.skuCode(placed % 1000)}, new int[] {1},
                        40, -100, ServiceLevel.STANDARD));
                    placed++;
                    if (placed % 1000 == 0)
                    {
                        orders.await(replies.get(replies.size() - 1));
                    }
                }
                assertTrue(server.gateway.stats().contains("slow-consumers=1"), server.gateway.stats());
                long last = 0;
                UnsafeBuffer message;
                SessionRejectReason reason = null;
                final EventDecoder event = new EventDecoder();
                while ((message = subscriber.receive()) != null)
                {
                    final int template = RawConnection.templateId(message);
                    if (template == EventDecoder.TEMPLATE_ID)
                    {
                        final long sequence = event.wrap(message, 8, EventDecoder.BLOCK_LENGTH, 1).eventSequence();
                        assertTrue(last == 0 || sequence == last + 1, "no gap before the cut");
                        last = sequence;
                    }
                    else if (template == SessionRejectDecoder.TEMPLATE_ID)
                    {
                        reason = RawConnection.sessionReject(message).reason();
                    }
                }
                assertEquals(SessionRejectReason.SLOW_CONSUMER, reason);
                // resume after the last event seen: the next one comes first (from the journal), then the rest
                final List<Long> resumed = new CopyOnWriteArrayList<>();
                try (MeteClient again = server.client(31))
                {
                    again.subscribe(last + 1, (eventSequence, commandSequence, clientId, buffer, offset, length) -> resumed.add(eventSequence));
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (System.nanoTime() < deadline && (resumed.isEmpty() || resumed.get(resumed.size() - 1) < server.events.size()))
                    {
                        Thread.sleep(5);
                    }
                    assertEquals(last + 1, resumed.get(0));
                    for (int i = 1; i < resumed.size(); i++)
                    {
                        assertEquals(resumed.get(i - 1) + 1, resumed.get(i));
                    }
                }
            }
        }
    }

    @Test
    void aFaultThatEndsTheGatewayThreadIsReportedForTheServerToStop() throws Exception
    {
        final GatedHost[] gate = new GatedHost[1];
        try (TestServer server = new TestServer(c -> {}, p -> {}, host -> gate[0] = new GatedHost(host)))
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, TestNetwork.SCARCE);
            }
            assertFalse(server.gateway.failure().isDone());
            try (MeteClient client = server.client(10))
            {
                assertAllAcceptedInOrder(client, placeOrders(client, "F-", 3));
                gate[0].broken = true;
                placeOrders(client, "G-", 1);
                final Throwable cause = server.gateway.failure().get(5, TimeUnit.SECONDS);
                assertTrue(cause instanceof AssertionError, String.valueOf(cause));
                assertEquals("injected fault below the sessions", cause.getMessage());
            }
        }
    }
}
