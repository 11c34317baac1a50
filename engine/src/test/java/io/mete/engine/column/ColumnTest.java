package io.mete.engine.column;

import io.mete.engine.snapshot.SnapshotIo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnTest
{
    private static final int PAGE = PagedColumn.PAGE_SIZE;

    @Test
    void growingKeepsEveryValueAndGivesNewIndexesTheInitialValue()
    {
        final IntColumn column = new IntColumn(10, -2);
        assertEquals(PAGE, column.capacity(), "capacity rounds up to whole pages");
        for (int i = 0; i < PAGE; i++)
        {
            column.set(i, i * 3);
        }
        column.ensureCapacity(PAGE * 2 + 1);
        assertEquals(PAGE * 3, column.capacity());
        for (int i = 0; i < PAGE; i++)
        {
            assertEquals(i * 3, column.get(i));
        }
        assertEquals(-2, column.get(PAGE));
        assertEquals(-2, column.get(PAGE * 3 - 1));
        column.add(PAGE - 1, 5);
        assertEquals((PAGE - 1) * 3 + 5, column.get(PAGE - 1));
    }

    @Test
    void anIndexOutsideTheColumnFailsBeforeTouchingMemory()
    {
        final IntColumn ints = new IntColumn(1, 0);
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> ints.get(ints.capacity()));
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> ints.set(-1, 1));
        final LongColumn longs = new LongColumn(1);
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> longs.set(longs.capacity(), 1L));
        final ByteColumn bytes = new ByteColumn(1);
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> bytes.get(Integer.MIN_VALUE));
    }

    @Test
    void longAndByteColumnsHoldTheirWholeRange()
    {
        final LongColumn longs = new LongColumn(PAGE + 1);
        final ByteColumn bytes = new ByteColumn(PAGE + 1);
        longs.set(PAGE, Long.MIN_VALUE + 7);
        bytes.set(PAGE, (byte)-128);
        longs.set(0, Long.MAX_VALUE);
        bytes.set(0, (byte)127);
        assertEquals(Long.MIN_VALUE + 7, longs.get(PAGE));
        assertEquals(Long.MAX_VALUE, longs.get(0));
        assertEquals(-128, bytes.get(PAGE));
        assertEquals(127, bytes.get(0));
        assertEquals(0L, longs.get(1));
        longs.fill(0, 3, 9L);
        assertEquals(9L, longs.get(2));
        assertEquals(0L, longs.get(3));
    }

    /** Snapshots written before the columns existed hold arrays in SnapshotIo's format: the columns write the same bytes. */
    @Test
    void snapshotBytesAreThoseOfTheArraysTheyReplace() throws IOException
    {
        final int count = PAGE + 1234;
        final int[] ints = new int[count];
        final long[] longs = new long[count];
        final byte[] bytes = new byte[count];
        final IntColumn intColumn = new IntColumn(count, 0);
        final LongColumn longColumn = new LongColumn(count);
        final ByteColumn byteColumn = new ByteColumn(count);
        for (int i = 0; i < count; i++)
        {
            ints[i] = i * 31 - 7;
            longs[i] = (long)i << 33 | i;
            bytes[i] = (byte)i;
            intColumn.set(i, ints[i]);
            longColumn.set(i, longs[i]);
            byteColumn.set(i, bytes[i]);
        }
        final ByteArrayOutputStream fromArrays = new ByteArrayOutputStream();
        final DataOutputStream a = new DataOutputStream(fromArrays);
        SnapshotIo.writeInts(a, ints, 0, count);
        SnapshotIo.writeLongs(a, longs, 0, count);
        a.write(bytes, 0, count);
        final ByteArrayOutputStream fromColumns = new ByteArrayOutputStream();
        final DataOutputStream c = new DataOutputStream(fromColumns);
        intColumn.write(c, count);
        longColumn.write(c, count);
        byteColumn.write(c, count);
        assertArrayEquals(fromArrays.toByteArray(), fromColumns.toByteArray());

        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(fromArrays.toByteArray()));
        final IntColumn intsBack = new IntColumn(1, 0);
        final LongColumn longsBack = new LongColumn(1);
        final ByteColumn bytesBack = new ByteColumn(1);
        intsBack.read(in, count);
        longsBack.read(in, count);
        bytesBack.read(in, count);
        assertTrue(intsBack.capacity() >= count);
        for (int i = 0; i < count; i++)
        {
            assertEquals(ints[i], intsBack.get(i));
            assertEquals(longs[i], longsBack.get(i));
            assertEquals(bytes[i], bytesBack.get(i));
        }
    }
}
