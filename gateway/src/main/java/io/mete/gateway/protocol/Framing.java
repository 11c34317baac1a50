package io.mete.gateway.protocol;

import io.mete.schema.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The FIX Simple Open Framing Header in front of every message on the wire: a 4-byte big-endian
 * message length that counts the whole frame (header included), then a 2-byte big-endian encoding
 * type. Mete speaks one encoding, SBE 1.0 little-endian ({@code 0x5BE0}), and puts exactly one SBE
 * message (its 8-byte message header included) in each frame.
 */
public final class Framing
{
    public static final int HEADER_LENGTH = 6;
    public static final int SBE_LITTLE_ENDIAN = 0x5BE0;
    /** A frame must hold at least the framing header and an SBE message header. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
    public static final int DEFAULT_MAX_FRAME_LENGTH = 16 * 1024;

    private Framing()
    {
    }

    /** Writes the framing header for a message of {@code messageLength} bytes that follows at {@code offset + 6}. */
    public static void writeHeader(final MutableDirectBuffer buffer, final int offset, final int messageLength)
    {
        buffer.putInt(offset, messageLength + HEADER_LENGTH, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    /** Whole frame length as the header states it (may be garbage: check it before trusting it). */
    public static long frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public static int encodingType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
