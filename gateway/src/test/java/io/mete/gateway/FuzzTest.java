package io.mete.gateway;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.protocol.Framing;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random and mutated frames against a live server from several connections at once, while a
 * well-behaved session beside them places orders and checks every answer.
 */
class FuzzTest
{
    private static final int FRAMES = 100_000;
    private static final int FUZZERS = 4;

    @Test
    void serverSurvivesRandomAndMutatedFramesWhileAWellBehavedSessionGetsCorrectAnswers() throws Exception
    {
        try (TestServer server = new TestServer())
        {
            try (MeteClient admin = server.client(1))
            {
                TestNetwork.load(admin, Workload.reference(SourcingStrategy.COST).withNodes(10));
            }
            final List<byte[]> corpus = corpus();
            final AtomicBoolean fuzzing = new AtomicBoolean(true);
            final AtomicLong sent = new AtomicLong();
            final AtomicLong connections = new AtomicLong();
            final ExecutorService pool = Executors.newFixedThreadPool(FUZZERS + 1);
            final Future<Long> wellBehaved = pool.submit(() -> wellBehaved(server, fuzzing));
            final List<Future<?>> fuzzers = new ArrayList<>();
            for (int f = 0; f < FUZZERS; f++)
            {
                final int clientId = 2 + f;
                fuzzers.add(pool.submit(() -> fuzz(server.port, clientId, corpus, FRAMES / FUZZERS, sent, connections)));
            }
            for (final Future<?> fuzzer : fuzzers)
            {
                fuzzer.get(150, TimeUnit.SECONDS);
            }
            fuzzing.set(false);
            final long checked = wellBehaved.get(30, TimeUnit.SECONDS);
            pool.shutdown();
            assertTrue(sent.get() >= FRAMES, "sent " + sent.get());
            assertTrue(checked > 100, "the well-behaved session kept working: " + checked + " checked orders");
            // and the server still serves a fresh session
            try (MeteClient after = server.client(10))
            {
                assertTrue(after.totals().isAccepted());
            }
            System.out.printf("fuzz: %,d frames over %,d connections, %,d orders checked alongside; %s%n", sent.get(), connections.get(),
                checked, server.gateway.stats());
        }
    }

    /** Places orders one after another and checks each answer and the order's state; returns how many. */
    private static long wellBehaved(final TestServer server, final AtomicBoolean fuzzing) throws IOException
    {
        long checked = 0;
        try (MeteClient client = server.client(10))
        {
            while (fuzzing.get())
            {
                final String orderId = "WB-" + checked;
                final Reply placed = client.placeOrder(orderId, "web", new String[] {Workload.skuCode((int)(checked % 1000))}, new int[] {2},
                    40, -100, ServiceLevel.STANDARD);
                assertTrue(placed.isAccepted() && !placed.isDuplicate(), placed::toString);
                final OrderStatusDecoder status = client.queryOrder(orderId).wrap(new OrderStatusDecoder());
                final OrderStatusDecoder.LinesDecoder line = status.lines();
                assertEquals(1, line.count());
                line.next();
                assertEquals(2, line.quantity());
                assertEquals(2, line.allocated(), "stock is plentiful: fully allocated");
                checked++;
            }
        }
        return checked;
    }

