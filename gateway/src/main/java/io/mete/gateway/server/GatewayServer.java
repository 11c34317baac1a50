package io.mete.gateway.server;

import io.mete.engine.core.ClientLedger;
import io.mete.engine.runtime.EngineHost;
import io.mete.engine.runtime.OutputListener;
import io.mete.gateway.protocol.Framing;
import io.mete.gateway.protocol.Templates;
import io.mete.gateway.session.ClientRegistry;
import io.mete.gateway.session.PendingRequests;
import io.mete.gateway.session.Session;
import io.mete.schema.*;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.MessageHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * The TCP gateway: one thread, one selector, every session. It reads frames, checks framing,
 * login and role, and offers commands and queries to the {@link EngineHost} under the session's
 * client id; it writes each session's answers back in request order and streams events to
 * subscribers. The engine's output arrives through an {@link OutputBridge} that this thread
 * drains, so socket writes are batched per engine batch.
 * <p>
 * Backpressure, never loss: when the host's ring is full ({@link EngineHost#BACK_PRESSURED}), or a
 * session has {@code maxInFlight} requests unanswered, or its unsent answers pass
 * {@code sessionPauseBytes}, the gateway stops reading that socket until it can go on, and TCP
 * pushes back on the sender. With {@code busyTimeoutMs > 0} a request that waited that long is
 * answered BUSY instead.
 * <p>
 * Bad input (framing, unknown template, wrong schema, no login, role) is answered with a
 * SessionReject and closes that session only, after its earlier requests are answered.
 */
public final class GatewayServer implements AutoCloseable
{
    /** Correlation id of the query the gateway sends for a login (never a client's sequence). */
    static final long LOGIN_CORRELATION = 0xFFFF_FFFF_FFFF_FFF0L;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final long DRAIN_LINGER_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long CLOSE_LINGER_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int OUTPUT_DRAIN_LIMIT = 4096;
    private static final int CATCH_UP_BATCH = 256;
    private static final int MAX_UNSENT_ANSWERS = 256 << 20;
    /** Answer latencies are recorded up to a minute; longer ones count as a minute. */
    public static final long MAX_LATENCY_US = 60_000_000L;

    private final GatewayConfig config;
    private final EngineHost host;
    private final EventSource journal;
    private final SnapshotControl snapshots;
    private final String serverVersion;
    private final Selector selector;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final OutputBridge bridge;
    private ServerSocketChannel acceptor;
    private Thread thread;
    private volatile boolean running;
    private volatile boolean stopping;
    private InetSocketAddress address;

    private final Session[] byClient = new Session[ClientLedger.MAX_CLIENTS];
    private final ArrayList<Session> sessions = new ArrayList<>();
    private final ArrayList<Session> subscribers = new ArrayList<>();
    private final ArrayList<Session> paused = new ArrayList<>();
    private final ArrayList<Session> dirty = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private long connectionCounter;
    private long lastLiveSequence = -1;
    private long nowNs;
    private long lastTimerNs;

    private final long heartbeatNs;
    private final long idleNs;
    private final long busyNs;

    // codecs, used on the gateway thread only
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final LoginDecoder loginDecoder = new LoginDecoder();
    private final SubscribeDecoder subscribeDecoder = new SubscribeDecoder();
    private final ClientStatusDecoder clientStatusDecoder = new ClientStatusDecoder();
    private final LoginAcceptedEncoder loginAccepted = new LoginAcceptedEncoder();
    private final SessionRejectEncoder sessionReject = new SessionRejectEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final LogoutEncoder logout = new LogoutEncoder();
    private final SubscriptionStartedEncoder subscriptionStarted = new SubscriptionStartedEncoder();
    private final EventEncoder event = new EventEncoder();
    private final SnapshotTakenEncoder snapshotTaken = new SnapshotTakenEncoder();
    private final CommandRejectedEncoder commandRejected = new CommandRejectedEncoder();
    private final QueryClientEncoder queryClient = new QueryClientEncoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer outputView = new UnsafeBuffer(0, 0);
    private final MessageHandler outputHandler = this::onBridgeMessage;
    private final OutputListener catchUpListener = this::onJournalEvent;
    private Session catchUpSession;

    // counters, written by the gateway thread
    private volatile long connectionsAccepted;
    private volatile long sessionsRejected;
    private volatile long requestsOffered;
    private volatile long answersSent;
    private volatile long eventsSent;
    private volatile long backPressureEpisodes;
    private volatile long busyAnswers;
    private volatile long rateLimitedEpisodes;
    // per client id, written by the gateway thread only, read by the metrics endpoint
    /** The clients that may log in: the configuration's, replaced as a whole by {@link #reloadClients}. */
    private volatile ClientRegistry clients;
    private final AtomicLongArray clientRequests = new AtomicLongArray(ClientLedger.MAX_CLIENTS);
    private final AtomicLongArray clientRateLimited = new AtomicLongArray(ClientLedger.MAX_CLIENTS);
    private final AtomicIntegerArray clientConnected = new AtomicIntegerArray(ClientLedger.MAX_CLIENTS);
    private volatile long slowConsumers;
    private volatile long staleAnswers;
    /**
     * Microseconds from handing a request to the engine's ring (in the loop pass that read it, unless
     * a full ring held it back) to its engine answer reaching this thread.
     */
    private final SingleWriterRecorder answerLatency = new SingleWriterRecorder(1, MAX_LATENCY_US, 3);

    /**
     * Registers the gateway as a listener of the host: construct it before the host starts.
     *
     * @param journal   stored events for subscribers that start behind the live stream; null serves live only
     * @param snapshots what RequestSnapshot triggers; null answers NOT_SUPPORTED
     */
    public GatewayServer(
        final GatewayConfig config, final EngineHost host, final EventSource journal, final SnapshotControl snapshots,
        final String serverVersion) throws IOException
    {
        this.config = config.validate();
        this.clients = config.clients;
        this.host = host;
        this.journal = journal;
        this.snapshots = snapshots;
        this.serverVersion = serverVersion;
        this.selector = Selector.open();
        this.bridge = new OutputBridge(config.outputBufferBytes, selector);
        this.heartbeatNs = TimeUnit.MILLISECONDS.toNanos(config.heartbeatIntervalMs);
        this.idleNs = TimeUnit.MILLISECONDS.toNanos(config.idleTimeoutMs);
        this.busyNs = TimeUnit.MILLISECONDS.toNanos(config.busyTimeoutMs);
        host.addListener(bridge);
    }

