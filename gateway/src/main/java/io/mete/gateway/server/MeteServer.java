package io.mete.gateway.server;

import io.mete.engine.core.EngineConfig;
import io.mete.engine.runtime.EnginePipeline;
import io.mete.engine.runtime.OutputListener;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.engine.runtime.WaitMode;
import io.mete.gateway.cpu.CpuAffinity;
import io.mete.gateway.http.HttpGateway;
import io.mete.journal.Durability;
import io.mete.journal.EventJournalReader;
import io.mete.journal.JournalOptions;
import io.mete.journal.JournaledEngine;
import io.mete.journal.Recovery;
import io.mete.journal.snapshot.SnapshotInfo;
import io.mete.journal.snapshot.SnapshotStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A whole Mete server: the engine recovered from the data directory and hosted on the journaled
 * pipeline, with the TCP gateway in front. {@link #close} stops accepting, lets every request
 * already taken be answered, then drains the pipeline, writes a snapshot and closes the journals.
 */
public final class MeteServer implements AutoCloseable
{
    private final GatewayConfig config;
    private final JournaledEngine engine;
    private final GatewayServer gateway;
    private final InetSocketAddress address;
    private final ServerMonitor monitor;
    private final HttpGateway http;
    private final ScheduledExecutorService snapshotTimer;
    private final long startedNs = System.nanoTime();
    private volatile boolean closed;

    private MeteServer(final GatewayConfig config, final String version) throws IOException
    {
        this.config = config.validate();
        Files.createDirectories(config.dataDir);
        final JournalOptions options = JournalOptions.defaults()
            .durability(Durability.parse(config.durability))
            .engineConfig(EngineConfig.defaults().expectedOrders(config.expectedOrders).expectedOrderIdLength(config.expectedOrderIdLength)
                .publishAvailability(config.availabilityEvents))
            .pipelineConfig(PipelineConfig.defaults().snapshotEveryCommands(config.snapshotEveryCommands)
                .waitMode(WaitMode.valueOf(config.waitMode)).journalOnEngineThread(config.journalOnEngineThread()))
            .writeback(config.journalWriteback)
            .readAhead(config.journalReadAhead);
        final long recoveryStart = System.nanoTime();
        engine = JournaledEngine.open(config.dataDir, options, problem -> ServerLog.warn("journal-problem", "detail", problem));
        final Recovery.Result recovery = engine.recovery();
        ServerLog.info("recovered", "data", config.dataDir.toAbsolutePath(), "snapshot-sequence", recovery.snapshotSequence(),
            "commands-replayed", recovery.commandsReplayed(), "recovered-sequence", recovery.lastSequence(),
            "last-event-sequence", recovery.lastEventSequence(), "millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStart));
        try
        {
            gateway = new GatewayServer(config, engine, new JournalEventSource(config.dataDir), this::snapshot, version);
            engine.start();
            if (config.engineCpu >= 0)
            {
                // before the gateway thread starts, so it inherits the mask that keeps it off the engine's CPU
                ServerLog.info("cpu-isolation", "detail", CpuAffinity.isolate(EnginePipeline.ENGINE_THREAD, config.engineCpu));
            }
            settleHeap();
            address = gateway.start();
            try
            {
                monitor = config.statsIntervalSeconds > 0 || config.metricsPort >= 0
                    ? new ServerMonitor(gateway, engine.pipeline(), startedNs, config.statsIntervalSeconds, config.metricsAddress(), config.metricsPort)
                    : null;
            }
            catch (final IOException | RuntimeException ex)
            {
                gateway.shutdown(1_000);
                throw new IOException("metrics on " + config.metricsAddress() + ":" + config.metricsPort + ": " + ex.getMessage(), ex);
            }
            try
            {
                http = config.httpPort >= 0 ? startHttp(config, address) : null;
                if (http != null && monitor != null)
                {
                    monitor.http(http);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (monitor != null)
                {
                    monitor.close();
                }
                gateway.shutdown(1_000);
                throw new IOException("HTTP on " + config.httpAddress() + ":" + config.httpPort + ": " + ex.getMessage(), ex);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
        snapshotTimer = config.snapshotIntervalSeconds > 0 ? snapshotEvery(config.snapshotIntervalSeconds) : null;
        if (config.defaultCredentials)
        {
            ServerLog.warn("default-credentials", "detail", "clients 1..4 use the documented default secrets; set client.N.secret in a config file");
        }
        ServerLog.info("started", "version", version, "data", config.dataDir.toAbsolutePath(), "recovered-sequence",
            recovery.lastSequence(), "listen", address.getHostString() + ":" + address.getPort(), "durability", config.durability, "wait", config.waitMode,
            "journal-thread", config.journalOnEngineThread() ? "engine" : "separate",
            "journal-writeback", engine.writeback() != null ? "on" : "off",
            "journal-read-ahead", engine.readAhead() != null ? "on" : "off",
            "engine-cpu", config.engineCpu >= 0 ? config.engineCpu : "any",
            "metrics", monitor != null && monitor.metricsAddress() != null
                ? monitor.metricsAddress().getHostString() + ":" + monitor.metricsAddress().getPort() : "off",
            "http", http != null ? http.address().getHostString() + ":" + http.address().getPort() : "off",
            "stats-interval-s", config.statsIntervalSeconds,
            "snapshot-interval-s", config.snapshotIntervalSeconds > 0 ? config.snapshotIntervalSeconds : "off",
            "clients", config.clients.all().size());
    }

    /** The HTTP/JSON door, sending through this server's own TCP gateway (on loopback when it listens on every address). */
    private HttpGateway startHttp(final GatewayConfig config, final InetSocketAddress tcp) throws IOException
    {
        final String tcpHost = tcp.getAddress().isAnyLocalAddress() ? "127.0.0.1" : tcp.getHostString();
        final HttpGateway.Settings settings = new HttpGateway.Settings(config.httpAddress(), config.httpPort, config.httpThreads,
            config.httpStreams, config.maxFrameLength, 30_000, 15_000);
        return new HttpGateway(settings, new InetSocketAddress(tcpHost, tcp.getPort()), new JournalEventSource(config.dataDir),
            gateway::lastEventSequence);
    }

    /** Asks the engine for a snapshot every {@code seconds}; the engine writes none when nothing changed since the last. */
    private ScheduledExecutorService snapshotEvery(final long seconds)
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "mete-snapshot-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(engine::requestSnapshot, seconds, seconds, TimeUnit.SECONDS);
        return timer;
    }

    /**
     * One full collection before the first client connects. Start-up leaves a few hundred MB of
     * objects that live as long as the server (ring slots, the gateway's buffers, recovery's tables)
     * in the young generation, which allocates so little afterwards that its first collection
     * comes a minute or more into serving load: that collection had to copy them all and paused the
     * server for 70-100 ms. Collected here, they are old before anything waits on the server.
     */
    private static void settleHeap()
    {
        final long start = System.nanoTime();
        System.gc();
        ServerLog.info("startup-gc", "millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Recovers from the configured data directory and starts listening. */
    public static MeteServer start(final GatewayConfig config, final String version) throws IOException
    {
        return new MeteServer(config, version);
    }

    public InetSocketAddress address()
    {
        return address;
    }

    public JournaledEngine engine()
    {
        return engine;
    }

    public GatewayServer gateway()
    {
        return gateway;
    }

    /**
     * Takes the clients of a re-read configuration (ids, secrets, roles, rate limits; see
     * {@link GatewayServer#reloadClients}) and logs what changed. Other keys are read at start only.
     */
    public GatewayServer.ClientsReloaded reloadClients(final GatewayConfig fresh) throws Exception
    {
        final GatewayServer.ClientsReloaded result = gateway.reloadClients(fresh.clients).get(10, TimeUnit.SECONDS);
        ServerLog.info("reloaded", "clients", result.clients(), "added", result.added(), "removed", result.removed(),
            "changed", result.changed(), "sessions-closed", result.sessionsClosed(), "live-rate-limits-changed", result.limitsChanged());
        return result;
    }

    /** Where the HTTP/JSON API is served, or null when httpPort is off. */
    public InetSocketAddress httpAddress()
    {
        return http == null ? null : http.address();
    }

    /** Where GET /metrics and GET /health are served, or null when metricsPort is off. */
    public InetSocketAddress metricsAddress()
    {
        return monitor == null ? null : monitor.metricsAddress();
    }

    /**
     * Completes when the gateway thread or the engine's pipeline stopped on a fault (for example an
     * OutOfMemoryError growing the engine's arrays): the server can no longer take commands, so
     * stop it and exit non-zero.
     */
    public CompletableFuture<Throwable> failure()
    {
        return gateway.failure().applyToEither(engine.pipeline().whenFailed(), cause -> cause);
    }

    /** Stop accepting, drain, snapshot, close. Safe to call more than once. */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        ServerLog.info("stopping", "sessions", gateway.sessionCount());
        if (snapshotTimer != null)
        {
            snapshotTimer.shutdownNow();
        }
        if (http != null)
        {
            // before the TCP gateway: its sessions are clients of it
            http.close();
        }
        if (monitor != null)
        {
            monitor.close();
        }
        gateway.shutdown(5_000);
        final String stats = gateway.stats();
        engine.close();
        ServerLog.info("stopped", "last-sequence", engine.lastAppliedSequence(), "snapshots-written",
            engine.pipeline().snapshotsWritten(), "uptime-s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNs),
            "gateway", stats);
    }

    private CompletableFuture<SnapshotControl.Snapshot> snapshot()
    {
        final long before = engine.pipeline().snapshotsWritten();
        if (engine.requestSnapshot() < 0)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("the engine is closed"));
        }
        return CompletableFuture.supplyAsync(() ->
        {
            // the pipeline writes nothing when nothing changed since the last snapshot: wait a little, then report the newest
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.pipeline().snapshotsWritten() == before && engine.lastAppliedSequence() != newestSnapshotSequence() &&
                System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(1_000_000);
            }
            final SnapshotInfo newest = snapshots().stream()
                .max(Comparator.comparingLong(SnapshotInfo::sequence))
                .orElseThrow(() -> new IllegalStateException("no snapshot written"));
            return new SnapshotControl.Snapshot(newest.sequence(), newest.path().toAbsolutePath().toString());
        });
    }

    private long newestSnapshotSequence()
    {
        return snapshots().stream().mapToLong(SnapshotInfo::sequence).max().orElse(Long.MIN_VALUE);
    }

    private java.util.List<SnapshotInfo> snapshots()
    {
        try
        {
            return new SnapshotStore(engine.directory().snapshots()).list();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** The Chronicle event journal as the gateway's event source: one reader per catching-up subscriber. */
    private static final class JournalEventSource implements EventSource
    {
        private final Path dir;

        JournalEventSource(final Path dir)
        {
            this.dir = dir;
        }

        @Override
        public long firstSequence()
        {
            final long[] first = {-1};
            try (EventJournalReader reader = new EventJournalReader(dir))
            {
                reader.poll((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) -> first[0] = eventSequence, 1);
            }
            return first[0];
        }

        @Override
        public Reader open(final long fromSequence)
        {
            final EventJournalReader reader = new EventJournalReader(dir);
            reader.seek(fromSequence);
            return new Reader()
            {
                @Override
                public int read(final OutputListener listener, final int limit)
                {
                    return reader.poll(listener, limit);
                }

                @Override
                public void close()
                {
                    reader.close();
                }
            };
        }
    }
}
