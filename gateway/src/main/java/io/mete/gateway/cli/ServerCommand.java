package io.mete.gateway.cli;

import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.server.MeteServer;
import io.mete.gateway.server.ServerLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code mete server}: recover from the data directory and serve the TCP gateway until SIGTERM or SIGINT. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = {"Recover the engine from DIR (snapshot + journal) and serve the TCP gateway.",
        "SIGTERM or Ctrl-C: stop accepting, answer what was taken, snapshot, exit 0.",
        "SIGHUP: read --config FILE again and take its clients (secrets, roles, rate limits) without a restart.",
        "Config file keys and defaults: see gateway/PROTOCOL.md (Server configuration)."})
public final class ServerCommand implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "properties file (host, port, data, limits, client.N.secret or secretHash, client.N.role)")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "journal and snapshot directory (default ./data)")
    Path data;

    @Option(names = "--host", paramLabel = "H", description = "listen address (default 127.0.0.1)")
    String host;

    @Option(names = "--port", paramLabel = "P", description = "listen port (default 7070)")
    Integer port;

    @Option(names = "--metrics-port", paramLabel = "P",
        description = "serve Prometheus metrics (GET /metrics) and GET /health on this port (default off; 0 = any free port)")
    Integer metricsPort;

    @Option(names = "--http-port", paramLabel = "P",
        description = "serve the HTTP/JSON API (commands, queries, event stream; see gateway/PROTOCOL.md) on this port (default off; 0 = any free port)")
    Integer httpPort;

    @Override
    public Integer call() throws Exception
    {
        final GatewayConfig config = configFile == null ? GatewayConfig.defaults() : GatewayConfig.load(configFile);
        if (data != null)
        {
            config.dataDir = data;
        }
        if (host != null)
        {
            config.host = host;
        }
        if (port != null)
        {
            config.port = port;
        }
        if (metricsPort != null)
        {
            config.metricsPort = metricsPort;
        }
        if (httpPort != null)
        {
            config.httpPort = httpPort;
        }
        config.validate();
        // the shutdown hook goes in before the server starts: a SIGTERM that comes while it recovers
        // (or just after it logged event=started) waits for the start to finish, then stops it cleanly
        final CompletableFuture<MeteServer> starting = new CompletableFuture<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicBoolean stopping = new AtomicBoolean();
        final AtomicBoolean failed = new AtomicBoolean();
        // SIGTERM and SIGINT run the shutdown hooks: stop accepting, drain, snapshot, exit 0; a dead
        // gateway thread or a stopped pipeline ends the server the same way but exits 1, for a
        // supervisor to restart it
        final Runnable stop = () ->
        {
            if (stopping.compareAndSet(false, true))
            {
                final MeteServer server;
                try
                {
                    server = starting.join();
                }
                catch (final CompletionException startFailed)
                {
                    return;
                }
                ServerLog.info(failed.get() ? "fatal-error" : "signal", "detail", "shutting down");
                server.close();
                System.out.flush();
                stopped.countDown();
                // a JVM ended by a signal exits 143; a clean drain and snapshot is a success
                Runtime.getRuntime().halt(failed.get() ? 1 : 0);
            }
            else
            {
                awaitQuietly(stopped);
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "mete-shutdown"));
        final MeteServer server;
        try
        {
            server = MeteServer.start(config, MeteVersion.version());
        }
        catch (final Throwable ex)
        {
            starting.completeExceptionally(ex);
            throw ex;
        }
        starting.complete(server);
        onHangUp(server);
        server.failure().thenRun(() ->
        {
            failed.set(true);
            new Thread(stop, "mete-stop-after-failure").start();
        });
        stopped.await();
        return failed.get() ? 1 : 0;
    }

    /**
     * SIGHUP re-reads the config file and hands its clients to the running server (a client added,
     * removed, given a new role, secret or rate limit). A file that does not parse changes nothing.
     * sun.misc.Signal (module jdk.unsupported) is the only way the JDK offers to handle a signal.
     */
    private void onHangUp(final MeteServer server)
    {
        try
        {
            final sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal ->
            {
                if (configFile == null)
                {
                    ServerLog.warn("reload-ignored", "detail", "SIGHUP, but the server was started without --config FILE");
                    return;
                }
                try
                {
                    server.reloadClients(GatewayConfig.load(configFile));
                }
                catch (final Exception ex)
                {
                    ServerLog.warn("reload-failed", "config", configFile, "detail", String.valueOf(ex.getMessage()),
                        "clients", "unchanged");
                }
            });
            if (previous == sun.misc.SignalHandler.SIG_IGN)
            {
                // Started with SIGHUP ignored (nohup, or a parent that ignores it): the JVM leaves an
                // ignored signal ignored and takes no handler for it, so a reload would never come.
                ServerLog.warn("reload-unavailable", "detail", "SIGHUP is ignored in this process (started under nohup?); " +
                    "a restart takes a changed config file");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // the JVM keeps SIGHUP for itself (-Xrs, or a platform without it)
            ServerLog.warn("reload-unavailable", "detail", ex.getMessage());
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
