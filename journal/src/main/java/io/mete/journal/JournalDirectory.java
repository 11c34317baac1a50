package io.mete.journal;

import io.mete.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One engine's files under one directory:
 *
 * <pre>
 *   DIR/commands/   Chronicle Queue, one entry per command (the write-ahead log)
 *   DIR/events/     Chronicle Queue, one entry per event, for subscribers
 *   DIR/snapshots/  snapshot files
 * </pre>
 *
 * Roll cycles: commands roll hourly ({@code FAST_HOURLY}: up to 4.29 billion entries per hour,
 * 1.19 million commands/s sustained for the hour), so an operator can prune a journal an hour at a
 * time once a snapshot covers it. Events roll daily ({@code LARGE_DAILY}: up to 137 billion entries
 * per day), because every command publishes several events and an hourly cycle would cap a busy
 * hour at 4.29 billion of them. Cycle boundaries are UTC.
 */
public final class JournalDirectory
{
    public static final RollCycle COMMAND_CYCLE = RollCycles.FAST_HOURLY;
    public static final RollCycle EVENT_CYCLE = LargeRollCycles.LARGE_DAILY;
    /**
     * Chronicle maps a cycle file in chunks of this size (64 MB by default). The first chunk stays
     * mapped for the file's life, so writing its pages back write-protects them under the mapping
     * (a TLB flush per page): with 64 MB chunks that cost one second of p99 16-51 ms early in every
     * cycle at 100,000 orders/s, with 16 MB 5-6 ms (see JournalWriteback). Entries are far smaller.
     */
    static final long BLOCK_SIZE = 16L << 20;

    private final Path root;
    private final TimeProvider time;

    public JournalDirectory(final Path root)
    {
        this(root, SystemTimeProvider.INSTANCE);
    }

    /** With the clock Chronicle uses to pick the roll cycle of new entries (tests roll cycles with it). */
    public JournalDirectory(final Path root, final TimeProvider time)
    {
        this.root = root;
        this.time = time;
    }

    public Path root()
    {
        return root;
    }

    public Path commands()
    {
        return root.resolve("commands");
    }

    /**
     * The cycle files of a queue directory in cycle order: cycle names are zero-padded UTC dates
     * and hours, so name order is cycle order and the last one is the one being written.
     */
    public static List<Path> cycleFiles(final Path queueDir) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(queueDir))
        {
            listing.filter(path -> path.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX)).sorted().forEach(files::add);
        }
        return files;
    }

    public Path events()
    {
        return root.resolve("events");
    }

    public Path snapshots()
    {
        return root.resolve("snapshots");
    }

    public SnapshotStore snapshotStore()
    {
        return new SnapshotStore(snapshots());
    }

    public boolean hasCommands()
    {
        return Files.isDirectory(commands());
    }

    public boolean hasEvents()
    {
        return Files.isDirectory(events());
    }

    /** Opens the command journal for writing (creating it) with the given durability. */
    public SingleChronicleQueue openCommands(final Durability durability)
    {
        return open(commands(), COMMAND_CYCLE, durability, false, time);
    }

    public SingleChronicleQueue openEvents(final Durability durability)
    {
        return open(events(), EVENT_CYCLE, durability, false, time);
    }

    /** Opens a queue for reading only: tools may look at the journal of a running engine. */
    public SingleChronicleQueue openCommandsReadOnly()
    {
        return open(commands(), COMMAND_CYCLE, Durability.PAGECACHE, true, time);
    }

    public SingleChronicleQueue openEventsReadOnly()
    {
        return open(events(), EVENT_CYCLE, Durability.PAGECACHE, true, time);
    }

    private static SingleChronicleQueue open(
        final Path path, final RollCycle cycle, final Durability durability, final boolean readOnly, final TimeProvider time)
    {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(path)
            .rollCycle(cycle)
            .timeProvider(time)
            .readOnly(readOnly)
            // SYNC makes appender.sync() msync the mapped file up to the last entry; NONE makes it a no-op
            .syncMode(durability == Durability.SYNC ? SyncMode.SYNC : SyncMode.NONE);
        return builder.blockSize(BLOCK_SIZE).build();
    }
}
