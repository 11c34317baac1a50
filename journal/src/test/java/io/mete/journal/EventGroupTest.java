package io.mete.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The event journal writes the events of one command as one document (a group) and reads them
 * back one by one: every event keeps its own sequence, seeks land on any event inside a group, and
 * documents written one event each (journals from before groups) read the same way.
 */
class EventGroupTest
{
    /** One event as written: its sequence, command, client and bytes. */
    private record Event(long sequence, long command, int client, byte[] bytes)
    {
    }

    /**
     * Commands 1..40 with 1..7 events each, command 25 with events large enough to fill several
     * groups, and commands 41..45 written the old way, one document per event.
     */
    private static List<Event> write(final Path dir)
    {
        final List<Event> events = new ArrayList<>();
        final JournalDirectory files = new JournalDirectory(dir);
        long sequence = 0;
        try (ChronicleEventJournal journal = new ChronicleEventJournal(files.openEvents(Durability.PAGECACHE), Durability.PAGECACHE, true))
        {
            for (long command = 1; command <= 40; command++)
            {
                final int count = command == 25 ? 12 : (int)(command % 7) + 1;
                final int size = command == 25 ? 20_000 : 30 + (int)(command % 5);
                for (int i = 0; i < count; i++)
                {
                    final Event event = event(++sequence, command, (int)(command % 3) + 1, size);
                    events.add(event);
                    journal.append(event.sequence, event.client, event.command, new UnsafeBuffer(event.bytes), 0, event.bytes.length);
                }
                if (command % 10 == 0)
                {
                    journal.endOfBatch();
                }
            }
        }
        try (SingleChronicleQueue queue = files.openEvents(Durability.PAGECACHE); ChronicleAppender single =
            new ChronicleAppender(queue, Durability.PAGECACHE, false))
        {
            for (long command = 41; command <= 45; command++)
            {
                for (int i = 0; i < 2; i++)
                {
                    final Event event = event(++sequence, command, 1, 40);
                    events.add(event);
                    single.append(event.sequence, event.command, event.client, new UnsafeBuffer(event.bytes), 0, event.bytes.length);
                }
            }
        }
        return events;
    }

