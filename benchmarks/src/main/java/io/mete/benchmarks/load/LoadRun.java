package io.mete.benchmarks.load;

import io.mete.engine.workload.Workload;
import io.mete.gateway.protocol.Framing;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.*;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run over N connections with two threads for all of them: a sender that sends each
 * request when the schedule says it is due (open loop) or whenever a connection has fewer than
 * {@code window} requests unanswered (closed loop), and a receiver that reads every connection
 * through one selector and records each answer's latency. In open loop the latency is measured
 * from the request's intended send time, so a stall anywhere (server, network, the sender itself)
 * is charged to every request it delays.
 * <p>
 * On a machine that runs the server too, the sender does not spin: it parks until the next request
 * is due, which makes it up to a timer tick late, and that lateness is part of the measured latency.
 * A {@link HiccupMeter} runs beside them over the measured phase, so that the stalls the platform
 * itself caused can be told from the server's.
 */
public final class LoadRun
{
    static final long HIGHEST_NS = TimeUnit.HOURS.toNanos(1);
    private static final long HEARTBEAT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int SAMPLE = 4096;

    /** What to run. */
    public static final class Settings
    {
        public String host = "127.0.0.1";
        public int port = 7070;
        public List<ClientRegistry.Client> clients;
        public Workload workload;
        public boolean mixed;
        public RateSchedule schedule;
        /** 0: open loop on the schedule; above 0: closed loop with this many requests in flight per connection. */
        public int window;
        public long windowNs = TimeUnit.SECONDS.toNanos(1);
        /** Open loop: give up when the sender falls this far behind the schedule. */
        public long maxLagNs = TimeUnit.SECONDS.toNanos(30);
        public long drainTimeoutNs = TimeUnit.SECONDS.toNanos(60);
        public String orderPrefix = "L";
        public int ringCapacity = 1 << 16;
        public PrintStream progress;
        public String label = "";
        /** The server's metricsHost:metricsPort, to take its own latency figures for the measured phase; null: none. */
        public String serverMetrics;
    }

    /** Figures of one phase of the schedule. */
    public static final class PhaseStats
    {
        public final RateSchedule.Phase phase;
        public final Histogram latency = newHistogram();
        public long sent;
        public long accepted;
        public long rejected;
        public long busy;
        public long acceptedPlaces;
        /** Time of the last answer to a request of this phase (ns from the run's start). */
        public long lastAnswerNs;

        PhaseStats(final RateSchedule.Phase phase)
        {
            this.phase = phase;
        }

        /** Answers accepted per second: over the phase, or until its last answer when the server fell behind. */
        public double achievedRate()
        {
            final long span = Math.max(phase.durationNs(), lastAnswerNs - phase.startNs());
            return span <= 0 ? 0 : accepted * 1e9 / span;
        }
    }

    private final Settings settings;
    private final RateSchedule schedule;
    private final MixPlan mix;
    private final LoadConnection[] connections;
    private final LoadRequests[] requests;
    private final PhaseStats[] phases;
    private final Histogram[] byKind = new Histogram[LoadConnection.KINDS];
    private final long[] rejectsByReason = new long[256];

    // timeline, by window of intended send time (latency) and of actual time (sent, answered)
    private final IntCountsHistogram[] windowLatency;
    private final long[] windowSent;
    private final long[] windowAnswered;
    private final long[] windowBusy;
    private final long[] windowErrors;
    private final int windows;

    private final SingleWriterRecorder recent = new SingleWriterRecorder(100, HIGHEST_NS, 2);
    private volatile long startNs;
    private volatile boolean senderDone;
    private volatile boolean aborted;
    private volatile String abortReason;
    private volatile boolean receiverStop;
    private Thread senderThread;
    private Thread receiverThread;
    private HiccupMeter hiccupMeter;
    private ServerLatency serverLatency;
    private Histogram serverAtStart;
    private Histogram engineAtStart;
    private Histogram serverWindow;
    private Histogram engineWindow;
    private HiccupRecorder hiccups;
    private Selector selector;
    private volatile Throwable failure;

