package io.mete.journal;

import org.agrona.IoUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes journal pages back to disk steadily, a fixed distance behind the writer, in
 * {@link Durability#PAGECACHE} mode.
 * <p>
 * Why: left alone, the kernel lets dirty journal pages pile up until they pass its background
 * threshold (a tenth of free memory: about 2 GB, half a minute of journal at 100,000 orders/s) and
 * then writes all of them at once, the pages the appender is writing into included. Cleaning a page
 * that a thread has mapped write-protects it, flushes the TLB of every CPU running the process and
 * makes the next write to it fault again; on a small machine that burst took the engine's CPU for
 * 50 to 200 ms every half minute. Writing back only ranges the appender has left behind (Chronicle
 * has unmapped them) keeps the dirty pages few and the writeback away from the pages in use.
 * <p>
 * Each pass, for the newest {@code *.cq4} cycle file of each queue directory and the one before it:
 * the range from where the last pass stopped to {@code lagBytes} before the file's end (the whole
 * file once a newer cycle exists) is mapped afresh, msync'ed and unmapped. Older cycles were done
 * when they were the one before the newest, so a directory of many cycles costs no more per pass.
 * The mapping is never touched, so it adds no page-table entries. The first chunk of a cycle file
 * stays mapped by Chronicle for the file's life, so its pages are cleaned under the mapping once
 * (the reason for {@code JournalDirectory.BLOCK_SIZE}). This changes nothing about durability: a
 * process crash loses nothing either way, and power loss needs {@link Durability#SYNC}.
 */
public final class JournalWriteback implements AutoCloseable
{
    /** Distance kept from the end of the newest cycle file: Chronicle's mapped chunks lie within it. */
    public static final long DEFAULT_LAG_BYTES = 256L << 20;
    /** A pass skips a file until this much is ready, so msync calls stay few and large. */
    public static final long DEFAULT_MIN_BYTES = 16L << 20;
    private static final long MAX_MAP_BYTES = 256L << 20;
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The directories are listed every 16th pass (4 s). */
    private static final int LIST_EVERY_PASSES = 16;

    private final List<Path> queues;
    private final long lagBytes;
    private final long minBytes;
    private final Map<Path, Long> writtenBack = new HashMap<>();
    /** Cycles a newer one has replaced and that are written back whole: never looked at again. */
    private final Set<Path> finished = new HashSet<>();
    private final Map<Path, List<Path>> listed = new HashMap<>();
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final int listEveryPasses;
    private int passes;
    private final PeriodicThread thread;
    private volatile long bytesWrittenBack;

    public JournalWriteback(final List<Path> queues, final Consumer<String> problems)
    {
        this(queues, DEFAULT_LAG_BYTES, DEFAULT_MIN_BYTES, LIST_EVERY_PASSES, problems);
    }

    JournalWriteback(
        final List<Path> queues, final long lagBytes, final long minBytes, final int listEveryPasses, final Consumer<String> problems)
    {
        this.listEveryPasses = listEveryPasses;
        this.queues = List.copyOf(queues);
        this.lagBytes = lagBytes;
        this.minBytes = minBytes;
        this.thread = new PeriodicThread("mete-writeback", PERIOD_NS, this::pass, problems);
    }

    public JournalWriteback start()
    {
        thread.start();
        return this;
    }

    /** Bytes written back so far (ranges msync'ed; pages that were already clean count too). */
    public long bytesWrittenBack()
    {
        return bytesWrittenBack;
    }

    /** One pass over every queue directory; the thread calls it every 250 ms. */
    void pass()
    {
        // listing a directory allocates; a new cycle starts once an hour, so look every few seconds
        final boolean relist = passes++ % listEveryPasses == 0;
        for (final Path queue : queues)
        {
            if (relist)
            {
                listed.put(queue, newestCycles(queue));
            }
            final List<Path> cycles = listed.get(queue);
            if (cycles.size() == 2 && !finished.contains(cycles.get(0)))
            {
                writeBack(cycles.get(0), false);
            }
            if (!cycles.isEmpty())
            {
                writeBack(cycles.get(cycles.size() - 1), true);
            }
        }
        if (relist)
        {
            forgetUnlisted();
        }
    }

    /** Where the passes so far stopped in {@code file} (0 when never). */
    long writtenBackTo(final Path file)
    {
        return writtenBack.getOrDefault(file, 0L);
    }

    private void writeBack(final Path file, final boolean newest)
    {
        final long from = writtenBackTo(file);
        try
        {
            FileChannel channel = channels.get(file);
            if (channel == null)
            {
                // kept open while the file is one of the two newest: size() then allocates nothing
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                channels.put(file, channel);
            }
            final long size = channel.size();
            final long to = newest ? pageFloor(size - lagBytes) : size;
            if (to - from < (newest ? minBytes : 1))
            {
                if (!newest)
                {
                    finished.add(file);
                }
                return;
            }
            for (long start = from; start < to; start += MAX_MAP_BYTES)
            {
                final long length = Math.min(MAX_MAP_BYTES, to - start);
                // a range within the file's size: mapping it never extends the file
                final MappedByteBuffer range = channel.map(FileChannel.MapMode.READ_WRITE, start, length);
                try
                {
                    range.force();
                }
                finally
                {
                    IoUtil.unmap(range);
                }
                bytesWrittenBack += length;
                writtenBack.put(file, start + length);
            }
            if (!newest)
            {
                finished.add(file);
            }
        }
        catch (final NoSuchFileException ex)
        {
            // pruned between the listing and now: the next listing forgets it
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            thread.report("journal writeback of " + file + " failed (the kernel writes these pages back itself): " + ex);
        }
    }

    /** The queue's newest cycle file and the one before it, oldest first (fewer when there are fewer). */
    private List<Path> newestCycles(final Path queue)
    {
        if (!Files.isDirectory(queue))
        {
            return List.of();
        }
        try
        {
            final List<Path> cycles = JournalDirectory.cycleFiles(queue);
            return List.copyOf(cycles.subList(Math.max(0, cycles.size() - 2), cycles.size()));
        }
        catch (final IOException | UncheckedIOException ex)
        {
            thread.report("cannot list " + queue + ": " + ex);
            return List.of();
        }
    }

    /** Drops what is known about cycles no longer among the two newest of their queue (rolled on or pruned). */
    private void forgetUnlisted()
    {
        final Set<Path> kept = new HashSet<>();
        listed.values().forEach(kept::addAll);
        writtenBack.keySet().retainAll(kept);
        finished.retainAll(kept);
        channels.entrySet().removeIf(e ->
        {
            if (kept.contains(e.getKey()))
            {
                return false;
            }
            closeQuietly(e.getValue());
            return true;
        });
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // nothing was written through it
        }
    }

    private static long pageFloor(final long offset)
    {
        return Math.max(0, offset & -4096L);
    }

    @Override
    public void close()
    {
        if (thread.stop())
        {
            channels.values().forEach(JournalWriteback::closeQuietly);
            channels.clear();
        }
    }
}
