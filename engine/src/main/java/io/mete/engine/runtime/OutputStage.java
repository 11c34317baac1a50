package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;

import java.util.Arrays;

/**
 * Stage 3: appends each event (not query results) to the event journal, then hands every message
 * to the listeners (gateway sessions, subscribers, tests) in event order.
 * <p>
 * The journal writes the events of one command together, so messages are handed on once the
 * journal has written them: when the next command's events begin and at the end of each batch.
 * Until then they wait in their ring slots, which the output ring does not reuse before this
 * stage finishes the batch.
 */
final class OutputStage implements EventHandler<OutputSlot>
{
    private final EventJournal journal;
    private final RingBuffer<OutputSlot> ring;
    private OutputListener[] listeners = new OutputListener[0];
    /** First ring position not yet handed to the listeners. */
    private long undelivered = -1;
    private long journaledCommand = Long.MIN_VALUE;

    OutputStage(final EventJournal journal, final RingBuffer<OutputSlot> ring)
    {
        this.journal = journal;
        this.ring = ring;
    }

    void add(final OutputListener listener)
    {
        listeners = Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
    }

    @Override
    public void onEvent(final OutputSlot slot, final long position, final boolean endOfBatch)
    {
        if (journal == null)
        {
            deliver(slot, endOfBatch);
            return;
        }
        if (undelivered < 0)
        {
            undelivered = position;
        }
        if (slot.eventSequence > 0)
        {
            if (slot.commandSequence != journaledCommand && undelivered < position)
            {
                // the previous command's events are complete: write them, then show them
                journal.flush();
                deliverUpTo(position - 1, false);
            }
            journaledCommand = slot.commandSequence;
            journal.append(slot.eventSequence, slot.clientId, slot.commandSequence, slot.bytes, 0, slot.length);
        }
        if (endOfBatch)
        {
            journal.flush();
            deliverUpTo(position, true);
            journal.endOfBatch();
        }
    }

    private void deliverUpTo(final long last, final boolean endOfBatch)
    {
        for (long position = undelivered; position <= last; position++)
        {
            deliver(ring.get(position), endOfBatch && position == last);
        }
        undelivered = last + 1;
    }

    private void deliver(final OutputSlot slot, final boolean endOfBatch)
    {
        for (final OutputListener listener : listeners)
        {
            listener.onOutput(slot.eventSequence, slot.clientId, slot.commandSequence, slot.bytes, 0, slot.length, endOfBatch);
        }
    }

    @Override
    public void onShutdown()
    {
        if (journal != null)
        {
            journal.close();
        }
    }
}