    // counters the progress line reads
    private volatile long sentCount;
    private volatile long answeredCount;
    private volatile long busyCount;
    private volatile long errorCount;
    private volatile long lagNs;

    // mixed-traffic bookkeeping (receiver thread)
    private long acceptedCancels;
    private long acceptedConfirms;
    private long expectedShippedUnits;
    private long lookupsMissed;
    private long handOverDropped;
    private long mismatches;
    private long protocolErrors;
    private final long[] sampleOrders = new long[SAMPLE];
    private final int[] sampleConnections = new int[SAMPLE];
    private int sampled;
    private long acceptedPlacesTotal;
    private long sampleRandom = 0x9E3779B97F4A7C15L;

    public LoadRun(final Settings settings)
    {
        this.settings = settings;
        this.schedule = settings.schedule;
        this.serverLatency = settings.serverMetrics != null ? new ServerLatency(settings.serverMetrics) : null;
        this.mix = new MixPlan(settings.mixed);
        final int n = settings.clients.size();
        this.connections = new LoadConnection[n];
        this.requests = new LoadRequests[n];
        for (int i = 0; i < n; i++)
        {
            requests[i] = new LoadRequests(settings.workload, settings.orderPrefix + "C" + i + "-", settings.mixed);
            connections[i] = new LoadConnection(i, settings.clients.get(i), settings.ringCapacity, 1 << 18, settings.mixed);
        }
        phases = new PhaseStats[schedule.phaseCount()];
        for (int p = 0; p < phases.length; p++)
        {
            phases[p] = new PhaseStats(schedule.phase(p));
        }
        for (int k = 0; k < byKind.length; k++)
        {
            byKind[k] = newHistogram();
        }
        windows = (int)((schedule.totalNs() + settings.drainTimeoutNs + settings.windowNs) / settings.windowNs) + 1;
        windowLatency = new IntCountsHistogram[windows];
        windowSent = new long[windows];
        windowAnswered = new long[windows];
        windowBusy = new long[windows];
        windowErrors = new long[windows];
    }

    static Histogram newHistogram()
    {
        return new Histogram(100, HIGHEST_NS, 3);
    }

    // ====================================================================== run

    /** Connects every session, runs the schedule, waits for the answers and logs out. */
    public LoadResult run() throws IOException, InterruptedException
    {
        selector = Selector.open();
        try
        {
            for (final LoadConnection c : connections)
            {
                c.connect(settings.host, settings.port);
                c.channel.register(selector, SelectionKey.OP_READ, c);
            }
            receiverThread = new Thread(this::receiveLoop, "load-receiver");
            senderThread = new Thread(this::sendLoop, "load-sender");
            receiverThread.setDaemon(true);
            senderThread.setDaemon(true);
            startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            // from the measured phase until every answer is in: a stall while answers are still
            // outstanding lengthens their latency as much as one while sending
            hiccupMeter = HiccupMeter.startFrom(startNs + schedule.measuredStartNs());
            receiverThread.start();
            senderThread.start();
            progressUntilDone();
            hiccups = hiccupMeter.stop();
            serverLatencyAtEnd();
            logout();
            receiverStop = true;
            selector.wakeup();
            receiverThread.join(5_000);
            if (failure != null)
            {
                throw new IllegalStateException("load run failed: " + failure, failure);
            }
            return result();
        }
        finally
        {
            receiverStop = true;
            if (hiccupMeter != null)
            {
                hiccupMeter.stop();
            }
            if (senderThread != null)
            {
                senderThread.interrupt();
            }
            for (final LoadConnection c : connections)
            {
                c.close();
            }
            selector.close();
        }
    }

