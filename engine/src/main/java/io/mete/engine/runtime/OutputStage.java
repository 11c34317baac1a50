package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;

import java.util.Arrays;

/**
 * Stage 3: appends each event (not query results) to the event journal, then hands every message
 * to the listeners (gateway sessions, subscribers, tests) in event order.
 */
final class OutputStage implements EventHandler<OutputSlot>
{
    private final EventJournal journal;
    private OutputListener[] listeners = new OutputListener[0];

    OutputStage(final EventJournal journal)
    {
        this.journal = journal;
    }

    void add(final OutputListener listener)
    {
        listeners = Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
    }

    @Override
    public void onEvent(final OutputSlot slot, final long position, final boolean endOfBatch)
    {
        if (journal != null && slot.eventSequence > 0)
        {
            journal.append(slot.eventSequence, slot.clientId, slot.commandSequence, slot.bytes, 0, slot.length);
        }
        for (final OutputListener listener : listeners)
        {
            listener.onOutput(slot.eventSequence, slot.clientId, slot.commandSequence, slot.bytes, 0, slot.length, endOfBatch);
        }
        if (endOfBatch && journal != null)
        {
            journal.endOfBatch();
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
