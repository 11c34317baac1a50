package io.mete.gateway.client;

import io.mete.engine.command.CommandWriter;
import io.mete.gateway.protocol.Framing;
import io.mete.schema.*;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Mete client over TCP: logs in, sends pipelined requests (each completes a future with its
 * {@link Reply}, in request order), and survives lost connections: it reconnects, logs in again
 * and resends every unanswered request with its original client sequence, so the engine answers
 * what it already applied as a duplicate with the original result and applies nothing twice.
 * <p>
 * The client sequence continues above the last one the engine applied for this client id (the
 * server says which at login), so a new process with the same client id carries on too. Only one
 * connection per client id may be logged in at a time: a second login replaces the first.
 * <p>
 * Thread-safe: any thread may send. Futures complete and events arrive on the client's reader
 * thread; do not block it in a callback.
 */
public final class MeteClient implements AutoCloseable
{
    /** Encodes one request at {@code offset} with the given correlation id; returns its length. */
    @FunctionalInterface
    public interface RequestEncoder
    {
        int encode(MutableDirectBuffer buffer, int offset, long correlationId);
    }

    /** Receives subscribed events in event sequence order, on the reader thread. */
    @FunctionalInterface
    public interface EventHandler
    {
        void onEvent(long eventSequence, long commandSequence, int clientId, DirectBuffer buffer, int offset, int length);
    }

    /** Connection settings. */
    public static final class Options
    {
        public String host = "127.0.0.1";
        public int port = 7070;
        public int clientId;
        public String secret;
        /** Reconnect and resend after a lost connection (default true). */
        public boolean reconnect = true;
        /** Give up reconnecting after this long without success (default 30 s). */
        public long reconnectTimeoutMs = 30_000;
        public long connectTimeoutMs = 5_000;
        /** Blocking calls wait at most this long (default 30 s). */
        public long requestTimeoutMs = 30_000;
        /** Unanswered requests at most (default and ceiling: what the server allows, at most 1024). */
        public int maxInFlight = io.mete.engine.core.ClientLedger.WINDOW;
        /** Flush the socket after every request (default true); false batches until {@link #flush()} or a full buffer. */
        public boolean autoFlush = true;

        public Options(final String host, final int port, final int clientId, final String secret)
        {
            this.host = host;
            this.port = port;
            this.clientId = clientId;
            this.secret = secret;
        }
    }

    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int WRITE_BUFFER = 64 * 1024;

    private final Options options;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[Framing.DEFAULT_MAX_FRAME_LENGTH * 4]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    // the socket and everything written to it: held while choosing a sequence and writing, so the wire order is the sequence order
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
    private volatile SocketChannel channel;
    private boolean needResend;
    private boolean resubscribe;
    private long nextCorrelation = 1;
    private volatile long lastWriteNs;

    // unanswered requests: taken by the reader thread without the write lock, so a blocked write never stops answers
    private final ReentrantLock pendingLock = new ReentrantLock();
    private final Condition roomInFlight = pendingLock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<Pending> held = new ArrayDeque<>();
    private volatile int maxInFlight = 1024;

    private volatile boolean closed;
    private volatile String closedReason;
    private volatile long lastClientSequenceAtLogin = -1;
    private volatile long lastEventSequence = -1;
    private volatile EventHandler eventHandler;
    private volatile long lastReceivedNs;
    private volatile long heartbeatNs = TimeUnit.SECONDS.toNanos(5);
    private volatile long idleTimeoutNs = TimeUnit.SECONDS.toNanos(30);
    private volatile int reconnects;
    private volatile Role role;
    private final CompletableFuture<Void> logoutReply = new CompletableFuture<>();
    private Thread reader;
    private Thread heartbeater;

    private MeteClient(final Options options)
    {
        this.options = options;
    }

    /** Connects and logs in; throws when the server refuses the login or cannot be reached. */
    public static MeteClient connect(final Options options) throws IOException
    {
        final MeteClient client = new MeteClient(options);
        client.channel = client.login();
        client.lastReceivedNs = System.nanoTime();
        client.reader = new Thread(client::readLoop, "mete-client-" + options.clientId);
        client.reader.setDaemon(true);
        client.reader.start();
        client.heartbeater = new Thread(client::heartbeatLoop, "mete-client-heartbeat-" + options.clientId);
        client.heartbeater.setDaemon(true);
        client.heartbeater.start();
        return client;
    }

