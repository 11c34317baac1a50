package io.mete.gateway.session;

import io.mete.gateway.protocol.Framing;
import io.mete.schema.Role;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection as the gateway thread sees it: the bytes read and not yet framed, the
 * answers and events framed and not yet written, the unanswered requests, the login, and the
 * event subscription. Only the gateway thread touches a session.
 */
public final class Session
{
    /** Connected, no login yet: only Login is allowed. */
    public static final int CONNECTED = 0;
    /** Logged in (the LoginAccepted may still be on its way). */
    public static final int ACTIVE = 1;
    /** Not reading any more; waits for every earlier request to be answered, then sends its last message. */
    public static final int DRAINING = 2;
    /** The last message is queued; the connection closes once the queue is written. */
    public static final int CLOSING = 3;
    public static final int CLOSED = 4;

    public static final int NOT_SUBSCRIBED = 0;
    /** Reading the event journal until it reaches the live stream. */
    public static final int CATCHING_UP = 1;
    public static final int LIVE = 2;

    private static final int MAX_OUTBOUND = 1 << 30;

    public final long connectionId;
    public final SocketChannel channel;
    public final String remote;
    public SelectionKey key;
    public int state = CONNECTED;

    public int clientId;
    public Role role;
    public boolean loginQueryPending;

    public final ByteBuffer in;
    public final UnsafeBuffer inView;
    public int inStart;

    private ByteBuffer out;
    public final UnsafeBuffer outView = new UnsafeBuffer(0, 0);
    private int outStart;
    private int outEnd;

    public final PendingRequests pending;

    public long lastReceivedNs;
    public long lastSentNs;
    public long stateSinceNs;
    public long pausedSinceNs;
    public boolean inPausedList;
    public boolean readPaused;
    public boolean dirty;
    public int interestOps = -1;
    /** After a BUSY answer to this correlation id, later requests are answered BUSY until it is sent again. */
    public long busyBarrier = -1;
    public boolean busy;
    /** The client's rate limit, or null when it has none. */
    public RateLimiter limiter;
    /** Not read because the client is over its rate limit (counted once per spell). */
    public boolean rateLimited;
    /** Message written once every earlier request is answered (DRAINING); null when none. */
    public byte[] finalMessage;

    public int subscription = NOT_SUBSCRIBED;
    public long nextEvent = -1;
    public Object journalReader;

    public Session(final long connectionId, final SocketChannel channel, final String remote, final int maxFrameLength,
        final int maxInFlight, final long nowNs)
    {
        this.connectionId = connectionId;
        this.channel = channel;
        this.remote = remote;
        this.in = ByteBuffer.allocateDirect(maxFrameLength);
        this.inView = new UnsafeBuffer(in);
        this.out = ByteBuffer.allocateDirect(64 * 1024);
        this.outView.wrap(out);
        this.pending = new PendingRequests(Math.min(maxInFlight + 8, 1 << 16));
        this.lastReceivedNs = nowNs;
        this.lastSentNs = nowNs;
        this.stateSinceNs = nowNs;
    }

    /**
     * Makes room for a message of at most {@code maxLength} bytes and returns the offset in
     * {@link #outView} where it goes (the framing header comes before it); finish with {@link #commit}.
     */
    public int claim(final int maxLength)
    {
        final int need = Framing.HEADER_LENGTH + maxLength;
        if (outEnd + need > out.capacity())
        {
            makeRoom(need);
        }
        return outEnd + Framing.HEADER_LENGTH;
    }

    /** Frames the message claimed last, now that its length is known. */
    public void commit(final int messageLength)
    {
        Framing.writeHeader(outView, outEnd, messageLength);
        outEnd += Framing.HEADER_LENGTH + messageLength;
    }

    public void append(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final int at = claim(length);
        outView.putBytes(at, buffer, offset, length);
        commit(length);
    }

    public void append(final byte[] message)
    {
        final int at = claim(message.length);
        outView.putBytes(at, message);
        commit(message.length);
    }

    /** Bytes framed and not yet written to the socket. */
    public int unsent()
    {
        return outEnd - outStart;
    }

    /** Writes what the socket takes now; true when nothing is left. */
    public boolean flush(final long nowNs) throws IOException
    {
        if (outEnd == outStart)
        {
            return true;
        }
        out.limit(outEnd).position(outStart);
        final int written = channel.write(out);
        out.clear();
        if (written > 0)
        {
            lastSentNs = nowNs;
        }
        outStart += written;
        if (outStart == outEnd)
        {
            outStart = outEnd = 0;
            return true;
        }
        return false;
    }

    /** Drops everything queued (the connection is going away without a goodbye). */
    public void discardOutbound()
    {
        outStart = outEnd = 0;
    }

    private void makeRoom(final int need)
    {
        final int unsent = outEnd - outStart;
        if (unsent + need <= out.capacity() && outStart > 0)
        {
            outView.putBytes(0, outView, outStart, unsent);
            outStart = 0;
            outEnd = unsent;
            return;
        }
        long capacity = out.capacity();
        while (capacity < (long)unsent + need)
        {
            capacity *= 2;
        }
        if (capacity > MAX_OUTBOUND)
        {
            throw new IllegalStateException("outbound buffer above " + MAX_OUTBOUND + " bytes");
        }
        final ByteBuffer bigger = ByteBuffer.allocateDirect((int)capacity);
        final UnsafeBuffer view = new UnsafeBuffer(bigger);
        view.putBytes(0, outView, outStart, unsent);
        out = bigger;
        outView.wrap(bigger);
        outStart = 0;
        outEnd = unsent;
    }

    public boolean isLoggedIn()
    {
        return role != null;
    }

    @Override
    public String toString()
    {
        return "session " + connectionId + " (" + remote + (clientId != 0 ? ", client " + clientId : "") + ")";
    }
}
