package io.mete.journal;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.journal.snapshot.SnapshotInfo;
import io.mete.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class RecoveryTest
{
    private static final String LAST_ORDER = "TAIL-ORDER-UNIQUE-0001";
    private static final EngineConfig CONFIG = MixedTraffic.engineConfig(1 << 14);

    private static JournalOptions options(final long snapshotEvery)
    {
        return JournalOptions.defaults().engineConfig(CONFIG)
            .pipelineConfig(PipelineConfig.defaults().tickIdleMillis(0).snapshotEveryCommands(snapshotEvery).clock(new SteppingClock(10)));
    }

    /** Runs setup and {@code commands} mixed commands (then one cancel of {@link #LAST_ORDER}); returns the state hash. */
    private static long run(final Path dir, final JournalOptions options, final int commands, final long seed, final List<long[]> outputs)
    {
        try (JournaledEngine engine = JournaledEngine.open(dir, options, problem -> { }))
        {
            if (outputs != null)
            {
                engine.addListener((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) ->
                    outputs.add(new long[] {eventSequence, commandSequence}));
            }
            engine.start();
            if (engine.recovery().lastSequence() < 0)
            {
                for (final byte[] command : MixedTraffic.setup())
                {
                    engine.submit(0, new UnsafeBuffer(command), 0, command.length);
                }
            }
            final MixedTraffic traffic = new MixedTraffic(seed, "T" + seed + "-");
            for (int i = 0; i < commands; i++)
            {
                traffic.next();
                engine.submit(0, traffic.buffer(), traffic.offset(), traffic.length());
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            engine.submit(0, buffer, 0, new CommandWriter().cancelOrder(buffer, 0, 1, LAST_ORDER));
            engine.close();
            assertNull(engine.pipeline().failure());
            return engine.pipeline().engine().stateHash();
        }
    }

    private static Recovery.Result recover(final Path dir, final boolean snapshots, final List<String> problems)
    {
        final JournalDirectory files = new JournalDirectory(dir);
        try (SingleChronicleQueue commands = files.openCommandsReadOnly(); SingleChronicleQueue events = files.openEventsReadOnly())
        {
            return Recovery.recover(commands, events, null, snapshots ? files.snapshotStore() : null, CONFIG, Recovery.NO_LISTENER,
                problems::add);
        }
    }

    @Test
    void restartResumesCommandAndEventSequencesAndReachesTheFullReplayState(@TempDir final Path dir)
    {
        final List<long[]> first = new CopyOnWriteArrayList<>();
        run(dir, options(0), 2_000, 1, first);
        final List<long[]> second = new CopyOnWriteArrayList<>();
        final long hash = run(dir, options(0), 2_000, 2, second);

        final long[] lastOfFirst = first.get(first.size() - 1);
        final long[] firstOfSecond = second.get(0);
        assertEquals(lastOfFirst[0] + 1, firstOfSecond[0], "event sequences continue across the restart");
        assertEquals(lastOfFirst[1] + 1, firstOfSecond[1], "command sequences continue across the restart");

        final Recovery.Result full = recover(dir, false, new ArrayList<>());
        assertEquals(hash, full.engine().stateHash());
        assertEquals(second.get(second.size() - 1)[0], full.lastEventSequence());
        final Recovery.Result fromSnapshot = recover(dir, true, new ArrayList<>());
        assertEquals(full.lastSequence(), fromSnapshot.snapshotSequence(), "a snapshot was written at close");
        assertEquals(hash, fromSnapshot.engine().stateHash());
    }

    @Test
    void corruptNewestSnapshotIsReportedAndThePreviousOneUsed(@TempDir final Path dir) throws IOException
    {
        final long hash = run(dir, options(10_000), 25_000, 3, null);
        final SnapshotStore store = new JournalDirectory(dir).snapshotStore();
        final List<SnapshotInfo> snapshots = store.list(); // oldest first
        final SnapshotInfo newest = snapshots.get(snapshots.size() - 1);
        assertTrue(snapshots.size() >= 3, "snapshots every 10,000 commands and at close: " + snapshots);
        flipByte(newest.path(), newest.sizeBytes() / 2);

        final List<String> problems = new ArrayList<>();
        final Recovery.Result result = recover(dir, true, problems);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(newest.path().getFileName().toString()), problems.get(0));
        assertEquals(snapshots.get(snapshots.size() - 2).sequence(), result.snapshotSequence(), "fell back to the previous snapshot");
        assertEquals(hash, result.engine().stateHash());
    }

    @Test
    void corruptJournalEntryStopsRecoveryWithTheEntryNamed(@TempDir final Path dir) throws IOException
    {
        run(dir, options(0), 1_000, 4, null);
        final Path file = commandFile(dir);
        final long at = lastIndexOf(file, LAST_ORDER.getBytes(StandardCharsets.US_ASCII));
        flipByte(file, at + 3);

        final JournalCorruptException thrown = assertThrows(JournalCorruptException.class, () -> recover(dir, false, new ArrayList<>()));
        assertTrue(thrown.getMessage().contains("checksum mismatch"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("command journal"), thrown.getMessage());
    }

    @Test
    void tornTailEntryIsDetected(@TempDir final Path dir) throws IOException
    {
        run(dir, options(0), 1_000, 5, null);
        final Path file = commandFile(dir);
        // a header that reached the disk over message bytes that did not (power loss in page-cache mode)
        final long at = lastIndexOf(file, LAST_ORDER.getBytes(StandardCharsets.US_ASCII));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at - 8);
            raf.write(new byte[8 + LAST_ORDER.length()]);
        }
        final JournalCorruptException thrown = assertThrows(JournalCorruptException.class,
            () -> JournaledEngine.open(dir, options(0), problem -> { }));
        assertTrue(thrown.getMessage().contains("corrupt"), thrown.getMessage());
    }

    @Test
    void gapInTheCommandSequenceIsAnError(@TempDir final Path dir)
    {
        final JournalDirectory files = new JournalDirectory(dir);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = new CommandWriter().tick(buffer, 0, 1);
        try (SingleChronicleQueue queue = files.openCommands(Durability.PAGECACHE);
             ChronicleCommandJournal journal = new ChronicleCommandJournal(queue, Durability.PAGECACHE, false))
        {
            for (final long sequence : new long[] {0, 1, 2, 4, 5})
            {
                journal.append(sequence, SteppingClock.EPOCH, 0, buffer, 0, length);
            }
        }
        final JournalCorruptException thrown = assertThrows(JournalCorruptException.class, () -> recover(dir, false, new ArrayList<>()));
        assertTrue(thrown.getMessage().contains("gap") && thrown.getMessage().contains("holds sequence 4 where 3 was expected"),
            thrown.getMessage());
    }

    @Test
    void snapshotNewerThanTheJournalIsAnError(@TempDir final Path dir) throws IOException
    {
        run(dir, options(0), 500, 6, null);
        deleteTree(new JournalDirectory(dir).commands());
        final JournalCorruptException thrown = assertThrows(JournalCorruptException.class,
            () -> JournaledEngine.open(dir, options(0), problem -> { }));
        assertTrue(thrown.getMessage().contains("newer") || thrown.getMessage().contains("ends at -1"), thrown.getMessage());
    }

    static Path commandFile(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(new JournalDirectory(dir).commands()))
        {
            return files.filter(path -> path.toString().endsWith(".cq4")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    static long lastIndexOf(final Path file, final byte[] pattern) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length - pattern.length; i >= 0; i--)
        {
            int k = 0;
            while (k < pattern.length && bytes[i + k] == pattern[k])
            {
                k++;
            }
            if (k == pattern.length)
            {
                return i;
            }
        }
        throw new AssertionError("pattern not found in " + file);
    }

    static void flipByte(final Path file, final long at) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at);
            final int value = raf.read();
            raf.seek(at);
            raf.write(value ^ 0x5A);
        }
    }

    static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
