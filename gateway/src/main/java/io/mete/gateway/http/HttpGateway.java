package io.mete.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.json.JsonRequestEncoder;
import io.mete.gateway.json.JsonRequestException;
import io.mete.gateway.json.OpenApiDocument;
import io.mete.gateway.protocol.Framing;
import io.mete.gateway.protocol.Templates;
import io.mete.gateway.server.EventSource;
import io.mete.gateway.server.ServerLog;
import io.mete.journal.cli.MessageJson;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The HTTP/JSON door: for an OMS that would rather send JSON than generate SBE codecs, for
 * {@code curl} and for browsers. It translates each request into the same SBE command a TCP client
 * sends and passes it through the TCP gateway on a session per client id (see
 * {@link ClientConnections}), so logins, roles, client sequence numbers, rate limits and the
 * engine's duplicate detection work exactly as they do for TCP clients; answers come back as the
 * JSON {@code MessageJson} prints.
 * <pre>
 * POST /v1/messages                 {"type":"PlaceOrder", ...}: any command or query
 * POST /v1/messages/{Type}          the same with the type in the path
 * GET  /v1/orders/{orderId}         QueryOrder
 * GET  /v1/availability/{sku}       QueryAvailability
 * GET  /v1/nodes/{node}/load        QueryNodeLoad
 * GET  /v1/totals                   QueryTotals
 * GET  /v1/state-hash               QueryStateHash
 * GET  /v1/events?from=SEQ&amp;types=T,U  the event stream as Server-Sent Events (Last-Event-ID resumes)
 * GET  /v1/openapi.json             this API as an OpenAPI 3.1 document (no credentials needed)
 * </pre>
 * A command may carry {@code Mete-Client-Sequence: N}, the caller's own strictly increasing number
 * for it: a retry with the same number is answered with the original result and applied once.
 * <p>
 * Every other request authenticates with HTTP Basic: the client id as user name, its secret as password.
 * Status codes: 200 accepted or answered, 422 rejected by the engine (the body says why, with the
 * reason code), 400 a request that is not a valid message (the body names the member), 401 no or
 * wrong credentials, 403 outside the client's role, 404/405 no such resource or method, 413 too
 * large, 503 the engine is busy or cannot be reached, 504 no answer in time.
 * <p>
 * Requests are read and answered on a small pool of threads, none of which waits for the engine;
 * each event stream has a thread of its own, up to a limit.
 */
public final class HttpGateway implements AutoCloseable
{
    /** Where to listen and how much to take on. */
    public record Settings(String host, int port, int threads, int maxStreams, int maxFrameLength, long requestTimeoutMs, long keepAliveMs)
    {
        public Settings
        {
            if (threads < 1 || maxStreams < 0 || maxFrameLength < 256 || requestTimeoutMs < 1 || keepAliveMs < 1)
            {
                throw new IllegalArgumentException("HTTP gateway settings out of range: " + this);
            }
        }

        public static Settings of(final String host, final int port)
        {
            return new Settings(host, port, 4, 16, Framing.DEFAULT_MAX_FRAME_LENGTH, 30_000, 15_000);
        }
    }

    private static final String JSON = "application/json";
    private static final String CLIENT_SEQUENCE = "Mete-Client-Sequence";

    private final Settings settings;
    private final EventSource events;
    private final LongSupplier lastEventSequence;
    private final ClientConnections connections;
    private final JsonRequestEncoder encoder = new JsonRequestEncoder();
    private final ThreadLocal<MessageJson> printer = ThreadLocal.withInitial(MessageJson::new);
    private final String openApi;
    private final HttpServer server;
    private final ExecutorService requestThreads;
    private final ExecutorService streamThreads;
    private final Semaphore streamPermits;
    private final AtomicInteger streams = new AtomicInteger();
    /** Responses sent, by status code. */
    private final java.util.concurrent.atomic.AtomicLongArray responses = new java.util.concurrent.atomic.AtomicLongArray(600);
    private final java.util.concurrent.atomic.AtomicLong eventsStreamed = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running = true;

    /**
     * @param engine            the TCP gateway requests go through
     * @param events            the event journal, or null for no event streams
     * @param lastEventSequence the newest event's sequence (where a stream without a start begins)
     */
    public HttpGateway(final Settings settings, final InetSocketAddress engine, final EventSource events, final LongSupplier lastEventSequence)
        throws IOException
    {
        this.settings = settings;
        this.events = events;
        this.lastEventSequence = lastEventSequence;
        connections = new ClientConnections(engine.getHostString(), engine.getPort(), settings.requestTimeoutMs());
        final String version = HttpGateway.class.getPackage().getImplementationVersion();
        openApi = OpenApiDocument.create(version == null ? "unversioned build" : version).toPrettyString() + "\n";
        requestThreads = Executors.newFixedThreadPool(settings.threads(), daemon("mete-http-"));
        streamThreads = Executors.newCachedThreadPool(daemon("mete-http-events-"));
        streamPermits = new Semaphore(settings.maxStreams());
        server = HttpServers.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        server.setExecutor(requestThreads);
        server.createContext("/v1/", this::handle);
        server.createContext("/", exchange -> error(exchange, 404, "NOT_FOUND", "no resource " + exchange.getRequestURI().getPath() +
            "; the API is under /v1/"));
        server.start();
    }

    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /** Event streams open now. */
    public int openStreams()
    {
        return streams.get();
    }

