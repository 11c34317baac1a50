package io.mete.engine.core;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrintableAsciiTest
{
    private static boolean bytewise(final byte[] bytes, final int offset, final int length)
    {
        for (int i = offset; i < offset + length; i++)
        {
            if (bytes[i] < 0x20 || bytes[i] > 0x7E)
            {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyByteValueAtEveryPlaceOfEveryLength()
    {
        final byte[] bytes = new byte[80];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int length = 1; length <= 40; length++)
        {
            for (int offset = 0; offset < 3; offset++)
            {
                for (int at = offset; at < offset + length; at++)
                {
                    for (int value = 0; value < 256; value++)
                    {
                        java.util.Arrays.fill(bytes, (byte)'A');
                        bytes[at] = (byte)value;
                        final boolean expected = value >= 0x20 && value <= 0x7E;
                        assertEquals(expected, CommandContext.isPrintableAscii(buffer, offset, length),
                            "byte " + value + " at " + (at - offset) + " of " + length);
                    }
                }
            }
        }
    }

    @Test
    void randomWordsNearTheEdgesAgreeWithAByteByByteCheck()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] edges = {0x00, 0x1E, 0x1F, 0x20, 0x21, 0x41, 0x7D, 0x7E, 0x7F, (byte)0x80, (byte)0x9F, (byte)0xA0, (byte)0xFE, (byte)0xFF};
        final byte[] bytes = new byte[64];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < 200_000; i++)
        {
            for (int b = 0; b < bytes.length; b++)
            {
                // mostly printable, so that a failing byte is often alone among good ones
                bytes[b] = random.nextInt(8) == 0 ? edges[random.nextInt(edges.length)] : (byte)(0x20 + random.nextInt(0x5F));
            }
            final int offset = random.nextInt(8);
            final int length = 1 + random.nextInt(bytes.length - offset);
            assertEquals(bytewise(bytes, offset, length), CommandContext.isPrintableAscii(buffer, offset, length));
        }
    }
}