    private static Event event(final long sequence, final long command, final int client, final int size)
    {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(sequence * 31 + i);
        }
        return new Event(sequence, command, client, bytes);
    }

    private static List<Event> readFrom(final JournalReader reader, final int limit)
    {
        final List<Event> read = new ArrayList<>();
        while (read.size() < limit && reader.next((first, second, clientId, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            read.add(new Event(first, second, clientId, bytes));
        }))
        {
            assertEquals(read.get(read.size() - 1).sequence, reader.first());
        }
        return read;
    }

    private static void assertSameEvents(final List<Event> expected, final List<Event> actual)
    {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            final Event e = expected.get(i);
            final Event a = actual.get(i);
            assertEquals(e.sequence, a.sequence, "sequence of event " + i);
            assertEquals(e.command, a.command, "command of event " + e.sequence);
            assertEquals(e.client, a.client, "client of event " + e.sequence);
            assertArrayEquals(e.bytes, a.bytes, "bytes of event " + e.sequence);
        }
    }

    @Test
    void everyEventReadsBackInOrderWithItsOwnSequenceFromFewerDocuments(@TempDir final Path dir)
    {
        final List<Event> events = write(dir);
        try (SingleChronicleQueue queue = new JournalDirectory(dir).openEventsReadOnly(); JournalReader reader = new JournalReader(queue, "event"))
        {
            final List<Long> documents = new ArrayList<>();
            final List<Event> read = new ArrayList<>();
            while (reader.next((first, second, clientId, buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                read.add(new Event(first, second, clientId, bytes));
            }))
            {
                if (documents.isEmpty() || documents.get(documents.size() - 1) != reader.index())
                {
                    documents.add(reader.index());
                }
            }
            assertSameEvents(events, read);
            // 40 grouped commands, command 25's 12 × 20 kB events in four groups of at most 64 kB, 10 single events
            assertEquals(39 + 4 + 10, documents.size());
        }
    }

    @Test
    void seekLandsOnEveryEventInsideAGroupAndStopsAtTheEnd(@TempDir final Path dir)
    {
        final List<Event> events = write(dir);
        try (SingleChronicleQueue queue = new JournalDirectory(dir).openEventsReadOnly(); JournalReader reader = new JournalReader(queue, "event"))
        {
            for (final Event event : events)
            {
                assertTrue(reader.seek(event.sequence), "seek " + event.sequence);
                assertEquals(event.sequence, reader.first());
                final int index = (int)event.sequence - 1;
                assertSameEvents(events.subList(index, Math.min(events.size(), index + 9)), readFrom(reader, 9));
            }
            assertFalse(reader.seek(events.size() + 1), "one past the last event is not there yet");
        }
        try (EventJournalReader subscriber = new EventJournalReader(dir))
        {
            assertTrue(subscriber.seek(17));
            final List<Long> delivered = new ArrayList<>();
            while (subscriber.poll((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) ->
                delivered.add(eventSequence), 5) > 0)
            {
                assertEquals(delivered.get(delivered.size() - 1) + 1, subscriber.nextSequence());
            }
            assertEquals(events.size() - 16, delivered.size());
            assertEquals(17L, delivered.get(0));
        }
    }

    @Test
    void lastEventAndLastEventOfACommandAreTheLastOfTheirGroup(@TempDir final Path dir)
    {
        final List<Event> events = write(dir);
        try (SingleChronicleQueue queue = new JournalDirectory(dir).openEventsReadOnly(); JournalReader reader = new JournalReader(queue, "event"))
        {
            assertTrue(reader.readLast());
            assertEquals(events.size(), reader.first());
            for (long command = 1; command <= 45; command++)
            {
                final long wanted = command;
                final long last = events.stream().filter(e -> e.command == wanted).mapToLong(Event::sequence).max().orElseThrow();
                assertTrue(reader.findLastWithSecondAtMost(command));
                assertEquals(last, reader.first(), "last event of command " + command);
                assertEquals(command, reader.second());
            }
            assertTrue(reader.readFirst());
            assertEquals(1, reader.first());
            assertEquals(2, readFrom(reader, 1).get(0).sequence, "after readFirst the next event is the second");
        }
    }

    @Test
    void aGroupWhoseLengthsDoNotAddUpIsCorrupt(@TempDir final Path dir)
    {
        final JournalDirectory files = new JournalDirectory(dir);
        // a well-formed checksum over a group that claims three events but holds two
        final UnsafeBuffer group = new UnsafeBuffer(new byte[JournalEntry.GROUP_HEADER + 2 * (JournalEntry.GROUP_EVENT_HEADER + 10)]);
        group.putInt(0, JournalEntry.GROUP_MARKER, ByteOrder.LITTLE_ENDIAN);
        group.putInt(4, 3, ByteOrder.LITTLE_ENDIAN);
        group.putInt(8, 10, ByteOrder.LITTLE_ENDIAN);
        group.putInt(22, 10, ByteOrder.LITTLE_ENDIAN);
        try (SingleChronicleQueue queue = files.openEvents(Durability.PAGECACHE);
             ChronicleAppender appender = new ChronicleAppender(queue, Durability.PAGECACHE, false))
        {
            appender.append(1, 1, 1, group, 0, group.capacity());
        }
        try (SingleChronicleQueue queue = files.openEventsReadOnly(); JournalReader reader = new JournalReader(queue, "event"))
        {
            final JournalCorruptException thrown = assertThrows(JournalCorruptException.class,
                () -> reader.next((first, second, clientId, buffer, offset, length) -> { }));
            assertTrue(thrown.getMessage().contains("event group of 3 events ends after 2"), thrown.getMessage());
        }
    }
}