    /** Responses sent with this status code since start (event streams count when they start). */
    public long responses(final int status)
    {
        return status >= 0 && status < responses.length() ? responses.get(status) : 0;
    }

    /** Status codes with at least one response, ascending. */
    public int[] statuses()
    {
        return java.util.stream.IntStream.range(0, responses.length()).filter(status -> responses.get(status) > 0).toArray();
    }

    /** Events written to event streams since start. */
    public long eventsStreamed()
    {
        return eventsStreamed.get();
    }

    /** Client ids with a session of their own through the TCP gateway now. */
    public int clientSessions()
    {
        return connections.size();
    }

    @Override
    public void close()
    {
        running = false;
        server.stop(0);
        connections.close();
        requestThreads.shutdownNow();
        streamThreads.shutdownNow();
        try
        {
            streamThreads.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    // ====================================================================== routing

    private void handle(final HttpExchange exchange) throws IOException
    {
        try
        {
            route(exchange, segments(exchange.getRequestURI().getRawPath()));
        }
        catch (final JsonRequestException ex)
        {
            error(exchange, 400, "BAD_REQUEST", ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            ServerLog.warn("http-error", "path", exchange.getRequestURI().getPath(), "detail", ex.toString());
            error(exchange, 500, "INTERNAL", ex.toString());
        }
    }

    private void route(final HttpExchange exchange, final String[] path) throws IOException
    {
        // path[0] is "v1"
        final String resource = path.length > 1 ? path[1] : "";
        switch (resource)
        {
            case "messages":
                if (path.length == 2 || path.length == 3)
                {
                    if (allow(exchange, "POST"))
                    {
                        post(exchange, path.length == 3 ? path[2] : null);
                    }
                    return;
                }
                break;
            case "orders":
                if (at(exchange, path, 3, "GET"))
                {
                    query(exchange, "QueryOrder", "orderId", path[2]);
                }
                return;
            case "availability":
                if (at(exchange, path, 3, "GET"))
                {
                    query(exchange, "QueryAvailability", "sku", path[2]);
                }
                return;
            case "nodes":
                if (path.length == 4 && !"load".equals(path[3]))
                {
                    break;
                }
                if (at(exchange, path, 4, "GET"))
                {
                    query(exchange, "QueryNodeLoad", "node", path[2]);
                }
                return;
            case "totals":
                if (at(exchange, path, 2, "GET"))
                {
                    query(exchange, "QueryTotals", null, null);
                }
                return;
            case "state-hash":
                if (at(exchange, path, 2, "GET"))
                {
                    query(exchange, "QueryStateHash", null, null);
                }
                return;
            case "openapi.json":
                if (at(exchange, path, 2, "GET"))
                {
                    // the contract is public: no credentials needed to read it
                    respond(exchange, 200, openApi);
                }
                return;
            case "events":
                if (at(exchange, path, 2, "GET"))
                {
                    events(exchange);
                }
                return;
            default:
                break;
        }
        notFound(exchange);
    }

    /** Whether the path has {@code length} segments and the method is {@code method}; answers 404 or 405 when not. */
    private boolean at(final HttpExchange exchange, final String[] path, final int length, final String method) throws IOException
    {
        if (path.length != length)
        {
            notFound(exchange);
            return false;
        }
        return allow(exchange, method);
    }

    private boolean allow(final HttpExchange exchange, final String allowed) throws IOException
    {
        final String method = exchange.getRequestMethod();
        if (allowed.equals(method))
        {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", allowed);
        error(exchange, 405, "METHOD_NOT_ALLOWED", exchange.getRequestURI().getPath() + " takes " + allowed + ", not " + method);
        return false;
    }

    private void notFound(final HttpExchange exchange) throws IOException
    {
        error(exchange, 404, "NOT_FOUND", "no resource " + exchange.getRequestURI().getPath());
    }

    // ====================================================================== requests

    private void post(final HttpExchange exchange, final String pathType) throws IOException
    {
        final MeteClient client = login(exchange);
        if (client == null)
        {
            return;
        }
        final byte[] body = readBody(exchange, settings.maxFrameLength() * 8);
        if (body == null)
        {
            return;
        }
        final JsonNode json = encoder.parse(new String(body, StandardCharsets.UTF_8));
        final String type;
        if (pathType != null)
        {
            type = pathType;
        }
        else
        {
            final JsonNode named = json.get("type");
            if (named == null || !named.isTextual())
            {
                throw new JsonRequestException("\"type\" must name the message, e.g. \"PlaceOrder\" (or POST to /v1/messages/PlaceOrder)");
            }
            type = named.asText();
        }
        send(exchange, client, type, json);
    }

    private void query(final HttpExchange exchange, final String type, final String member, final String value) throws IOException
    {
        final MeteClient client = login(exchange);
        if (client == null)
        {
            return;
        }
        final ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (member != null)
        {
            json.put(member, value);
        }
        send(exchange, client, type, json);
    }

    private void send(final HttpExchange exchange, final MeteClient client, final String type, final JsonNode json) throws IOException
    {
        final byte[] message = encoder.encode(type, json);
        final int templateId = new UnsafeBuffer(message).getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (!Templates.isRelayedRequest(templateId))
        {
            throw new JsonRequestException(type + " is not a command or query; the session layer (login, heartbeats, " +
                "subscriptions) is HTTP's own, and events come from GET /v1/events");
        }
        if (!Templates.permits(client.role(), templateId))
        {
            error(exchange, 403, "FORBIDDEN", "role " + client.role() + " may not send " + type);
            return;
        }
        if (Framing.HEADER_LENGTH + message.length > settings.maxFrameLength())
        {
            error(exchange, 413, "TOO_LARGE", type + " encodes to " + message.length + " bytes; the server takes at most " +
                (settings.maxFrameLength() - Framing.HEADER_LENGTH));
            return;
        }
        final long clientSequence = clientSequence(exchange, templateId);
        // answered when the engine's answer comes, on a request thread again: no thread waits for the
        // engine, so a client held back (its rate limit, a full ring) holds up no other client's requests
        final CompletableFuture<Reply> answer = clientSequence < 0
            ? client.send(new UnsafeBuffer(message), 0, message.length)
            : client.sendAs(clientSequence, new UnsafeBuffer(message), 0, message.length);
        answer.orTimeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
            .whenCompleteAsync((reply, failure) -> answer(exchange, reply, failure), requestThreads);
    }

    private void answer(final HttpExchange exchange, final Reply reply, final Throwable failure)
    {
        try
        {
            if (failure == null)
            {
                final byte[] answer = reply.bytes();
                respond(exchange, reply.isRejected() ? 422 : 200, printer.get().toJson(new UnsafeBuffer(answer), 0, answer.length) + "\n");
                return;
            }
            final Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            if (cause instanceof java.util.concurrent.TimeoutException)
            {
                error(exchange, 504, "TIMEOUT", "no answer within " + settings.requestTimeoutMs() + " ms");
                return;
            }
            exchange.getResponseHeaders().set("Retry-After", "1");
            error(exchange, 503, "UNAVAILABLE", String.valueOf(cause.getMessage()));
        }
        catch (final IOException | RuntimeException ex)
        {
            // the client went away, or the server is closing
            exchange.close();
        }
    }

    /**
     * {@code Mete-Client-Sequence: N} on a command: the caller numbers its commands itself, strictly
     * increasing per client id, so a retry with the same number is answered as a duplicate with the
     * original result and applied once (the engine's ledger, as for TCP clients). -1 without it, or
     * on a query (queries change nothing and are never duplicates).
     */
    private static long clientSequence(final HttpExchange exchange, final int templateId)
    {
        final String header = exchange.getRequestHeaders().getFirst(CLIENT_SEQUENCE);
        if (header == null || !Templates.isCommand(templateId))
        {
            return -1;
        }
        try
        {
            final long sequence = Long.parseLong(header.trim());
            if (sequence >= 0)
            {
                return sequence;
            }
        }
        catch (final NumberFormatException ex)
        {
            // answered below
        }
        throw new JsonRequestException(CLIENT_SEQUENCE + " must be a whole number from 0 up, not " + header);
    }

    // ====================================================================== events

    private void events(final HttpExchange exchange) throws IOException
    {
        if (events == null)
        {
            error(exchange, 404, "NOT_FOUND", "this gateway serves no event stream");
            return;
        }
        if (login(exchange) == null)
        {
            return;
        }
        final long from;
        try
        {
            from = startSequence(exchange);
        }
        catch (final NumberFormatException ex)
        {
            error(exchange, 400, "BAD_REQUEST", "from and Last-Event-ID must be event sequence numbers: " + ex.getMessage());
            return;
        }
        final java.util.BitSet types = eventTypes(parameters(exchange.getRequestURI().getRawQuery()).get("types"));
        if (!streamPermits.tryAcquire())
        {
            exchange.getResponseHeaders().set("Retry-After", "5");
            error(exchange, 503, "TOO_MANY_STREAMS", "at most " + settings.maxStreams() + " event streams at a time");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        responses.incrementAndGet(200);
        streams.incrementAndGet();
        // the stream outlives this handler: it answers on its own thread and closes the exchange when it ends
        streamThreads.execute(new EventStream(exchange, events, from, types, settings.keepAliveMs(), eventsStreamed, () -> running, () ->
        {
            streams.decrementAndGet();
            streamPermits.release();
        }));
    }

    /** {@code ?types=OrderAllocated,Shipped}: those events' template ids; null (every event) without the parameter. */
    private java.util.BitSet eventTypes(final String names)
    {
        return names == null || names.isBlank() ? null : encoder.eventTypes(java.util.List.of(names.split(",")));
    }

    /** {@code Last-Event-ID: N} resumes at N + 1; else {@code ?from=N}; else the next event from now. */
    private long startSequence(final HttpExchange exchange)
    {
        final String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank())
        {
            return Math.max(0, Long.parseLong(lastEventId.trim()) + 1);
        }
        final String from = parameters(exchange.getRequestURI().getRawQuery()).get("from");
        if (from != null)
        {
            final long sequence = Long.parseLong(from);
            if (sequence >= 0)
            {
                return sequence;
            }
        }
        return lastEventSequence.getAsLong() + 1;
    }

    // ====================================================================== plumbing

    /** The client's session, or null after answering 401 or 503. */
    private MeteClient login(final HttpExchange exchange) throws IOException
    {
        final String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        int clientId = -1;
        String secret = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6))
        {
            try
            {
                final String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                final int colon = pair.indexOf(':');
                if (colon > 0)
                {
                    clientId = Integer.parseInt(pair.substring(0, colon));
                    secret = pair.substring(colon + 1);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                clientId = -1;
            }
        }
        if (clientId < 1 || secret == null || secret.isEmpty())
        {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"mete\"");
            error(exchange, 401, "UNAUTHORIZED", "HTTP Basic credentials required: the client id as user name, its secret as password");
            return null;
        }
        try
        {
            return connections.client(clientId, secret);
        }
        catch (final ClientConnections.RefusedException ex)
        {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"mete\"");
            error(exchange, 401, "UNAUTHORIZED", ex.getMessage());
            return null;
        }
        catch (final IOException ex)
        {
            exchange.getResponseHeaders().set("Retry-After", "1");
            error(exchange, 503, "UNAVAILABLE", "the engine cannot be reached: " + ex.getMessage());
            return null;
        }
    }

    /** The request body, or null after answering 413 when it is longer than {@code limit}. */
    private byte[] readBody(final HttpExchange exchange, final int limit) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final byte[] chunk = new byte[8192];
        try (InputStream in = exchange.getRequestBody())
        {
            int read;
            while ((read = in.read(chunk)) > 0)
            {
                if (body.size() + read > limit)
                {
                    error(exchange, 413, "TOO_LARGE", "request bodies are at most " + limit + " bytes");
                    return null;
                }
                body.write(chunk, 0, read);
            }
        }
        return body.toByteArray();
    }

