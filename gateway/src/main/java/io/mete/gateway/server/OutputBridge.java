package io.mete.gateway.server;

import io.mete.engine.core.ClientLedger;
import io.mete.engine.runtime.OutputListener;
import io.mete.gateway.protocol.Templates;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries the engine's output from its output thread to the gateway thread: each message the
 * gateway needs is copied, with its event sequence, client id and command sequence, into a ring
 * buffer the gateway thread drains. The gateway thread is woken at the end of a batch only, and
 * only when it sleeps, so a burst costs one wake-up.
 * <p>
 * Answers for clients with no session and events while nobody subscribes are not copied. When the
 * ring is full the output thread waits: the gateway thread never blocks, so it always drains.
 */
final class OutputBridge implements OutputListener
{
    static final int MSG_OUTPUT = 1;
    static final int EVENT_SEQUENCE = 0;
    static final int COMMAND_SEQUENCE = 8;
    static final int CLIENT_ID = 16;
    static final int ENVELOPE = 24;

    final RingBuffer ring;
    private final Selector selector;
    final AtomicBoolean sleeping = new AtomicBoolean();
    private final AtomicIntegerArray activeClients = new AtomicIntegerArray(ClientLedger.MAX_CLIENTS);
    private volatile boolean subscribers;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong lastEventSequence = new java.util.concurrent.atomic.AtomicLong(-1);
    private long waits;

    OutputBridge(final int capacity, final Selector selector)
    {
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        this.selector = selector;
    }

    void clientActive(final int clientId, final boolean active)
    {
        activeClients.set(clientId, active ? 1 : 0);
    }

    /** The gateway thread has stopped: copy nothing more (the engine must never wait for it). */
    void close()
    {
        closed = true;
    }

    void subscribersActive(final boolean active)
    {
        subscribers = active;
    }

    @Override
    public void onOutput(
        final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer, final int offset,
        final int length, final boolean endOfBatch)
    {
        if (closed)
        {
            return;
        }
        final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (eventSequence > 0)
        {
            lastEventSequence.lazySet(eventSequence);
        }
        final boolean wanted = subscribers ||
            (Templates.isAnswer(templateId) && clientId > 0 && clientId < ClientLedger.MAX_CLIENTS && activeClients.get(clientId) != 0);
        if (wanted)
        {
            int index;
            while ((index = ring.tryClaim(MSG_OUTPUT, ENVELOPE + length)) <= 0)
            {
                if (closed)
                {
                    return;
                }
                waits++;
                wake();
                LockSupport.parkNanos(20_000);
            }
            final org.agrona.concurrent.AtomicBuffer target = ring.buffer();
            target.putLong(index + EVENT_SEQUENCE, eventSequence);
            target.putLong(index + COMMAND_SEQUENCE, commandSequence);
            target.putInt(index + CLIENT_ID, clientId);
            target.putBytes(index + ENVELOPE, buffer, offset, length);
            ring.commit(index);
        }
        if (endOfBatch)
        {
            wake();
        }
    }

    private void wake()
    {
        VarHandle.fullFence();
        if (sleeping.get() && sleeping.compareAndSet(true, false))
        {
            selector.wakeup();
        }
    }

    /** The newest event sequence the engine published, copied or not (-1: none yet). */
    long lastEventSequence()
    {
        return lastEventSequence.get();
    }

    /** How often the output thread waited for room (the gateway thread fell behind). */
    long waits()
    {
        return waits;
    }
}
