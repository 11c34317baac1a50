package io.mete.gateway.server;

import io.mete.engine.core.ClientLedger;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.gateway.protocol.Framing;
import io.mete.gateway.session.ClientRegistry;
import io.mete.gateway.session.RateLimit;
import io.mete.gateway.session.SecretHash;
import io.mete.schema.Role;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Server settings. Read from a Java properties file ({@code key=value}, {@code #} comments); every
 * key is optional and the defaults below apply. Command-line flags override the file.
 *
 * <pre>
 * host=127.0.0.1                 listen address
 * port=7070                      listen port (0 = any free port)
 * data=./data                    journal and snapshot directory
 * maxConnections=256             connections beyond this get TOO_MANY_CONNECTIONS
 * maxFrameLength=16384           bytes, framing header included
 * maxInFlight=1024               unanswered requests per session before its socket is not read (at most
 *                                1024: the engine keeps the last 1024 results per client for resends)
 * heartbeatIntervalMs=5000       the server sends a Heartbeat after this long without sending
 * idleTimeoutMs=30000            a session that sends nothing (or no Login) for this long is closed
 * busyTimeoutMs=0                0 = when the engine's ring is full, just stop reading (TCP pushes
 *                                back); above 0 = answer BUSY after the ring stayed full this long
 * subscriberBufferBytes=8388608  a subscriber whose unsent output passes this is cut off (SLOW_CONSUMER)
 * sessionPauseBytes=1048576      a session whose unsent answers pass this is not read until they drain
 * outputBufferBytes=16777216     buffer between the engine's output thread and the gateway thread
 * durability=pagecache           pagecache (survives a process crash) or sync (msync per batch: survives power loss)
 * waitMode=BLOCKING             pipeline threads wait BLOCKING (spin briefly, then sleep until signalled: no CPU
 *                                when idle), SLEEPING (spin, yield, short
 *                                parks), YIELDING or BUSY_SPIN (only with a core per pipeline thread)
 * journalThread=auto             separate: a journal thread writes each batch and hands it to the engine
 *                                thread; engine: the engine thread writes each batch, then applies it
 *                                (one thread and one wake-up per batch fewer); auto: engine when the JVM
 *                                sees fewer than 4 cores, separate otherwise
 * journalWriteback=true          with pagecache durability, a thread writes journal pages back steadily
 *                                256 MB behind the writer instead of leaving them to the kernel, which
 *                                writes gigabytes at once, the pages being written included (see
 *                                JournalWriteback); no effect with sync
 * journalReadAhead=true          a thread reads each journal file ahead of its appender, so the appender's
 *                                first write to a page finds it in the page cache instead of faulting it in
 *                                (see JournalReadAhead)
 * engineCpu=-1                   a CPU (0, 1, ...) for the engine thread alone: the engine thread is pinned to
 *                                it and every other thread of the server kept off it, but the JIT compilers and
 *                                the collector's pause workers (Linux; -1 = let the OS place threads). Keep
 *                                other busy processes off that CPU as well
 * snapshotEveryCommands=0        also snapshot every N commands (0 = on request and at shutdown only)
 * snapshotIntervalSeconds=0      also snapshot this often (e.g. 3600; 0 = off), so a restart replays at most
 *                                that long a stretch of journal however busy the day was
 * expectedOrders=1048576         the order book and order ids are sized for this many up front (~300 B of direct
 *                                memory, ~20 B of heap per 3-line order); past it they grow a page at a time
 * expectedOrderIdLength=24       bytes per order id the id arena holds up front (the OMS's usual length)
 * availabilityEvents=true        publish AvailabilityChanged after every reservation change (off: fewer
 *                                events, a smaller event journal); fixed for a data directory by its first
 *                                start (DIR/events.properties)
 * statsIntervalSeconds=10        a stats line (event=stats: rates, totals, ring use, request latency, heap) this
 *                                often; 0 = none
 * metricsPort=-1                 serve Prometheus metrics (GET /metrics) and GET /health over HTTP on this port
 *                                (-1 = off, 0 = any free port)
 * metricsHost=                   address for metricsPort (empty = the listen address, host)
 * httpPort=-1                    serve the HTTP/JSON API (commands, queries, Server-Sent Events; see PROTOCOL.md)
 *                                on this port (-1 = off, 0 = any free port)
 * httpHost=                      address for httpPort (empty = the listen address, host)
 * httpThreads=4                  threads that read and answer HTTP requests (none waits for the engine)
 * httpStreams=16                 HTTP event streams open at once, at most (each has a thread of its own)
 * rateLimit=0                    requests (commands and queries) a second each client may send on average; a
 *                                session over it is not read until it is back within it (0 = no limit)
 * rateBurst=0                    requests a client may send at once after a quiet spell (0 = a tenth of a
 *                                second's worth of rateLimit; never below two milliseconds' worth, see RateLimit)
 * client.N.secret=...            client id N (1..4095) may log in with this secret
 * client.N.secretHash=sha256:... or with the secret this hash was made of (./mete secret prints one), so
 *                                the file holds no secret; give one of secret and secretHash
 * client.N.role=ORDERS           ORDERS, INVENTORY, MONITOR or ADMIN
 * client.N.rateLimit=...         this client's own rateLimit (0 = none), instead of the one above
 * client.N.rateBurst=...         this client's own rateBurst
 * </pre>
 *
 * Without any {@code client.N} entries the server uses {@link #defaultClients()}, which suit a
 * machine of one's own only: the default listen address is loopback for that reason.
 */
public final class GatewayConfig
{
    public String host = "127.0.0.1";
    public int port = 7070;
    public Path dataDir = Path.of("data");
    public int maxConnections = 256;
    public int maxFrameLength = Framing.DEFAULT_MAX_FRAME_LENGTH;
    public int maxInFlight = ClientLedger.WINDOW;
    public long heartbeatIntervalMs = 5_000;
    public long idleTimeoutMs = 30_000;
    public long busyTimeoutMs = 0;
    public int subscriberBufferBytes = 8 << 20;
    public int sessionPauseBytes = 1 << 20;
    public int outputBufferBytes = 16 << 20;
    public String durability = "pagecache";
    public long snapshotEveryCommands = 0;
    public long snapshotIntervalSeconds = 0;
    public String waitMode = "BLOCKING";
    public String journalThread = "auto";
    public boolean journalWriteback = true;
    public boolean journalReadAhead = true;
    public int engineCpu = -1;
    public int expectedOrders = 1 << 20;
    public int expectedOrderIdLength = 24;
    public boolean availabilityEvents = true;
    public int statsIntervalSeconds = 10;
    public int metricsPort = -1;
    public String metricsHost = "";
    public int httpPort = -1;
    public String httpHost = "";
    public int httpThreads = 4;
    public int httpStreams = 16;
    /** The rate limit of every client without its own; applied to the clients as the file is read. */
    public long rateLimit;
    public long rateBurst;
    public ClientRegistry clients = new ClientRegistry();
    public boolean defaultCredentials;

    public static GatewayConfig defaults()
    {
        final GatewayConfig config = new GatewayConfig();
        config.clients = defaultClients();
        config.defaultCredentials = true;
        return config;
    }

    /** Where metrics are served: metricsHost, or the listen address when that is empty. */
    public String metricsAddress()
    {
        return metricsHost.isEmpty() ? host : metricsHost;
    }

    public String httpAddress()
    {
        return httpHost.isEmpty() ? host : httpHost;
    }

    /** Whether the engine thread journals (journalThread engine, or auto on a machine with fewer than 4 cores). */
    public boolean journalOnEngineThread()
    {
        return journalThread.equals("auto") ? PipelineConfig.journalOnEngineThreadByDefault() : journalThread.equals("engine");
    }

    /** One client per role with well-known secrets: 1 ADMIN, 2 ORDERS, 3 INVENTORY, 4 MONITOR. */
    public static ClientRegistry defaultClients()
    {
        return new ClientRegistry()
            .add(new ClientRegistry.Client(1, "mete-admin", Role.ADMIN))
            .add(new ClientRegistry.Client(2, "mete-orders", Role.ORDERS))
            .add(new ClientRegistry.Client(3, "mete-inventory", Role.INVENTORY))
            .add(new ClientRegistry.Client(4, "mete-monitor", Role.MONITOR));
    }

    /** Defaults overridden by the file's entries. */
    public static GatewayConfig load(final Path file) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        return from(properties, file.toString());
    }

    private static boolean parseBoolean(final String source, final String key, final String value)
    {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(source + ": " + key + " must be true or false, not " + value);
    }

    public static GatewayConfig from(final Properties p, final String source)
    {
        final GatewayConfig config = defaults();
        final List<String> unknown = new ArrayList<>();
        final TreeSet<Integer> clientIds = new TreeSet<>();
        for (final String key : p.stringPropertyNames())
        {
            final String value = p.getProperty(key).trim();
            try
            {
                switch (key)
                {
                    case "host": config.host = value; break;
                    case "port": config.port = Integer.parseInt(value); break;
                    case "data": config.dataDir = Path.of(value); break;
                    case "maxConnections": config.maxConnections = Integer.parseInt(value); break;
                    case "maxFrameLength": config.maxFrameLength = Integer.parseInt(value); break;
                    case "maxInFlight": config.maxInFlight = Integer.parseInt(value); break;
                    case "heartbeatIntervalMs": config.heartbeatIntervalMs = Long.parseLong(value); break;
                    case "idleTimeoutMs": config.idleTimeoutMs = Long.parseLong(value); break;
                    case "busyTimeoutMs": config.busyTimeoutMs = Long.parseLong(value); break;
                    case "subscriberBufferBytes": config.subscriberBufferBytes = Integer.parseInt(value); break;
                    case "sessionPauseBytes": config.sessionPauseBytes = Integer.parseInt(value); break;
                    case "outputBufferBytes": config.outputBufferBytes = Integer.parseInt(value); break;
                    case "durability": config.durability = value; break;
                    case "waitMode": config.waitMode = value.toUpperCase(Locale.ROOT); break;
                    case "journalThread": config.journalThread = value.toLowerCase(Locale.ROOT); break;
                    case "snapshotEveryCommands": config.snapshotEveryCommands = Long.parseLong(value); break;
                    case "snapshotIntervalSeconds": config.snapshotIntervalSeconds = Long.parseLong(value); break;
                    case "expectedOrders": config.expectedOrders = Integer.parseInt(value); break;
                    case "expectedOrderIdLength": config.expectedOrderIdLength = Integer.parseInt(value); break;
                    case "availabilityEvents": config.availabilityEvents = parseBoolean(source, key, value); break;
                    case "journalWriteback": config.journalWriteback = parseBoolean(source, key, value); break;
                    case "journalReadAhead": config.journalReadAhead = parseBoolean(source, key, value); break;
                    case "engineCpu": config.engineCpu = Integer.parseInt(value); break;
                    case "statsIntervalSeconds": config.statsIntervalSeconds = Integer.parseInt(value); break;
                    case "metricsPort": config.metricsPort = Integer.parseInt(value); break;
                    case "metricsHost": config.metricsHost = value; break;
                    case "httpPort": config.httpPort = Integer.parseInt(value); break;
                    case "httpHost": config.httpHost = value; break;
                    case "httpThreads": config.httpThreads = Integer.parseInt(value); break;
                    case "httpStreams": config.httpStreams = Integer.parseInt(value); break;
                    case "rateLimit": config.rateLimit = Long.parseLong(value); break;
                    case "rateBurst": config.rateBurst = Long.parseLong(value); break;
                    default:
                        if (key.startsWith("client.") && (key.endsWith(".secret") || key.endsWith(".secretHash") || key.endsWith(".role") ||
                            key.endsWith(".rateLimit") || key.endsWith(".rateBurst")))
                        {
                            clientIds.add(Integer.parseInt(key.substring(7, key.lastIndexOf('.'))));
                        }
                        else
                        {
                            unknown.add(key);
                        }
                }
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(source + ": " + key + " is not a number: " + value);
            }
        }
        if (!unknown.isEmpty())
        {
            throw new IllegalArgumentException(source + ": unknown keys " + unknown);
        }
        if (!clientIds.isEmpty())
        {
            config.clients = new ClientRegistry();
            config.defaultCredentials = false;
            for (final int id : clientIds)
            {
                final String secret = p.getProperty("client." + id + ".secret");
                final String hash = p.getProperty("client." + id + ".secretHash");
                final String role = p.getProperty("client." + id + ".role", "ORDERS").trim().toUpperCase(Locale.ROOT);
                if (secret == null && hash == null)
                {
                    throw new IllegalArgumentException(source + ": client." + id + ".secret (or .secretHash) is missing");
                }
                if (secret != null && hash != null)
                {
                    throw new IllegalArgumentException(source + ": client." + id + " has both secret and secretHash; keep one");
                }
                try
                {
                    config.clients.add(hash != null
                        ? ClientRegistry.Client.hashed(id, SecretHash.parse(hash), Role.valueOf(role))
                        : new ClientRegistry.Client(id, secret.trim(), Role.valueOf(role)));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(source + ": client." + id + ": " + ex.getMessage());
                }
            }
        }
        config.clients = withRateLimits(config.clients, p, source, config.rateLimit, config.rateBurst);
        config.validate();
        return config;
    }

    /** Each client with its own rateLimit and rateBurst where the file gives them, the file-wide ones otherwise. */
    private static ClientRegistry withRateLimits(
        final ClientRegistry clients, final Properties p, final String source, final long rateLimit, final long rateBurst)
    {
        final ClientRegistry limited = new ClientRegistry();
        for (final ClientRegistry.Client client : clients.all())
        {
            final String prefix = "client." + client.id() + ".";
            try
            {
                final long perSecond = Long.parseLong(p.getProperty(prefix + "rateLimit", String.valueOf(rateLimit)).trim());
                final long burst = Long.parseLong(p.getProperty(prefix + "rateBurst", String.valueOf(rateBurst)).trim());
                limited.add(client.withRateLimit(new RateLimit(perSecond, burst)));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(source + ": client " + client.id() + ": " +
                    (ex instanceof NumberFormatException ? "rateLimit and rateBurst must be numbers" : ex.getMessage()));
            }
        }
        return limited;
    }

    public GatewayConfig validate()
    {
        check(port >= 0 && port <= 65535, "port must be 0..65535");
        check(maxConnections >= 1, "maxConnections must be at least 1");
        check(maxFrameLength >= 256 && maxFrameLength <= 16 << 20, "maxFrameLength must be 256..16777216");
        check(maxInFlight >= 1 && maxInFlight <= ClientLedger.WINDOW, "maxInFlight must be 1.." + ClientLedger.WINDOW +
            " (the engine answers resends from its last " + ClientLedger.WINDOW + " results per client)");
        check(heartbeatIntervalMs >= 10, "heartbeatIntervalMs must be at least 10");
        check(idleTimeoutMs > heartbeatIntervalMs, "idleTimeoutMs must be above heartbeatIntervalMs");
        check(busyTimeoutMs >= 0, "busyTimeoutMs must not be negative");
        check(subscriberBufferBytes >= 64 * 1024 && subscriberBufferBytes <= 256 << 20, "subscriberBufferBytes must be 65536..268435456");
        check(sessionPauseBytes >= 64 * 1024 && sessionPauseBytes <= 64 << 20, "sessionPauseBytes must be 65536..67108864");
        check(Integer.bitCount(outputBufferBytes) == 1 && outputBufferBytes >= 1 << 24, "outputBufferBytes must be a power of two >= 16777216");
        check(!clients.isEmpty(), "no clients configured");
        check(durability.equalsIgnoreCase("pagecache") || durability.equalsIgnoreCase("sync"), "durability must be pagecache or sync");
        check(java.util.Arrays.stream(io.mete.engine.runtime.WaitMode.values()).anyMatch(m -> m.name().equals(waitMode)),
            "waitMode must be BLOCKING, SLEEPING, YIELDING or BUSY_SPIN");
        check(journalThread.equals("auto") || journalThread.equals("separate") || journalThread.equals("engine"),
            "journalThread must be auto, separate or engine");
        check(engineCpu >= -1 && engineCpu < 4096, "engineCpu must be -1 (off) or a CPU number 0..4095");
        check(snapshotEveryCommands >= 0, "snapshotEveryCommands must not be negative");
        check(snapshotIntervalSeconds >= 0 && snapshotIntervalSeconds <= 7 * 86_400, "snapshotIntervalSeconds must be 0 (off)..604800");
        check(expectedOrders >= 1024, "expectedOrders must be at least 1024");
        check(statsIntervalSeconds >= 0 && statsIntervalSeconds <= 86_400, "statsIntervalSeconds must be 0 (off)..86400");
        check(metricsPort >= -1 && metricsPort <= 65535, "metricsPort must be -1 (off) or 0..65535");
        check(metricsPort < 0 || metricsPort != port || port == 0, "metricsPort must differ from port");
        check(httpPort >= -1 && httpPort <= 65535, "httpPort must be -1 (off) or 0..65535");
        check(httpPort <= 0 || (httpPort != port && httpPort != metricsPort), "httpPort must differ from port and metricsPort");
        check(httpThreads >= 1 && httpThreads <= 256, "httpThreads must be 1..256");
        check(httpStreams >= 0 && httpStreams <= 4096, "httpStreams must be 0..4096");
        check(expectedOrderIdLength >= 1 && expectedOrderIdLength <= 64, "expectedOrderIdLength must be 1..64");
        return this;
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
