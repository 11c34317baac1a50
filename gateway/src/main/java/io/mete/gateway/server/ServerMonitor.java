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
 * each have theirs.
 */
public final class ServerMonitor implements AutoCloseable
{
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
    private final Histogram total = latencyHistogram();
    private final Histogram[] recent = new Histogram[RECENT_SECONDS];
    private final Histogram recentMerged = latencyHistogram();
    private final Histogram window = latencyHistogram();
    private Histogram recycle;
    private int recentIndex;
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
        for (int i = 0; i < RECENT_SECONDS; i++)
        {
            recent[i] = latencyHistogram();
        }
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
                recentIndex = (recentIndex + 1) % RECENT_SECONDS;
                recent[recentIndex].reset();
                final long now = System.nanoTime();
                if (statsIntervalSeconds > 0 && ++windowTicks >= statsIntervalSeconds)
                {
                    logStats(now);
                    startWindow(now);
                }
            }
        }
    }

    /** Moves what the gateway recorded since the last call into every histogram. */
    private void collectLatency()
    {
        final Histogram latest = gateway.answerLatency(recycle);
        total.add(latest);
        recent[recentIndex].add(latest);
        window.add(latest);
        recycle = latest;
    }

    private void startWindow(final long now)
    {
        pipeline.gauges().read(windowStart);
        windowStartNs = now;
        windowTicks = 0;
        windowStartRequests = gateway.requestsOffered();
        windowStartAnswers = gateway.answersSent();
        window.reset();
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
            "latency-p50-us", window.getValueAtPercentile(50),
            "latency-p99-us", window.getValueAtPercentile(99),
            "latency-p99.9-us", window.getValueAtPercentile(99.9),
            "latency-max-us", window.getMaxValue(),
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
        sample.latency = total.copy();
        recentMerged.reset();
        for (final Histogram second : recent)
        {
            recentMerged.add(second);
        }
        sample.recentLatency = recentMerged.copy();
        sample.inputRingUsed = pipeline.inputRingUsed();
        sample.inputRingSize = pipeline.inputRingSize();
        sample.snapshotsWritten = pipeline.snapshotsWritten();
        sample.healthy = pipeline.failure() == null && !gateway.failure().isDone();
        return sample;
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
        int inputRingUsed;
        int inputRingSize;
        long snapshotsWritten;
        boolean healthy;
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
