package io.mete.journal;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;

/**
 * Turns off the kernel's read-around for each mapped chunk of a journal file the appender writes
 * into ({@code madvise(MADV_RANDOM)}).
 *
 * <p>Why: a journal file grows into pages that are still holes. The first touch of such a page
 * faults, and for a file mapping Linux then "reads around" the faulting page: it fills the whole
 * read-ahead window with zeroed page-cache pages. The window is the block device's
 * {@code read_ahead_kb}, 8 MB on common virtual disks, so one append in every few megabytes of
 * journal stalled its thread for about 20 ms on ext4 (measured: that was the whole p99 of the
 * server at 25,000 orders/s). With read-around off each new page costs one small fault, spread
 * evenly over the appends. On tmpfs there is no read-around and the advice changes nothing.
 *
 * <p>Best effort: where the advice is not available (no native access, another OS) the journal
 * works as before and {@link #failures()} counts the refusals.
 */
final class ReadAroundOff
{
    private static final long PAGE = 4096;

    private BytesStore<?, ?> advised;
    private int advisedChunks;
    private int failures;

    /** Advises {@code store} once, the first time the appender writes into it. */
    void onWrite(final BytesStore<?, ?> store)
    {
        if (store == advised)
        {
            return;
        }
        advised = store;
        if (!(store instanceof MappedBytesStore))
        {
            return;
        }
        final MappedBytesStore mapped = (MappedBytesStore)store;
        try
        {
            // the chunk's own mapping: capacity() is the chunk plus its overlap, as mapped
            final long address = mapped.addressForRead(mapped.start());
            final long aligned = address & ~(PAGE - 1);
            final long length = mapped.capacity() + (address - aligned);
            if (PosixAPI.posix().madvise(aligned, length, MAdviseFlag.MADV_RANDOM) == 0)
            {
                advisedChunks++;
            }
            else
            {
                failures++;
            }
        }
        catch (final RuntimeException | LinkageError ex)
        {
            failures++;
        }
    }

    /** Mapped chunks advised so far. */
    int advisedChunks()
    {
        return advisedChunks;
    }

    /** Chunks the advice could not be applied to. */
    int failures()
    {
        return failures;
    }
}
