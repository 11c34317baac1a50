package io.mete.journal.cli;

import io.mete.engine.core.EventSink;
import io.mete.journal.ChronicleCommandJournal;
import io.mete.journal.ChronicleEventJournal;
import io.mete.journal.Durability;
import io.mete.journal.JournalDirectory;
import io.mete.journal.JournalReader;
import io.mete.journal.Recovery;
import io.mete.journal.snapshot.SnapshotInfo;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Cuts a damaged journal back to its last sound command so the engine can start again, keeping
 * everything it replaces.
 *
 * <p>When a page-cache journal loses part of its tail to a power failure (or an entry is damaged
 * later), recovery refuses to start: it never applies anything past a problem. The commands after
 * the first damaged entry cannot be trusted, so the only way forward without a replica is to
 * continue from the sound prefix. This tool writes that prefix (entry by entry, the same bytes in
 * the same roll cycles) into new queues, does the same for the event journal up to the last event
 * of a sound command, moves the snapshots that lie past the cut aside, checks that recovery now
 * succeeds, and moves the originals to {@code DIR/repair-<time>/} instead of deleting anything.
 * Without {@code --yes} it only says what it would do.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = "Cut the journal at its first damaged command so the engine can start again; originals are moved to DIR/repair-<time>/. "
        + "Says what it would do unless --yes.")
final class RepairCommand implements Callable<Integer>
{
    @Mixin
    ToolOptions options;

    @Option(names = "--yes", description = "do it (without: only report what would be cut and moved)")
    boolean yes;

    /** What a scan of one journal found: the sound prefix and, when there is one, the first problem. */
    private static final class Scan
    {
        long entries;
        long lastFirst = -1;
        long lastSecond = -1;
        String problem;
    }

