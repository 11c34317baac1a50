package io.mete.engine.order;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A book built for one order takes hundreds of thousands: every column grows over several pages and keeps what it holds. */
class OrderBookGrowthTest
{
    private static final int ORDERS = 200_000;

    @Test
    void aBookBuiltSmallGrowsPastManyPagesAndSnapshotsTheSame() throws IOException
    {
        final OrderBook book = new OrderBook(1, 1);
        fill(book);
        check(book);

        final byte[] snapshot = snapshot(book);
        final OrderBook loaded = new OrderBook(1, 1);
        loaded.readFrom(new DataInputStream(new ByteArrayInputStream(snapshot)), true);
        check(loaded);
        assertArrayEquals(snapshot, snapshot(loaded), "a loaded book writes the bytes it was read from");

        final OrderBook presized = new OrderBook(ORDERS, 2);
        fill(presized);
        assertArrayEquals(snapshot, snapshot(presized), "the size a book was built for changes nothing it holds");
    }

    private static void fill(final OrderBook book)
    {
        for (int order = 0; order < ORDERS; order++)
        {
            final int lines = 1 + order % 3;
            book.addOrder(order, order % 5, order % 7, order % 2, order, -order, 20_000 + order % 9, order * 11L,
                OrderBook.STATE_OPEN, order * 1_000L, lines);
            for (int l = 0; l < lines; l++)
            {
                final int line = book.addLine(order, (order + l) % 1_000, 1 + l);
                book.allocate(order, line, (order + l) % 100, 1 + l, OrderBook.ALLOC_RESERVED);
            }
            if (order % 4 == 0)
            {
                book.exclude(order, order % 100);
            }
        }
    }

    private static void check(final OrderBook book)
    {
        assertEquals(ORDERS, book.orderCount());
        long allocated = 0;
        for (int order = 0; order < ORDERS; order++)
        {
            assertEquals(order % 5, book.channel(order));
            assertEquals(order % 7, book.priority(order));
            assertEquals(order, book.latitudeMicros(order));
            assertEquals(-order, book.longitudeMicros(order));
            assertEquals(order * 11L, book.holdUntil(order));
            assertEquals(order * 1_000L, book.arrival(order));
            assertEquals(1 + order % 3, book.lineCount(order));
            assertEquals(order % 4 == 0, book.isExcluded(order, order % 100));
            for (int line = book.firstLine(order), l = 0; l < book.lineCount(order); line++, l++)
            {
                assertEquals(order, book.lineOrder(line));
                assertEquals((order + l) % 1_000, book.lineSku(line));
                assertEquals(1 + l, book.lineAllocated(line));
                allocated += book.lineAllocated(line);
            }
            int allocations = 0;
            for (int a = book.allocationHead(order); a != OrderBook.NONE; a = book.allocationNext(a))
            {
                assertEquals(order, book.lineOrder(book.allocationLine(a)));
                allocations++;
            }
            assertEquals(book.lineCount(order), allocations);
        }
        long listed = 0;
        for (int sku = 0; sku < 1_000; sku++)
        {
            int previous = Integer.MAX_VALUE;
            for (int a = book.firstOpenAllocation(sku); a != OrderBook.NONE; a = book.nextOpenAllocation(a))
            {
                assertEquals(true, a < previous, "open allocations of a SKU run highest id first");
                previous = a;
                listed += book.allocationQuantity(a);
            }
        }
        assertEquals(allocated, listed, "every open allocation is listed under its SKU");
    }

    private static byte[] snapshot(final OrderBook book) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        book.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
