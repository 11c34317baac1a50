package io.mete.engine.runtime;

import org.agrona.DirectBuffer;

/**
 * Receives the engine's output on the output thread, in event sequence order. Each message is a
 * complete SBE event or query result; {@code clientId} and {@code commandSequence} name the command
 * that caused it (clientId 0 for commands no client sent, for example time-driven work). Query
 * results are not part of the event stream: their {@code eventSequence} is 0 and their
 * {@code commandSequence} is the last command applied before them. The buffer is reused when the
 * call returns.
 */
@FunctionalInterface
public interface OutputListener
{
    void onOutput(long eventSequence, int clientId, long commandSequence, DirectBuffer buffer, int offset, int length, boolean endOfBatch);
}