    @Override
    public Integer call() throws IOException
    {
        final PrintStream out = System.out;
        final JournalDirectory directory = options.directory();
        final Summary summary = new Summary();
        final long snapshot = directory.snapshotStore().loadNewestValid(options.engineConfig(), EventSink.NONE,
            problem -> System.err.println("snapshot skipped: " + problem)).map(loaded -> loaded.sequence()).orElse(-1L);
        final Scan commands = scanCommands(directory);
        if (commands.problem != null)
        {
            System.err.println("damage: " + commands.problem);
        }
        if (commands.problem != null && commands.lastFirst < snapshot)
        {
            // recovery starts after the snapshot and never reads the damaged entry: cutting would throw good state away
            out.println("the damage lies before snapshot " + snapshot + ", which the engine starts from without reading it; nothing cut " +
                "(`journal verify` reports it, `journal prune` removes the cycles the snapshot covers)");
            summary.put("last-sound-sequence", commands.lastFirst).put("snapshot-sequence", snapshot).put("repair", "NOT_NEEDED")
                .print(out, options.json);
            return 0;
        }
        final long cut = commands.lastFirst;
        final Scan events = directory.hasEvents() ? scanEvents(directory, cut) : new Scan();
        if (events.problem != null)
        {
            System.err.println("event journal damage: " + events.problem);
        }
        // a snapshot stays when the journal reaches it and the events up to it are all kept, so that
        // recovery can number the events after it
        final long keepUpTo = events.problem == null ? cut : Math.min(cut, events.lastSecond - 1);
        final List<SnapshotInfo> moved = new ArrayList<>();
        for (final SnapshotInfo info : directory.snapshotStore().list())
        {
            if (info.sequence() > keepUpTo)
            {
                moved.add(info);
            }
        }
        final boolean cutCommands = commands.problem != null;
        final boolean rewriteEvents = directory.hasEvents() && (cutCommands || events.problem != null);
        summary.put("last-sound-sequence", cut).put("commands-kept", commands.entries).put("events-kept", events.entries)
            .put("snapshots-moved", moved.size());
        if (!cutCommands && !rewriteEvents && moved.isEmpty())
        {
            out.println("the journal is sound up to sequence " + cut + " and no snapshot lies past it; nothing to repair " +
                "(`journal verify` checks the rest)");
            summary.put("repair", "NOTHING_TO_DO").print(out, options.json);
            return 0;
        }
        out.println((yes ? "" : "would ") + (cutCommands ? "cut the command journal after sequence " + cut + " (" + commands.entries +
            " commands kept), " : "keep the command journal (" + commands.entries + " commands), ") +
            (rewriteEvents ? "keep " + events.entries + " events, " : "") + "move aside " + moved.size() + " snapshot(s) past sequence " + keepUpTo);
        if (!yes)
        {
            summary.put("repair", "DRY_RUN").print(out, options.json);
            return 1;
        }

        final Path root = directory.root();
        final Path backup = root.resolve("repair-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        final Path work = backup.resolve("repaired");
        Files.createDirectories(backup.resolve("snapshots"));
        if (cutCommands)
        {
            copyCommands(directory, work, cut);
            Files.move(directory.commands(), backup.resolve("commands"));
            Files.move(work.resolve("commands"), directory.commands());
        }
        if (rewriteEvents)
        {
            copyEvents(directory, work, events.lastFirst);
            Files.move(directory.events(), backup.resolve("events"));
            Files.move(work.resolve("events"), directory.events());
        }
        for (final SnapshotInfo info : moved)
        {
            Files.move(info.path(), backup.resolve("snapshots").resolve(info.path().getFileName()));
        }
        Files.deleteIfExists(work);

        final List<String> problems = new ArrayList<>();
        final Recovery.Result check;
        try (SingleChronicleQueue commandQueue = directory.openCommandsReadOnly();
             SingleChronicleQueue eventQueue = directory.hasEvents() ? directory.openEventsReadOnly() : null)
        {
            check = Recovery.recover(commandQueue, eventQueue, null, directory.snapshotStore(), options.engineConfig(), Recovery.NO_LISTENER,
                problems::add);
        }
        for (final String problem : problems)
        {
            System.err.println("note: " + problem);
        }
        summary.put("recovered-sequence", check.lastSequence()).put("state-hash", String.format("%016x", check.engine().stateHash()))
            .put("originals", backup.toString()).put("repair", "OK").print(out, options.json);
        return 0;
    }

    /** The command journal up to its first damaged entry or gap. */
    private static Scan scanCommands(final JournalDirectory directory)
    {
        try (SingleChronicleQueue queue = directory.openCommandsReadOnly())
        {
            return scan(queue, "command", Long.MAX_VALUE);
        }
    }

    /** The event journal up to its first damaged entry or gap, or the first event of a command past {@code cut}. */
    private static Scan scanEvents(final JournalDirectory directory, final long cut)
    {
        try (SingleChronicleQueue queue = directory.openEventsReadOnly())
        {
            return scan(queue, "event", cut);
        }
    }

    /** Entries in order while each is sound, follows the one before by one and has {@code second <= secondLimit}. */
    private static Scan scan(final SingleChronicleQueue queue, final String name, final long secondLimit)
    {
        final Scan scan = new Scan();
        try (JournalReader reader = new JournalReader(queue, name))
        {
            while (true)
            {
                try
                {
                    if (!reader.next((first, second, clientId, buffer, offset, length) -> { }))
                    {
                        return scan;
                    }
                }
                catch (final RuntimeException ex)
                {
                    scan.problem = ex.getMessage();
                    return scan;
                }
                if (reader.second() > secondLimit)
                {
                    return scan;
                }
                if (scan.entries > 0 && reader.first() != scan.lastFirst + 1)
                {
                    scan.problem = name + " sequence gap: " + reader.first() + " follows " + scan.lastFirst;
                    return scan;
                }
                scan.entries++;
                scan.lastFirst = reader.first();
                scan.lastSecond = reader.second();
            }
        }
    }

    /** Commands 0..cut into {@code work/commands}, each written in the roll cycle it was read from. */
    private static void copyCommands(final JournalDirectory directory, final Path work, final long cut)
    {
        final SetTimeProvider time = new SetTimeProvider(0);
        try (SingleChronicleQueue source = directory.openCommandsReadOnly();
             ChronicleCommandJournal journal = new ChronicleCommandJournal(new JournalDirectory(work, time).openCommands(Durability.SYNC),
                 Durability.SYNC, true))
        {
            copy(source, "command", time, cut, () -> { }, journal::append);
            journal.endOfBatch();
        }
    }

    /** Events up to {@code lastEvent} into {@code work/events}, each written in the roll cycle it was read from. */
    private static void copyEvents(final JournalDirectory directory, final Path work, final long lastEvent)
    {
        final SetTimeProvider time = new SetTimeProvider(0);
        try (SingleChronicleQueue source = directory.openEventsReadOnly();
             ChronicleEventJournal journal = new ChronicleEventJournal(new JournalDirectory(work, time).openEvents(Durability.SYNC),
                 Durability.SYNC, true))
        {
            // a group is written when the source's next document begins, so the copy keeps the same documents
            copy(source, "event", time, lastEvent, journal::flush, (eventSequence, commandSequence, clientId, buffer, offset, length) ->
                journal.append(eventSequence, clientId, commandSequence, buffer, offset, length));
            journal.endOfBatch();
        }
    }

    /**
     * Entries up to the one whose {@code first} is {@code last}, the clock set to each entry's roll cycle before it is
     * written; {@code documentEnd} runs before the first entry of each source document after the first.
     */
    private static void copy(final SingleChronicleQueue source, final String name, final SetTimeProvider time, final long last,
        final Runnable documentEnd, final JournalReader.Handler target)
    {
        if (last < 0)
        {
            return;
        }
        final RollCycle cycle = source.rollCycle();
        try (JournalReader reader = new JournalReader(source, name))
        {
            final boolean[] more = {true};
            final long[] document = {-1};
            while (more[0] && reader.next((first, second, clientId, buffer, offset, length) ->
            {
                if (reader.index() != document[0])
                {
                    documentEnd.run();
                    document[0] = reader.index();
                }
                time.currentTimeMillis((long)cycle.toCycle(reader.index()) * cycle.lengthInMillis());
                target.onEntry(first, second, clientId, buffer, offset, length);
                more[0] = first < last;
            }))
            {
                // each entry is copied in the handler
            }
        }
    }
}