    private void error(final HttpExchange exchange, final int status, final String error, final String text) throws IOException
    {
        final ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", error);
        body.put("status", status);
        body.put("text", text);
        respond(exchange, status, body + "\n");
    }

    private void respond(final HttpExchange exchange, final int status, final String json) throws IOException
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(status, bytes.length);
        responses.incrementAndGet(status);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    /** The path's segments, percent-decoded one by one (so an order id may hold an encoded "/"). */
    static String[] segments(final String rawPath)
    {
        final String[] raw = rawPath.replaceAll("^/+|/+$", "").split("/+");
        final String[] decoded = new String[raw.length];
        for (int i = 0; i < raw.length; i++)
        {
            decoded[i] = percentDecode(raw[i]);
        }
        return decoded;
    }

    private static Map<String, String> parameters(final String rawQuery)
    {
        final Map<String, String> parameters = new TreeMap<>();
        if (rawQuery != null)
        {
            for (final String pair : rawQuery.split("&"))
            {
                final int equals = pair.indexOf('=');
                if (equals > 0)
                {
                    parameters.put(percentDecode(pair.substring(0, equals)), percentDecode(pair.substring(equals + 1)));
                }
            }
        }
        return parameters;
    }

    private static String percentDecode(final String text)
    {
        if (text.indexOf('%') < 0)
        {
            return text;
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '%')
            {
                final int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                final int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0)
                {
                    throw new JsonRequestException("malformed percent-encoding in " + text);
                }
                bytes.write(high * 16 + low);
                i += 2;
            }
            else
            {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static ThreadFactory daemon(final String prefix)
    {
        final AtomicInteger count = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