    public static MeteClient connect(final String host, final int port, final int clientId, final String secret) throws IOException
    {
        return connect(new Options(host, port, clientId, secret));
    }

    // ====================================================================== requests

    /** Sends one request; the future completes with its answer (or fails when the client closes). */
    public CompletableFuture<Reply> send(final RequestEncoder encoder)
    {
        return send(encoder, -1);
    }

    /**
     * Sends an already encoded command under a client sequence the caller chose (a gateway relaying
     * a client that numbers its own requests, as the HTTP door does with {@code Mete-Client-Sequence}),
     * so a retry of it is answered as a duplicate with the original result. Sequences this client
     * chooses itself continue above it. The caller sends each sequence after the ones below it.
     */
    public CompletableFuture<Reply> sendAs(final long clientSequence, final DirectBuffer message, final int offset, final int length)
    {
        if (clientSequence < 0)
        {
            throw new IllegalArgumentException("client sequence must not be negative: " + clientSequence);
        }
        return send((b, o, c) ->
        {
            b.putBytes(o, message, offset, length);
            b.putLong(o + HEADER, c, ByteOrder.LITTLE_ENDIAN);
            return length;
        }, clientSequence);
    }

    private CompletableFuture<Reply> send(final RequestEncoder encoder, final long chosenSequence)
    {
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        if (!options.autoFlush && unanswered() >= maxInFlight)
        {
            // the window is full: what is still in the write buffer must reach the server to be answered
            flush();
        }
        // wait for room outside the write lock: a reconnect needs that lock while no answers can come
        awaitRoom();
        writeLock.lock();
        try
        {
            if (closed)
            {
                future.completeExceptionally(new MeteClientException("client closed: " + closedReason));
                return future;
            }
            resendIfNeeded();
            final long correlationId = chosenSequence >= 0 ? chosenSequence : nextCorrelation++;
            nextCorrelation = Math.max(nextCorrelation, correlationId + 1);
            final int length = encoder.encode(scratch, Framing.HEADER_LENGTH, correlationId);
            Framing.writeHeader(scratch, 0, length);
            final byte[] frame = new byte[Framing.HEADER_LENGTH + length];
            scratch.getBytes(0, frame);
            final Pending request = new Pending(correlationId, frame, future);
            final boolean write;
            pendingLock.lock();
            try
            {
                write = held.isEmpty();
                (write ? pending : held).addLast(request);
            }
            finally
            {
                pendingLock.unlock();
            }
            if (write)
            {
                write(frame, options.autoFlush);
            }
        }
        finally
        {
            writeLock.unlock();
        }
        return future;
    }

    /**
     * Sends an already encoded command or query (for example from {@code ReferenceNetwork} or
     * {@code OrderGenerator}); its correlation id is replaced by this client's next sequence.
     */
    public CompletableFuture<Reply> send(final DirectBuffer message, final int offset, final int length)
    {
        return send((b, o, c) ->
        {
            b.putBytes(o, message, offset, length);
            b.putLong(o + HEADER, c, ByteOrder.LITTLE_ENDIAN);
            return length;
        });
    }

    /** Writes out requests batched with {@code autoFlush = false}. */
    public void flush()
    {
        writeLock.lock();
        try
        {
            flushBuffer();
        }
        finally
        {
            writeLock.unlock();
        }
    }

    public CompletableFuture<Reply> placeOrderAsync(
        final String orderId, final String channel, final String[] skus, final int[] quantities, final double latitude,
        final double longitude, final ServiceLevel service)
    {
        return send((b, o, c) -> writer.placeOrder(b, o, c, orderId, channel, 5, service, latitude, longitude, 0, 0, skus, quantities));
    }

    public Reply placeOrder(
        final String orderId, final String channel, final String[] skus, final int[] quantities, final double latitude,
        final double longitude, final ServiceLevel service)
    {
        return await(placeOrderAsync(orderId, channel, skus, quantities, latitude, longitude, service));
    }

    public Reply cancelOrder(final String orderId)
    {
        return await(send((b, o, c) -> writer.cancelOrder(b, o, c, orderId)));
    }

    public Reply releaseHold(final String orderId)
    {
        return await(send((b, o, c) -> writer.releaseHold(b, o, c, orderId)));
    }

