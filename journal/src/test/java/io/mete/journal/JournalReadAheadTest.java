package io.mete.journal;

import io.mete.engine.runtime.PipelineConfig;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class JournalReadAheadTest
{
    private static final long MB = 1 << 20;

    @Test
    void bringsThePagesJustPastTheAppenderIntoThePageCacheWithoutChangingThem(@TempDir final Path dir) throws IOException
    {
        assumeFalse("tmpfs".equals(Files.getFileStore(dir).type()), "tmpfs reads holes without caching a page");
        final Path queue = Files.createDirectory(dir.resolve("commands"));
        final Path older = sparse(queue.resolve("20261122-10F.cq4"), 64 << 10, 2 * MB);
        final Path newest = sparse(queue.resolve("20261122-11F.cq4"), 64 << 10, 16 * MB);
        assertFalse(cached(newest, 64 << 10, 16 * MB), "the holes past what was written are not cached yet");
        final AtomicLong writtenTo = new AtomicLong(64 << 10);
        final List<String> problems = new ArrayList<>();
        final JournalReadAhead readAhead = new JournalReadAhead(List.of(new JournalReadAhead.Followed(queue, writtenTo::get),
            new JournalReadAhead.Followed(dir.resolve("events"), () -> 0)), 1, problems::add);

        readAhead.pass();
        assertEquals((64 << 10) + JournalReadAhead.PASS_BYTES, readAhead.readTo(queue), "from the appender, a bounded range per pass");
        passes(readAhead, 20);
        final long lead = (64 << 10) + JournalReadAhead.LEAD_BYTES;
        assertEquals(lead, readAhead.readTo(queue), "up to the lead past the appender");
        assertEquals(JournalReadAhead.LEAD_BYTES, readAhead.bytesRead(), "the newest cycle only");
        assertTrue(cached(newest, 64 << 10, lead), "read ahead into the page cache");
        assertFalse(cached(newest, lead, 16 * MB), "not past the lead");
        assertFalse(cached(older, 64 << 10, 2 * MB), "the older cycle is left alone");

        writtenTo.set(12 * MB + 100);
        passes(readAhead, 20);
        assertEquals(16 * MB, readAhead.readTo(queue), "never past the file's end");
        assertTrue(cached(newest, 12 * MB, 16 * MB));
        assertFalse(cached(newest, lead, 12 * MB), "what the appender has passed meanwhile is skipped");
        assertEquals(JournalReadAhead.LEAD_BYTES + 4 * MB, readAhead.bytesRead());
        assertEquals(1, readAhead.windowsMapped(), "one mapping of the file serves every pass until the file grows");

        assertArrayEquals(Arrays.copyOf(written(64 << 10), (int)(16 * MB)), Files.readAllBytes(newest), "asking for pages changed nothing");
        assertEquals(16 * MB, Files.size(newest));
        assertEquals(0, readAhead.readTo(dir.resolve("events")), "a directory that does not exist yet is skipped");
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void followsTheFileAsItGrowsAndMovesOnToANewCycle(@TempDir final Path dir) throws IOException
    {
        final Path first = sparse(dir.resolve("20261122L.cq4"), 4096, MB / 2);
        final AtomicLong writtenTo = new AtomicLong(4096);
        final JournalReadAhead readAhead = new JournalReadAhead(List.of(new JournalReadAhead.Followed(dir, writtenTo::get)), 2, p -> fail(p));
        readAhead.pass();
        assertEquals(MB / 2, readAhead.readTo(dir));
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw"))
        {
            file.setLength(MB);
        }
        readAhead.pass();
        assertEquals(MB, readAhead.readTo(dir), "the file grew: the new part is read");
        assertEquals(2, readAhead.windowsMapped(), "through a new mapping");
        readAhead.pass();

        sparse(dir.resolve("20261123L.cq4"), 4096, MB / 4);
        writtenTo.set(4096);
        readAhead.pass();
        assertEquals(MB, readAhead.readTo(dir), "a new cycle is seen at the next listing only");
        readAhead.pass();
        assertEquals(MB / 4, readAhead.readTo(dir), "now in the new cycle, from its appender on");
        assertEquals(MB - 4096 + MB / 4 - 4096, readAhead.bytesRead());

        writtenTo.set(8192);
        readAhead.pass();
        sparse(dir.resolve("20261124L.cq4"), 4096, MB / 8);
        writtenTo.set(4096);
        readAhead.pass();
        assertEquals(MB / 8, readAhead.readTo(dir), "the appender's position went back: it rolled, and the new cycle is read at once");
    }

    @Test
    void followsAChronicleAppender(@TempDir final Path dir) throws IOException
    {
        assumeFalse("tmpfs".equals(Files.getFileStore(dir).type()), "tmpfs reads holes without caching a page");
        final JournalDirectory journal = new JournalDirectory(dir);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[160]);
        try (SingleChronicleQueue queue = journal.openCommands(Durability.PAGECACHE);
             ChronicleCommandJournal commands = new ChronicleCommandJournal(queue, Durability.PAGECACHE, false))
        {
            final JournalReadAhead readAhead = new JournalReadAhead(List.of(new JournalReadAhead.Followed(journal.commands(), commands::writtenTo)),
                1, p -> fail(p));
            long last = 0;
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < 20_000; i++)
                {
                    commands.append(round * 20_000L + i, 1_000L + i, 7, command, 0, 150);
                }
                commands.endOfBatch();
                final long writtenTo = commands.writtenTo();
                assertTrue(writtenTo > last + 20_000L * 150, "the appender's position in the file moves on with its entries");
                last = writtenTo;
                final Path file = JournalDirectory.cycleFiles(journal.commands()).get(0);
                assertTrue(writtenTo < Files.size(file));
                passes(readAhead, 20);
                final long end = Math.min(Files.size(file), writtenTo + JournalReadAhead.LEAD_BYTES) & -4096L;
                assertEquals(end, readAhead.readTo(journal.commands()));
                assertTrue(cached(file, writtenTo & -4096L, end), "the pages the appender writes next are cached");
            }
        }
    }

    @Test
    void entriesAppendedWhileItRunsReadBackUnchanged(@TempDir final Path dir) throws IOException, InterruptedException
    {
        final JournalDirectory journal = new JournalDirectory(dir);
        final int entries = 200_000;
        final UnsafeBuffer command = new UnsafeBuffer(new byte[160]);
        final List<String> problems = new ArrayList<>();
        try (SingleChronicleQueue queue = journal.openCommands(Durability.PAGECACHE);
             ChronicleCommandJournal commands = new ChronicleCommandJournal(queue, Durability.PAGECACHE, false);
             JournalReadAhead readAhead = new JournalReadAhead(List.of(new JournalReadAhead.Followed(journal.commands(), commands::writtenTo)),
                 problems::add).start())
        {
            for (int i = 0; i < entries; i++)
            {
                fill(command, i);
                commands.append(i, 1_000L + i, 7, command, 0, 40 + i % 120);
                commands.endOfBatch();
            }
            final Path file = JournalDirectory.cycleFiles(journal.commands()).get(0);
            final long end = Math.min(Files.size(file), commands.writtenTo() + JournalReadAhead.LEAD_BYTES) & -4096L;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (readAhead.readTo(journal.commands()) < end && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(end, readAhead.readTo(journal.commands()), "its thread caught up with the appender");
            assertTrue(readAhead.bytesRead() >= JournalReadAhead.LEAD_BYTES);
        }
        assertTrue(problems.isEmpty(), problems.toString());

        final UnsafeBuffer expected = new UnsafeBuffer(new byte[160]);
        final int[] seen = {0};
        try (SingleChronicleQueue queue = journal.openCommandsReadOnly(); JournalReader reader = new JournalReader(queue, "command"))
        {
            while (reader.next((first, second, clientId, buffer, offset, length) ->
            {
                final int i = seen[0]++;
                fill(expected, i);
                assertEquals(i, first);
                assertEquals(1_000L + i, second);
                assertEquals(40 + i % 120, length);
                final byte[] actual = new byte[length];
                buffer.getBytes(offset, actual);
                assertArrayEquals(Arrays.copyOf(expected.byteArray(), length), actual, "entry " + i);
            }))
            {
                // each entry is checked in the handler
            }
        }
        assertEquals(entries, seen[0]);
    }

    @Test
    void theJournaledEngineRunsItUnlessTurnedOff(@TempDir final Path dir)
    {
        final PipelineConfig pipeline = PipelineConfig.defaults().tickIdleMillis(0).clock(new SteppingClock(10));
        try (JournaledEngine engine = JournaledEngine.open(dir.resolve("a"),
            JournalOptions.defaults().pipelineConfig(pipeline).durability(Durability.SYNC), p -> fail(p)))
        {
            engine.start();
            assertNotNull(engine.readAhead(), "in both durability modes");
            assertTrue(threadRunning("mete-readahead"));
        }
        assertFalse(threadRunning("mete-readahead"), "closing the engine stops the thread");
        try (JournaledEngine engine = JournaledEngine.open(dir.resolve("b"),
            JournalOptions.defaults().pipelineConfig(pipeline).readAhead(false), p -> fail(p)))
        {
            assertNull(engine.readAhead());
        }
    }

    private static void passes(final JournalReadAhead readAhead, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            readAhead.pass();
        }
    }

    private static void fill(final UnsafeBuffer buffer, final int seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < buffer.capacity(); i++)
        {
            buffer.putByte(i, (byte)random.nextInt());
        }
    }

    private static boolean threadRunning(final String name)
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** A cycle file the way Chronicle leaves it: {@code written} bytes at its start, holes up to {@code size}. */
    private static Path sparse(final Path file, final int written, final long size) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.write(written(written));
            raf.setLength(size);
        }
        return file;
    }

    private static byte[] written(final int length)
    {
        final byte[] data = new byte[length];
        new SplittableRandom(length).nextBytes(data);
        return data;
    }

    /** Whether every page of the range is in the page cache (mincore, through a mapping never touched). */
    private static boolean cached(final Path file, final long from, final long to) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MappedByteBuffer range = channel.map(FileChannel.MapMode.READ_ONLY, from, to - from);
            return range.isLoaded();
        }
    }
}