    private void progressUntilDone() throws InterruptedException
    {
        final Histogram interval = new Histogram(100, HIGHEST_NS, 2);
        Histogram recycled = null;
        long lastPrint = System.nanoTime();
        long lastAnswered = 0;
        while (senderThread.isAlive())
        {
            senderThread.join(250);
            final long now = System.nanoTime();
            if (serverAtStart == null && serverLatency != null && now - startNs >= schedule.measuredStartNs())
            {
                final Histogram[] both = fetchServerAndEngine();
                if (both != null)
                {
                    serverAtStart = both[0];
                    engineAtStart = both[1];
                }
            }
            if (now - lastPrint >= TimeUnit.SECONDS.toNanos(1) || !senderThread.isAlive())
            {
                recycled = recent.getIntervalHistogram(recycled);
                interval.reset();
                interval.add(recycled);
                printProgress(now, lastPrint, lastAnswered, interval, !senderThread.isAlive());
                lastAnswered = answeredCount;
                lastPrint = now;
            }
        }
    }

    /** The server's latencies from the measured phase's start (as the progress loop saw it) to the last answer. */
    private void serverLatencyAtEnd()
    {
        if (serverAtStart != null && engineAtStart != null)
        {
            final Histogram[] both = fetchServerAndEngine();
            if (both != null)
            {
                serverWindow = ServerLatency.between(serverAtStart, both[0]);
                engineWindow = ServerLatency.between(engineAtStart, both[1]);
            }
        }
    }

    /**
     * The server's and the engine's histograms as of the same second: the server's monitor moves
     * both on once a second, and the two are separate requests, so a second that turned between
     * them would put a second of requests in one and not the other. The server's is read again
     * after the engine's; when its count moved, both are read again. Null without the endpoint.
     */
    private Histogram[] fetchServerAndEngine()
    {
        Histogram server = fetchServerLatency(false);
        for (int attempt = 0; server != null; attempt++)
        {
            final Histogram engine = fetchServerLatency(true);
            final Histogram again = fetchServerLatency(false);
            if (engine == null || again == null)
            {
                return null;
            }
            if (again.getTotalCount() == server.getTotalCount() || attempt == 4)
            {
                return new Histogram[] {server, engine};
            }
            server = again;
        }
        return null;
    }

    private Histogram fetchServerLatency(final boolean engineShare)
    {
        if (serverLatency == null)
        {
            return null;
        }
        try
        {
            return engineShare ? serverLatency.fetchEngine() : serverLatency.fetch();
        }
        catch (final IOException ex)
        {
            System.err.printf("%nno server latency from %s: %s%n", serverLatency, ex);
            serverLatency = null;
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            serverLatency = null;
            return null;
        }
    }

    private void printProgress(final long now, final long lastPrint, final long lastAnswered, final Histogram interval, final boolean last)
    {
        if (settings.progress == null)
        {
            return;
        }
        if (senderDone && !last)
        {
            settings.progress.printf("\r%sdraining: %,d answers outstanding%80s", settings.label, inFlight(), "");
            settings.progress.flush();
            return;
        }
        final double t = (now - startNs) / 1e9;
        final int phase = schedule.phaseAt(Math.max(0, now - startNs));
        final double rate = (answeredCount - lastAnswered) * 1e9 / Math.max(1, now - lastPrint);
        settings.progress.printf("\r%s%6.1fs %-8s sent %,d  answered %,d  %,.0f/s  p50 %s  p99 %s  max %s  in flight %,d  busy %,d  errors %,d  lag %s   ",
            settings.label, t, schedule.phase(phase).name(), sentCount, answeredCount, rate,
            formatNs(interval.getValueAtPercentile(50)), formatNs(interval.getValueAtPercentile(99)), formatNs(interval.getMaxValue()),
            inFlight(), busyCount, errorCount, formatNs(Math.max(0, lagNs)));
        if (last)
        {
            settings.progress.println();
        }
        settings.progress.flush();
    }

    private int inFlight()
    {
        int n = 0;
        for (final LoadConnection c : connections)
        {
            n += c.inFlight();
        }
        return n;
    }