    public Reply cancelLine(final String orderId, final int lineNumber, final int quantity)
    {
        return await(send((b, o, c) -> writer.cancelLine(b, o, c, orderId, lineNumber, quantity)));
    }

    /** The node declines the order's allocation there: it is sourced elsewhere, never to that node again. */
    public Reply rejectAllocation(final String orderId, final String node)
    {
        return await(send((b, o, c) -> writer.rejectAllocation(b, o, c, orderId, node)));
    }

    public Reply confirmShipment(final String orderId, final String node, final String trackingId)
    {
        return await(send((b, o, c) -> writer.confirmShipment(b, o, c, orderId, node, trackingId)));
    }

    /**
     * A new destination, service level and latest delivery day (epoch day, 0 for none) for an open
     * order: what is not yet picked is sourced again for it.
     */
    public Reply changeDelivery(final String orderId, final ServiceLevel service, final double latitude, final double longitude,
        final int latestDeliveryDay)
    {
        return await(send((b, o, c) -> writer.changeDelivery(b, o, c, orderId, service, latitude, longitude, latestDeliveryDay)));
    }

    public Reply confirmDelivery(final String orderId, final String node)
    {
        return await(send((b, o, c) -> writer.confirmDelivery(b, o, c, orderId, node)));
    }

    /** ADMIN: take a node offline (no new allocations there) or bring it back (backorders are served from it again). */
    public Reply setNodeStatus(final String node, final boolean online)
    {
        return await(send((b, o, c) -> writer.setNodeStatus(b, o, c, node, online)));
    }

    /** The node's daily cutoff, minutes after midnight UTC (0 = none): what it is given from then on leaves the next day. */
    public Reply setNodeCutoff(final String node, final int minute)
    {
        return await(send((b, o, c) -> writer.setNodeCutoff(b, o, c, node, minute)));
    }

    /** ADMIN: the channel may hold at most {@code maxUnits} of the SKU reserved; negative removes the cap. */
    public Reply setChannelCap(final String channel, final String sku, final int maxUnits)
    {
        return await(send((b, o, c) -> writer.setChannelCap(b, o, c, channel, sku, maxUnits)));
    }

    /** ADMIN: keeps {@code units} of the SKU for the channel, out of the other channels' reach; 0 removes the fence. */
    public Reply setChannelFence(final String channel, final String sku, final int units)
    {
        return await(send((b, o, c) -> writer.setChannelFence(b, o, c, channel, sku, units)));
    }

    public Reply setSafetyStock(final String node, final String sku, final int quantity)
    {
        return await(send((b, o, c) -> writer.setSafetyStock(b, o, c, node, sku, quantity)));
    }

    public Reply adjust(final String node, final String sku, final int delta, final AdjustReason reason)
    {
        return await(send((b, o, c) -> writer.adjustOnHand(b, o, c, node, sku, delta, reason)));
    }

    public Reply setOnHand(final String node, final String sku, final int quantity)
    {
        return await(send((b, o, c) -> writer.setOnHand(b, o, c, node, sku, quantity)));
    }

    /** Closed orders are retired this long after their last change; negative keeps them forever (ADMIN). */
    public Reply setOrderRetention(final long retentionMillis)
    {
        return await(send((b, o, c) -> writer.setOrderRetention(b, o, c, retentionMillis)));
    }

    public Reply queryAvailability(final String sku)
    {
        return await(send((b, o, c) -> writer.queryAvailability(b, o, c, sku)));
    }

    /**
     * Where and when these lines would ship to this destination if the order were placed now: the
     * reply is Promise (shipments with node, cost and promised day; lines per shipment; units no node
     * can ship) or CommandRejected for the reasons PlaceOrder would give. Nothing is reserved.
     * {@code latestDeliveryDay} is an epoch day, 0 for none.
     */
    public CompletableFuture<Reply> queryPromiseAsync(
        final String channel, final String[] skus, final int[] quantities, final double latitude, final double longitude,
        final ServiceLevel service, final int latestDeliveryDay)
    {
        return send((b, o, c) -> writer.queryPromise(b, o, c, channel, service, latitude, longitude, latestDeliveryDay, skus, quantities));
    }

    public Reply queryPromise(
        final String channel, final String[] skus, final int[] quantities, final double latitude, final double longitude,
        final ServiceLevel service, final int latestDeliveryDay)
    {
        return await(queryPromiseAsync(channel, skus, quantities, latitude, longitude, service, latestDeliveryDay));
    }

