package io.mete.engine.order;

/**
 * The open allocations of each SKU (reserved, released or picked, with a quantity left), highest
 * allocation id first: one {@link KeyedLinkedLists} list per SKU.
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
    private static final int NONE = KeyedLinkedLists.NONE;

    private final KeyedLinkedLists lists;

    OpenAllocationIndex(final int allocations)
    {
        // the book does not know the SKUs: their lists grow as allocations name them
        lists = new KeyedLinkedLists(0, allocations);
    }

    void ensureAllocations(final int capacity)
    {
        lists.ensureElement(capacity - 1);
    }

    /** The open allocation of the SKU with the highest id, or {@link OrderBook#NONE}. */
    int first(final int sku)
    {
        return lists.head(sku);
    }

    /** The open allocation of the same SKU with the next lower id, or {@link OrderBook#NONE}. */
    int next(final int allocation)
    {
        return lists.next(allocation);
    }

    boolean contains(final int allocation)
    {
        return lists.contains(allocation);
    }

    void add(final int sku, final int allocation)
    {
        final int front = lists.head(sku);
        if (front == NONE || allocation > front)
        {
            lists.insertAfter(sku, NONE, allocation);
            return;
        }
        // a reused, lower id: after the lowest listed id above it, found walking up from the back
        int above = lists.tail(sku);
        while (above < allocation)
        {
            above = lists.previous(above);
        }
        lists.insertAfter(sku, above, allocation);
    }

    void remove(final int sku, final int allocation)
    {
        lists.remove(sku, allocation);
    }

    /** Empties every list. */
    void clear()
    {
        lists.clear();
    }
}
