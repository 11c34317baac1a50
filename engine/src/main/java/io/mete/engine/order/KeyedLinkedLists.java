package io.mete.engine.order;

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
    private int[] previous;
    private int[] next;

    KeyedLinkedLists(final int expectedKeys, final int expectedElements)
    {
        head = new int[Math.max(16, expectedKeys)];
        tail = new int[head.length];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        previous = new int[Math.max(16, expectedElements)];
        next = new int[previous.length];
        Arrays.fill(previous, UNLINKED);
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
        return next[element];
    }

    int previous(final int element)
    {
        return previous[element];
    }

    boolean contains(final int element)
    {
        return element < previous.length && previous[element] != UNLINKED;
    }

    /** Links the element into the key's list right after {@code after}, or at the front when that is {@link #NONE}. */
    void insertAfter(final int key, final int after, final int element)
    {
        ensureKey(key);
        ensureElement(element);
        final int before = after == NONE ? head[key] : next[after];
        previous[element] = after;
        next[element] = before;
        if (after == NONE)
        {
            head[key] = element;
        }
        else
        {
            next[after] = element;
        }
        if (before == NONE)
        {
            tail[key] = element;
        }
        else
        {
            previous[before] = element;
        }
    }

    /** Unlinks an element that is in the key's list. */
    void remove(final int key, final int element)
    {
        final int before = previous[element];
        final int after = next[element];
        if (before == NONE)
        {
            head[key] = after;
        }
        else
        {
            next[before] = after;
        }
        if (after == NONE)
        {
            tail[key] = before;
        }
        else
        {
            previous[after] = before;
        }
        previous[element] = UNLINKED;
    }

    /** Empties every list (the arrays keep their size). */
    void clear()
    {
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
        Arrays.fill(previous, UNLINKED);
    }

    void ensureElement(final int element)
    {
        if (element >= previous.length)
        {
            final int old = previous.length;
            final int capacity = Math.max(element + 1, old * 2);
            previous = Arrays.copyOf(previous, capacity);
            next = Arrays.copyOf(next, capacity);
            Arrays.fill(previous, old, capacity, UNLINKED);
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
