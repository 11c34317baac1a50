package io.mete.journal.cli;

import io.mete.engine.core.EventSink;
import io.mete.journal.Durability;
import io.mete.journal.JournalDirectory;
import io.mete.journal.JournalReader;
import io.mete.journal.snapshot.LoadedSnapshot;
import io.mete.journal.snapshot.SnapshotInfo;
import io.mete.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Deletes (or moves) the journal's roll-cycle files that the newest valid snapshot makes
 * unnecessary. The decision uses cycle file names only: every file whose cycle is older than the
 * cycle holding the first command after the snapshot goes; that cycle and newer ones stay.
 * Chronicle's store-file listener is not used (its release callbacks repeat or go missing). The
 * queue's directory listing is refreshed afterwards.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Delete (or --archive) journal cycle files fully covered by the newest valid snapshot (and, with --keep-snapshots N, older snapshots).")
final class PruneCommand implements Callable<Integer>
{
    @Mixin
    ToolOptions options;

    @Option(names = "--archive", paramLabel = "TO", description = "move the files to TO/commands and TO/events instead of deleting them")
    Path archive;

    @Option(names = "--events", description = "prune the event journal too (subscribers can then no longer resume before the snapshot)")
    boolean events;

    @Option(names = "--dry-run", description = "list what would go, change nothing")
    boolean dryRun;

    @Option(names = "--keep-snapshots", paramLabel = "N",
        description = "also delete (or --archive) all but the N newest snapshots up to the newest valid one (default 0: keep every snapshot)")
    int keepSnapshots;

    @Override
    public Integer call() throws IOException
    {
        if (keepSnapshots < 0)
        {
            throw new IllegalArgumentException("--keep-snapshots must be 0 (keep all) or more: " + keepSnapshots);
        }
        final PrintStream out = System.out;
        final JournalDirectory directory = options.directory();
        final SnapshotStore store = directory.snapshotStore();
        final Optional<LoadedSnapshot> snapshot = store.loadNewestValid(options.engineConfig(), EventSink.NONE,
            problem -> System.err.println("snapshot skipped: " + problem));
        if (snapshot.isEmpty())
        {
            System.err.println("no valid snapshot in " + directory.snapshots() + ": nothing can be pruned (write one with `journal snapshot`)");
            new Summary().put("files-pruned", 0).put("bytes-pruned", 0).print(out, options.json);
            return 1;
        }
        final long covered = snapshot.get().sequence();
        final List<Path> pruned = new ArrayList<>();
        long bytes = 0;

        final int keepCommands;
        try (SingleChronicleQueue queue = directory.openCommandsReadOnly(); JournalReader reader = new JournalReader(queue, "command"))
        {
            keepCommands = cycleToKeep(reader, queue.rollCycle(), covered + 1, covered);
        }
        bytes += prune(directory.commands(), JournalDirectory.COMMAND_CYCLE, keepCommands, "commands", pruned);
        refresh(directory, false);

        int keepEvents = Integer.MIN_VALUE;
        if (events && directory.hasEvents())
        {
            try (SingleChronicleQueue queue = directory.openEventsReadOnly(); JournalReader reader = new JournalReader(queue, "event"))
            {
                // recovery numbers events from the last event of a command up to the snapshot: keep its cycle
                if (reader.findLastWithSecondAtMost(covered))
                {
                    keepEvents = queue.rollCycle().toCycle(reader.index());
                }
            }
            if (keepEvents != Integer.MIN_VALUE)
            {
                bytes += prune(directory.events(), JournalDirectory.EVENT_CYCLE, keepEvents, "events", pruned);
                refresh(directory, true);
            }
        }
        if (keepSnapshots > 0)
        {
            bytes += pruneSnapshots(store, covered, pruned);
        }
        for (final Path path : pruned)
        {
            if (options.json)
            {
                out.println("{\"" + (dryRun ? "would-prune" : archive != null ? "archived" : "deleted") + "\":" +
                    Summary.quote(path.toString()) + "}");
            }
            else
            {
                out.println((dryRun ? "would prune " : archive != null ? "archived " : "deleted ") + path);
            }
        }
        new Summary()
            .put("snapshot-sequence", covered)
            .put("snapshot", snapshot.get().path().toString())
            .put("kept-from-command-cycle", cycleName(JournalDirectory.COMMAND_CYCLE, keepCommands))
            .put("dry-run", dryRun)
            .put("bytes-pruned", bytes)
            .put("files-pruned", pruned.size())
            .print(out, options.json);
        return 0;
    }

    /** The cycle holding {@code wanted} (the first command replay needs), or the one holding {@code fallback}. */
    private static int cycleToKeep(final JournalReader reader, final RollCycle rollCycle, final long wanted, final long fallback)
    {
        if (reader.seek(wanted) && reader.next((a, b, c, buffer, offset, length) -> { }))
        {
            return rollCycle.toCycle(reader.index());
        }
        if (reader.seek(fallback) && reader.next((a, b, c, buffer, offset, length) -> { }))
        {
            return rollCycle.toCycle(reader.index());
        }
        return Integer.MIN_VALUE; // the journal does not reach the snapshot: keep everything
    }

    private long prune(final Path queueDir, final RollCycle rollCycle, final int keepCycle, final String kind, final List<Path> pruned)
        throws IOException
    {
        if (keepCycle == Integer.MIN_VALUE)
        {
            return 0;
        }
        final String keepName = cycleName(rollCycle, keepCycle) + SingleChronicleQueue.SUFFIX;
        long bytes = 0;
        for (final Path file : JournalDirectory.cycleFiles(queueDir))
        {
            if (file.getFileName().toString().compareTo(keepName) >= 0)
            {
                break;
            }
            bytes += Files.size(file);
            remove(file, kind);
            pruned.add(file);
        }
        return bytes;
    }

    /**
     * All but the {@link #keepSnapshots} newest snapshots at or before {@code covered}. Once the
     * journal before the newest snapshot is pruned, an older snapshot cannot be replayed forward
     * anyway; snapshots after {@code covered} failed their checks and stay for a look.
     */
    private long pruneSnapshots(final SnapshotStore store, final long covered, final List<Path> pruned) throws IOException
    {
        final List<SnapshotInfo> candidates = new ArrayList<>();
        for (final SnapshotInfo info : store.list())
        {
            if (info.sequence() <= covered)
            {
                candidates.add(info);
            }
        }
        long bytes = 0;
        for (int i = 0; i < candidates.size() - keepSnapshots; i++)
        {
            final SnapshotInfo info = candidates.get(i);
            bytes += info.sizeBytes();
            remove(info.path(), "snapshots");
            pruned.add(info.path());
        }
        return bytes;
    }

    /** Deletes the file, or moves it to {@code archive/kind/} with --archive; nothing with --dry-run. */
    private void remove(final Path file, final String kind) throws IOException
    {
        if (dryRun)
        {
            return;
        }
        if (archive != null)
        {
            final Path target = archive.resolve(kind).resolve(file.getFileName());
            Files.createDirectories(target.getParent());
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
        else
        {
            Files.delete(file);
        }
    }

    private void refresh(final JournalDirectory directory, final boolean events)
    {
        if (dryRun)
        {
            return;
        }
        try (SingleChronicleQueue queue = events ? directory.openEvents(Durability.PAGECACHE) : directory.openCommands(Durability.PAGECACHE))
        {
            queue.refreshDirectoryListing();
        }
    }

    static String cycleName(final RollCycle rollCycle, final int cycle)
    {
        if (cycle == Integer.MIN_VALUE)
        {
            return "none";
        }
        return DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli((long)cycle * rollCycle.lengthInMillis()));
    }
}
