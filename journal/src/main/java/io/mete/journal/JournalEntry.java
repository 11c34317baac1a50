package io.mete.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The layout of one journal entry inside a Chronicle Queue document, written with the low-level
 * bytes API (no Wire text, no field names):
 *
 * <pre>
 *   0  int64  first    command journal: command sequence   event journal: event sequence
 *   8  int64  second   command journal: timestamp (epoch ms) event journal: command sequence
 *  16  int32  clientId
 *  20  int32  length   of the message that follows
 *  24  int32  CRC32C   of bytes 0..23 and the message
 *  28  bytes  message  the SBE message exactly as it entered the ring (or left the engine)
 * </pre>
 *
 * Little-endian. The checksum catches what Chronicle's own framing cannot: a complete header over
 * bytes that never reached the disk (power loss in page-cache mode) or were damaged later.
 * <p>
 * The event journal writes the events of one command together as a <em>group</em>: one entry whose
 * {@code first} is the event sequence of its first event and whose message is
 * <pre>
 *   0  int32  {@link #GROUP_MARKER} (-1)
 *   4  int32  count of events, at least 1; their sequences are first, first + 1, ...
 *   8  count × (int32 length, then that many bytes: one SBE event)
 * </pre>
 * An SBE message never starts with the marker (its first two bytes are a block length, its next two
 * a template id), so a reader tells a group from a single message, which is how event journals
 * written before groups existed still read. One Chronicle document per group instead of per event
 * saves most of the journal's per-event work and 32 bytes per event.
 */
final class JournalEntry
{
    static final int HEADER = 28;
    static final int FIRST = 0;
    static final int SECOND = 8;
    static final int CLIENT_ID = 16;
    static final int LENGTH = 20;
    static final int CHECKSUM = 24;
    static final int GROUP_MARKER = -1;
    /** Marker and count before a group's first event. */
    static final int GROUP_HEADER = 8;
    /** Length before each event of a group. */
    static final int GROUP_EVENT_HEADER = 4;

    private final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER]);
    private final CRC32C crc = new CRC32C();
    private byte[] scratch = new byte[256];

    /** Writes one entry at the bytes' write position; allocates nothing for byte[]-backed messages. */
    void write(final Bytes<?> out, final long first, final long second, final int clientId, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final byte[] array;
        final int from;
        if (buffer.byteArray() != null)
        {
            array = buffer.byteArray();
            from = (int)(buffer.wrapAdjustment() + offset);
        }
        else
        {
            if (scratch.length < length)
            {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            buffer.getBytes(offset, scratch, 0, length);
            array = scratch;
            from = 0;
        }
        header.putLong(FIRST, first, ByteOrder.LITTLE_ENDIAN);
        header.putLong(SECOND, second, ByteOrder.LITTLE_ENDIAN);
        header.putInt(CLIENT_ID, clientId, ByteOrder.LITTLE_ENDIAN);
        header.putInt(LENGTH, length, ByteOrder.LITTLE_ENDIAN);
        final byte[] head = header.byteArray();
        crc.reset();
        crc.update(head, 0, CHECKSUM);
        crc.update(array, from, length);
        header.putInt(CHECKSUM, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        out.write(head, 0, HEADER);
        out.write(array, from, length);
    }

    /** Checks a whole entry held in {@code entry[0..size)}; returns null when sound, else what is wrong. */
    String check(final UnsafeBuffer entry, final int size)
    {
        if (size < HEADER)
        {
            return "entry of " + size + " bytes is shorter than the " + HEADER + "-byte entry header";
        }
        final int length = entry.getInt(LENGTH, ByteOrder.LITTLE_ENDIAN);
        if (length != size - HEADER)
        {
            return "entry says " + length + " message bytes but holds " + (size - HEADER);
        }
        crc.reset();
        crc.update(entry.byteArray(), 0, CHECKSUM);
        crc.update(entry.byteArray(), HEADER, length);
        final int expected = entry.getInt(CHECKSUM, ByteOrder.LITTLE_ENDIAN);
        if ((int)crc.getValue() != expected)
        {
            return String.format("checksum mismatch (stored %08x, computed %08x)", expected, (int)crc.getValue());
        }
        return null;
    }
}
