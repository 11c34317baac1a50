package io.mete.journal;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Brings the next few megabytes of each journal's newest cycle file, just past where its appender
 * has written, into the page cache before the appender gets there.
 * <p>
 * Why: Chronicle grows a cycle file ahead of its writer as a sparse file. The first write to each
 * page of it faults, and the kernel fills the page by "reading" the hole: a page allocated and
 * zeroed in the writing thread, one page at a time ({@link ReadAroundOff}). Measured in the server
 * at 100,000 orders/s, those faults were more than half of the output thread's time (it writes the
 * event journal) and a tenth of the engine thread's (the command journal), on the path of every
 * response. Here the same pages are asked for ahead of time ({@code madvise(MADV_WILLNEED)} on a
 * mapping that is never touched), so the appender's fault finds each page cached and only maps it.
 * <p>
 * Asking for pages changes nothing in the file, so it cannot race with the appender: a page the
 * appender has written stays as written, one it has not reads as zeros, either way it ends up
 * cached. Each pass, every {@link #PERIOD_NS}, reads from where the last one stopped (or from the
 * appender's position, when that is further) to {@link #LEAD_BYTES} past the appender, at most
 * {@link #PASS_BYTES}, in calls of {@link #SLICE_BYTES}: the work follows the appender in small
 * even steps. All at once, as the file grows by a 16 MB block, it held a CPU long enough to double
 * the stalls of 1 ms and more that other threads saw on a 2-core machine. A new cycle file is
 * looked for when the appender's position goes back (it rolled) and once a second.
 */
public final class JournalReadAhead implements AutoCloseable
{
    /** One journal to follow: its directory and where its appender has written to in the newest cycle file. */
    public record Followed(Path directory, LongSupplier writtenTo)
    {
    }

    static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How far past the appender pages are brought in: 40 ms of event journal at 200 MB/s. */
    static final long LEAD_BYTES = 8L << 20;
    /** At most this much per pass (512 MB/s at one pass per 2 ms) ... */
    static final long PASS_BYTES = 1L << 20;
    /** ... in calls of this length, each short. */
    static final long SLICE_BYTES = 64L << 10;
    private static final int LIST_EVERY_PASSES = (int)(TimeUnit.SECONDS.toNanos(1) / PERIOD_NS);
    private static final long PAGE = 4096;

    private final List<Queue> queues = new ArrayList<>();
    private final int listEveryPasses;
    private final PeriodicThread thread;
    private volatile long bytesRead;
    private int passes;
    private int windowsMapped;

    public JournalReadAhead(final List<Followed> journals, final Consumer<String> problems)
    {
        this(journals, LIST_EVERY_PASSES, problems);
    }

    JournalReadAhead(final List<Followed> journals, final int listEveryPasses, final Consumer<String> problems)
    {
        for (final Followed journal : journals)
        {
            queues.add(new Queue(journal));
        }
        this.listEveryPasses = listEveryPasses;
        this.thread = new PeriodicThread("mete-readahead", PERIOD_NS, this::pass, problems);
    }

    public JournalReadAhead start()
    {
        thread.start();
        return this;
    }

    /** Bytes asked for so far. */
    public long bytesRead()
    {
        return bytesRead;
    }

    /** One pass over every journal. */
    void pass()
    {
        final boolean relist = passes++ % listEveryPasses == 0;
        for (final Queue queue : queues)
        {
            final long writtenTo = queue.journal.writtenTo().getAsLong();
            if (queue.refused)
            {
                continue;
            }
            // the appender's position going back means it rolled to a new cycle file; its first
            // position means its first file exists now: look at once rather than at the next listing
            if (relist || writtenTo < queue.lastWrittenTo || (queue.lastWrittenTo == 0 && writtenTo > 0))
            {
                queue.followNewest();
            }
            queue.lastWrittenTo = writtenTo;
            queue.readAhead(writtenTo);
        }
    }

    /** Where reading has reached in the newest cycle file of {@code directory} (0 when none is open). */
    long readTo(final Path directory)
    {
        for (final Queue queue : queues)
        {
            if (queue.journal.directory().equals(directory))
            {
                return queue.readTo;
            }
        }
        return 0;
    }

    /** Mappings made so far: one per file, and one more each time the file grew past the last. */
    int windowsMapped()
    {
        return windowsMapped;
    }

    private final class Queue
    {
        final Followed journal;
        Path file;
        FileChannel channel;
        long readTo;
        long lastWrittenTo;
        /** madvise was refused or is missing: the appender faults its own pages in, as without read-ahead. */
        boolean refused;
        MappedByteBuffer window;
        long windowAddress;
        long windowStart;
        long windowEnd;

        Queue(final Followed journal)
        {
            this.journal = journal;
        }

        /** Switches to the directory's newest cycle file when it is not the one being read. */
        void followNewest()
        {
            final Path dir = journal.directory();
            final Path newest;
            try
            {
                if (!Files.isDirectory(dir))
                {
                    return;
                }
                final List<Path> cycles = JournalDirectory.cycleFiles(dir);
                if (cycles.isEmpty())
                {
                    return;
                }
                newest = cycles.get(cycles.size() - 1);
            }
            catch (final IOException | UncheckedIOException ex)
            {
                thread.report("cannot list " + dir + ": " + ex);
                return;
            }
            if (newest.equals(file))
            {
                return;
            }
            closeChannel();
            try
            {
                channel = FileChannel.open(newest, StandardOpenOption.READ);
                file = newest;
                readTo = 0;
            }
            catch (final NoSuchFileException ex)
            {
                // pruned or renamed between the listing and now: the next listing looks again
            }
            catch (final IOException ex)
            {
                thread.report("journal read-ahead cannot open " + newest + ": " + ex);
            }
        }

        void readAhead(final long writtenTo)
        {
            if (channel == null)
            {
                return;
            }
            try
            {
                final long from = Math.max(readTo, writtenTo & -PAGE);
                // whole pages: madvise takes page-aligned addresses
                final long to = Math.min(Math.min(channel.size(), writtenTo + LEAD_BYTES), from + PASS_BYTES) & -PAGE;
                if (to <= from)
                {
                    return;
                }
                if (from < windowStart || to > windowEnd)
                {
                    mapWindow(from);
                }
                for (long at = from; at < to && !thread.stopping(); at += SLICE_BYTES)
                {
                    final long length = Math.min(SLICE_BYTES, to - at);
                    if (PosixAPI.posix().madvise(windowAddress + (at - windowStart), length, MAdviseFlag.MADV_WILLNEED) != 0)
                    {
                        thread.report("journal read-ahead of " + file + " refused, stopped for " + journal.directory() +
                            " (the appender faults its pages in itself): " + PosixAPI.posix().lastErrorStr());
                        refused = true;
                        closeChannel();
                        return;
                    }
                    bytesRead += length;
                }
                readTo = to;
            }
            catch (final IOException | RuntimeException ex)
            {
                // tried again from the next listing on
                thread.report("journal read-ahead of " + file + " failed (the appender faults its pages in itself): " + ex);
                closeChannel();
            }
            catch (final LinkageError ex)
            {
                thread.report("journal read-ahead has no madvise here, stopped for " + journal.directory() + ": " + ex);
                refused = true;
                closeChannel();
            }
        }

        /**
         * Maps the file from {@code from} to its current end, read-only, only to name ranges of it to
         * the kernel: never touched, so no page is mapped in. Kept until the file grows past it (a
         * 16 MB block at a time), so a pass costs no mmap or munmap, which take the process's
         * memory-map lock for writing.
         */
        private void mapWindow(final long from) throws IOException
        {
            unmapWindow();
            final long size = channel.size() & -PAGE;
            window = channel.map(FileChannel.MapMode.READ_ONLY, from, size - from);
            windowAddress = BufferUtil.address(window);
            windowStart = from;
            windowEnd = size;
            windowsMapped++;
        }

        private void unmapWindow()
        {
            if (window != null)
            {
                IoUtil.unmap(window);
                window = null;
                windowStart = 0;
                windowEnd = 0;
            }
        }

        void closeChannel()
        {
            unmapWindow();
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // opened for reading only
                }
                channel = null;
                file = null;
                readTo = 0;
            }
        }
    }

    @Override
    public void close()
    {
        if (thread.stop())
        {
            queues.forEach(Queue::closeChannel);
        }
    }
}
