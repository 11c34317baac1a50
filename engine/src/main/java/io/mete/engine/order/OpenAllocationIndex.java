package io.mete.engine.order;

import java.util.Arrays;

/**
 * The open allocations of each SKU (reserved, released or picked, with a quantity left), highest
 * allocation id first: a doubly linked list per SKU through two arrays indexed by allocation id.
 * <p>
 * When on-hand drops below what is reserved at a position, the engine takes back reservations there
 * from the highest allocation id down. Without this index that meant scanning every allocation the
 * book holds, tens of millions on a busy server, to find the few of one SKU; with it the walk visits
 * only that SKU's open allocations.
 * <p>
 * The order is a function of the allocation ids alone, so the index is not part of snapshots: it is
 * rebuilt from the book when one is loaded and comes out the same as the one the running engine
 * kept. A new allocation usually has the highest id and goes to the front; one that reuses the id
 * of a retired order's allocation (an old, low id) is placed by walking from the back, where the
 * low ids are.
 */
final class OpenAllocationIndex
{
    private static final int NONE = OrderBook.NONE;
    /** {@code previous} of an allocation that is in no list. */
    private static final int UNLINKED = -2;

    private int[] head = new int[0];
    private int[] tail = new int[0];
    private int[] previous;
    private int[] next;

    OpenAllocationIndex(final int allocations)
    {
        previous = new int[allocations];
        next = new int[allocations];
        Arrays.fill(previous, UNLINKED);
    }

    void ensureAllocations(final int capacity)
    {
        if (capacity > previous.length)
        {
            final int old = previous.length;
            previous = Arrays.copyOf(previous, capacity);
            next = Arrays.copyOf(next, capacity);
            Arrays.fill(previous, old, capacity, UNLINKED);
        }
    }

    /** The open allocation of the SKU with the highest id, or {@link OrderBook#NONE}. */
    int first(final int sku)
    {
        return sku < head.length ? head[sku] : NONE;
    }

    /** The open allocation of the same SKU with the next lower id, or {@link OrderBook#NONE}. */
    int next(final int allocation)
    {
        return next[allocation];
    }

    boolean contains(final int allocation)
    {
        return previous[allocation] != UNLINKED;
    }

    void add(final int sku, final int allocation)
    {
        ensureSku(sku);
        final int front = head[sku];
        if (front == NONE || allocation > front)
        {
            previous[allocation] = NONE;
            next[allocation] = front;
            if (front == NONE)
            {
                tail[sku] = allocation;
            }
            else
            {
                previous[front] = allocation;
            }
            head[sku] = allocation;
            return;
        }
        // a reused, lower id: find the lowest listed id above it, walking up from the back
        int above = tail[sku];
        while (above < allocation)
        {
            above = previous[above];
        }
        final int below = next[above];
        previous[allocation] = above;
        next[allocation] = below;
        next[above] = allocation;
        if (below == NONE)
        {
            tail[sku] = allocation;
        }
        else
        {
            previous[below] = allocation;
        }
    }

    void remove(final int sku, final int allocation)
    {
        final int before = previous[allocation];
        final int after = next[allocation];
        if (before == NONE)
        {
            head[sku] = after;
        }
        else
        {
            next[before] = after;
        }
        if (after == NONE)
        {
            tail[sku] = before;
        }
        else
        {
            previous[after] = before;
        }
        previous[allocation] = UNLINKED;
    }

    /** Empties every list (the arrays keep their size). */
    void clear(final int allocations)
    {
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        Arrays.fill(previous, 0, Math.min(allocations, previous.length), UNLINKED);
    }

    private void ensureSku(final int sku)
    {
        if (sku >= head.length)
        {
            final int old = head.length;
            final int capacity = Math.max(sku + 1, Math.max(16, old * 2));
            head = Arrays.copyOf(head, capacity);
            tail = Arrays.copyOf(tail, capacity);
            Arrays.fill(head, old, capacity, NONE);
            Arrays.fill(tail, old, capacity, NONE);
        }
    }
}
