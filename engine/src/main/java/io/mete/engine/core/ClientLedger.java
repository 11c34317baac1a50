package io.mete.engine.core;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per client id: the highest client sequence applied and the results of the last {@link #WINDOW}
 * commands. Part of the engine's state (so it is journaled, replayed and snapshotted): a resend
 * after a reconnect is recognised on replay exactly as it was live.
 * <p>
 * Client id 0 means "no client": tools and tests that apply commands directly skip the ledger.
 */
public final class ClientLedger
{
    public static final int WINDOW = 1024;
    public static final int MAX_CLIENTS = 4096;
    public static final long NONE = -1;

    private long[] lastApplied = new long[16];
    private long[][] windowClientSequence = new long[16][];
    private long[][] windowCommandSequence = new long[16][];
    private short[][] windowReason = new short[16][];

    public ClientLedger()
    {
        Arrays.fill(lastApplied, NONE);
    }

    /** Highest client sequence applied for the client, or {@link #NONE}. */
    public long lastApplied(final int clientId)
    {
        return clientId < lastApplied.length ? lastApplied[clientId] : NONE;
    }

    /** True when the command was applied before (or is older than anything applied). */
    public boolean isDuplicate(final int clientId, final long clientSequence)
    {
        return clientSequence <= lastApplied(clientId);
    }

    /** Slot of an earlier result still in the window, or -1 when it has been forgotten. */
    public int find(final int clientId, final long clientSequence)
    {
        if (clientId >= windowClientSequence.length || windowClientSequence[clientId] == null)
        {
            return -1;
        }
        final int slot = (int)(clientSequence & (WINDOW - 1));
        return windowClientSequence[clientId][slot] == clientSequence ? slot : -1;
    }

    public long commandSequence(final int clientId, final int slot)
    {
        return windowCommandSequence[clientId][slot];
    }

    /** Reject reason code of the original result; 0 (NONE) when it was accepted. */
    public int reason(final int clientId, final int slot)
    {
        return windowReason[clientId][slot];
    }

    public void record(final int clientId, final long clientSequence, final long commandSequence, final int reason)
    {
        ensure(clientId);
        lastApplied[clientId] = Math.max(lastApplied[clientId], clientSequence);
        final int slot = (int)(clientSequence & (WINDOW - 1));
        windowClientSequence[clientId][slot] = clientSequence;
        windowCommandSequence[clientId][slot] = commandSequence;
        windowReason[clientId][slot] = (short)reason;
    }

    public int clientCapacity()
    {
        return lastApplied.length;
    }

    /** Raw window arrays of a client (null when the client never sent), for hashing and snapshots. */
    public long[] windowClientSequences(final int clientId)
    {
        return clientId < windowClientSequence.length ? windowClientSequence[clientId] : null;
    }

    public long[] windowCommandSequences(final int clientId)
    {
        return clientId < windowCommandSequence.length ? windowCommandSequence[clientId] : null;
    }

    public short[] windowReasons(final int clientId)
    {
        return clientId < windowReason.length ? windowReason[clientId] : null;
    }

    /** Restores one client's ledger (snapshots). */
    public void restore(final int clientId, final long last, final long[] clientSequences, final long[] commandSequences, final short[] reasons)
    {
        ensure(clientId);
        lastApplied[clientId] = last;
        System.arraycopy(clientSequences, 0, windowClientSequence[clientId], 0, WINDOW);
        System.arraycopy(commandSequences, 0, windowCommandSequence[clientId], 0, WINDOW);
        System.arraycopy(reasons, 0, windowReason[clientId], 0, WINDOW);
    }

    /** Writes every client that has sent a command: id, last applied, and its result window (snapshots). */
    public void writeTo(final DataOutput out) throws IOException
    {
        int clients = 0;
        for (int client = 0; client < windowClientSequence.length; client++)
        {
            clients += windowClientSequence[client] == null ? 0 : 1;
        }
        out.writeInt(clients);
        for (int client = 0; client < windowClientSequence.length; client++)
        {
            if (windowClientSequence[client] != null)
            {
                out.writeInt(client);
                out.writeLong(lastApplied[client]);
                SnapshotIo.writeLongs(out, windowClientSequence[client], 0, WINDOW);
                SnapshotIo.writeLongs(out, windowCommandSequence[client], 0, WINDOW);
                SnapshotIo.writeShorts(out, windowReason[client], 0, WINDOW);
            }
        }
    }

    /** Restores the clients {@link #writeTo} wrote, into a ledger that has recorded nothing. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int clients = SnapshotIo.readCount(in, MAX_CLIENTS, "ledger client");
        final long[] clientSequences = new long[WINDOW];
        final long[] commandSequences = new long[WINDOW];
        final short[] reasons = new short[WINDOW];
        for (int i = 0; i < clients; i++)
        {
            final int client = SnapshotIo.readCount(in, MAX_CLIENTS - 1, "ledger client id");
            final long last = in.readLong();
            SnapshotIo.readLongs(in, clientSequences, 0, WINDOW);
            SnapshotIo.readLongs(in, commandSequences, 0, WINDOW);
            SnapshotIo.readShorts(in, reasons, 0, WINDOW);
            restore(client, last, clientSequences, commandSequences, reasons);
        }
    }

    private void ensure(final int clientId)
    {
        if (clientId >= lastApplied.length)
        {
            final int old = lastApplied.length;
            final int capacity = Math.max(clientId + 1, old * 2);
            lastApplied = Arrays.copyOf(lastApplied, capacity);
            Arrays.fill(lastApplied, old, capacity, NONE);
            windowClientSequence = Arrays.copyOf(windowClientSequence, capacity);
            windowCommandSequence = Arrays.copyOf(windowCommandSequence, capacity);
            windowReason = Arrays.copyOf(windowReason, capacity);
        }
        if (windowClientSequence[clientId] == null)
        {
            windowClientSequence[clientId] = new long[WINDOW];
            Arrays.fill(windowClientSequence[clientId], NONE);
            windowCommandSequence[clientId] = new long[WINDOW];
            windowReason[clientId] = new short[WINDOW];
        }
    }
}
