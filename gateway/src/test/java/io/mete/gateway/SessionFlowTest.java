package io.mete.gateway;

import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.MeteClientException;
import io.mete.gateway.client.Reply;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class SessionFlowTest
{
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException
    {
        server = new TestServer();
        try (MeteClient admin = server.client(1))
        {
            TestNetwork.load(admin, TestNetwork.SCARCE);
        }
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws IOException
    {
        try (MeteClient orders = server.client(10))
        {
            final List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++)
            {
                final String order = "ORDER-A-" + i;
                replies.add(orders.placeOrderAsync(order, "web", new String[] {Workload.skuCode(i % 20)}, new int[] {1}, 40, -100,
                    ServiceLevel.STANDARD));
                replies.add(orders.send((b, o, c) -> new io.mete.engine.command.CommandWriter().queryOrder(b, o, c, order)));
            }
            long previous = -1;
            for (final CompletableFuture<Reply> future : replies)
            {
                final Reply reply = orders.await(future);
                assertTrue(reply.correlationId() > previous, "answers in request order");
                previous = reply.correlationId();
                assertTrue(reply.isAccepted(), reply::toString);
            }
            final Reply status = orders.queryOrder("ORDER-A-7");
            assertEquals(OrderStatusDecoder.TEMPLATE_ID, status.templateId());
        }
    }

    @Test
    void clientSequenceContinuesInANewConnection() throws IOException
    {
        final long next;
        try (MeteClient first = server.client(11))
        {
            first.placeOrder("ORDER-SEQ-1", "web", new String[] {"SKU00001"}, new int[] {1}, 40, -100, ServiceLevel.STANDARD);
            next = first.nextCorrelationId();
        }
        try (MeteClient second = server.client(11))
        {
            assertEquals(next - 1, second.lastClientSequenceAtLogin());
            final Reply reply = second.placeOrder("ORDER-SEQ-2", "web", new String[] {"SKU00002"}, new int[] {1}, 40, -100,
                ServiceLevel.STANDARD);
            assertTrue(reply.isAccepted() && !reply.isDuplicate(), reply::toString);
        }
    }

    @Test
    void aClientConfiguredByTheHashOfItsSecretLogsInWithTheSecret() throws IOException
    {
        final String secret = "hashed-secret-of-client-41";
        try (TestServer hashed = new TestServer(config -> config.clients.add(io.mete.gateway.session.ClientRegistry.Client.hashed(
            41, io.mete.gateway.session.SecretHash.of(secret, new java.security.SecureRandom()), io.mete.schema.Role.ORDERS)),
            pipeline -> { }))
        {
            try (MeteClient client = MeteClient.connect("127.0.0.1", hashed.port, 41, secret))
            {
                assertEquals(TotalsDecoder.TEMPLATE_ID, client.totals().templateId(), "logged in and answered");
            }
            final IOException refused = assertThrows(IOException.class, () -> MeteClient.connect("127.0.0.1", hashed.port, 41, secret + "x"));
            assertTrue(refused.getMessage().contains("AUTHENTICATION_FAILED"), refused.getMessage());
        }
    }

    @Test
    void wrongSecretIsRefused()
    {
        final IOException refused = assertThrows(IOException.class, () -> MeteClient.connect("127.0.0.1", server.port, 10, "wrong"));
        assertTrue(refused.getMessage().contains("AUTHENTICATION_FAILED"), refused.getMessage());
        assertThrows(IOException.class, () -> MeteClient.connect("127.0.0.1", server.port, 999, "secret-999"));
    }

    @Test
    void monitorMayQueryButNotPlaceOrders() throws IOException
    {
        try (MeteClient monitor = server.client(30, o -> o.reconnect = false))
        {
            assertTrue(monitor.totals().isAccepted());
            final MeteClientException refused = assertThrows(MeteClientException.class, () ->
                monitor.placeOrder("ORDER-M-1", "web", new String[] {"SKU00001"}, new int[] {1}, 40, -100, ServiceLevel.STANDARD));
            assertEquals(SessionRejectReason.NOT_PERMITTED, refused.reason());
        }
    }

    @Test
    void ordersRoleMayNotChangeStockAndInventoryMayNotPlaceOrders() throws IOException
    {
        try (MeteClient orders = server.client(12, o -> o.reconnect = false))
        {
            final MeteClientException refused = assertThrows(MeteClientException.class, () -> orders.setOnHand("N000", "SKU00001", 5));
            assertEquals(SessionRejectReason.NOT_PERMITTED, refused.reason());
        }
        try (MeteClient inventory = server.client(20, o -> o.reconnect = false))
        {
            assertTrue(inventory.adjust("N000", "SKU00000", 0, AdjustReason.CORRECTION).templateId() > 0);
            final MeteClientException refused = assertThrows(MeteClientException.class, () ->
                inventory.placeOrder("ORDER-I-1", "web", new String[] {"SKU00001"}, new int[] {1}, 40, -100, ServiceLevel.STANDARD));
            assertEquals(SessionRejectReason.NOT_PERMITTED, refused.reason());
        }
        try (MeteClient inventory = server.client(21, o -> o.reconnect = false))
        {
            final MeteClientException refused = assertThrows(MeteClientException.class, inventory::snapshot);
            assertEquals(SessionRejectReason.NOT_PERMITTED, refused.reason());
        }
    }

    @Test
    void commandBeforeLoginIsRejectedAndClosed() throws IOException
    {
        try (RawConnection raw = new RawConnection(server.port))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            final int length = new io.mete.engine.command.CommandWriter().queryTotals(buffer, 0, 1);
            raw.send(buffer, length);
            final UnsafeBuffer reply = raw.receive();
            assertNotNull(reply);
            assertEquals(SessionRejectDecoder.TEMPLATE_ID, RawConnection.templateId(reply));
            assertEquals(SessionRejectReason.NOT_LOGGED_IN, RawConnection.sessionReject(reply).reason());
            assertNull(raw.receive(), "closed after the reject");
        }
    }

    @Test
    void badFramesAreRejectedWithTheirReason() throws IOException
    {
        // frame length below the minimum
        assertRejected(new byte[] {0, 0, 0, 3, 0x5B, (byte)0xE0}, SessionRejectReason.MALFORMED_FRAME, false);
        // oversized frame
        assertRejected(new byte[] {0, 1, 0, 0, 0x5B, (byte)0xE0}, SessionRejectReason.FRAME_TOO_LARGE, false);
        // wrong encoding type
        assertRejected(new byte[] {0, 0, 0, 14, (byte)0xEB, 0x50, 0, 0, 0, 0, 0, 0, 0, 0}, SessionRejectReason.UNSUPPORTED_ENCODING, false);
        // unknown template 999 of schema 7077 version 1
        assertRejected(frame(0, 999, 7077, 1, 8), SessionRejectReason.UNKNOWN_TEMPLATE, true);
        // wrong schema id, then a newer schema version
        assertRejected(frame(8, QueryTotalsDecoder.TEMPLATE_ID, 1234, 1, 8), SessionRejectReason.UNSUPPORTED_VERSION, true);
        assertRejected(frame(8, QueryTotalsDecoder.TEMPLATE_ID, 7077, 9, 8), SessionRejectReason.UNSUPPORTED_VERSION, true);
        // block length smaller than the template's, or beyond the frame
        assertRejected(frame(2, QueryTotalsDecoder.TEMPLATE_ID, 7077, 1, 8), SessionRejectReason.MALFORMED_MESSAGE, true);
        assertRejected(frame(200, QueryTotalsDecoder.TEMPLATE_ID, 7077, 1, 8), SessionRejectReason.MALFORMED_MESSAGE, true);
        // a second login on the same connection
        final UnsafeBuffer login = new UnsafeBuffer(new byte[128]);
        final LoginEncoder encoder = new LoginEncoder().wrapAndApplyHeader(login, 0, new MessageHeaderEncoder());
        encoder.clientId(13).heartbeatIntervalMs(0).secret("secret-13");
        final byte[] loginFrame = new byte[6 + 8 + encoder.encodedLength()];
        io.mete.gateway.protocol.Framing.writeHeader(new UnsafeBuffer(loginFrame), 0, 8 + encoder.encodedLength());
        login.getBytes(0, loginFrame, 6, 8 + encoder.encodedLength());
        assertRejected(loginFrame, SessionRejectReason.ALREADY_LOGGED_IN, true);
    }

    private static byte[] frame(final int blockLength, final int templateId, final int schemaId, final int version, final int body)
    {
        final byte[] frame = new byte[6 + 8 + body];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        io.mete.gateway.protocol.Framing.writeHeader(view, 0, 8 + body);
        new MessageHeaderEncoder().wrap(view, 6).blockLength(blockLength).templateId(templateId).schemaId(schemaId).version(version);
        return frame;
    }

    private static void assertRejected(final byte[] bytes, final SessionRejectReason reason, final boolean loggedIn) throws IOException
    {
        try (RawConnection raw = new RawConnection(server.port))
        {
            if (loggedIn)
            {
                raw.login(13, "secret-13");
                assertNotNull(raw.receive(LoginAcceptedDecoder.TEMPLATE_ID));
            }
            raw.sendBytes(bytes);
            final UnsafeBuffer reply = raw.receive(SessionRejectDecoder.TEMPLATE_ID);
            assertNotNull(reply, "a SessionReject for " + reason);
            final SessionRejectDecoder reject = RawConnection.sessionReject(reply);
            final SessionRejectReason actual = reject.reason();
            final String text = reject.text();
            assertEquals(reason, actual, text);
            assertFalse(text.isEmpty());
            assertNull(raw.receive(), "closed after the reject");
        }
    }

    @Test
    void subscriberGetsStoredEventsThenLiveOnes() throws Exception
    {
        try (MeteClient orders = server.client(14); MeteClient monitor = server.client(31))
        {
            orders.placeOrder("ORDER-SUB-1", "web", new String[] {"SKU00003"}, new int[] {1}, 40, -100, ServiceLevel.STANDARD);
            final List<Long> sequences = new CopyOnWriteArrayList<>();
            final List<Integer> templates = new CopyOnWriteArrayList<>();
            final Reply started = monitor.subscribe(1, (eventSequence, commandSequence, clientId, buffer, offset, length) ->
            {
                sequences.add(eventSequence);
                templates.add(buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
            });
            assertEquals(SubscriptionStartedDecoder.TEMPLATE_ID, started.templateId());
            final Reply live = orders.placeOrder("ORDER-SUB-2", "web", new String[] {"SKU00004"}, new int[] {1}, 40, -100,
                ServiceLevel.STANDARD);
            assertTrue(live.isAccepted());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && (sequences.isEmpty() || sequences.get(sequences.size() - 1) < server.events.size()))
            {
                Thread.sleep(5);
            }
            assertEquals(server.events.size(), sequences.size(), "every stored event once");
            for (int i = 0; i < sequences.size(); i++)
            {
                assertEquals(i + 1, sequences.get(i), "no gap, no repeat");
            }
            assertTrue(templates.contains(OrderAllocatedDecoder.TEMPLATE_ID));
        }
    }

    @Test
    void adminTakesASnapshot() throws IOException
    {
        try (MeteClient admin = server.client(2))
        {
            final Reply reply = admin.snapshot();
            assertEquals(SnapshotTakenDecoder.TEMPLATE_ID, reply.templateId());
        }
    }
}
