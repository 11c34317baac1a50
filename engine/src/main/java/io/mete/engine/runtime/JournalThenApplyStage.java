package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;

/**
 * Stages 1 and 2 on one thread: journals each batch the ring hands over, flushes it, then applies
 * it. Write-ahead holds as with a thread per stage (nothing is applied before its batch is
 * written), but a batch costs no hand-over between threads: on a machine with fewer cores than
 * busy threads each hand-over is a wake-up, a system call on both sides and a wait for a core.
 * The slots of the batch stay the stage's own until it returns from the batch's last one (the
 * ring's producers are gated on the sequence the processor sets after the batch), so they can be
 * read again after the flush.
 */
final class JournalThenApplyStage implements EventHandler<CommandSlot>
{
    private final JournalStage journal;
    private final BusinessLogicStage logic;
    private final RingBuffer<CommandSlot> ring;
    private long batchStart = -1;

    JournalThenApplyStage(final JournalStage journal, final BusinessLogicStage logic, final RingBuffer<CommandSlot> ring)
    {
        this.journal = journal;
        this.logic = logic;
        this.ring = ring;
    }

    @Override
    public void onEvent(final CommandSlot slot, final long position, final boolean endOfBatch)
    {
        if (batchStart < 0)
        {
            batchStart = position;
        }
        journal.append(slot);
        if (endOfBatch)
        {
            journal.flush();
            final long first = batchStart;
            batchStart = -1;
            for (long p = first; p <= position; p++)
            {
                logic.onEvent(ring.get(p), p, p == position);
            }
        }
    }

    @Override
    public void onShutdown()
    {
        logic.onShutdown();
        journal.onShutdown();
    }
}
