package io.mete.gateway.server;

import io.mete.engine.runtime.EngineGauges;
import io.mete.engine.runtime.EnginePipeline;
import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What an operator watches on a running server: a stats line every {@code statsIntervalSeconds}
 * and, when {@code metricsPort} is set, the same figures for Prometheus ({@link MetricsEndpoint}).
 * <p>
 * It reads only what other threads publish for it: the engine's totals through
 * {@link EngineGauges} (copied at every batch end), the gateway's counters and its answer latency
 * recorder, and the input ring's fill. A thread of its own, {@code mete-monitor}, wakes once a
 * second to move the latencies recorded since into its histograms (the recorder has one reader: this
 * class), so the whole run, the last {@value #RECENT_SECONDS} seconds and the current stats window
 * each have theirs; the same for the engine's share of it ({@link io.mete.engine.runtime.ApplyLatency}:
 * offer to the engine having applied the request).
 */
public final class ServerMonitor implements AutoCloseable
{
    private volatile io.mete.gateway.http.HttpGateway http;
    /** Seconds the recent latency quantiles cover. */
    public static final int RECENT_SECONDS = 10;

    private final GatewayServer gateway;
    private final EnginePipeline pipeline;
    private final long startedNs;
    private final int statsIntervalSeconds;
    private final Thread thread;
    private final MetricsEndpoint endpoint;
    private volatile boolean running = true;

    // the latency histograms and the previous stats line's figures; guarded by this
    private final LatencyWindows server = new LatencyWindows();
    private final LatencyWindows engineSide = new LatencyWindows();
    private final Histogram latest = latencyHistogram();
    private Histogram recycle;
    private final long[] engine = new long[EngineGauges.FIELDS];
    private final long[] windowStart = new long[EngineGauges.FIELDS];
    private long windowStartNs;
    private int windowTicks;
    private long windowStartRequests;
    private long windowStartAnswers;