    /** Valid messages of every client template, aimed at names the well-behaved session never uses. */
    private static List<byte[]> corpus()
    {
        final CommandWriter w = new CommandWriter();
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
        final List<byte[]> corpus = new ArrayList<>();
        final java.util.function.IntConsumer add = length ->
        {
            final byte[] message = new byte[length];
            b.getBytes(0, message);
            corpus.add(message);
        };
        add.accept(w.defineNode(b, 0, 1, "FZN1", NodeType.DC, true, 30, -90, 0, 100, 1, "fz"));
        add.accept(w.setNodeStatus(b, 0, 2, "FZN1", false));
        add.accept(w.setSourcingPolicy(b, 0, 3, "fz", SourcingStrategy.COST, 10, 2, true, false, ShortfallAction.BACKORDER));
        add.accept(w.setChannelCap(b, 0, 4, "fz", "FZSKU1", 5));
        add.accept(w.setChannelFence(b, 0, 4, "fz", "FZSKU1", 3));
        add.accept(w.setOnHand(b, 0, 5, "FZN1", "FZSKU1", 100));
        add.accept(w.adjustOnHand(b, 0, 6, "FZN1", "FZSKU1", -1, AdjustReason.DAMAGE));
        add.accept(w.setSafetyStock(b, 0, 7, "FZN1", "FZSKU1", 2));
        add.accept(w.placeOrder(b, 0, 8, "FZ-O-1", "fz", 1, ServiceLevel.EXPEDITED, 31, -91, 0, 0, new String[] {"FZSKU1", "FZSKU2"},
            new int[] {1, 2}));
        add.accept(w.releaseHold(b, 0, 9, "FZ-O-1"));
        add.accept(w.cancelOrder(b, 0, 10, "FZ-O-1"));
        add.accept(w.cancelLine(b, 0, 11, "FZ-O-1", 0, 1));
        add.accept(w.confirmPick(b, 0, 12, "FZ-O-1", "FZN1", new int[] {0}, new int[] {1}));
        add.accept(w.rejectAllocation(b, 0, 13, "FZ-O-1", "FZN1"));
        add.accept(w.confirmShipment(b, 0, 14, "FZ-O-1", "FZN1", "TRACK"));
        add.accept(w.confirmDelivery(b, 0, 15, "FZ-O-1", "FZN1"));
        add.accept(w.returnItems(b, 0, 16, "FZ-O-1", "FZN1", new int[] {0}, new int[] {1}, new boolean[] {true}));
        add.accept(w.tick(b, 0, 17));
        add.accept(w.queryOrder(b, 0, 18, "FZ-O-1"));
        add.accept(w.queryAvailability(b, 0, 19, "FZSKU1"));
        add.accept(w.queryNodeLoad(b, 0, 20, "FZN1"));
        add.accept(w.queryTotals(b, 0, 21));
        add.accept(w.queryStateHash(b, 0, 22));
        add.accept(w.queryClient(b, 0, 23, 2));
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder().wrapAndApplyHeader(b, 0, new MessageHeaderEncoder()).timestamp(1);
        add.accept(8 + heartbeat.encodedLength());
        final SubscribeEncoder subscribe = new SubscribeEncoder().wrapAndApplyHeader(b, 0, new MessageHeaderEncoder()).correlationId(24)
            .fromSequence(-1);
        add.accept(8 + subscribe.encodedLength());
        return corpus;
    }

