package io.mete.journal;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.runtime.EventJournal;
import io.mete.journal.snapshot.LoadedSnapshot;
import io.mete.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rebuilds the engine from its files: the newest snapshot that loads (one that fails its checksum
 * is reported and the one before it tried), then every journaled command after the snapshot's
 * sequence, in order, with the timestamps and client ids they had. The state is then what it was
 * after the last journaled command, and the events are the ones the original run published.
 * <p>
 * It refuses, with a message that says what is wrong and where, rather than guess: a corrupt or
 * torn entry, a gap in the command sequence, a snapshot newer than the journal's end, an event
 * journal that ends before the snapshot or runs ahead of the commands.
 */
public final class Recovery
{
    /** Sees every replayed command and every event replay produces, with its event sequence. */
    public interface Listener
    {
        default void onCommand(long sequence, long timestamp, int clientId, DirectBuffer buffer, int offset, int length)
        {
        }

        default void onEvent(long eventSequence, int clientId, long commandSequence, DirectBuffer buffer, int offset, int length)
        {
        }

        /** False when {@link #onEvent} does nothing: replay then only counts events, without encoding them. */
        default boolean wantsEvents()
        {
            return true;
        }
    }

    public static final Listener NO_LISTENER = new Listener()
    {
        @Override
        public boolean wantsEvents()
        {
            return false;
        }
    };

    /**
     * What recovery did.
     *
     * @param snapshotSequence sequence of the snapshot used, -1 when replay started from an empty state
     * @param lastSequence     sequence of the last command applied, -1 when none
     * @param lastEventSequence the last event sequence: the next event published gets one more
     * @param eventsRestored   events replay found missing from the event journal and appended
     */
    public record Result(
        AllocationEngine engine, long snapshotSequence, Path snapshot, long commandsReplayed, long lastSequence,
        long lastEventSequence, long eventsRestored, long nanos)
    {
        public double commandsPerSecond()
        {
            return nanos == 0 ? 0 : commandsReplayed * 1e9 / nanos;
        }
    }

    private Recovery()
    {
    }

    /**
     * @param commands     the command journal
     * @param events       the event journal, to find the event sequence at the snapshot and to check it against
     *                     the commands (null: events are numbered from 1 after the starting point, which is right
     *                     only from an empty state; for tools that do not publish)
     * @param restore      where to append events replay finds missing from the event journal (null: do not append)
     * @param snapshots    where to look for a snapshot (null: replay from an empty state)
     * @param problems     receives each snapshot that was skipped and why
     */
    public static Result recover(
        final SingleChronicleQueue commands, final SingleChronicleQueue events, final EventJournal restore, final SnapshotStore snapshots,
        final EngineConfig config, final Listener listener, final Consumer<String> problems)
    {
        final long start = System.nanoTime();
        final ReplaySink sink = new ReplaySink(listener, restore);
        AllocationEngine engine = null;
        long snapshotSequence = -1;
        Path snapshotPath = null;
        if (snapshots != null)
        {
            final Optional<LoadedSnapshot> loaded;
            try
            {
                loaded = snapshots.loadNewestValid(config, sink, problems);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read the snapshot directory " + snapshots.directory(), ex);
            }
            if (loaded.isPresent())
            {
                engine = loaded.get().engine();
                snapshotSequence = loaded.get().sequence();
                snapshotPath = loaded.get().path();
            }
        }
        if (engine == null)
        {
            engine = new AllocationEngine(config, sink);
        }

        try (JournalReader reader = new JournalReader(commands, "command"))
        {
            final long firstSequence = reader.readFirst() ? reader.first() : -1;
            final long lastSequence = reader.readLast() ? reader.first() : -1;
            if (firstSequence > snapshotSequence + 1)
            {
                throw new JournalCorruptException(String.format(
                    "gap: the command journal %s starts at sequence %d but %s covers commands up to %d only; " +
                        "commands %d..%d are missing", commands.file(), firstSequence,
                    snapshotPath == null ? "no snapshot (empty state)" : "the newest valid snapshot " + snapshotPath,
                    snapshotSequence, snapshotSequence + 1, firstSequence - 1));
            }
            if (lastSequence < snapshotSequence)
            {
                throw new JournalCorruptException(String.format(
                    "the snapshot %s is at sequence %d but the command journal %s ends at %d: the journal lost commands " +
                        "the snapshot holds (restored an old journal, or a page-cache journal lost its tail to a power failure?)",
                    snapshotPath, snapshotSequence, commands.file(), lastSequence));
            }

            if (events != null)
            {
                numberEventsAfter(events, snapshotSequence, snapshotPath, sink);
            }
            // commands whose events nobody needs again (no listener, and the event journal holds them or
            // nothing is restored) are replayed counting their events instead of encoding them; the last
            // command in the event journal is replayed in full, as a crash may have cut its events short
            // (a command's events can take several documents)
            final long countThrough = listener.wantsEvents() ? -1 : restore == null ? Long.MAX_VALUE : sink.lastJournaledCommand - 1;

            long expected = snapshotSequence + 1;
            if (expected <= lastSequence)
            {
                if (!reader.seek(expected))
                {
                    throw new JournalCorruptException("command journal " + commands.file() + ": no entry for sequence " + expected);
                }
                final AllocationEngine target = engine;
                final long[] next = {expected};
                final long countedFrom = target.eventsPublished();
                final boolean[] counting = {countThrough >= expected};
                target.countEventsOnly(counting[0]);
                final JournalReader.Handler apply = (sequence, timestamp, clientId, buffer, offset, length) ->
                {
                    if (sequence != next[0])
                    {
                        throw new JournalCorruptException(String.format(
                            "gap: command journal %s holds sequence %d where %d was expected (entry index 0x%x)",
                            commands.file(), sequence, next[0], reader.index()));
                    }
                    if (counting[0] && sequence > countThrough)
                    {
                        // past the event journal's end: the events from here on are numbered and restored one by one
                        sink.eventSequence += target.eventsPublished() - countedFrom;
                        counting[0] = false;
                        target.countEventsOnly(false);
                    }
                    listener.onCommand(sequence, timestamp, clientId, buffer, offset, length);
                    sink.command(sequence, clientId);
                    target.apply(sequence, timestamp, clientId, buffer, offset, length);
                    next[0]++;
                };
                try
                {
                    while (reader.next(apply))
                    {
                        // applied in the handler
                    }
                }
                finally
                {
                    if (counting[0])
                    {
                        sink.eventSequence += target.eventsPublished() - countedFrom;
                        target.countEventsOnly(false);
                    }
                }
                expected = next[0];
            }
            if (events != null && sink.eventSequence < sink.journaledEvents)
            {
                throw new JournalCorruptException(String.format(
                    "the event journal %s runs ahead of the command journal: it holds events up to %d but the commands up to " +
                        "sequence %d produce only %d", events.file(), sink.journaledEvents, expected - 1, sink.eventSequence));
            }
            engine.eventSink(EventSink.NONE);
            return new Result(engine, snapshotSequence, snapshotPath, expected - 1 - snapshotSequence, expected - 1,
                sink.eventSequence, sink.restored, System.nanoTime() - start);
        }
    }

