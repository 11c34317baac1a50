package io.mete.engine.core;

import org.agrona.DirectBuffer;

/**
 * Receives every event the engine emits, in order, each a complete SBE message (header included).
 * The buffer is reused as soon as the call returns: an implementation that keeps an event copies it.
 */
@FunctionalInterface
public interface EventSink
{
    EventSink NONE = (buffer, offset, length) -> {};

    void onEvent(DirectBuffer buffer, int offset, int length);
}