    /** Binds the listen address and starts the gateway thread; returns the bound address. */
    public InetSocketAddress start() throws IOException
    {
        acceptor = ServerSocketChannel.open();
        acceptor.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        acceptor.bind(new InetSocketAddress(config.host, config.port), 1024);
        acceptor.configureBlocking(false);
        acceptor.register(selector, SelectionKey.OP_ACCEPT);
        address = (InetSocketAddress)acceptor.getLocalAddress();
        running = true;
        thread = new Thread(this::run, "mete-gateway");
        thread.start();
        return address;
    }

    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * Stops accepting connections and reading requests, lets every session's unanswered requests
     * be answered and written (at most {@code drainMillis}), tells each session SHUTTING_DOWN and
     * stops the gateway thread. The host is the caller's to close afterwards.
     */
    public void shutdown(final long drainMillis)
    {
        if (!running)
        {
            return;
        }
        stopping = true;
        tasks.add(this::beginShutdown);
        selector.wakeup();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        while (System.nanoTime() < deadline && sessionCount() > 0)
        {
            sleep(5);
        }
        running = false;
        selector.wakeup();
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        shutdown(5_000);
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // nothing left to do with it
        }
    }

    private volatile int sessionCountSnapshot;

    /**
     * Completes with what ended the gateway thread when anything but {@link #shutdown} did (a fault
     * outside any one session's handling). The server is then deaf: whoever runs it should stop
     * it (drain, snapshot) and exit non-zero so a supervisor starts it again.
     */
    public CompletableFuture<Throwable> failure()
    {
        return failure;
    }

    /** Connections open now (as of the gateway thread's last loop). */
    public int sessionCount()
    {
        return sessionCountSnapshot;
    }

    // ====================================================================== gateway thread

    private void run()
    {
        try
        {
            while (running)
            {
                final boolean busyLoop = !paused.isEmpty() || hasCatchUp() || !tasks.isEmpty();
                bridge.sleeping.set(true);
                // the Consumer forms of select hand each ready key over directly: the selected-key
                // set and its iterator, garbage on every pass, are never used
                if (bridge.ring.size() > 0 || !tasks.isEmpty())
                {
                    selector.selectNow(onReady);
                }
                else
                {
                    selector.select(onReady, busyLoop ? 1 : 50);
                }
                bridge.sleeping.set(false);
                nowNs = System.nanoTime();
                runTasks();
                retryPaused();
                drainOutput();
                serveCatchUp();
                flushDirty();
                if (nowNs - lastTimerNs > 10_000_000L)
                {
                    lastTimerNs = nowNs;
                    checkTimers();
                }
                sessionCountSnapshot = sessions.size();
            }
        }
        catch (final Throwable ex)
        {
            ServerLog.warn("gateway-failed", "error", ex.toString());
            ex.printStackTrace();
            failure.complete(ex);
        }
        finally
        {
            bridge.close();
            for (int i = sessions.size() - 1; i >= 0; i--)
            {
                closeNow(sessions.get(i));
            }
            try
            {
                if (acceptor != null)
                {
                    acceptor.close();
                }
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
            sessionCountSnapshot = 0;
        }
    }

    private void beginShutdown()
    {
        try
        {
            acceptor.close();
        }
        catch (final IOException ignore)
        {
            // no longer accepting either way
        }
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final Session s = sessions.get(i);
            fail(s, SessionRejectReason.SHUTTING_DOWN, 0, 0, "server stopping; reconnect later", true);
        }
    }

    private void runTasks()
    {
        Runnable task;
        while ((task = tasks.poll()) != null)
        {
            task.run();
        }
    }

    /** One ready key, called inside a select; may be called twice for the same key in one pass. */
    private void onReady(final SelectionKey key)
    {
        nowNs = System.nanoTime();
        if (!key.isValid())
        {
            return;
        }
        if (key.isAcceptable())
        {
            try
            {
                accept();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return;
        }
        final Session s = (Session)key.attachment();
        try
        {
            if (key.isWritable())
            {
                flush(s);
            }
            if (key.isValid() && key.isReadable())
            {
                read(s);
            }
        }
        catch (final RuntimeException ex)
        {
            // a fault in one session's handling closes that session, never the gateway
            sessionFault(s, ex);
        }
    }

    private void accept() throws IOException
    {
        SocketChannel channel;
        while (!stopping && (channel = acceptor.accept()) != null)
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final Session s = new Session(++connectionCounter, channel, String.valueOf(channel.getRemoteAddress()),
                config.maxFrameLength, config.maxInFlight, nowNs);
            s.key = channel.register(selector, SelectionKey.OP_READ, s);
            s.interestOps = SelectionKey.OP_READ;
            sessions.add(s);
            connectionsAccepted++;
            if (sessions.size() > config.maxConnections)
            {
                fail(s, SessionRejectReason.TOO_MANY_CONNECTIONS, 0, 0,
                    "connection limit " + config.maxConnections + " reached", false);
            }
            else
            {
                ServerLog.debug("connected", "connection", s.connectionId, "remote", s.remote);
            }
        }
    }

    // ====================================================================== reading

    private void read(final Session s)
    {
        if (s.state > Session.ACTIVE || s.readPaused)
        {
            return;
        }
        final int n;
        try
        {
            n = s.channel.read(s.in);
        }
        catch (final IOException ex)
        {
            disconnected(s, ex.getMessage());
            return;
        }
        if (n < 0)
        {
            disconnected(s, "end of stream");
            return;
        }
        s.lastReceivedNs = nowNs;
        if (processInbound(s))
        {
            pause(s);
        }
    }

    /** Handles every complete frame read so far; true when the session must pause (stop reading). */
    private boolean processInbound(final Session s)
    {
        final UnsafeBuffer view = s.inView;
        final int end = s.in.position();
        int at = s.inStart;
        boolean pause = false;
        while (end - at >= Framing.HEADER_LENGTH && s.state <= Session.ACTIVE)
        {
            final long frameLength = Framing.frameLength(view, at);
            if (frameLength < Framing.MIN_FRAME_LENGTH)
            {
                fail(s, SessionRejectReason.MALFORMED_FRAME, 0, 0,
                    "frame length " + frameLength + " below " + Framing.MIN_FRAME_LENGTH + " (framing header + SBE header)", true);
                return false;
            }
            if (frameLength > config.maxFrameLength)
            {
                fail(s, SessionRejectReason.FRAME_TOO_LARGE, 0, 0,
                    "frame length " + frameLength + " above the limit " + config.maxFrameLength, true);
                return false;
            }
            final int encoding = Framing.encodingType(view, at);
            if (encoding != Framing.SBE_LITTLE_ENDIAN)
            {
                fail(s, SessionRejectReason.UNSUPPORTED_ENCODING, 0, 0,
                    String.format("encoding type 0x%04X; only 0x5BE0 (SBE 1.0 little-endian) is spoken", encoding), true);
                return false;
            }
            if (end - at < frameLength)
            {
                break;
            }
            if (!onMessage(s, view, at + Framing.HEADER_LENGTH, (int)frameLength - Framing.HEADER_LENGTH))
            {
                pause = s.state <= Session.ACTIVE;
                break;
            }
            at += (int)frameLength;
        }
        if (at == end)
        {
            s.in.clear();
            s.inStart = 0;
        }
        else if (!pause && at > 0)
        {
            // keep the partial frame at the start so a whole frame always fits
            view.putBytes(0, view, at, end - at);
            s.in.position(end - at);
            s.inStart = 0;
        }
        else
        {
            s.inStart = at;
        }
        return pause;
    }

    /** Handles one message; false when it could not be taken now (the session pauses and retries it). */
    private boolean onMessage(final Session s, final UnsafeBuffer buffer, final int offset, final int length)
    {
        headerDecoder.wrap(buffer, offset);
        final int blockLength = headerDecoder.blockLength();
        final int templateId = headerDecoder.templateId();
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID || headerDecoder.version() > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            fail(s, SessionRejectReason.UNSUPPORTED_VERSION, templateId, 0, "schema id " + headerDecoder.schemaId() + " version " +
                headerDecoder.version() + "; this server speaks schema " + MessageHeaderDecoder.SCHEMA_ID + " up to version " +
                MessageHeaderDecoder.SCHEMA_VERSION, true);
            return true;
        }
        final int minBlock = Templates.minBlockLength(templateId);
        if (minBlock < 0)
        {
            fail(s, SessionRejectReason.UNKNOWN_TEMPLATE, templateId, 0, "template " + templateId + " is not a client message", true);
            return true;
        }
        if (blockLength < minBlock || HEADER + blockLength > length)
        {
            fail(s, SessionRejectReason.MALFORMED_MESSAGE, templateId, 0, "block length " + blockLength + " in a " + length +
                "-byte message; template " + templateId + " needs at least " + minBlock, true);
            return true;
        }
        final int kind = Templates.kind(templateId);
        final long correlationId = kind == Templates.SESSION ? 0 : buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN);
        if (!s.isLoggedIn())
        {
            if (templateId != LoginDecoder.TEMPLATE_ID)
            {
                fail(s, SessionRejectReason.NOT_LOGGED_IN, templateId, correlationId, "log in first", true);
                return true;
            }
            return onLogin(s, buffer, offset, length, blockLength);
        }
        if (templateId == LoginDecoder.TEMPLATE_ID)
        {
            if (s.loginQueryPending)
            {
                return offerLoginQuery(s);
            }
            fail(s, SessionRejectReason.ALREADY_LOGGED_IN, templateId, 0, "this connection is already logged in", true);
            return true;
        }
        if (!Templates.permits(s.role, templateId))
        {
            fail(s, SessionRejectReason.NOT_PERMITTED, templateId, correlationId, "role " + s.role + " may not send template " + templateId, true);
            return true;
        }
        switch (kind)
        {
            case Templates.SESSION:
                if (templateId == LogoutDecoder.TEMPLATE_ID)
                {
                    s.finalMessage = encodeLogout("logout");
                    s.state = Session.DRAINING;
                    s.stateSinceNs = nowNs;
                    unsubscribe(s);
                    drainHeads(s);
                    updateInterest(s);
                }
                return true;
            case Templates.SUBSCRIBE:
                if (s.pending.size() >= config.maxInFlight)
                {
                    return false;
                }
                subscribeDecoder.wrap(buffer, offset + HEADER, blockLength, headerDecoder.version());
                s.pending.push(correlationId, PendingRequests.LOCAL, new SubscribeAnswer(correlationId, subscribeDecoder.fromSequence()), nowNs);
                drainHeads(s);
                return true;
            case Templates.SNAPSHOT:
                if (snapshots == null)
                {
                    fail(s, SessionRejectReason.NOT_SUPPORTED, templateId, correlationId, "this server takes no snapshots", true);
                    return true;
                }
                if (s.pending.size() >= config.maxInFlight)
                {
                    return false;
                }
                final SnapshotAnswer answer = new SnapshotAnswer(correlationId, snapshots.requestSnapshot());
                s.pending.push(correlationId, PendingRequests.LOCAL, answer, nowNs);
                answer.future.whenComplete((r, e) ->
                {
                    tasks.add(() -> drainHeads(s));
                    selector.wakeup();
                });
                return true;
            default:
                return offerRequest(s, templateId, correlationId, buffer, offset, length);
        }
    }

    private boolean offerRequest(
        final Session s, final int templateId, final long correlationId, final UnsafeBuffer buffer, final int offset, final int length)
    {
        if (s.pending.size() >= config.maxInFlight || s.unsent() > config.sessionPauseBytes)
        {
            return false;
        }
        if (s.limiter != null && !s.limiter.permits(nowNs))
        {
            if (!s.rateLimited)
            {
                s.rateLimited = true;
                rateLimitedEpisodes++;
                clientRateLimited.setRelease(s.clientId, clientRateLimited.getPlain(s.clientId) + 1);
            }
            return false;
        }
        if (s.busy)
        {
            if (Long.compareUnsigned(correlationId, s.busyBarrier) > 0)
            {
                answerBusy(s, templateId, correlationId);
                return true;
            }
            s.busy = false;
        }
        final long sequence;
        try
        {
            sequence = host.offer(s.clientId, buffer, offset, length);
        }
        catch (final IllegalArgumentException ex)
        {
            fail(s, SessionRejectReason.FRAME_TOO_LARGE, templateId, correlationId, "the engine refused the message: " + ex.getMessage(), true);
            return true;
        }
        if (sequence >= 0)
        {
            s.pending.push(correlationId, PendingRequests.ENGINE, null, nowNs);
            s.pausedSinceNs = 0;
            if (s.limiter != null)
            {
                s.limiter.take(nowNs);
                s.rateLimited = false;
            }
            requestsOffered++;
            clientRequests.setRelease(s.clientId, clientRequests.getPlain(s.clientId) + 1);
            return true;
        }
        if (sequence == EngineHost.CLOSED)
        {
            fail(s, SessionRejectReason.ENGINE_UNAVAILABLE, templateId, correlationId, "the engine is closed", true);
            return true;
        }
        if (s.pausedSinceNs == 0)
        {
            s.pausedSinceNs = nowNs;
            backPressureEpisodes++;
        }
        else if (busyNs > 0 && nowNs - s.pausedSinceNs >= busyNs)
        {
            s.pausedSinceNs = 0;
            s.busy = true;
            s.busyBarrier = correlationId;
            answerBusy(s, templateId, correlationId);
            return true;
        }
        return false;
    }

    private void answerBusy(final Session s, final int templateId, final long correlationId)
    {
        busyAnswers++;
        s.pending.push(correlationId, PendingRequests.LOCAL, new BusyAnswer(correlationId, templateId), nowNs);
        drainHeads(s);
    }

    private boolean onLogin(final Session s, final UnsafeBuffer buffer, final int offset, final int length, final int blockLength)
    {
        loginDecoder.wrap(buffer, offset + HEADER, blockLength, headerDecoder.version());
        final long clientId = loginDecoder.clientId();
        final int secretLength = loginDecoder.secretLength();
        final int secretOffset = loginDecoder.limit() + 1;
        if (secretOffset + secretLength > offset + length)
        {
            fail(s, SessionRejectReason.MALFORMED_MESSAGE, LoginDecoder.TEMPLATE_ID, 0, "secret runs past the end of the message", true);
            return true;
        }
        final byte[] secret = new byte[secretLength];
        buffer.getBytes(secretOffset, secret);
        final ClientRegistry.Client client = clients.authenticate(clientId, secret);
        if (client == null)
        {
            ServerLog.info("login-refused", "connection", s.connectionId, "remote", s.remote, "client", clientId);
            fail(s, SessionRejectReason.AUTHENTICATION_FAILED, LoginDecoder.TEMPLATE_ID, 0, "unknown client id or wrong secret", true);
            return true;
        }
        final Session previous = byClient[client.id()];
        if (previous != null)
        {
            fail(previous, SessionRejectReason.SESSION_REPLACED, 0, 0, "client " + client.id() + " logged in on another connection", false);
            detach(previous);
            if (previous.state == Session.DRAINING)
            {
                finish(previous);
            }
        }
        s.clientId = client.id();
        s.role = client.role();
        s.limiter = client.rateLimit().limiter(nowNs);
        s.state = Session.ACTIVE;
        byClient[s.clientId] = s;
        clientConnected.setRelease(s.clientId, 1);
        bridge.clientActive(s.clientId, true);
        s.pending.push(LOGIN_CORRELATION, PendingRequests.LOGIN, null, nowNs);
        s.loginQueryPending = true;
        ServerLog.info("login", "connection", s.connectionId, "remote", s.remote, "client", s.clientId, "role", s.role,
            "rate-limit", client.rateLimit());
        return offerLoginQuery(s);
    }

    /** Asks the engine for the client's last applied sequence; the answer becomes the LoginAccepted. */
    private boolean offerLoginQuery(final Session s)
    {
        queryClient.wrapAndApplyHeader(scratch, 0, headerEncoder).correlationId(LOGIN_CORRELATION).clientId(s.clientId);
        final long sequence = host.offer(s.clientId, scratch, 0, HEADER + queryClient.encodedLength());
        if (sequence >= 0)
        {
            s.loginQueryPending = false;
            return true;
        }
        if (sequence == EngineHost.CLOSED)
        {
            fail(s, SessionRejectReason.ENGINE_UNAVAILABLE, LoginDecoder.TEMPLATE_ID, 0, "the engine is closed", false);
            return true;
        }
        return false;
    }

    private void pause(final Session s)
    {
        if (!s.readPaused)
        {
            s.readPaused = true;
            updateInterest(s);
        }
        if (!s.inPausedList)
        {
            s.inPausedList = true;
            paused.add(s);
        }
    }

    private void retryPaused()
    {
        for (int i = paused.size() - 1; i >= 0; i--)
        {
            final Session s = paused.get(i);
            if (s.state > Session.ACTIVE)
            {
                s.inPausedList = false;
                paused.remove(i);
                continue;
            }
            final boolean stillPaused;
            try
            {
                stillPaused = processInbound(s);
            }
            catch (final RuntimeException ex)
            {
                sessionFault(s, ex);
                continue;
            }
            if (!stillPaused)
            {
                s.inPausedList = false;
                paused.remove(i);
                if (s.state <= Session.ACTIVE)
                {
                    s.readPaused = false;
                    updateInterest(s);
                }
            }
        }
    }

    // ====================================================================== engine output

    private void drainOutput()
    {
        int total = 0;
        int read;
        do
        {
            read = bridge.ring.read(outputHandler, 256);
            total += read;
        }
        while (read > 0 && total < OUTPUT_DRAIN_LIMIT);
    }

    private void onBridgeMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long eventSequence = buffer.getLong(index + OutputBridge.EVENT_SEQUENCE);
        final long commandSequence = buffer.getLong(index + OutputBridge.COMMAND_SEQUENCE);
        final int clientId = buffer.getInt(index + OutputBridge.CLIENT_ID);
        try
        {
            onOutput(eventSequence, clientId, commandSequence, buffer, index + OutputBridge.ENVELOPE, length - OutputBridge.ENVELOPE);
        }
        catch (final RuntimeException ex)
        {
            ServerLog.warn("output-fault", "event", eventSequence, "client", clientId, "error", ex.toString());
            if (clientId > 0 && clientId < byClient.length && byClient[clientId] != null)
            {
                sessionFault(byClient[clientId], ex);
            }
        }
    }

    private void sessionFault(final Session s, final RuntimeException ex)
    {
        ServerLog.warn("session-fault", "connection", s.connectionId, "client", s.clientId, "error", ex.toString());
        s.discardOutbound();
        closeNow(s);
    }

    private void onOutput(
        final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (Templates.isAnswer(templateId))
        {
            if (clientId > 0 && clientId < byClient.length && byClient[clientId] != null)
            {
                onAnswer(byClient[clientId], templateId, buffer, offset, length);
            }
        }
        if (eventSequence <= 0)
        {
            // query results (and query rejections) answer one session; they are not part of the event stream
            return;
        }
        for (int i = subscribers.size() - 1; i >= 0; i--)
        {
            final Session s = subscribers.get(i);
            if (s.subscription != Session.LIVE)
            {
                continue;
            }
            if (s.nextEvent >= 0 && eventSequence < s.nextEvent)
            {
                continue;
            }
            if (s.nextEvent >= 0 && eventSequence > s.nextEvent && journal != null)
            {
                startCatchUp(s);
                continue;
            }
            writeEvent(s, eventSequence, commandSequence, clientId, buffer, offset, length);
        }
        lastLiveSequence = Math.max(lastLiveSequence, eventSequence);
    }

    private void onAnswer(final Session s, final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long position = s.pending.nextEngineEntry();
        final long correlationId = buffer.getLong(offset + HEADER, ByteOrder.LITTLE_ENDIAN);
        if (position < 0 || s.pending.correlationAt(position) != correlationId)
        {
            // an answer for an earlier connection of this client (it resends what it did not see)
            staleAnswers++;
            return;
        }
        answerLatency.recordValue(Math.min(MAX_LATENCY_US, Math.max(0, nowNs - s.pending.readNsAt(position)) / 1000));
        if (s.pending.isHead(position))
        {
            writeAnswer(s, s.pending.kindAt(position), buffer, offset, length);
            s.pending.pop();
            drainHeads(s);
        }
        else
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            s.pending.keepAnswer(position, copy);
        }
    }

    private void writeAnswer(final Session s, final byte kind, final DirectBuffer buffer, final int offset, final int length)
    {
        if (s.state >= Session.CLOSING)
        {
            return;
        }
        if ((long)s.unsent() + length > MAX_UNSENT_ANSWERS)
        {
            // the client stopped reading with requests in flight: it cannot be waiting for these answers
            slowConsumers++;
            fail(s, SessionRejectReason.SLOW_CONSUMER, 0, 0, "more than " + MAX_UNSENT_ANSWERS + " bytes of answers unread", false);
            return;
        }
        if (kind == PendingRequests.LOGIN)
        {
            writeLoginAccepted(s, buffer, offset);
        }
        else
        {
            s.append(buffer, offset, length);
            answersSent++;
        }
        markDirty(s);
    }

    private void writeLoginAccepted(final Session s, final DirectBuffer buffer, final int offset)
    {
        long lastClientSequence = -1;
        long lastSequence = host.lastAppliedSequence();
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() == ClientStatusDecoder.TEMPLATE_ID)
        {
            clientStatusDecoder.wrap(buffer, offset + HEADER, headerDecoder.blockLength(), headerDecoder.version());
            lastClientSequence = clientStatusDecoder.lastClientSequence();
            lastSequence = clientStatusDecoder.lastSequence();
        }
        final int at = s.claim(512);
        loginAccepted.wrapAndApplyHeader(s.outView, at, headerEncoder)
            .clientId(s.clientId)
            .role(s.role)
            .lastClientSequence(lastClientSequence)
            .lastSequence(lastSequence)
            .heartbeatIntervalMs(config.heartbeatIntervalMs)
            .idleTimeoutMs(config.idleTimeoutMs)
            .maxInFlight(config.maxInFlight)
            .maxFrameLength(config.maxFrameLength)
            .serverVersion(serverVersion);
        s.commit(HEADER + loginAccepted.encodedLength());
    }

    /** Writes every answer at the head of the session's queue that is ready, in order. */
    private void drainHeads(final Session s)
    {
        final PendingRequests pending = s.pending;
        while (!pending.isEmpty() && s.state < Session.CLOSING)
        {
            final Object attachment = pending.headAttachment();
            final byte kind = pending.headKind();
            if (kind == PendingRequests.LOCAL)
            {
                final LocalAnswer answer = (LocalAnswer)attachment;
                if (!answer.ready())
                {
                    break;
                }
                pending.pop();
                answer.write(s);
            }
            else if (attachment instanceof byte[])
            {
                final byte[] kept = (byte[])attachment;
                pending.pop();
                final UnsafeBuffer view = new UnsafeBuffer(kept);
                writeAnswer(s, kind, view, 0, kept.length);
            }
            else
            {
                break;
            }
            markDirty(s);
        }
        if (s.state == Session.DRAINING && pending.isEmpty())
        {
            finish(s);
        }
    }

    private void finish(final Session s)
    {
        if (s.finalMessage != null)
        {
            s.append(s.finalMessage);
            s.finalMessage = null;
        }
        s.state = Session.CLOSING;
        s.stateSinceNs = nowNs;
        markDirty(s);
    }

    // ====================================================================== subscriptions

    private void startSubscription(final Session s, final long correlationId, final long fromSequence)
    {
        unsubscribe(s);
        // events published while nobody subscribed were not copied here: count them as seen
        lastLiveSequence = Math.max(lastLiveSequence, subscribers.isEmpty() ? bridge.lastEventSequence() : -1);
        long next;
        if (fromSequence < 0)
        {
            next = -1;
            s.subscription = Session.LIVE;
        }
        else if (journal == null)
        {
            next = Math.max(fromSequence, lastLiveSequence + 1);
            s.subscription = Session.LIVE;
        }
        else
        {
            final long first = journal.firstSequence();
            next = first >= 0 ? Math.max(fromSequence, first) : fromSequence;
            s.subscription = Session.LIVE;
        }
        s.nextEvent = next;
        subscribers.add(s);
        bridge.subscribersActive(true);
        final int at = s.claim(64);
        subscriptionStarted.wrapAndApplyHeader(s.outView, at, headerEncoder).correlationId(correlationId).nextSequence(next);
        s.commit(HEADER + subscriptionStarted.encodedLength());
        if (journal != null && next >= 0 && next <= lastLiveSequence)
        {
            startCatchUp(s);
        }
        ServerLog.info("subscribed", "client", s.clientId, "from", fromSequence, "next", next);
    }

    private void startCatchUp(final Session s)
    {
        s.subscription = Session.CATCHING_UP;
        closeReader(s);
        s.journalReader = journal.open(s.nextEvent);
    }

    private boolean hasCatchUp()
    {
        for (int i = 0; i < subscribers.size(); i++)
        {
            if (subscribers.get(i).subscription == Session.CATCHING_UP)
            {
                return true;
            }
        }
        return false;
    }

    private void serveCatchUp()
    {
        for (int i = subscribers.size() - 1; i >= 0; i--)
        {
            final Session s = subscribers.get(i);
            if (s.subscription != Session.CATCHING_UP)
            {
                continue;
            }
            final EventSource.Reader reader = (EventSource.Reader)s.journalReader;
            catchUpSession = s;
            int rounds = 0;
            int read = 0;
            try
            {
                while (s.unsent() < config.subscriberBufferBytes / 2 && s.subscription == Session.CATCHING_UP && rounds++ < 16)
                {
                    read = reader.read(catchUpListener, CATCH_UP_BATCH);
                    if (read == 0)
                    {
                        break;
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                catchUpSession = null;
                sessionFault(s, ex);
                continue;
            }
            catchUpSession = null;
            if (read == 0 && s.subscription == Session.CATCHING_UP && s.nextEvent > lastLiveSequence)
            {
                // the journal has everything the live stream has shown: go live
                closeReader(s);
                s.subscription = Session.LIVE;
            }
        }
    }

    private void onJournalEvent(
        final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer, final int offset, final int length,
        final boolean endOfBatch)
    {
        final Session s = catchUpSession;
        if (s == null || s.subscription != Session.CATCHING_UP || eventSequence < s.nextEvent)
        {
            return;
        }
        writeEvent(s, eventSequence, commandSequence, clientId, buffer, offset, length);
    }

    private void writeEvent(
        final Session s, final long eventSequence, final long commandSequence, final int clientId, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (s.state != Session.ACTIVE)
        {
            return;
        }
        final int at = s.claim(HEADER + EventEncoder.BLOCK_LENGTH + 4 + length);
        event.wrapAndApplyHeader(s.outView, at, headerEncoder)
            .eventSequence(eventSequence)
            .commandSequence(commandSequence)
            .clientId(clientId)
            .putMessage(buffer, offset, length);
        s.commit(HEADER + event.encodedLength());
        s.nextEvent = eventSequence + 1;
        eventsSent++;
        markDirty(s);
        if (s.unsent() > config.subscriberBufferBytes)
        {
            slowConsumers++;
            ServerLog.info("slow-consumer", "client", s.clientId, "unsent", s.unsent(), "next", s.nextEvent);
            fail(s, SessionRejectReason.SLOW_CONSUMER, 0, 0,
                "outbound buffer passed " + config.subscriberBufferBytes + " bytes; resubscribe from event " + s.nextEvent, false);
        }
    }

    private void unsubscribe(final Session s)
    {
        if (s.subscription != Session.NOT_SUBSCRIBED)
        {
            s.subscription = Session.NOT_SUBSCRIBED;
            subscribers.remove(s);
            closeReader(s);
            bridge.subscribersActive(!subscribers.isEmpty());
        }
    }

    private static void closeReader(final Session s)
    {
        if (s.journalReader != null)
        {
            ((EventSource.Reader)s.journalReader).close();
            s.journalReader = null;
        }
    }

    // ====================================================================== writing and closing

    private void markDirty(final Session s)
    {
        if (!s.dirty)
        {
            s.dirty = true;
            dirty.add(s);
        }
    }

    private void flushDirty()
    {
        for (int i = 0; i < dirty.size(); i++)
        {
            final Session s = dirty.get(i);
            s.dirty = false;
            flush(s);
        }
        dirty.clear();
    }

    private void flush(final Session s)
    {
        if (s.state == Session.CLOSED)
        {
            return;
        }
        try
        {
            final boolean done = s.flush(nowNs);
            if (done && s.state == Session.CLOSING)
            {
                closeNow(s);
                return;
            }
            updateInterest(s);
        }
        catch (final IOException ex)
        {
            disconnected(s, ex.getMessage());
        }
    }

    private void updateInterest(final Session s)
    {
        if (s.state == Session.CLOSED || !s.key.isValid())
        {
            return;
        }
        final int ops = (s.state <= Session.ACTIVE && !s.readPaused ? SelectionKey.OP_READ : 0) |
            (s.unsent() > 0 ? SelectionKey.OP_WRITE : 0);
        if (ops != s.interestOps)
        {
            s.interestOps = ops;
            s.key.interestOps(ops);
        }
    }

    /**
     * Refuses what the session sent: a SessionReject with the reason, then the session closes. With
     * {@code drain}, requests already taken are answered first (so answers stay in order).
     */
    private void fail(
        final Session s, final SessionRejectReason reason, final int templateId, final long correlationId, final String text,
        final boolean drain)
    {
        if (s.state >= Session.DRAINING)
        {
            return;
        }
        sessionsRejected++;
        if (ServerLog.enabled(ServerLog.INFO) && reason != SessionRejectReason.SHUTTING_DOWN)
        {
            ServerLog.info("session-rejected", "connection", s.connectionId, "client", s.clientId, "reason", reason, "text", text);
        }
        final int at = 0;
        sessionReject.wrapAndApplyHeader(scratch, at, headerEncoder)
            .reason(reason)
            .templateId(templateId)
            .correlationId(correlationId)
            .text(text.length() > 254 ? text.substring(0, 254) : text);
        final byte[] message = new byte[HEADER + sessionReject.encodedLength()];
        scratch.getBytes(at, message);
        unsubscribe(s);
        s.finalMessage = message;
        s.state = Session.DRAINING;
        s.stateSinceNs = nowNs;
        s.readPaused = true;
        if (!drain)
        {
            s.pending.clear();
        }
        drainHeads(s);
        updateInterest(s);
    }

    private byte[] encodeLogout(final String text)
    {
        logout.wrapAndApplyHeader(scratch, 0, headerEncoder).reserved((short)0).text(text);
        final byte[] message = new byte[HEADER + logout.encodedLength()];
        scratch.getBytes(0, message);
        return message;
    }

    /** Takes the session out of client routing (its client id may log in again elsewhere). */
    private void detach(final Session s)
    {
        if (s.clientId != 0 && byClient[s.clientId] == s)
        {
            byClient[s.clientId] = null;
            clientConnected.setRelease(s.clientId, 0);
            bridge.clientActive(s.clientId, false);
        }
        s.pending.clear();
    }

    private void disconnected(final Session s, final String why)
    {
        ServerLog.debug("disconnected", "connection", s.connectionId, "client", s.clientId, "why", why);
        s.discardOutbound();
        closeNow(s);
    }

    private void closeNow(final Session s)
    {
        if (s.state == Session.CLOSED)
        {
            return;
        }
        s.state = Session.CLOSED;
        unsubscribe(s);
        detach(s);
        s.key.cancel();
        try
        {
            s.channel.close();
        }
        catch (final IOException ignore)
        {
            // already gone
        }
        sessions.remove(s);
        if (s.inPausedList)
        {
            s.inPausedList = false;
            paused.remove(s);
        }
    }

    private void checkTimers()
    {
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final Session s = sessions.get(i);
            switch (s.state)
            {
                case Session.CONNECTED:
                case Session.ACTIVE:
                    if (s.readPaused)
                    {
                        // the gateway is not reading it: silence is ours, not the client's
                        s.lastReceivedNs = nowNs;
                    }
                    if (nowNs - s.lastReceivedNs > idleNs)
                    {
                        fail(s, SessionRejectReason.IDLE_TIMEOUT, 0, 0, s.isLoggedIn() ?
                            "nothing received for " + config.idleTimeoutMs + " ms" : "no login within " + config.idleTimeoutMs + " ms", false);
                    }
                    else if (s.isLoggedIn() && nowNs - s.lastSentNs > heartbeatNs && s.unsent() == 0)
                    {
                        final int at = s.claim(64);
                        heartbeat.wrapAndApplyHeader(s.outView, at, headerEncoder).timestamp(System.currentTimeMillis());
                        s.commit(HEADER + heartbeat.encodedLength());
                        s.lastSentNs = nowNs;
                        markDirty(s);
                    }
                    break;
                case Session.DRAINING:
                    if (nowNs - s.stateSinceNs > DRAIN_LINGER_NS)
                    {
                        s.pending.clear();
                        finish(s);
                    }
                    break;
                case Session.CLOSING:
                    if (nowNs - s.stateSinceNs > CLOSE_LINGER_NS)
                    {
                        closeNow(s);
                    }
                    break;
                default:
                    break;
            }
        }
        flushDirty();
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

    /** Counters for logs and tests. */
    public String stats()
    {
        return "connections=" + connectionsAccepted + " rejected=" + sessionsRejected + " requests=" + requestsOffered +
            " answers=" + answersSent + " events=" + eventsSent + " back-pressure=" + backPressureEpisodes + " busy=" + busyAnswers +
            " rate-limited=" + rateLimitedEpisodes + " slow-consumers=" + slowConsumers + " stale-answers=" + staleAnswers + " output-waits=" + bridge.waits();
    }

    /**
     * Engine answers since the previous call by microseconds from reading the request to its answer
     * coming back from the engine (ring, journal, business logic, output stage; not the socket
     * write). One caller only: each call takes what was recorded since the last.
     */
    public Histogram answerLatency(final Histogram recycle)
    {
        return answerLatency.getIntervalHistogram(recycle);
    }

    public long connectionsAccepted()
    {
        return connectionsAccepted;
    }

    public long answersSent()
    {
        return answersSent;
    }

    public long eventsSent()
    {
        return eventsSent;
    }

    public long backPressureEpisodes()
    {
        return backPressureEpisodes;
    }

    public long busyAnswers()
    {
        return busyAnswers;
    }

    /** Requests of this client id put on the engine's ring since start. */
    public long clientRequests(final int clientId)
    {
        return clientRequests.getAcquire(clientId);
    }

    /** Times this client's session stopped being read because it went over its rate limit. */
    public long clientRateLimited(final int clientId)
    {
        return clientRateLimited.getAcquire(clientId);
    }

    /** Whether this client id has a logged-in session now. */
    public boolean clientConnected(final int clientId)
    {
        return clientConnected.getAcquire(clientId) == 1;
    }

    /** Sequence of the newest event the engine published (-1: none yet). */
    public long lastEventSequence()
    {
        return bridge.lastEventSequence();
    }

    /** The clients the configuration allows, for per-client metrics. */
    public java.util.Collection<ClientRegistry.Client> clients()
    {
        return clients.all();
    }

    /** What {@link #reloadClients} changed. */
    public record ClientsReloaded(int clients, int added, int removed, int changed, int sessionsClosed, int limitsChanged)
    {
    }

    /**
     * Replaces the clients that may log in, on the gateway thread. A logged-in session whose client
     * id is gone, or whose role changed, gets CLIENT_REMOVED after the answers to what it already
     * sent; a changed rate limit applies to the live session at once; a changed secret applies to
     * the next login only, so a secret can be rotated without cutting off the client using the old one.
     */
    public CompletableFuture<ClientsReloaded> reloadClients(final ClientRegistry fresh)
    {
        final CompletableFuture<ClientsReloaded> done = new CompletableFuture<>();
        tasks.add(() ->
        {
            try
            {
                done.complete(applyClients(fresh));
            }
            catch (final RuntimeException ex)
            {
                done.completeExceptionally(ex);
            }
        });
        selector.wakeup();
        return done;
    }

    private ClientsReloaded applyClients(final ClientRegistry fresh)
    {
        final ClientRegistry old = clients;
        int added = 0;
        int removed = 0;
        int changed = 0;
        for (final ClientRegistry.Client client : fresh.all())
        {
            final ClientRegistry.Client before = old.get(client.id());
            if (before == null)
            {
                added++;
            }
            else if (!before.equals(client))
            {
                changed++;
            }
        }
        for (final ClientRegistry.Client client : old.all())
        {
            removed += fresh.get(client.id()) == null ? 1 : 0;
        }
        clients = fresh;
        int closed = 0;
        int limits = 0;
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final Session s = sessions.get(i);
            if (!s.isLoggedIn() || s.state > Session.ACTIVE)
            {
                continue;
            }
            final ClientRegistry.Client now = fresh.get(s.clientId);
            if (now == null || now.role() != s.role)
            {
                fail(s, SessionRejectReason.CLIENT_REMOVED, 0, 0, now == null
                    ? "client " + s.clientId + " is no longer in the server's configuration"
                    : "client " + s.clientId + " now has role " + now.role() + "; log in again", true);
                closed++;
            }
            else if (s.limiter == null ? now.rateLimit().limited() : !now.rateLimit().equals(old.get(s.clientId).rateLimit()))
            {
                s.limiter = now.rateLimit().limiter(nowNs);
                s.rateLimited = false;
                limits++;
            }
        }
        return new ClientsReloaded(fresh.all().size(), added, removed, changed, closed, limits);
    }

    /** Times a session stopped being read because its client went over its rate limit. */
    public long rateLimitedEpisodes()
    {
        return rateLimitedEpisodes;
    }

    public long slowConsumers()
    {
        return slowConsumers;
    }

    public long staleAnswers()
    {
        return staleAnswers;
    }

    public long requestsOffered()
    {
        return requestsOffered;
    }

    public long sessionsRejected()
    {
        return sessionsRejected;
    }

    // ====================================================================== answers made here

    /** An answer the gateway makes itself; it leaves in request order like the engine's. */
    private interface LocalAnswer
    {
        boolean ready();

        void write(Session s);
    }

    private final class BusyAnswer implements LocalAnswer
    {
        private final long correlationId;
        private final int templateId;

        BusyAnswer(final long correlationId, final int templateId)
        {
            this.correlationId = correlationId;
            this.templateId = templateId;
        }

        @Override
        public boolean ready()
        {
            return true;
        }

        @Override
        public void write(final Session s)
        {
            final int at = s.claim(512);
            commandRejected.wrapAndApplyHeader(s.outView, at, headerEncoder)
                .correlationId(correlationId)
                .commandSequence(-1)
                .templateId(templateId)
                .reason(RejectReason.BUSY)
                .duplicate(BooleanType.FALSE)
                .text("engine busy: nothing applied; send this and every later request again, in order");
            s.commit(HEADER + commandRejected.encodedLength());
        }
    }

    private final class SubscribeAnswer implements LocalAnswer
    {
        private final long correlationId;
        private final long fromSequence;

        SubscribeAnswer(final long correlationId, final long fromSequence)
        {
            this.correlationId = correlationId;
            this.fromSequence = fromSequence;
        }

        @Override
        public boolean ready()
        {
            return true;
        }

        @Override
        public void write(final Session s)
        {
            if (s.state == Session.ACTIVE)
            {
                startSubscription(s, correlationId, fromSequence);
            }
        }
    }

    private final class SnapshotAnswer implements LocalAnswer
    {
        private final long correlationId;
        final CompletableFuture<SnapshotControl.Snapshot> future;

        SnapshotAnswer(final long correlationId, final CompletableFuture<SnapshotControl.Snapshot> future)
        {
            this.correlationId = correlationId;
            this.future = future;
        }

        @Override
        public boolean ready()
        {
            return future.isDone();
        }

        @Override
        public void write(final Session s)
        {
            long sequence = -1;
            String location;
            try
            {
                final SnapshotControl.Snapshot snapshot = future.join();
                sequence = snapshot.sequence();
                location = snapshot.location();
            }
            catch (final RuntimeException ex)
            {
                final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                location = "failed: " + cause.getMessage();
            }
            final byte[] text = location.getBytes(StandardCharsets.US_ASCII);
            final int at = s.claim(512);
            snapshotTaken.wrapAndApplyHeader(s.outView, at, headerEncoder)
                .correlationId(correlationId)
                .sequence(sequence)
                .putLocation(text, 0, Math.min(254, text.length));
            s.commit(HEADER + snapshotTaken.encodedLength());
            ServerLog.info("snapshot", "client", s.clientId, "sequence", sequence, "location", location);
        }
    }
}
