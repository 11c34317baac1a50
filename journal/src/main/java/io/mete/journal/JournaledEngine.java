package io.mete.journal;

import io.mete.engine.runtime.EngineHost;
import io.mete.engine.runtime.EnginePipeline;
import io.mete.engine.runtime.OutputListener;
import io.mete.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;

import java.util.function.Consumer;

/**
 * The engine as a server runs it: recovered from {@code DIR} (newest valid snapshot + journal
 * replay), then hosted on an {@link EnginePipeline} that journals every command to
 * {@code DIR/commands}, every event to {@code DIR/events}, and writes snapshots to
 * {@code DIR/snapshots} (every N commands, on request, at close).
 *
 * <pre>
 *   try (JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults(), System.err::println))
 *   {
 *       engine.addListener(...);
 *       engine.start();
 *       engine.offer(clientId, buffer, offset, length);
 *   }
 * </pre>
 */
public final class JournaledEngine implements EngineHost
{
    private final JournalDirectory directory;
    private final SingleChronicleQueue commands;
    private final SingleChronicleQueue events;
    private final Recovery.Result recovery;
    private final EnginePipeline pipeline;
    private final JournalWriteback writeback;
    private final JournalReadAhead readAhead;

    private JournaledEngine(final JournalDirectory directory, final JournalOptions options, final Consumer<String> problems)
    {
        this.directory = directory;
        EventSettings.pin(directory.root(), options.engineConfig().publishAvailability());
        commands = directory.openCommands(options.durability());
        events = directory.openEvents(options.durability());
        final SnapshotStore store = options.snapshots() ? directory.snapshotStore() : null;
        Recovery.Result result;
        try (ChronicleEventJournal restore = new ChronicleEventJournal(events, options.durability(), false))
        {
            result = Recovery.recover(commands, events, restore, store, options.engineConfig(), Recovery.NO_LISTENER, problems);
        }
        catch (final RuntimeException ex)
        {
            commands.close();
            events.close();
            throw ex;
        }
        recovery = result;
        final ChronicleCommandJournal commandJournal = new ChronicleCommandJournal(commands, options.durability(), false);
        final ChronicleEventJournal eventJournal = new ChronicleEventJournal(events, options.durability(), false);
        pipeline = EnginePipeline.builder(result.engine())
            .config(options.pipelineConfig())
            .commandJournal(commandJournal)
            .eventJournal(eventJournal)
            .snapshots(store == null ? null : engine -> writeSnapshot(store, engine))
            .lastEventSequence(result.lastEventSequence())
            .build();
        writeback = options.durability() == Durability.PAGECACHE && options.writeback() ?
            new JournalWriteback(java.util.List.of(directory.commands(), directory.events()), problems) : null;
        readAhead = options.readAhead() ?
            new JournalReadAhead(java.util.List.of(new JournalReadAhead.Followed(directory.commands(), commandJournal::writtenTo),
                new JournalReadAhead.Followed(directory.events(), eventJournal::writtenTo)), problems) : null;
    }

    private static void writeSnapshot(final SnapshotStore store, final io.mete.engine.core.AllocationEngine engine)
    {
        try
        {
            store.write(engine);
        }
        catch (final java.io.IOException ex)
        {
            // the pipeline stops: a server that cannot write snapshots should not run on unnoticed
            throw new java.io.UncheckedIOException("snapshot write failed in " + store.directory(), ex);
        }
    }

    /**
     * Recovers the engine from {@code dir} (creating it when new) and builds the pipeline; call
     * {@link #start} after adding listeners.
     *
     * @param problems receives each snapshot that was skipped and why, and any failure of the journal writeback or read-ahead
     * @throws JournalCorruptException when the files cannot be replayed as they are
     */
    public static JournaledEngine open(final java.nio.file.Path dir, final JournalOptions options, final Consumer<String> problems)
    {
        return new JournaledEngine(new JournalDirectory(dir), options, problems);
    }

    public static JournaledEngine open(final JournalDirectory directory, final JournalOptions options, final Consumer<String> problems)
    {
        return new JournaledEngine(directory, options, problems);
    }

    public JournaledEngine start()
    {
        if (readAhead != null)
        {
            readAhead.start();
        }
        pipeline.start();
        if (writeback != null)
        {
            writeback.start();
        }
        return this;
    }

    @Override
    public long offer(final int clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        return pipeline.offer(clientId, buffer, offset, length);
    }

    public long submit(final int clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        return pipeline.submit(clientId, buffer, offset, length);
    }

    @Override
    public void addListener(final OutputListener listener)
    {
        pipeline.addListener(listener);
    }

    @Override
    public long lastAppliedSequence()
    {
        return pipeline.lastAppliedSequence();
    }

    /** Asks for a snapshot after the commands already offered. */
    public long requestSnapshot()
    {
        return pipeline.requestSnapshot();
    }

    public Recovery.Result recovery()
    {
        return recovery;
    }

    public EnginePipeline pipeline()
    {
        return pipeline;
    }

    public JournalDirectory directory()
    {
        return directory;
    }

    /** The thread writing journal pages back behind the writer, or null (sync mode, or turned off). */
    public JournalWriteback writeback()
    {
        return writeback;
    }

    /** The thread reading the journals' newest files ahead of their appenders, or null (turned off). */
    public JournalReadAhead readAhead()
    {
        return readAhead;
    }

    /** Drains, snapshots (when snapshots are on), closes the journals. */
    @Override
    public void close()
    {
        try
        {
            if (writeback != null)
            {
                writeback.close();
            }
            if (readAhead != null)
            {
                readAhead.close();
            }
            pipeline.close();
        }
        finally
        {
            commands.close();
            events.close();
        }
    }
}
