package io.mete.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import io.mete.gateway.server.EventSource;
import io.mete.journal.cli.MessageJson;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One {@code GET /v1/events} stream in the Server-Sent Events format, read from the event journal
 * on a thread of its own: each event is
 * <pre>
 * id: 1042
 * event: OrderAllocated
 * data: {"eventSequence":1042,"commandSequence":977,"clientId":2,"message":{"type":"OrderAllocated",...}}
 * </pre>
 * so a client that reconnects with {@code Last-Event-ID: 1042} (what browsers' EventSource do by
 * themselves) carries on at 1043. With {@code ?types=...} only those events are sent; the ids stay
 * the event sequence, so a resumed stream skips nothing it asked for. The stream reads the journal at the pace the client takes it:
 * a slow reader holds back only itself. A comment line goes out after a quiet spell, which also
 * finds clients that went away.
 */
final class EventStream implements Runnable
{
    private static final int BATCH = 256;
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final HttpExchange exchange;
    private final EventSource source;
    private final long fromSequence;
    private final long keepAliveNs;
    private final BooleanSupplier running;
    private final Runnable onEnd;
    /** Template ids to send, or null for every event. */
    private final java.util.BitSet types;
    private final java.util.concurrent.atomic.AtomicLong sent;
    private final MessageJson json = new MessageJson();
    private final StringBuilder text = new StringBuilder(512);
    private OutputStream out;

    EventStream(
        final HttpExchange exchange, final EventSource source, final long fromSequence, final java.util.BitSet types,
        final long keepAliveMs, final java.util.concurrent.atomic.AtomicLong sent, final BooleanSupplier running, final Runnable onEnd)
    {
        this.sent = sent;
        this.exchange = exchange;
        this.types = types;
        this.source = source;
        this.fromSequence = fromSequence;
        this.keepAliveNs = TimeUnit.MILLISECONDS.toNanos(keepAliveMs);
        this.running = running;
        this.onEnd = onEnd;
    }

    @Override
    public void run()
    {
        try (OutputStream body = exchange.getResponseBody(); EventSource.Reader reader = source.open(fromSequence))
        {
            out = body;
            write(": events from " + fromSequence + "\n\n");
            long lastWriteNs = System.nanoTime();
            while (running.getAsBoolean())
            {
                if (reader.read(this::onEvent, BATCH) > 0)
                {
                    out.flush();
                    lastWriteNs = System.nanoTime();
                    continue;
                }
                if (System.nanoTime() - lastWriteNs >= keepAliveNs)
                {
                    write(": keep-alive\n\n");
                    lastWriteNs = System.nanoTime();
                }
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // the client went away
        }
        finally
        {
            exchange.close();
            onEnd.run();
        }
    }

    private void onEvent(
        final long eventSequence, final int clientId, final long commandSequence, final org.agrona.DirectBuffer buffer,
        final int offset, final int length, final boolean endOfBatch)
    {
        if (types != null && (length < 4 || !types.get(buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF)))
        {
            return;
        }
        final String message = json.toJson(buffer, offset, length);
        text.setLength(0);
        text.append("id: ").append(eventSequence).append('\n')
            .append("event: ").append(type(message)).append('\n')
            .append("data: {\"eventSequence\":").append(eventSequence)
            .append(",\"commandSequence\":").append(commandSequence)
            .append(",\"clientId\":").append(clientId)
            .append(",\"message\":").append(message).append("}\n\n");
        try
        {
            out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
            sent.incrementAndGet();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void write(final String line) throws IOException
    {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** MessageJson puts the type first: {"type":"OrderAllocated",...}. */
    private static String type(final String message)
    {
        final int start = message.indexOf(":\"") + 2;
        return message.substring(start, message.indexOf('"', start));
    }
}
