package io.mete.engine.column;

import org.agrona.BufferUtil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A column's memory: pages of {@value #PAGE_SIZE} elements outside the Java heap, added one at a
 * time and never moved.
 * <p>
 * Off the heap because a growing order book on the heap is copied either way: by the engine when
 * an array doubles (a stop of 0.8 s when a book built for 4 million orders took its next one), or
 * by the collector, which evacuates every new page out of the young generation (a book grown page
 * by page on the heap cost young pauses of over 100 ms per gigabyte). Out here a page costs its
 * allocation and zeroing once, and the collector never looks at it.
 * <p>
 * Each page is a direct buffer, so its memory is freed when the column is no longer reachable and
 * counts against {@code -XX:MaxDirectMemorySize} (by default the maximum heap size).
 */
abstract class PagedColumn
{
    static final int SHIFT = 16;
    static final int PAGE_SIZE = 1 << SHIFT;
    static final int MASK = PAGE_SIZE - 1;

    private final int elementShift;
    private ByteBuffer[] buffers = new ByteBuffer[0];
    /**
     * Base address per page. Reading it is the bounds check: a negative index or one past the last
     * page fails here, before any memory is touched.
     */
    long[] addresses = new long[0];

    /** @param elementShift log2 of the element size in bytes */
    PagedColumn(final int elementShift)
    {
        this.elementShift = elementShift;
    }

    /** Indexes {@code 0 .. capacity() - 1} exist. */
    public final int capacity()
    {
        return addresses.length << SHIFT;
    }

    /** Adds zeroed pages until indexes {@code 0 .. capacity - 1} exist; answers the first new index, or -1. */
    final int addPages(final int capacity)
    {
        final int old = addresses.length;
        final int count = (int)(((long)capacity + PAGE_SIZE - 1) >>> SHIFT);
        if (count <= old)
        {
            return -1;
        }
        final ByteBuffer[] buffers = Arrays.copyOf(this.buffers, count);
        final long[] addresses = Arrays.copyOf(this.addresses, count);
        for (int p = old; p < count; p++)
        {
            // allocateDirect zeroes the page
            buffers[p] = ByteBuffer.allocateDirect(PAGE_SIZE << elementShift).order(ByteOrder.nativeOrder());
            addresses[p] = BufferUtil.address(buffers[p]);
        }
        this.buffers = buffers;
        this.addresses = addresses;
        return old << SHIFT;
    }

    /** Page {@code page}, positioned at 0, in native byte order. */
    final ByteBuffer page(final int page)
    {
        return buffers[page].duplicate().order(ByteOrder.nativeOrder());
    }

    /** How many of the first {@code count} elements lie in the page that starts at index {@code at}. */
    static int inPage(final int count, final int at)
    {
        return Math.min(PAGE_SIZE, count - at);
    }
}
