package io.mete.journal;

import io.mete.engine.runtime.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class JournalWritebackTest
{
    private static final long LAG = 1 << 20;
    private static final long MIN = 256 << 10;

    @Test
    void writesBackTheNewestCycleUpToTheLagAndOlderCyclesWhole(@TempDir final Path dir) throws IOException
    {
        final Path queue = Files.createDirectory(dir.resolve("commands"));
        final Path older = append(queue.resolve("20261122-10F.cq4"), 4 << 20);
        final Path newest = append(queue.resolve("20261122-11F.cq4"), (3 << 20) + 100);
        Files.write(queue.resolve("metadata.cq4t"), new byte[4096]);
        final byte[] olderBytes = Files.readAllBytes(older);
        final List<String> problems = new ArrayList<>();
        final JournalWriteback writeback = new JournalWriteback(List.of(queue, dir.resolve("events")), LAG, MIN, 1, problems::add);

        writeback.pass();

        assertEquals(4 << 20, writeback.writtenBackTo(older));
        assertEquals(2 << 20, writeback.writtenBackTo(newest), "page-aligned, LAG before the end");
        assertEquals(0, writeback.writtenBackTo(queue.resolve("metadata.cq4t")), "only cycle files");
        assertEquals(6L << 20, writeback.bytesWrittenBack());

        append(newest, (int)MIN - 8192);
        writeback.pass();
        assertEquals(2 << 20, writeback.writtenBackTo(newest), "less than the minimum range is ready: wait");

        append(newest, 64 << 10);
        writeback.pass();
        final long size = Files.size(newest);
        assertEquals((size - LAG) & -4096L, writeback.writtenBackTo(newest));

        // the files are neither extended nor changed
        assertEquals(size, Files.size(newest));
        assertArrayEquals(olderBytes, Files.readAllBytes(older));
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void onlyTheNewestCycleAndTheOneBeforeItAreLookedAt(@TempDir final Path dir) throws IOException
    {
        final Path oldest = append(dir.resolve("20261121L.cq4"), 1 << 20);
        final Path before = append(dir.resolve("20261122L.cq4"), 1 << 20);
        final Path newest = append(dir.resolve("20261123L.cq4"), 2 << 20);
        final JournalWriteback writeback = new JournalWriteback(List.of(dir), LAG, MIN, 1, p -> fail(p));
        writeback.pass();
        assertEquals(0, writeback.writtenBackTo(oldest), "done when it was the one before the newest");
        assertEquals(1 << 20, writeback.writtenBackTo(before));
        assertEquals(1 << 20, writeback.writtenBackTo(newest));
        writeback.pass();
        assertEquals(2L << 20, writeback.bytesWrittenBack(), "a finished cycle is not written again");

        // the newest rolls: what it had left behind the writer goes whole, the new one waits for its lag
        final Path rolled = append(dir.resolve("20261124L.cq4"), 64 << 10);
        writeback.pass();
        assertEquals(2 << 20, writeback.writtenBackTo(newest));
        assertEquals(0, writeback.writtenBackTo(rolled));
        assertEquals(0, writeback.writtenBackTo(before), "forgotten once two newer cycles exist");
    }

    @Test
    void directoriesAreListedEveryFewPassesOnly(@TempDir final Path dir) throws IOException
    {
        final Path first = append(dir.resolve("20261122L.cq4"), 1 << 20);
        try (JournalWriteback writeback = new JournalWriteback(List.of(dir), LAG, MIN, 3, p -> fail(p)))
        {
            writeback.pass();
            final Path second = append(dir.resolve("20261123L.cq4"), 1 << 20);
            writeback.pass();
            writeback.pass();
            assertEquals(0, writeback.writtenBackTo(first), "the new cycle is not seen before the next listing");
            writeback.pass();
            assertEquals(1 << 20, writeback.writtenBackTo(first));
            assertEquals(0, writeback.writtenBackTo(second));
        }
    }

    @Test
    void aCycleFileDeletedByPruneIsForgotten(@TempDir final Path dir) throws IOException
    {
        final Path older = append(dir.resolve("20261122L.cq4"), 1 << 20);
        final Path newest = append(dir.resolve("20261123L.cq4"), 1 << 20);
        final List<String> problems = new ArrayList<>();
        final JournalWriteback writeback = new JournalWriteback(List.of(dir), LAG, MIN, 1, problems::add);
        writeback.pass();
        assertEquals(1 << 20, writeback.writtenBackTo(older));
        assertEquals(0, writeback.writtenBackTo(newest), "all of it is within the lag");

        Files.delete(older);
        writeback.pass();
        assertEquals(0, writeback.writtenBackTo(older));
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void theServerEngineRunsItInPagecacheModeOnly(@TempDir final Path dir)
    {
        final PipelineConfig pipeline = PipelineConfig.defaults().tickIdleMillis(0).clock(new SteppingClock(10));
        try (JournaledEngine engine = JournaledEngine.open(dir.resolve("a"), JournalOptions.defaults().pipelineConfig(pipeline), p -> fail(p)))
        {
            engine.start();
            assertNotNull(engine.writeback());
            assertTrue(threadRunning("mete-writeback"));
        }
        assertFalse(threadRunning("mete-writeback"), "closing the engine stops the thread");
        try (JournaledEngine engine = JournaledEngine.open(dir.resolve("b"),
            JournalOptions.defaults().pipelineConfig(pipeline).durability(Durability.SYNC), p -> fail(p)))
        {
            assertNull(engine.writeback(), "sync mode forces every batch itself");
        }
        try (JournaledEngine engine = JournaledEngine.open(dir.resolve("c"),
            JournalOptions.defaults().pipelineConfig(pipeline).writeback(false), p -> fail(p)))
        {
            assertNull(engine.writeback());
        }
    }

    private static boolean threadRunning(final String name)
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** Appends {@code bytes} random bytes through a write mapping, the way the journal writes: the pages stay dirty. */
    private static Path append(final Path file, final int bytes) throws IOException
    {
        final byte[] data = new byte[bytes];
        new SplittableRandom(bytes).nextBytes(data);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long at = channel.size();
            channel.map(FileChannel.MapMode.READ_WRITE, at, bytes).put(ByteBuffer.wrap(data));
        }
        assertTrue(Arrays.equals(data, Arrays.copyOfRange(Files.readAllBytes(file), (int)(Files.size(file) - bytes), (int)Files.size(file))));
        return file;
    }
}