    /** Finds the event sequence the snapshot's state had published, and how far the event journal goes. */
    private static void numberEventsAfter(
        final SingleChronicleQueue events, final long snapshotSequence, final Path snapshotPath, final ReplaySink sink)
    {
        try (JournalReader reader = new JournalReader(events, "event"))
        {
            if (reader.readLast())
            {
                sink.journaledEvents = reader.first();
                sink.lastJournaledCommand = reader.second();
            }
            else
            {
                sink.journaledEvents = 0;
                sink.lastJournaledCommand = -1;
            }
            if (snapshotSequence < 0)
            {
                sink.eventSequence = 0;
                return;
            }
            // every command publishes at least one event, and the pipeline writes a snapshot only after its events
            // reached the event journal: the last event of a command up to the snapshot is the snapshot's position
            if (!reader.findLastWithSecondAtMost(snapshotSequence))
            {
                throw new JournalCorruptException(String.format(
                    "the event journal %s holds no event of the commands up to the snapshot %s (sequence %d): " +
                        "the events after it cannot be numbered", events.file(), snapshotPath, snapshotSequence));
            }
            sink.eventSequence = reader.first();
        }
    }

    /** Numbers the events replay produces, hands them on, and appends the ones the event journal lacks. */
    private static final class ReplaySink implements EventSink
    {
        private final Listener listener;
        private final EventJournal restore;
        long eventSequence;
        long journaledEvents;
        /** Sequence of the command whose events end the event journal (-1: none journaled). */
        long lastJournaledCommand = -1;
        long restored;
        private long commandSequence;
        private int clientId;

        ReplaySink(final Listener listener, final EventJournal restore)
        {
            this.listener = listener;
            this.restore = restore;
        }

        void command(final long sequence, final int clientId)
        {
            this.commandSequence = sequence;
            this.clientId = clientId;
        }

        @Override
        public void onEvent(final DirectBuffer buffer, final int offset, final int length)
        {
            final long sequence = ++eventSequence;
            listener.onEvent(sequence, clientId, commandSequence, buffer, offset, length);
            if (restore != null && sequence > journaledEvents)
            {
                restore.append(sequence, clientId, commandSequence, buffer, offset, length);
                restored++;
            }
        }
    }
}