    /**
     * The same question as {@link #queryPromise}, answered with SourcingExplanation: every node that
     * holds one of the lines, whether it may ship the order and which rule rules it out, its distance,
     * zone, cost and promised day, its stock of each line and what the plan takes from it.
     */
    public Reply explainSourcing(
        final String channel, final String[] skus, final int[] quantities, final double latitude, final double longitude,
        final ServiceLevel service, final int latestDeliveryDay)
    {
        return await(send((b, o, c) -> writer.explainSourcing(b, o, c, channel, service, latitude, longitude, latestDeliveryDay, skus, quantities)));
    }

    /** Why an order waits: its backordered units planned now, node by node (SourcingExplanation). */
    public Reply explainOrder(final String orderId)
    {
        return await(send((b, o, c) -> writer.explainOrder(b, o, c, orderId)));
    }

    public Reply queryOrder(final String orderId)
    {
        return await(send((b, o, c) -> writer.queryOrder(b, o, c, orderId)));
    }

    public Reply queryNodeLoad(final String node)
    {
        return await(send((b, o, c) -> writer.queryNodeLoad(b, o, c, node)));
    }

    public Reply totals()
    {
        return await(send((b, o, c) -> writer.queryTotals(b, o, c)));
    }

    public Reply stateHash()
    {
        return await(send((b, o, c) -> writer.queryStateHash(b, o, c)));
    }

    /** ADMIN: a snapshot now; the reply is SnapshotTaken. */
    public Reply snapshot()
    {
        final RequestSnapshotEncoder encoder = new RequestSnapshotEncoder();
        return await(send((b, o, c) ->
        {
            encoder.wrapAndApplyHeader(b, o, new MessageHeaderEncoder()).correlationId(c);
            return HEADER + encoder.encodedLength();
        }));
    }

    /**
     * Subscribes to the event stream from {@code fromSequence} (-1: live only). After a reconnect
     * the client subscribes again from the event after the last one handed to the handler.
     * The reply is SubscriptionStarted.
     */
    public Reply subscribe(final long fromSequence, final EventHandler handler)
    {
        eventHandler = handler;
        lastEventSequence = fromSequence < 0 ? -1 : fromSequence - 1;
        return await(send(subscribeEncoder(fromSequence)));
    }

    private static RequestEncoder subscribeEncoder(final long fromSequence)
    {
        return (b, o, c) ->
        {
            final SubscribeEncoder encoder = new SubscribeEncoder();
            encoder.wrapAndApplyHeader(b, o, new MessageHeaderEncoder()).correlationId(c).fromSequence(fromSequence);
            return HEADER + encoder.encodedLength();
        };
    }

    /** Waits for a future within the request timeout; rethrows its failure unchecked. */
    public Reply await(final CompletableFuture<Reply> future)
    {
        try
        {
            return future.get(options.requestTimeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException)
            {
                throw (RuntimeException)ex.getCause();
            }
            throw new MeteClientException(ex.getCause().toString());
        }
        catch (final TimeoutException ex)
        {
            throw new MeteClientException("no answer within " + options.requestTimeoutMs + " ms");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new MeteClientException("interrupted");
        }
    }

    /** The highest client sequence the engine had applied for this client id at the last login (-1: none). */
    public long lastClientSequenceAtLogin()
    {
        return lastClientSequenceAtLogin;
    }

