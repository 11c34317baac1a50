package io.mete.engine.order;

import io.mete.engine.column.IntColumn;

import java.util.Arrays;

/**
 * Doubly linked lists of int elements, one list per int key (a SKU), with the links in two arrays
 * indexed by element: an element is in at most one list. Where an element goes is the caller's
 * business ({@link #insertAfter}); this class only links and unlinks. Both arrays grow on demand.
 */
final class KeyedLinkedLists
{
    static final int NONE = OrderBook.NONE;
    /** {@code previous} of an element that is in no list. */
    private static final int UNLINKED = -2;

    private int[] head;
    private int[] tail;
    private final IntColumn previous;
    private final IntColumn next;

    KeyedLinkedLists(final int expectedKeys, final int expectedElements)
    {
        head = new int[Math.max(16, expectedKeys)];
        tail = new int[head.length];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        // per element, paged: the book's allocations and lines grow without a copy, and so do these
        previous = new IntColumn(Math.max(16, expectedElements), UNLINKED);
        next = new IntColumn(previous.capacity(), 0);
    }

    int head(final int key)
    {
        return key < head.length ? head[key] : NONE;
    }

    int tail(final int key)
    {
        return key < tail.length ? tail[key] : NONE;
    }

    int next(final int element)
    {
        return next.get(element);
    }

    int previous(final int element)
    {
        return previous.get(element);
    }

    boolean contains(final int element)
    {
        return element < previous.capacity() && previous.get(element) != UNLINKED;
    }

    /** Links the element into the key's list right after {@code after}, or at the front when that is {@link #NONE}. */
    void insertAfter(final int key, final int after, final int element)
    {
        ensureKey(key);
        ensureElement(element);
        final int before = after == NONE ? head[key] : next.get(after);
        previous.set(element, after);
        next.set(element, before);
        if (after == NONE)
        {
            head[key] = element;
        }
        else
        {
            next.set(after, element);
        }
        if (before == NONE)
        {
            tail[key] = element;
        }
        else
        {
            previous.set(before, element);
        }
    }

    /** Unlinks an element that is in the key's list. */
    void remove(final int key, final int element)
    {
        final int before = previous.get(element);
        final int after = next.get(element);
        if (before == NONE)
        {
            head[key] = after;
        }
        else
        {
            next.set(before, after);
        }
        if (after == NONE)
        {
            tail[key] = before;
        }
        else
        {
            previous.set(after, before);
        }
        previous.set(element, UNLINKED);
    }

    /** Empties every list (the arrays keep their size). */
    void clear()
    {
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        previous.fill(0, previous.capacity(), UNLINKED);
    }

    void ensureElement(final int element)
    {
        if (element >= previous.capacity())
        {
            previous.ensureCapacity(element + 1);
            next.ensureCapacity(element + 1);
        }
    }

    private void ensureKey(final int key)
    {
        if (key >= head.length)
        {
            final int old = head.length;
            final int capacity = Math.max(key + 1, old * 2);
            head = Arrays.copyOf(head, capacity);
            tail = Arrays.copyOf(tail, capacity);
            Arrays.fill(head, old, capacity, NONE);
            Arrays.fill(tail, old, capacity, NONE);
        }
    }
}
