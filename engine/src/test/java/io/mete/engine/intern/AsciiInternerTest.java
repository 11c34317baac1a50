package io.mete.engine.intern;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class AsciiInternerTest
{
    @Test
    void removedKeysAreGoneAndTheirIdsAreHandedOutLastFreedFirst()
    {
        final AsciiInterner interner = new AsciiInterner(64, 4);
        assertEquals(0, interner.intern("A"));
        assertEquals(1, interner.intern("B"));
        assertEquals(2, interner.intern("C"));
        interner.remove(0);
        interner.remove(2);
        assertEquals(AsciiInterner.MISSING, interner.find("A"));
        assertEquals(AsciiInterner.MISSING, interner.find("C"));
        assertEquals(1, interner.find("B"));
        assertEquals(1, interner.liveCount());
        assertEquals(3, interner.size());
        assertEquals(2, interner.intern("a much longer key than the one before"));
        assertEquals(0, interner.intern("D"));
        assertEquals(3, interner.intern("E"));
        assertEquals("a much longer key than the one before", interner.toString(2));
        assertEquals("D", interner.toString(0));
    }

    /**
     * Order numbers sent one after another differ in their last character, which the table places
     * side by side: long runs of occupied slots, through which lookups, removals (backward shift)
     * and doublings must still find every key, and keys whose last characters share their low four
     * bits ('A' and 'Q', '0' and 'P') must still be told apart.
     */
    @Test
    void sequentialIdsInNeighbouringSlotsAreFoundThroughRemovalsGrowthAndASnapshot() throws IOException
    {
        final AsciiInterner interner = new AsciiInterner(64, 16);
        final Map<String, Integer> model = new HashMap<>();
        final java.util.Set<Integer> liveIds = new java.util.HashSet<>();
        final String[] suffixes = {"0", "1", "9", "A", "Q", "P", "a", "q", "~"};
        int next = 0;
        for (int n = 0; n < 30_000; n++)
        {
            for (final String suffix : suffixes)
            {
                final String key = String.format("WEB-%08d", n / 10) + (n % 10) + suffix;
                final Integer known = model.get(key);
                final int id = interner.intern(key);
                if (known != null)
                {
                    assertEquals(known.intValue(), id, key);
                }
                else
                {
                    assertTrue(liveIds.add(id), "id " + id + " handed out twice, now for " + key);
                    model.put(key, id);
                }
            }
            if (n % 7 == 3)
            {
                // retire an older order's ids, leaving holes in the runs
                final String old = String.format("WEB-%08d", (n / 2) / 10) + ((n / 2) % 10) + suffixes[n % suffixes.length];
                final Integer id = model.remove(old);
                if (id != null)
                {
                    liveIds.remove(id);
                    interner.remove(id);
                    assertEquals(AsciiInterner.MISSING, interner.find(old), old);
                }
            }
            next++;
        }
        assertEquals(model.size(), interner.liveCount());
        for (final Map.Entry<String, Integer> entry : model.entrySet())
        {
            assertEquals(entry.getValue().intValue(), interner.find(entry.getKey()), entry.getKey());
            assertEquals(entry.getKey(), interner.toString(entry.getValue()));
        }
        assertEquals(AsciiInterner.MISSING, interner.find(String.format("WEB-%08d", next) + "0A"));

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        interner.writeTo(new DataOutputStream(bytes));
        final AsciiInterner restored = new AsciiInterner(64, 1);
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), true);
        for (final Map.Entry<String, Integer> entry : model.entrySet())
        {
            assertEquals(entry.getValue().intValue(), restored.find(entry.getKey()), entry.getKey());
        }
    }

    /** Random interns and removals against a HashMap, with many collisions in a small table. */
    @Test
    void agreesWithAMapUnderRandomInternsAndRemovals() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(42);
        final AsciiInterner interner = new AsciiInterner(64, 1);
        final Map<String, Integer> model = new HashMap<>();
        final Deque<Integer> freed = new ArrayDeque<>();
        final List<String> live = new ArrayList<>();
        int maxId = -1;
        for (int step = 0; step < 200_000; step++)
        {
            final int action = random.nextInt(10);
            if (action < 5 || live.isEmpty())
            {
                final String key = "K" + random.nextInt(5_000) + "-".repeat(random.nextInt(40));
                final int id = interner.intern(key);
                final Integer known = model.get(key);
                if (known != null)
                {
                    assertEquals(known.intValue(), id, key);
                }
                else
                {
                    final int expected = freed.isEmpty() ? maxId + 1 : freed.pop();
                    assertEquals(expected, id, "id for new key " + key);
                    maxId = Math.max(maxId, id);
                    model.put(key, id);
                    live.add(key);
                }
            }
            else if (action < 8)
            {
                final int index = random.nextInt(live.size());
                final String key = live.get(index);
                live.set(index, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                final int id = model.remove(key);
                interner.remove(id);
                freed.push(id);
                assertEquals(AsciiInterner.MISSING, interner.find(key));
            }
            else
            {
                final String key = random.nextBoolean() && !live.isEmpty() ? live.get(random.nextInt(live.size())) : "X" + random.nextInt(100);
                assertEquals(model.getOrDefault(key, AsciiInterner.MISSING).intValue(), interner.find(key), key);
            }
        }
        assertEquals(model.size(), interner.liveCount());
        for (final Map.Entry<String, Integer> entry : model.entrySet())
        {
            assertEquals(entry.getValue().intValue(), interner.find(entry.getKey()));
            assertEquals(entry.getKey(), interner.toString(entry.getValue()));
        }

        // a snapshot keeps every id, the free ids and their order
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        interner.writeTo(new DataOutputStream(bytes));
        final AsciiInterner restored = new AsciiInterner(64, 1);
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), true);
        assertEquals(interner.size(), restored.size());
        assertEquals(interner.liveCount(), restored.liveCount());
        for (final Map.Entry<String, Integer> entry : model.entrySet())
        {
            assertEquals(entry.getValue().intValue(), restored.find(entry.getKey()));
        }
        for (int i = 0; i < 50; i++)
        {
            assertEquals(interner.intern("new" + i), restored.intern("new" + i));
        }
    }

    @Test
    void growsFarPastItsExpectedSizeKeepingEveryIdThroughRemovalsAndASnapshot() throws IOException
    {
        final int keys = 500_000;
        final AsciiInterner interner = new AsciiInterner(64, 1);
        for (int i = 0; i < keys; i++)
        {
            assertEquals(i, interner.intern("ORDER-" + i));
        }
        for (int i = 0; i < keys; i += 3)
        {
            interner.remove(i);
        }
        for (int i = 0; i < keys; i++)
        {
            assertEquals(i % 3 == 0 ? AsciiInterner.MISSING : i, interner.find("ORDER-" + i));
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        interner.writeTo(new DataOutputStream(bytes));
        final AsciiInterner restored = new AsciiInterner(64, 1);
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), true);
        for (int i = 0; i < keys; i++)
        {
            assertEquals(i % 3 == 0 ? AsciiInterner.MISSING : i, restored.find("ORDER-" + i));
        }
        // freed ids come back last freed first, in both
        final int lastRemoved = (keys - 1) / 3 * 3;
        assertEquals(lastRemoved, interner.intern("again"));
        assertEquals(interner.find("again"), restored.intern("again"));
    }

    @Test
    void anArenaSizedForTheKeyLengthInUseAddsNoPageAndOneThatGrowsKeepsItsKeys()
    {
        final int keys = 10_000;
        final AsciiInterner sized = new AsciiInterner(64, keys, 24);
        final AsciiInterner small = new AsciiInterner(64, keys, 16);
        final int sizedCapacity = sized.arenaCapacity();
        final int smallCapacity = small.arenaCapacity();
        for (int i = 0; i < keys; i++)
        {
            final String key = String.format("LABC123C0-%012d", i);
            assertEquals(i, sized.intern(key));
            assertEquals(i, small.intern(key));
        }
        assertEquals(sizedCapacity, sized.arenaCapacity(), "22-byte ids fit an arena of 24 bytes per expected key");
        assertTrue(small.arenaCapacity() > smallCapacity, "they do not fit 16 bytes per key: that arena added pages");
        for (int i = 0; i < keys; i += 997)
        {
            final String key = String.format("LABC123C0-%012d", i);
            assertEquals(key, small.toString(i));
            assertEquals(i, small.find(key));
        }
        assertEquals("LABC123C0-000000009999", sized.toString(keys - 1));
    }

    @Test
    void aFirstFormatSnapshotWithAFreeIdIsRefused()
    {
        final AsciiInterner interner = new AsciiInterner(64, 4);
        interner.intern("A");
        interner.intern("B");
        interner.remove(0);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertDoesNotThrow(() -> interner.writeTo(new DataOutputStream(bytes)));
        final AsciiInterner restored = new AsciiInterner(64, 4);
        final IOException error = assertThrows(IOException.class,
            () -> restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), false));
        assertTrue(error.getMessage().contains("length 0"), error.getMessage());
    }

    @Test
    void aKeyPutAsAVariableLengthFieldIsItsLengthByteThenItsBytes()
    {
        final AsciiInterner interner = new AsciiInterner(64, 4);
        final int short_ = interner.intern("N7");
        final int longest = interner.intern("O".repeat(64));
        final int one = interner.intern("x");
        assertThrows(IllegalArgumentException.class, () -> interner.intern(""), "length 0 marks a free id");
        final org.agrona.concurrent.UnsafeBuffer direct = new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(80));
        final org.agrona.concurrent.UnsafeBuffer heap = new org.agrona.concurrent.UnsafeBuffer(new byte[80]);
        for (final org.agrona.concurrent.UnsafeBuffer buffer : List.of(direct, heap))
        {
            assertEquals(3, interner.putVarAscii(short_, buffer, 5));
            assertEquals(2, buffer.getByte(5));
            assertEquals("N7", buffer.getStringWithoutLengthAscii(6, 2));
            assertEquals(65, interner.putVarAscii(longest, buffer, 10));
            assertEquals(64, buffer.getByte(10));
            assertEquals("O".repeat(64), buffer.getStringWithoutLengthAscii(11, 64));
            assertEquals(2, interner.putVarAscii(one, buffer, 78));
            assertEquals(1, buffer.getByte(78));
            assertEquals('x', buffer.getByte(79));
            assertEquals("N7", interner.toString(short_), "the other keys' records are untouched");
            assertThrows(IndexOutOfBoundsException.class, () -> interner.putVarAscii(longest, buffer, 16));
            assertEquals('O', buffer.getByte(16), "a key that does not fit writes nothing");
        }
    }
}