    private static void fuzz(
        final int port, final int clientId, final List<byte[]> corpus, final int frames, final AtomicLong sent, final AtomicLong connections)
    {
        final SplittableRandom random = new SplittableRandom(clientId * 7919L);
        int done = 0;
        while (done < frames)
        {
            connections.incrementAndGet();
            try (Socket socket = new Socket("127.0.0.1", port))
            {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(20_000);
                final OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                final Thread drain = drain(socket.getInputStream());
                final boolean login = random.nextInt(20) != 0;
                if (login)
                {
                    out.write(loginFrame(clientId));
                }
                final int batch = login ? 1 + random.nextInt(400) : 1;
                int inBatch = 0;
                boolean breaking = false;
                while (inBatch < batch && done < frames && !breaking)
                {
                    final int kind = random.nextInt(100);
                    final byte[] frame;
                    if (kind < 70)
                    {
                        frame = mutateBody(corpus.get(random.nextInt(corpus.size())), random);
                    }
                    else if (kind < 85)
                    {
                        frame = resize(corpus.get(random.nextInt(corpus.size())), random);
                    }
                    else if (kind < 95)
                    {
                        frame = mutateHeader(corpus.get(random.nextInt(corpus.size())), random);
                        breaking = true;
                    }
                    else
                    {
                        frame = new byte[1 + random.nextInt(64)];
                        random.nextBytes(frame);
                        breaking = true;
                    }
                    out.write(frame);
                    inBatch++;
                    done++;
                    sent.incrementAndGet();
                }
                out.flush();
                if (!breaking)
                {
                    // a polite end, so the next connection does not have to replace this session
                    final byte[] logout = new byte[] {0, 0, 0, 17, 0x5B, (byte)0xE0, 1, 0, (byte)202, 0, (byte)0xA5, 0x1B, 1, 0, 0, 0, 0};
                    out.write(logout);
                    out.flush();
                }
                // an incomplete last frame would otherwise wait for the idle timeout
                socket.shutdownOutput();
                drain.join(20_000);
                assertFalse(drain.isAlive(), "the server ends every fuzzed session");
            }
            catch (final IOException ex)
            {
                // the server closed the connection under our writes: expected for bad frames
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread drain(final InputStream in)
    {
        final Thread thread = new Thread(() ->
        {
            final byte[] buffer = new byte[1 << 16];
            try
            {
                while (in.read(buffer) >= 0)
                {
                    // discard
                }
            }
            catch (final IOException ignore)
            {
                // closed
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static byte[] loginFrame(final int clientId)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[128]);
        final LoginEncoder login = new LoginEncoder().wrapAndApplyHeader(b, 6, new MessageHeaderEncoder());
        login.clientId(clientId).heartbeatIntervalMs(0).secret(TestServer.SECRET + clientId);
        final int length = 8 + login.encodedLength();
        Framing.writeHeader(b, 0, length);
        final byte[] frame = new byte[6 + length];
        b.getBytes(0, frame);
        return frame;
    }

    private static byte[] framed(final byte[] message)
    {
        final byte[] frame = new byte[6 + message.length];
        Framing.writeHeader(new UnsafeBuffer(frame), 0, message.length);
        System.arraycopy(message, 0, frame, 6, message.length);
        return frame;
    }

    /** Flips bytes after the SBE header: framing and header stay valid, the engine judges the body. */
    private static byte[] mutateBody(final byte[] message, final SplittableRandom random)
    {
        final byte[] copy = message.clone();
        final int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && copy.length > 8; i++)
        {
            copy[8 + random.nextInt(copy.length - 8)] = (byte)random.nextInt(256);
        }
        return framed(copy);
    }

    /** Cuts the message short or pads it with random bytes (frame length stays consistent). */
    private static byte[] resize(final byte[] message, final SplittableRandom random)
    {
        final int length = random.nextBoolean() ? 8 + random.nextInt(Math.max(1, message.length - 8)) : message.length + 1 + random.nextInt(64);
        final byte[] copy = java.util.Arrays.copyOf(message, length);
        for (int i = message.length; i < length; i++)
        {
            copy[i] = (byte)random.nextInt(256);
        }
        return framed(copy);
    }

    /** Breaks the framing header or the SBE header: the session is refused. */
    private static byte[] mutateHeader(final byte[] message, final SplittableRandom random)
    {
        final byte[] frame = framed(message);
        switch (random.nextInt(5))
        {
            case 0: // length beyond any limit or below the minimum
                frame[random.nextInt(4)] = (byte)random.nextInt(256);
                frame[3] = (byte)(random.nextBoolean() ? 3 : frame[3]);
                frame[0] = (byte)(frame[0] | 0x40);
                break;
            case 1: // encoding type
                frame[4] = (byte)0xEB;
                break;
            case 2: // template id
                frame[8] = (byte)(230 + random.nextInt(20));
                frame[9] = (byte)random.nextInt(3);
                break;
            case 3: // schema id or version
                frame[10 + random.nextInt(4)] ^= (byte)(1 + random.nextInt(255));
                frame[10] = frame[10] == (byte)0xA5 ? (byte)0xA6 : frame[10];
                break;
            default: // block length beyond the frame
                frame[6] = (byte)0xFF;
                frame[7] = (byte)0x7F;
                break;
        }
        return frame;
    }
}
