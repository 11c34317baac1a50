package io.mete.engine.runtime;

import org.agrona.DirectBuffer;

/**
 * A running engine as its callers see it (gateways, tests, benchmarks): commands go in through
 * {@link #offer}, every response and event comes out through the {@link OutputListener}s on the
 * output thread. How it is hosted (ring buffer, journal, replication) stays behind this interface.
 */
public interface EngineHost extends AutoCloseable
{
    /** {@link #offer} result: the input ring had no free slot; retry after backing off or answer BUSY. */
    long BACK_PRESSURED = -1;
    /** {@link #offer} result: the host is closing or closed. */
    long CLOSED = -2;

    /**
     * Copies one SBE command into the input ring; the host stamps it with the next global sequence
     * and a timestamp (queries take no sequence). Safe to call from several threads. {@code clientId}
     * 0 means "no client" (no duplicate detection); otherwise the command's correlation id is that
     * client's sequence. The command sequence arrives with the command's output
     * ({@link OutputListener}'s {@code commandSequence}).
     *
     * @return a non-negative number when the command was taken (the ring position, increasing per
     * offer), or {@link #BACK_PRESSURED} / {@link #CLOSED}
     */
    long offer(int clientId, DirectBuffer buffer, int offset, int length);

    /** Adds a consumer of every output message; call before {@code start}. */
    void addListener(OutputListener listener);

    /** Sequence of the last command applied to the state. */
    long lastAppliedSequence();

    @Override
    void close();
}