    private void logout()
    {
        final LogoutEncoder logout = new LogoutEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        for (final LoadConnection c : connections)
        {
            if (c.dead)
            {
                continue;
            }
            try
            {
                c.out.clear();
                logout.wrapAndApplyHeader(c.outView, Framing.HEADER_LENGTH, header).reserved((short)0).text("load done");
                final int length = LoadConnection.HEADER + logout.encodedLength();
                Framing.writeHeader(c.outView, 0, length);
                c.out.position(Framing.HEADER_LENGTH + length);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (!c.flush() && System.nanoTime() < deadline)
                {
                    LockSupport.parkNanos(100_000);
                }
            }
            catch (final IOException ex)
            {
                c.dead = true;
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline)
        {
            boolean closed = true;
            for (final LoadConnection c : connections)
            {
                closed &= c.dead;
            }
            if (closed)
            {
                break;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    // ====================================================================== sender thread

    private void sendLoop()
    {
        try
        {
            if (settings.window > 0)
            {
                sendClosedLoop();
            }
            else
            {
                sendOpenLoop();
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    private void sendOpenLoop() throws IOException
    {
        final LoadConnection[] conns = connections;
        final int n = conns.length;
        final RateSchedule.Cursor cursor = schedule.cursor();
        final long start = startNs;
        final long maxLag = settings.maxLagNs;
        while (!cursor.done() && !aborted)
        {
            long now = System.nanoTime();
            boolean blocked = false;
            sendConfirmations(now);
            int budget = 1024;
            while (!cursor.done() && budget-- > 0)
            {
                final long intended = start + cursor.nextOffsetNs();
                if (intended > now)
                {
                    break;
                }
                final long index = cursor.nextRequest();
                final LoadConnection c = conns[(int)(index % n)];
                if (c.dead)
                {
                    cursor.advance();
                    continue;
                }
                if (!send(c, requests[c.index], mix.kind(index), index, intended, cursor.phase(), now))
                {
                    blocked = true;
                    break;
                }
                cursor.advance();
            }
            flushAll(now);
            if (!cursor.done())
            {
                now = System.nanoTime();
                final long due = start + cursor.nextOffsetNs();
                lagNs = now - due;
                if (now - due > maxLag)
                {
                    abort(String.format("the sender fell %s behind the schedule", formatNs(now - due)));
                    break;
                }
                if (blocked)
                {
                    LockSupport.parkNanos(20_000);
                }
                else if (due > now)
                {
                    LockSupport.parkNanos(Math.min(due - now, 200_000));
                }
            }
        }
        finishSending();
    }

    private void sendClosedLoop() throws IOException
    {
        final LoadConnection[] conns = connections;
        final long start = startNs;
        final long end = start + schedule.totalNs();
        final int window = settings.window;
        long index = 0;
        while (!aborted)
        {
            final long now = System.nanoTime();
            if (now >= end)
            {
                break;
            }
            final int phase = schedule.phaseAt(now - start);
            sendConfirmations(now);
            boolean sent = false;
            for (final LoadConnection c : conns)
            {
                int budget = window;
                while (!c.dead && c.inFlight() < window && budget-- > 0)
                {
                    if (!send(c, requests[c.index], mix.kind(index), index, now, phase, now))
                    {
                        break;
                    }
                    index++;
                    sent = true;
                }
            }
            flushAll(now);
            if (!sent)
            {
                LockSupport.parkNanos(20_000);
            }
        }
        finishSending();
    }

    /** Writes out what is buffered, then keeps sending confirmations until every answer is in (or the drain timeout). */
    private void finishSending() throws IOException
    {
        senderDone = true;
        final long deadline = System.nanoTime() + settings.drainTimeoutNs;
        while (!receiverStop && failure == null && System.nanoTime() < deadline)
        {
            final long now = System.nanoTime();
            sendConfirmations(now);
            final boolean flushed = flushAll(now);
            if (flushed && drained())
            {
                break;
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private boolean drained()
    {
        for (final LoadConnection c : connections)
        {
            if (!c.dead && (c.inFlight() > 0 || !c.confirmPhase.isEmpty()))
            {
                return false;
            }
        }
        return true;
    }

    private void abort(final String reason)
    {
        abortReason = reason;
        aborted = true;
    }

    /**
     * Encodes one request into the connection's send buffer and records it in flight; false when
     * the connection has no room now (the request stays due and is sent later, its latency growing).
     */
    private boolean send(
        final LoadConnection c, final LoadRequests r, final int plannedKind, final long index, final long intended, final int phase,
        final long now)
    {
        if (c.ringFull() || !c.hasRoom(r.maxFrameLength()))
        {
            return false;
        }
        checkRewind(c);
        int kind = plannedKind;
        long order = -1;
        if (kind == LoadConnection.CANCEL || kind == LoadConnection.CONFIRM)
        {
            if (c.acceptedOrders.isEmpty())
            {
                kind = LoadConnection.PLACE;
            }
            else
            {
                order = c.acceptedOrders.poll();
            }
        }
        final int at = c.out.position();
        final long sequence = c.nextSequence++;
        final int length;
        switch (kind)
        {
            case LoadConnection.ADJUST:
                length = r.adjust(c.outView, at, sequence, MixPlan.mix(index));
                break;
            case LoadConnection.CANCEL:
                length = r.cancel(c.outView, at, sequence, order);
                break;
            case LoadConnection.CONFIRM:
                kind = LoadConnection.LOOKUP;
                length = r.lookup(c.outView, at, sequence, order);
                break;
            default:
                length = r.place(c.outView, at, sequence);
                order = r.lastOrder();
                break;
        }
        c.pushInFlight(sequence, intended, order, LoadConnection.info(kind, phase, c.senderEpoch));
        c.out.position(at + length);
        c.lastSendNs = now;
        if (kind != LoadConnection.LOOKUP)
        {
            phases[phase].sent++;
            windowSent[window(now)]++;
            sentCount++;
        }
        return true;
    }

    /** Sends the ConfirmShipment of every order whose node the receiver found. */
    private void sendConfirmations(final long now)
    {
        if (!mix.mixed())
        {
            return;
        }
        for (final LoadConnection c : connections)
        {
            final LoadRequests r = requests[c.index];
            // confirmPhase is offered last, so when it holds an item the other queues hold theirs
            while (!c.dead && !c.confirmPhase.isEmpty() && !c.ringFull() && c.hasRoom(r.maxFrameLength()))
            {
                checkRewind(c);
                final long order = c.confirmOrder.poll();
                final int node = (int)c.confirmNode.poll();
                final long intended = c.confirmIntended.poll();
                final int phase = (int)c.confirmPhase.poll();
                final int at = c.out.position();
                final long sequence = c.nextSequence++;
                final int length = r.confirm(c.outView, at, sequence, order & 0xFFFF_FFFF_FFFFL, node);
                c.pushInFlight(sequence, intended, order, LoadConnection.info(LoadConnection.CONFIRM, phase, c.senderEpoch));
                c.out.position(at + length);
                c.lastSendNs = now;
            }
        }
    }

    /** After a BUSY the server answers BUSY to everything above that sequence until it sees it again: continue from it. */
    private static void checkRewind(final LoadConnection c)
    {
        final int epoch = c.rewindEpoch;
        if (epoch != c.senderEpoch)
        {
            c.senderEpoch = epoch;
            c.nextSequence = c.rewindSequence;
        }
    }

    private boolean flushAll(final long now) throws IOException
    {
        boolean all = true;
        for (final LoadConnection c : connections)
        {
            if (c.dead)
            {
                continue;
            }
            if (c.out.position() == 0 && now - c.lastSendNs > HEARTBEAT_NS)
            {
                c.out.position(requests[c.index].heartbeat(c.outView, 0));
                c.lastSendNs = now;
            }
            try
            {
                all &= c.flush();
            }
            catch (final IOException ex)
            {
                connectionLost(c, "write failed: " + ex.getMessage());
            }
        }
        return all;
    }

    private int window(final long now)
    {
        final long w = (now - startNs) / settings.windowNs;
        return w < 0 ? 0 : (int)Math.min(w, windows - 1);
    }

    // ====================================================================== receiver thread

    private final CommandRejectedDecoder rejectedDecoder = new CommandRejectedDecoder();
    private final OrderStatusDecoder statusDecoder = new OrderStatusDecoder();
    private final SessionRejectDecoder sessionRejectDecoder = new SessionRejectDecoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final byte[] nodeBytes = new byte[64];

    private void receiveLoop()
    {
        try
        {
            while (!receiverStop)
            {
                selector.select(100);
                final long now = System.nanoTime();
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isReadable())
                    {
                        read((LoadConnection)key.attachment(), now);
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    private void read(final LoadConnection c, final long now)
    {
        final int n;
        try
        {
            n = c.channel.read(c.in);
        }
        catch (final IOException ex)
        {
            connectionLost(c, "read failed: " + ex.getMessage());
            return;
        }
        if (n < 0)
        {
            connectionLost(c, c.deadReason != null ? c.deadReason : "the server closed the connection");
            return;
        }
        final UnsafeBuffer view = c.inView;
        final int end = c.in.position();
        int at = 0;
        while (end - at >= Framing.HEADER_LENGTH)
        {
            final int frameLength = view.getInt(at, ByteOrder.BIG_ENDIAN);
            if (frameLength < Framing.MIN_FRAME_LENGTH || frameLength > c.in.capacity())
            {
                protocolErrors++;
                connectionLost(c, "bad frame length " + frameLength + " from the server");
                return;
            }
            if (end - at < frameLength)
            {
                break;
            }
            onMessage(c, view, at + Framing.HEADER_LENGTH, frameLength - Framing.HEADER_LENGTH, now);
            at += frameLength;
        }
        if (at > 0)
        {
            view.putBytes(0, view, at, end - at);
            c.in.position(end - at);
        }
    }

    private void onMessage(final LoadConnection c, final UnsafeBuffer buffer, final int offset, final int length, final long now)
    {
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final int body = offset + LoadConnection.HEADER;
        switch (templateId)
        {
            case CommandAcceptedDecoder.TEMPLATE_ID:
            case CommandRejectedDecoder.TEMPLATE_ID:
            case OrderStatusDecoder.TEMPLATE_ID:
                onAnswer(c, templateId, buffer, body, now);
                break;
            case SessionRejectDecoder.TEMPLATE_ID:
                sessionRejectDecoder.wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
                c.deadReason = "session rejected: " + sessionRejectDecoder.reason() + " " + sessionRejectDecoder.text();
                protocolErrors++;
                break;
            case LogoutDecoder.TEMPLATE_ID:
                c.deadReason = "logged out";
                break;
            default:
                // heartbeats and anything else: nothing to do
                break;
        }
    }

    private void onAnswer(final LoadConnection c, final int templateId, final UnsafeBuffer buffer, final int body, final long now)
    {
        final long head = c.head.get();
        if (head == c.tail.get())
        {
            mismatches++;
            return;
        }
        final int slot = (int)(head & c.ringMask);
        final long correlationId = buffer.getLong(body, ByteOrder.LITTLE_ENDIAN);
        if (correlationId != c.ringSequence[slot])
        {
            mismatches++;
            errorCount++;
            return;
        }
        final long intended = c.ringIntended[slot];
        final long order = c.ringOrder[slot];
        final int info = c.ringInfo[slot];
        c.head.lazySet(head + 1);

        final int kind = LoadConnection.kindOf(info);
        final int phase = LoadConnection.phaseOf(info);
        final long latency = Math.max(100, Math.min(now - intended, HIGHEST_NS));
        final PhaseStats stats = phases[phase];
        if (kind == LoadConnection.LOOKUP)
        {
            onLookup(c, templateId, buffer, body, order, intended, phase);
            return;
        }
        answeredCount++;
        windowAnswered[window(now)]++;
        stats.lastAnswerNs = Math.max(stats.lastAnswerNs, now - startNs);
        if (templateId == CommandRejectedDecoder.TEMPLATE_ID)
        {
            rejectedDecoder.wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
            final int reason = rejectedDecoder.reasonRaw();
            if (reason == RejectReason.BUSY.value())
            {
                stats.busy++;
                busyCount++;
                windowBusy[window(now)]++;
                if (LoadConnection.epochOf(info) == (c.rewindEpoch & 0x7FFF))
                {
                    c.rewindSequence = correlationId;
                    c.rewindEpoch = c.rewindEpoch + 1;
                }
                return;
            }
            stats.rejected++;
            errorCount++;
            rejectsByReason[reason & 0xFF]++;
            windowErrors[window(now)]++;
            return;
        }
        stats.accepted++;
        final int w = (int)Math.min(Math.max(0, (intended - startNs) / settings.windowNs), windows - 1);
        IntCountsHistogram windowHistogram = windowLatency[w];
        if (windowHistogram == null)
        {
            windowHistogram = new IntCountsHistogram(100, HIGHEST_NS, 2);
            windowLatency[w] = windowHistogram;
        }
        windowHistogram.recordValue(latency);
        stats.latency.recordValue(latency);
        recent.recordValue(latency);
        if (stats.phase.measured())
        {
            byKind[kind].recordValue(latency);
        }
        switch (kind)
        {
            case LoadConnection.PLACE:
                stats.acceptedPlaces++;
                acceptedPlacesTotal++;
                sample(c.index, order);
                if (mix.mixed() && !c.acceptedOrders.offer(order))
                {
                    handOverDropped++;
                }
                break;
            case LoadConnection.CANCEL:
                acceptedCancels++;
                break;
            case LoadConnection.CONFIRM:
                acceptedConfirms++;
                expectedShippedUnits += order >>> 48;
                break;
            default:
                break;
        }
    }

    /** The answer to the QueryOrder of a confirm slot: pick a node holding a released shipment and confirm it. */
    private void onLookup(
        final LoadConnection c, final int templateId, final UnsafeBuffer buffer, final int body, final long order, final long intended,
        final int phase)
    {
        if (templateId != OrderStatusDecoder.TEMPLATE_ID)
        {
            lookupsMissed++;
            return;
        }
        statusDecoder.wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
        final OrderStatusDecoder.LinesDecoder lines = statusDecoder.lines();
        while (lines.hasNext())
        {
            lines.next().skipSku();
        }
        int node = -1;
        long units = 0;
        final OrderStatusDecoder.AllocationsDecoder allocations = statusDecoder.allocations();
        while (allocations.hasNext())
        {
            allocations.next();
            final int length = allocations.getNode(nodeBytes, 0, nodeBytes.length);
            final int allocationNode = LoadRequests.nodeNumber(nodeBytes, length);
            if (allocations.state() == AllocationState.RELEASED && allocations.quantity() > 0 && allocationNode >= 0)
            {
                if (node < 0)
                {
                    node = allocationNode;
                }
                if (allocationNode == node)
                {
                    units += allocations.quantity();
                }
            }
        }
        if (node < 0)
        {
            lookupsMissed++;
            return;
        }
        if (c.confirmOrder.size() > (1 << 16) - 2)
        {
            handOverDropped++;
            return;
        }
        // the confirmation carries the units it should ship in the order number's top bits
        c.confirmOrder.offer(order | Math.min(units, 0x7FFF) << 48);
        c.confirmNode.offer(node);
        c.confirmIntended.offer(intended);
        c.confirmPhase.offer(phase);
    }

    private void sample(final int connection, final long order)
    {
        // reservoir sampling of accepted orders for the correctness check
        if (sampled < SAMPLE)
        {
            sampleOrders[sampled] = order;
            sampleConnections[sampled] = connection;
            sampled++;
            return;
        }
        sampleRandom ^= sampleRandom << 13;
        sampleRandom ^= sampleRandom >>> 7;
        sampleRandom ^= sampleRandom << 17;
        final long j = Long.remainderUnsigned(sampleRandom, acceptedPlacesTotal);
        if (j < SAMPLE)
        {
            sampleOrders[(int)j] = order;
            sampleConnections[(int)j] = connection;
        }
    }

    private void connectionLost(final LoadConnection c, final String why)
    {
        if (!c.dead)
        {
            c.deadReason = c.deadReason != null ? c.deadReason : why;
            c.dead = true;
            if (!"logged out".equals(c.deadReason))
            {
                errorCount++;
            }
        }
        final SelectionKey key = c.channel.keyFor(selector);
        if (key != null)
        {
            key.cancel();
        }
    }

    // ====================================================================== result

    private LoadResult result()
    {
        final LoadResult r = new LoadResult();
        r.workload = settings.workload.name() + (settings.mixed ? "+mixed" : "");
        r.linesPerOrder = settings.workload.linesPerOrder();
        r.connections = connections.length;
        r.window = settings.window;
        r.schedule = schedule;
        r.phases = phases;
        r.byKind = byKind;
        r.rejectsByReason = rejectsByReason.clone();
        r.aborted = aborted;
        r.abortReason = abortReason;
        r.acceptedPlaces = acceptedPlacesTotal;
        r.acceptedCancels = acceptedCancels;
        r.acceptedConfirms = acceptedConfirms;
        r.expectedShippedUnits = expectedShippedUnits;
        r.lookupsMissed = lookupsMissed;
        r.handOverDropped = handOverDropped;
        r.mismatches = mismatches;
        r.protocolErrors = protocolErrors;
        r.windowNs = settings.windowNs;
        r.hiccups = hiccups;
        r.serverLatency = serverWindow;
        r.engineLatency = engineWindow;
        r.startEpochMs = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        int lastWindow = 0;
        for (int w = 0; w < windows; w++)
        {
            if (windowLatency[w] != null || windowSent[w] > 0 || windowAnswered[w] > 0)
            {
                lastWindow = w;
            }
        }
        r.windowLatency = java.util.Arrays.copyOf(windowLatency, lastWindow + 1);
        r.windowSent = java.util.Arrays.copyOf(windowSent, lastWindow + 1);
        r.windowAnswered = java.util.Arrays.copyOf(windowAnswered, lastWindow + 1);
        r.windowBusy = java.util.Arrays.copyOf(windowBusy, lastWindow + 1);
        r.windowErrors = java.util.Arrays.copyOf(windowErrors, lastWindow + 1);
        long unanswered = 0;
        final StringBuilder dead = new StringBuilder();
        for (final LoadConnection c : connections)
        {
            unanswered += c.inFlight();
            if (c.dead && c.deadReason != null && !"logged out".equals(c.deadReason))
            {
                dead.append(dead.length() == 0 ? "" : "; ").append("client ").append(c.client.id()).append(": ").append(c.deadReason);
            }
        }
        r.unanswered = unanswered;
        r.connectionErrors = dead.toString();
        final int n = Math.min(sampled, SAMPLE);
        r.sampleOrderIds = new String[n];
        for (int i = 0; i < n; i++)
        {
            r.sampleOrderIds[i] = io.mete.engine.workload.OrderGenerator.orderId(requests[sampleConnections[i]].prefix(), sampleOrders[i]);
        }
        return r;
    }

    static String formatNs(final long ns)
    {
        if (ns < 10_000)
        {
            return String.format("%.1fµs", ns / 1e3);
        }
        if (ns < 10_000_000)
        {
            return String.format("%.0fµs", ns / 1e3);
        }
        if (ns < 10_000_000_000L)
        {
            return String.format("%.0fms", ns / 1e6);
        }
        return String.format("%.1fs", ns / 1e9);
    }
}
