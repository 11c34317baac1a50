package io.mete.benchmarks.load;

import io.mete.gateway.protocol.Framing;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One logged-in session of the load generator. The sender thread appends frames to {@link #out}
 * and records each request in the in-flight ring before its bytes can reach the wire; the
 * receiver thread takes answers off the head of that ring (the server answers in request order).
 * The two threads share only the ring indexes and the small hand-over queues, each written by one
 * side.
 */
final class LoadConnection
{
    static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    /** Request kinds in the in-flight ring. */
    static final int PLACE = 0;
    static final int ADJUST = 1;
    static final int CANCEL = 2;
    static final int CONFIRM = 3;
    /** A QueryOrder that finds the node a ConfirmShipment goes to (a helper step, not an operation). */
    static final int LOOKUP = 4;
    static final int KINDS = 5;
    static final String[] KIND_NAMES = {"place", "adjust", "cancel", "confirm", "lookup"};

    final int index;
    final ClientRegistry.Client client;
    SocketChannel channel;
    volatile boolean dead;
    volatile String deadReason;
    long lastClientSequenceAtLogin = -1;
    int serverMaxInFlight;

    // ---------------------------------------------------------------- sender side
    final ByteBuffer out;
    final UnsafeBuffer outView;
    long nextSequence = 1;
    int senderEpoch;
    long lastSendNs;

    // ---------------------------------------------------------------- in-flight ring (sender writes tail, receiver head)
    final int ringMask;
    final long[] ringSequence;
    final long[] ringIntended;
    final long[] ringOrder;
    /** kind | phase << 8 | epoch << 16 */
    final int[] ringInfo;
    final AtomicLong tail = new AtomicLong();
    final AtomicLong head = new AtomicLong();

    // ---------------------------------------------------------------- receiver side
    final ByteBuffer in;
    final UnsafeBuffer inView;
    /** BUSY handling: the receiver asks the sender to continue from {@link #rewindSequence} in a new epoch. */
    volatile int rewindEpoch;
    volatile long rewindSequence;

    // ---------------------------------------------------------------- hand-over queues (receiver → sender)
    /** Orders whose PlaceOrder was accepted, for cancels and confirmations of earlier orders. */
    final LongQueue acceptedOrders;
    /** Found shipments: order number, node, intended time of the confirm slot. */
    final LongQueue confirmOrder;
    final LongQueue confirmNode;
    final LongQueue confirmIntended;
    final LongQueue confirmPhase;

    LoadConnection(final int index, final ClientRegistry.Client client, final int ringCapacity, final int outBytes, final boolean handOver)
    {
        this.index = index;
        this.client = client;
        this.out = ByteBuffer.allocateDirect(outBytes);
        this.outView = new UnsafeBuffer(out);
        this.in = ByteBuffer.allocateDirect(Math.max(1 << 20, 4 * Framing.DEFAULT_MAX_FRAME_LENGTH));
        this.inView = new UnsafeBuffer(in);
        final int capacity = Integer.highestOneBit(Math.max(2, ringCapacity - 1)) << 1;
        this.ringMask = capacity - 1;
        this.ringSequence = new long[capacity];
        this.ringIntended = new long[capacity];
        this.ringOrder = new long[capacity];
        this.ringInfo = new int[capacity];
        final int queue = handOver ? 1 << 16 : 2;
        this.acceptedOrders = new LongQueue(queue);
        this.confirmOrder = new LongQueue(queue);
        this.confirmNode = new LongQueue(queue);
        this.confirmIntended = new LongQueue(queue);
        this.confirmPhase = new LongQueue(queue);
    }

    static int info(final int kind, final int phase, final int epoch)
    {
        return kind | phase << 8 | (epoch & 0x7FFF) << 16;
    }

    static int kindOf(final int info)
    {
        return info & 0xFF;
    }

    static int phaseOf(final int info)
    {
        return (info >>> 8) & 0xFF;
    }

    static int epochOf(final int info)
    {
        return info >>> 16;
    }

    int inFlight()
    {
        return (int)(tail.get() - head.get());
    }

    boolean ringFull()
    {
        return tail.get() - head.get() > ringMask;
    }

    /** Records a request the sender is about to write; returns its ring slot. */
    void pushInFlight(final long sequence, final long intendedNs, final long order, final int info)
    {
        final long t = tail.get();
        final int slot = (int)(t & ringMask);
        ringSequence[slot] = sequence;
        ringIntended[slot] = intendedNs;
        ringOrder[slot] = order;
        ringInfo[slot] = info;
        tail.lazySet(t + 1);
    }

    /** Room for a frame of up to {@code length} bytes in the send buffer. */
    boolean hasRoom(final int length)
    {
        return out.remaining() >= length + Framing.HEADER_LENGTH;
    }

    /** Writes what the send buffer holds without blocking; true when it is empty afterwards. */
    boolean flush() throws IOException
    {
        if (out.position() == 0)
        {
            return true;
        }
        out.flip();
        channel.write(out);
        out.compact();
        return out.position() == 0;
    }

    /**
     * Connects and logs in (blocking), then switches the socket to non-blocking. The next client
     * sequence continues above the last one the engine applied for this client.
     */
    void connect(final String host, final int port) throws IOException
    {
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        channel.connect(new InetSocketAddress(host, port));
        final LoginEncoder login = new LoginEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        login.wrapAndApplyHeader(outView, Framing.HEADER_LENGTH, header).clientId(client.id()).heartbeatIntervalMs(0);
        final byte[] secret = client.secret().getBytes(StandardCharsets.US_ASCII);
        login.putSecret(secret, 0, secret.length);
        final int length = HEADER + login.encodedLength();
        Framing.writeHeader(outView, 0, length);
        out.clear().limit(Framing.HEADER_LENGTH + length);
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        out.clear();

        final ByteBuffer frameHeader = ByteBuffer.allocate(Framing.HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN);
        while (true)
        {
            frameHeader.clear();
            readFully(frameHeader);
            final int frameLength = frameHeader.getInt(0);
            if (frameLength < Framing.MIN_FRAME_LENGTH || frameLength > 1 << 24)
            {
                throw new IOException("client " + client.id() + ": bad frame length " + frameLength + " from the server");
            }
            final ByteBuffer body = ByteBuffer.allocate(frameLength - Framing.HEADER_LENGTH);
            readFully(body);
            final UnsafeBuffer message = new UnsafeBuffer(body.array());
            final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder().wrap(message, 0);
            final int templateId = headerDecoder.templateId();
            if (templateId == LoginAcceptedDecoder.TEMPLATE_ID)
            {
                final LoginAcceptedDecoder accepted = new LoginAcceptedDecoder()
                    .wrap(message, HEADER, headerDecoder.blockLength(), headerDecoder.version());
                lastClientSequenceAtLogin = accepted.lastClientSequence();
                serverMaxInFlight = (int)accepted.maxInFlight();
                nextSequence = Math.max(1, lastClientSequenceAtLogin + 1);
                break;
            }
            if (templateId == SessionRejectDecoder.TEMPLATE_ID)
            {
                final SessionRejectDecoder reject = new SessionRejectDecoder()
                    .wrap(message, HEADER, headerDecoder.blockLength(), headerDecoder.version());
                throw new IOException("client " + client.id() + ": login refused: " + reject.reason() + " " + reject.text());
            }
            // heartbeats and anything else before the login answer: skip
        }
        channel.configureBlocking(false);
    }

    private void readFully(final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new IOException("client " + client.id() + ": the server closed the connection during login");
            }
        }
    }

    void close()
    {
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    /**
     * A bounded single-producer single-consumer queue of longs. {@link #offer} returns false when
     * full: the producer drops the item (the caller counts it), it never waits.
     */
    static final class LongQueue
    {
        private final long[] items;
        private final int mask;
        private final AtomicLong head = new AtomicLong();
        private final AtomicLong tail = new AtomicLong();

        LongQueue(final int capacity)
        {
            final int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
            items = new long[size];
            mask = size - 1;
        }

        boolean offer(final long value)
        {
            final long t = tail.get();
            if (t - head.get() > mask)
            {
                return false;
            }
            items[(int)(t & mask)] = value;
            tail.lazySet(t + 1);
            return true;
        }

        boolean isEmpty()
        {
            return head.get() == tail.get();
        }

        int size()
        {
            return (int)(tail.get() - head.get());
        }

        /** The head item; check {@link #isEmpty()} first. */
        long peek()
        {
            return items[(int)(head.get() & mask)];
        }

        long poll()
        {
            final long h = head.get();
            final long value = items[(int)(h & mask)];
            head.lazySet(h + 1);
            return value;
        }
    }
}