    /** The correlation id (client sequence) the next request gets. */
    public long nextCorrelationId()
    {
        writeLock.lock();
        try
        {
            return nextCorrelation;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    public long lastEventSequence()
    {
        return lastEventSequence;
    }

    public int unanswered()
    {
        pendingLock.lock();
        try
        {
            return pending.size() + held.size();
        }
        finally
        {
            pendingLock.unlock();
        }
    }

    public int reconnects()
    {
        return reconnects;
    }

    public Role role()
    {
        return role;
    }

    public int maxInFlight()
    {
        return maxInFlight;
    }

    /** Drops the connection as a network failure would (tests): the client reconnects and resends. */
    public void dropConnection()
    {
        final SocketChannel current = channel;
        try
        {
            current.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    /** Logs out (after every request is answered, at most the request timeout) and closes. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        writeLock.lock();
        try
        {
            final LogoutEncoder logout = new LogoutEncoder();
            logout.wrapAndApplyHeader(scratch, Framing.HEADER_LENGTH, headerEncoder).reserved((short)0).text("bye");
            final int length = HEADER + logout.encodedLength();
            Framing.writeHeader(scratch, 0, length);
            final byte[] frame = new byte[Framing.HEADER_LENGTH + length];
            scratch.getBytes(0, frame);
            write(frame, true);
        }
        catch (final RuntimeException ignore)
        {
            // the connection is gone; close anyway
        }
        finally
        {
            writeLock.unlock();
        }
        try
        {
            // the server answers Logout after every earlier request; with nothing unanswered, do not wait long
            logoutReply.get(unanswered() > 0 ? Math.min(options.requestTimeoutMs, 5_000) : 500, TimeUnit.MILLISECONDS);
        }
        catch (final Exception ignore)
        {
            // no goodbye: close anyway
        }
        shutdown("closed by the application");
    }

    // ====================================================================== internals

    private static final class Pending
    {
        final long correlationId;
        final byte[] frame;
        final CompletableFuture<Reply> future;

        Pending(final long correlationId, final byte[] frame, final CompletableFuture<Reply> future)
        {
            this.correlationId = correlationId;
            this.frame = frame;
            this.future = future;
        }
    }

    private void awaitRoom()
    {
        pendingLock.lock();
        try
        {
            while (pending.size() + held.size() >= maxInFlight && !closed)
            {
                roomInFlight.awaitUninterruptibly();
            }
        }
        finally
        {
            pendingLock.unlock();
        }
    }

    /** Under the write lock: after a reconnect or BUSY, rewrites every unanswered request in order. */
    private void resendIfNeeded()
    {
        if (!needResend)
        {
            return;
        }
        needResend = false;
        final List<byte[]> frames = new ArrayList<>();
        pendingLock.lock();
        try
        {
            pending.addAll(held);
            held.clear();
            for (final Pending p : pending)
            {
                frames.add(p.frame);
            }
        }
        finally
        {
            pendingLock.unlock();
        }
        for (final byte[] frame : frames)
        {
            write(frame, false);
        }
        if (resubscribe && eventHandler != null)
        {
            // resume the event stream after the last event handed over
            final CompletableFuture<Reply> ignored = new CompletableFuture<>();
            final long correlationId = nextCorrelation++;
            final int length = subscribeEncoder(lastEventSequence < 0 ? -1 : lastEventSequence + 1).encode(scratch, Framing.HEADER_LENGTH, correlationId);
            Framing.writeHeader(scratch, 0, length);
            final byte[] frame = new byte[Framing.HEADER_LENGTH + length];
            scratch.getBytes(0, frame);
            pendingLock.lock();
            try
            {
                pending.addLast(new Pending(correlationId, frame, ignored));
            }
            finally
            {
                pendingLock.unlock();
            }
            write(frame, false);
        }
        resubscribe = false;
        flushBuffer();
    }

    /** Under the write lock. A failed write leaves the request pending: the reader reconnects and resends. */
    private void write(final byte[] frame, final boolean flush)
    {
        if (frame.length > writeBuffer.remaining())
        {
            flushBuffer();
        }
        if (frame.length > writeBuffer.remaining())
        {
            writeFully(ByteBuffer.wrap(frame));
        }
        else
        {
            writeBuffer.put(frame);
        }
        if (flush)
        {
            flushBuffer();
        }
    }

    private void flushBuffer()
    {
        if (writeBuffer.position() == 0)
        {
            return;
        }
        writeBuffer.flip();
        writeFully(writeBuffer);
        writeBuffer.clear();
    }

    private void writeFully(final ByteBuffer bytes)
    {
        final SocketChannel current = channel;
        try
        {
            while (bytes.hasRemaining())
            {
                current.write(bytes);
            }
            lastWriteNs = System.nanoTime();
        }
        catch (final IOException ex)
        {
            // lost: the reader sees the closed socket, reconnects and resends everything unanswered
            bytes.position(bytes.limit());
            try
            {
                current.close();
            }
            catch (final IOException ignore)
            {
                // already closed
            }
        }
    }

    /** Opens a connection and logs in (blocking); returns the logged-in channel. */
    private SocketChannel login() throws IOException
    {
        final SocketChannel socket = SocketChannel.open();
        try
        {
            socket.socket().connect(new InetSocketAddress(options.host, options.port), (int)options.connectTimeoutMs);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
            final LoginEncoder login = new LoginEncoder();
            login.wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .clientId(options.clientId)
                .heartbeatIntervalMs(0)
                .secret(options.secret);
            final int length = HEADER + login.encodedLength();
            Framing.writeHeader(buffer, 0, length);
            final ByteBuffer out = ByteBuffer.wrap(buffer.byteArray(), 0, Framing.HEADER_LENGTH + length);
            while (out.hasRemaining())
            {
                socket.write(out);
            }
            final byte[] message = readFrame(socket, ByteBuffer.allocate(Framing.DEFAULT_MAX_FRAME_LENGTH));
            final UnsafeBuffer view = new UnsafeBuffer(message);
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(view, 0);
            if (header.templateId() == SessionRejectDecoder.TEMPLATE_ID)
            {
                final SessionRejectDecoder reject = new SessionRejectDecoder().wrap(view, HEADER, header.blockLength(), header.version());
                throw new LoginRefusedException(reject.reason(), reject.text());
            }
            if (header.templateId() != LoginAcceptedDecoder.TEMPLATE_ID)
            {
                throw new IOException("expected LoginAccepted, got template " + header.templateId());
            }
            final LoginAcceptedDecoder accepted = new LoginAcceptedDecoder().wrap(view, HEADER, header.blockLength(), header.version());
            lastClientSequenceAtLogin = accepted.lastClientSequence();
            role = accepted.role();
            heartbeatNs = TimeUnit.MILLISECONDS.toNanos(accepted.heartbeatIntervalMs());
            idleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(accepted.idleTimeoutMs());
            writeLock.lock();
            try
            {
                nextCorrelation = Math.max(nextCorrelation, accepted.lastClientSequence() + 1);
                maxInFlight = (int)Math.max(1, Math.min(options.maxInFlight, Math.min(io.mete.engine.core.ClientLedger.WINDOW, accepted.maxInFlight())));
            }
            finally
            {
                writeLock.unlock();
            }
            return socket;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /** Thrown when the server refuses the login: retrying cannot help. */
    static final class LoginRefusedException extends IOException
    {
        final SessionRejectReason reason;

        LoginRefusedException(final SessionRejectReason reason, final String text)
        {
            super("login refused: " + reason + ": " + text);
            this.reason = reason;
        }
    }

    /** Blocking read of one frame (login only). */
    private static byte[] readFrame(final SocketChannel socket, final ByteBuffer buffer) throws IOException
    {
        buffer.clear().limit(Framing.HEADER_LENGTH);
        readFully(socket, buffer);
        final int frameLength = buffer.getInt(0);
        if (frameLength < Framing.MIN_FRAME_LENGTH || frameLength > buffer.capacity())
        {
            throw new IOException("bad frame length " + frameLength);
        }
        buffer.limit(frameLength);
        readFully(socket, buffer);
        final byte[] message = new byte[frameLength - Framing.HEADER_LENGTH];
        buffer.position(Framing.HEADER_LENGTH);
        buffer.get(message);
        return message;
    }

    private static void readFully(final SocketChannel socket, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (socket.read(buffer) < 0)
            {
                throw new EOFException("connection closed by the server");
            }
        }
    }

    private void readLoop()
    {
        final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
        final UnsafeBuffer view = new UnsafeBuffer(in);
        while (!closed)
        {
            final SocketChannel current = channel;
            try
            {
                in.clear();
                int start = 0;
                while (!closed)
                {
                    if (current.read(in) < 0)
                    {
                        throw new EOFException("connection closed by the server");
                    }
                    lastReceivedNs = System.nanoTime();
                    final int end = in.position();
                    while (end - start >= Framing.HEADER_LENGTH)
                    {
                        final int frameLength = view.getInt(start, ByteOrder.BIG_ENDIAN);
                        if (frameLength < Framing.MIN_FRAME_LENGTH || frameLength > in.capacity())
                        {
                            throw new IOException("bad frame length from the server: " + frameLength);
                        }
                        if (end - start < frameLength)
                        {
                            break;
                        }
                        onMessage(view, start + Framing.HEADER_LENGTH, frameLength - Framing.HEADER_LENGTH);
                        start += frameLength;
                    }
                    if (start == end)
                    {
                        in.clear();
                        start = 0;
                    }
                    else if (start > in.capacity() / 2 || in.remaining() < Framing.DEFAULT_MAX_FRAME_LENGTH)
                    {
                        view.putBytes(0, view, start, end - start);
                        in.position(end - start);
                        start = 0;
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (closed)
                {
                    return;
                }
                try
                {
                    current.close();
                }
                catch (final IOException ignore)
                {
                    // already closed
                }
                if (!options.reconnect || ex instanceof SessionEndedException)
                {
                    shutdown(ex.getMessage());
                    return;
                }
                reconnect(ex.getMessage());
            }
        }
    }

    /** The server ended the session for a reason that a reconnect cannot cure. */
    private static final class SessionEndedException extends IOException
    {
        SessionEndedException(final String message)
        {
            super(message);
        }
    }

    private void reconnect(final String why)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.reconnectTimeoutMs);
        long backoffMs = 10;
        while (!closed)
        {
            try
            {
                final SocketChannel fresh = login();
                writeLock.lock();
                try
                {
                    channel = fresh;
                    writeBuffer.clear();
                    needResend = true;
                    resubscribe = true;
                    lastReceivedNs = System.nanoTime();
                }
                finally
                {
                    writeLock.unlock();
                }
                reconnects++;
                // resend from another thread: this one must go back to reading answers at once
                final Thread resender = new Thread(() ->
                {
                    writeLock.lock();
                    try
                    {
                        resendIfNeeded();
                    }
                    finally
                    {
                        writeLock.unlock();
                    }
                }, "mete-client-resend-" + options.clientId);
                resender.setDaemon(true);
                resender.start();
                return;
            }
            catch (final LoginRefusedException ex)
            {
                shutdown(ex.getMessage());
                return;
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    shutdown("could not reconnect within " + options.reconnectTimeoutMs + " ms (" + why + "): " + ex.getMessage());
                    return;
                }
                sleep(backoffMs);
                backoffMs = Math.min(1_000, backoffMs * 2);
            }
        }
    }

    private void onMessage(final UnsafeBuffer buffer, final int offset, final int length) throws IOException
    {
        final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        switch (templateId)
        {
            case HeartbeatDecoder.TEMPLATE_ID:
                return;
            case EventDecoder.TEMPLATE_ID:
                onEvent(buffer, offset);
                return;
            case LogoutDecoder.TEMPLATE_ID:
                logoutReply.complete(null);
                throw new SessionEndedException("logged out");
            case SessionRejectDecoder.TEMPLATE_ID:
                onSessionReject(buffer, offset);
                return;
            default:
                onAnswer(buffer, offset, length, templateId);
        }
    }

    private final EventDecoder eventDecoder = new EventDecoder();
    private final MessageHeaderDecoder readerHeader = new MessageHeaderDecoder();

    private void onEvent(final UnsafeBuffer buffer, final int offset)
    {
        readerHeader.wrap(buffer, offset);
        eventDecoder.wrap(buffer, offset + HEADER, readerHeader.blockLength(), readerHeader.version());
        final long eventSequence = eventDecoder.eventSequence();
        if (eventSequence <= lastEventSequence)
        {
            return;
        }
        final long commandSequence = eventDecoder.commandSequence();
        final int clientId = (int)eventDecoder.clientId();
        final int length = eventDecoder.messageLength();
        final int messageOffset = eventDecoder.limit() + 4;
        final EventHandler handler = eventHandler;
        lastEventSequence = eventSequence;
        if (handler != null)
        {
            handler.onEvent(eventSequence, commandSequence, clientId, buffer, messageOffset, length);
        }
    }

    private void onSessionReject(final UnsafeBuffer buffer, final int offset) throws IOException
    {
        readerHeader.wrap(buffer, offset);
        final SessionRejectDecoder reject = new SessionRejectDecoder().wrap(buffer, offset + HEADER, readerHeader.blockLength(),
            readerHeader.version());
        final SessionRejectReason reason = reject.reason();
        final long correlationId = reject.correlationId();
        final String text = reject.text();
        switch (reason)
        {
            case SHUTTING_DOWN:
            case IDLE_TIMEOUT:
            case SLOW_CONSUMER:
            case TOO_MANY_CONNECTIONS:
                // a new connection can carry on (the subscription resumes from the last event seen)
                throw new IOException(reason + ": " + text);
            case SESSION_REPLACED:
            case CLIENT_REMOVED:
                throw new SessionEndedException(reason + ": " + text);
            default:
                // the request itself was refused: fail it; resending it would only be refused again
                final MeteClientException failure = new MeteClientException(reason, text);
                Pending refused = null;
                pendingLock.lock();
                try
                {
                    for (final Pending p : pending)
                    {
                        if (p.correlationId == correlationId)
                        {
                            refused = p;
                            break;
                        }
                    }
                    if (refused == null)
                    {
                        refused = pending.peekFirst();
                    }
                    if (refused != null)
                    {
                        pending.remove(refused);
                        roomInFlight.signalAll();
                    }
                }
                finally
                {
                    pendingLock.unlock();
                }
                if (refused != null)
                {
                    refused.future.completeExceptionally(failure);
                }
                throw new IOException(reason + ": " + text);
        }
    }

    private void onAnswer(final UnsafeBuffer buffer, final int offset, final int length, final int templateId)
    {
        final long correlationId = buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN);
        final Pending answered;
        boolean busy = false;
        boolean retryNow = false;
        pendingLock.lock();
        try
        {
            final Pending head = pending.peekFirst();
            if (head == null || head.correlationId != correlationId)
            {
                // not ours (an answer to a request of an earlier connection that we already completed)
                return;
            }
            pending.pollFirst();
            if (templateId == CommandRejectedDecoder.TEMPLATE_ID &&
                (buffer.getShort(offset + HEADER + CommandRejectedDecoder.reasonEncodingOffset(), ByteOrder.LITTLE_ENDIAN) & 0xFFFF) ==
                RejectReason.BUSY.value())
            {
                // not applied: hold it (and everything after it) and send again once every earlier answer is in
                busy = true;
                held.addLast(head);
                answered = null;
                retryNow = pending.isEmpty();
            }
            else
            {
                answered = head;
                if (pending.isEmpty() && !held.isEmpty())
                {
                    retryNow = true;
                }
                roomInFlight.signalAll();
            }
        }
        finally
        {
            pendingLock.unlock();
        }
        if (answered != null)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            answered.future.complete(new Reply(copy));
        }
        if (retryNow)
        {
            scheduleRetry(busy ? 1 : 0);
        }
    }

    private void scheduleRetry(final long delayMs)
    {
        final Thread retry = new Thread(() ->
        {
            sleep(delayMs);
            writeLock.lock();
            try
            {
                needResend = true;
                resendIfNeeded();
            }
            finally
            {
                writeLock.unlock();
            }
        }, "mete-client-retry-" + options.clientId);
        retry.setDaemon(true);
        retry.start();
    }

    private void heartbeatLoop()
    {
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        while (!closed)
        {
            sleep(Math.max(10, TimeUnit.NANOSECONDS.toMillis(heartbeatNs) / 4));
            final long now = System.nanoTime();
            if (now - lastReceivedNs > idleTimeoutNs)
            {
                // the server went silent: treat it as a lost connection
                lastReceivedNs = now;
                dropConnection();
                continue;
            }
            if (now - lastWriteNs > heartbeatNs && writeLock.tryLock())
            {
                try
                {
                    heartbeat.wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, new MessageHeaderEncoder()).timestamp(System.currentTimeMillis());
                    final int length = HEADER + heartbeat.encodedLength();
                    Framing.writeHeader(buffer, 0, length);
                    final byte[] frame = new byte[Framing.HEADER_LENGTH + length];
                    buffer.getBytes(0, frame);
                    write(frame, true);
                }
                finally
                {
                    writeLock.unlock();
                }
            }
        }
    }

    private void shutdown(final String reason)
    {
        if (closed)
        {
            return;
        }
        closedReason = reason;
        closed = true;
        try
        {
            channel.close();
        }
        catch (final IOException | RuntimeException ignore)
        {
            // closing anyway
        }
        final List<Pending> failed = new ArrayList<>();
        pendingLock.lock();
        try
        {
            failed.addAll(pending);
            failed.addAll(held);
            pending.clear();
            held.clear();
            roomInFlight.signalAll();
        }
        finally
        {
            pendingLock.unlock();
        }
        for (final Pending p : failed)
        {
            p.future.completeExceptionally(new MeteClientException("client closed: " + reason));
        }
        logoutReply.complete(null);
    }

    public boolean isClosed()
    {
        return closed;
    }

    public String closedReason()
    {
        return closedReason;
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