    /**
     * @param metricsPort -1 for no HTTP endpoint, 0 for any free port
     */
    public ServerMonitor(
        final GatewayServer gateway, final EnginePipeline pipeline, final long startedNs, final int statsIntervalSeconds,
        final String metricsHost, final int metricsPort) throws java.io.IOException
    {
        this.gateway = gateway;
        this.pipeline = pipeline;
        this.startedNs = startedNs;
        this.statsIntervalSeconds = statsIntervalSeconds;
        startWindow(System.nanoTime());
        endpoint = metricsPort >= 0 ? new MetricsEndpoint(this, metricsHost, metricsPort) : null;
        thread = new Thread(this::run, "mete-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where metrics are served, or null when they are not. */
    public java.net.InetSocketAddress metricsAddress()
    {
        return endpoint == null ? null : endpoint.address();
    }

    private void run()
    {
        long nextTick = System.nanoTime();
        while (running)
        {
            nextTick += TimeUnit.SECONDS.toNanos(1);
            long wait;
            while (running && (wait = nextTick - System.nanoTime()) > 0)
            {
                LockSupport.parkNanos(wait);
            }
            if (!running)
            {
                return;
            }
            synchronized (this)
            {
                collectLatency();
                server.nextSecond();
                engineSide.nextSecond();
                final long now = System.nanoTime();
                if (statsIntervalSeconds > 0 && ++windowTicks >= statsIntervalSeconds)
                {
                    logStats(now);
                    startWindow(now);
                }
            }
        }
    }

    /** Moves what the gateway and the engine recorded since the last call into every histogram. */
    private void collectLatency()
    {
        final Histogram answered = gateway.answerLatency(recycle);
        server.add(answered);
        recycle = answered;
        latest.reset();
        pipeline.applyLatency().drainInto(latest);
        engineSide.add(latest);
    }

    private void startWindow(final long now)
    {
        pipeline.gauges().read(windowStart);
        windowStartNs = now;
        windowTicks = 0;
        windowStartRequests = gateway.requestsOffered();
        windowStartAnswers = gateway.answersSent();
        server.window.reset();
        engineSide.window.reset();
    }

    private void logStats(final long now)
    {
        pipeline.gauges().read(engine);
        final double seconds = (now - windowStartNs) / 1e9;
        final Runtime runtime = Runtime.getRuntime();
        ServerLog.info("stats",
            "window-s", String.format(java.util.Locale.ROOT, "%.1f", seconds),
            "commands-per-s", perSecond(engine[EngineGauges.APPLIED_SEQUENCE] - windowStart[EngineGauges.APPLIED_SEQUENCE], seconds),
            "orders-per-s", perSecond(engine[EngineGauges.ORDERS] - windowStart[EngineGauges.ORDERS], seconds),
            "requests-per-s", perSecond(gateway.requestsOffered() - windowStartRequests, seconds),
            "answers-per-s", perSecond(gateway.answersSent() - windowStartAnswers, seconds),
            "rejected", engine[EngineGauges.COMMANDS_REJECTED] - windowStart[EngineGauges.COMMANDS_REJECTED],
            "latency-p50-us", server.window.getValueAtPercentile(50),
            "latency-p99-us", server.window.getValueAtPercentile(99),
            "latency-p99.9-us", server.window.getValueAtPercentile(99.9),
            "latency-max-us", server.window.getMaxValue(),
            "engine-p50-us", engineSide.window.getValueAtPercentile(50),
            "engine-p99-us", engineSide.window.getValueAtPercentile(99),
            "engine-p99.9-us", engineSide.window.getValueAtPercentile(99.9),
            "engine-max-us", engineSide.window.getMaxValue(),
            "sessions", gateway.sessionCount(),
            "input-ring", pipeline.inputRingUsed() + "/" + pipeline.inputRingSize(),
            "last-sequence", engine[EngineGauges.APPLIED_SEQUENCE],
            "orders", engine[EngineGauges.ORDERS],
            "orders-in-memory", engine[EngineGauges.ORDERS_IN_MEMORY],
            "units-backordered", engine[EngineGauges.UNITS_BACKORDERED],
            "heap-used-mb", (runtime.totalMemory() - runtime.freeMemory()) >> 20,
            "gc", gcSummary());
    }

    private static long perSecond(final long count, final double seconds)
    {
        return seconds <= 0 ? 0 : Math.round(count / seconds);
    }

    private static String gcSummary()
    {
        long count = 0;
        long millis = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return count + "/" + millis + "ms";
    }

    // ---------------------------------------------------------------- read by MetricsEndpoint

    /** Everything {@link MetricsEndpoint} renders, as of now. */
    synchronized Sample sample()
    {
        collectLatency();
        final Sample sample = new Sample();
        pipeline.gauges().read(sample.engine);
        sample.uptimeSeconds = (System.nanoTime() - startedNs) / 1e9;
        sample.latency = server.total.copy();
        sample.recentLatency = server.recent();
        sample.engineLatency = engineSide.total.copy();
        sample.engineRecentLatency = engineSide.recent();
        sample.inputRingUsed = pipeline.inputRingUsed();
        sample.inputRingSize = pipeline.inputRingSize();
        sample.snapshotsWritten = pipeline.snapshotsWritten();
        sample.healthy = healthy();
        return sample;
    }

    /** Whether the gateway and the engine pipeline still run (neither stopped on a fault). */
    boolean healthy()
    {
        return pipeline.failure() == null && !gateway.failure().isDone();
    }

    /** The HTTP door's figures join /metrics once it runs (it starts after the monitor). */
    void http(final io.mete.gateway.http.HttpGateway http)
    {
        this.http = http;
    }

    io.mete.gateway.http.HttpGateway http()
    {
        return http;
    }

    GatewayServer gateway()
    {
        return gateway;
    }

    /** The figures of one scrape; engine fields are indexed by the {@link EngineGauges} constants. */
    static final class Sample
    {
        final long[] engine = new long[EngineGauges.FIELDS];
        double uptimeSeconds;
        Histogram latency;
        Histogram recentLatency;
        Histogram engineLatency;
        Histogram engineRecentLatency;
        int inputRingUsed;
        int inputRingSize;
        long snapshotsWritten;
        boolean healthy;
    }

    /** One latency's histograms: the whole run, each of the last seconds, the current stats window. */
    private static final class LatencyWindows
    {
        final Histogram total = latencyHistogram();
        final Histogram window = latencyHistogram();
        private final Histogram[] seconds = new Histogram[RECENT_SECONDS];
        private int second;

        LatencyWindows()
        {
            for (int i = 0; i < RECENT_SECONDS; i++)
            {
                seconds[i] = latencyHistogram();
            }
        }

        void add(final Histogram values)
        {
            total.add(values);
            seconds[second].add(values);
            window.add(values);
        }

        void nextSecond()
        {
            second = (second + 1) % RECENT_SECONDS;
            seconds[second].reset();
        }

        /** The last {@value #RECENT_SECONDS} seconds together. */
        Histogram recent()
        {
            final Histogram merged = latencyHistogram();
            for (final Histogram h : seconds)
            {
                merged.add(h);
            }
            return merged;
        }
    }

    private static Histogram latencyHistogram()
    {
        return new Histogram(1, GatewayServer.MAX_LATENCY_US, 3);
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        if (endpoint != null)
        {
            endpoint.close();
        }
        try
        {
            thread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
