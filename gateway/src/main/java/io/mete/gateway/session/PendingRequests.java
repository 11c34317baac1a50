package io.mete.gateway.session;

import java.util.Arrays;

/**
 * A session's unanswered requests in the order they were read. Answers leave in that order:
 * the engine answers its requests in order, and answers the gateway makes itself (BUSY,
 * SubscriptionStarted, SnapshotTaken, Logout) wait here until everything before them is out.
 * <p>
 * Each entry is an engine request (answered by the engine), the login query, or a local answer.
 * An engine answer that arrives while a local answer ahead of it is not ready yet is kept as a copy
 * in its entry until the head moves.
 */
public final class PendingRequests
{
    public static final byte ENGINE = 0;
    public static final byte LOGIN = 1;
    public static final byte LOCAL = 2;

    private long[] correlation;
    /** When each request was read ({@code System.nanoTime}), for the server's latency figures. */
    private long[] readNs;
    private byte[] kind;
    private Object[] attachment;
    private int mask;
    private long head;
    private long tail;
    private long nextEngine;

    public PendingRequests(final int expected)
    {
        final int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1);
        correlation = new long[capacity];
        readNs = new long[capacity];
        kind = new byte[capacity];
        attachment = new Object[capacity];
        mask = capacity - 1;
    }

    public int size()
    {
        return (int)(tail - head);
    }

    public boolean isEmpty()
    {
        return tail == head;
    }

    public void push(final long correlationId, final byte entryKind, final Object local, final long nowNs)
    {
        if (tail - head == correlation.length)
        {
            grow();
        }
        final int slot = (int)(tail & mask);
        correlation[slot] = correlationId;
        readNs[slot] = nowNs;
        kind[slot] = entryKind;
        attachment[slot] = local;
        tail++;
    }

    /**
     * Position of the oldest engine (or login) entry not answered yet, or -1 when there is none.
     * Engine answers arrive in request order, so the next answer belongs to this entry.
     */
    public long nextEngineEntry()
    {
        long at = Math.max(nextEngine, head);
        while (at < tail)
        {
            final int slot = (int)(at & mask);
            if (kind[slot] != LOCAL && attachment[slot] == null)
            {
                nextEngine = at;
                return at;
            }
            at++;
        }
        nextEngine = at;
        return -1;
    }

    public boolean isHead(final long position)
    {
        return position == head;
    }

    public long correlationAt(final long position)
    {
        return correlation[(int)(position & mask)];
    }

    /** The {@code nowNs} the entry was pushed with. */
    public long readNsAt(final long position)
    {
        return readNs[(int)(position & mask)];
    }

    public byte kindAt(final long position)
    {
        return kind[(int)(position & mask)];
    }

    /** Keeps an engine answer that cannot go out yet (a local answer ahead of it is not ready). */
    public void keepAnswer(final long position, final byte[] answer)
    {
        attachment[(int)(position & mask)] = answer;
        nextEngine = position + 1;
    }

    public long headCorrelation()
    {
        return correlation[(int)(head & mask)];
    }

    public byte headKind()
    {
        return kind[(int)(head & mask)];
    }

    /** The head's local answer or kept engine answer (byte[]), or null. */
    public Object headAttachment()
    {
        return attachment[(int)(head & mask)];
    }

    public void pop()
    {
        attachment[(int)(head & mask)] = null;
        head++;
    }

    public void clear()
    {
        Arrays.fill(attachment, null);
        head = tail = nextEngine = 0;
    }

    private void grow()
    {
        final int size = (int)(tail - head);
        final int capacity = correlation.length * 2;
        final long[] c = new long[capacity];
        final long[] r = new long[capacity];
        final byte[] k = new byte[capacity];
        final Object[] a = new Object[capacity];
        for (int i = 0; i < size; i++)
        {
            final int slot = (int)((head + i) & mask);
            c[i] = correlation[slot];
            r[i] = readNs[slot];
            k[i] = kind[slot];
            a[i] = attachment[slot];
        }
        nextEngine = Math.max(0, nextEngine - head);
        correlation = c;
        readNs = r;
        kind = k;
        attachment = a;
        mask = capacity - 1;
        head = 0;
        tail = size;
    }
}
