package io.mete.engine.workload;

import io.mete.engine.command.CommandWriter;
import io.mete.schema.MessageHeaderEncoder;
import io.mete.schema.ServiceLevel;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * A seeded stream of PlaceOrder commands for a workload. A pool of distinct orders (random SKUs and
 * destinations) is encoded once; each {@link #next()} rewrites the order id digits and the
 * correlation id of the next pool entry in place, so a generator produces millions of unique
 * orders without allocating.
 */
public final class OrderGenerator
{
    public static final int ID_DIGITS = 12;

    private final UnsafeBuffer pool;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] idOffsets;
    private long sequence;
    private int offset;
    private int length;

    /**
     * @param prefix order ids are {@code prefix} followed by 12 digits of the order's sequence number,
     *               so two generators with different prefixes never collide
     */
    public OrderGenerator(final Workload workload, final int poolSize, final String prefix)
    {
        final SplittableRandom random = new SplittableRandom(workload.seed());
        final CommandWriter writer = new CommandWriter();
        final int lines = workload.linesPerOrder();
        final int estimate = 64 + prefix.length() + ID_DIGITS + lines * 16;
        pool = new UnsafeBuffer(new byte[poolSize * estimate]);
        offsets = new int[poolSize];
        lengths = new int[poolSize];
        idOffsets = new int[poolSize];
        final String[] skus = new String[lines];
        final int[] quantities = new int[lines];
        final int[] chosen = new int[lines];
        final String zeros = "0".repeat(ID_DIGITS);
        int at = 0;
        for (int i = 0; i < poolSize; i++)
        {
            for (int l = 0; l < lines; l++)
            {
                int sku;
                boolean repeated;
                do
                {
                    sku = workload.hotSkus() > 0 && random.nextDouble() < workload.hotLineShare() ?
                        random.nextInt(workload.hotSkus()) : random.nextInt(workload.skus());
                    repeated = false;
                    for (int k = 0; k < l; k++)
                    {
                        repeated |= chosen[k] == sku;
                    }
                }
                while (repeated);
                chosen[l] = sku;
                skus[l] = Workload.skuCode(sku);
                quantities[l] = 1;
            }
            final double latitude = ReferenceNetwork.MIN_LATITUDE +
                random.nextDouble() * (ReferenceNetwork.MAX_LATITUDE - ReferenceNetwork.MIN_LATITUDE);
            final double longitude = ReferenceNetwork.MIN_LONGITUDE +
                random.nextDouble() * (ReferenceNetwork.MAX_LONGITUDE - ReferenceNetwork.MIN_LONGITUDE);
            final int written = writer.placeOrder(pool, at, 0, prefix + zeros, ReferenceNetwork.CHANNEL, 5, ServiceLevel.STANDARD,
                latitude, longitude, 0, 0, skus, quantities);
            offsets[i] = at;
            lengths[i] = written;
            // the order id is followed by the 1-byte channel length and the channel
            idOffsets[i] = at + written - 1 - ReferenceNetwork.CHANNEL.length() - ID_DIGITS;
            at += written;
        }
    }

    /** Encodes the next order in place; read it at {@link #buffer()}, {@link #offset()}, {@link #length()}. */
    public long next()
    {
        final long id = sequence++;
        final int slot = (int)(id % offsets.length);
        offset = offsets[slot];
        length = lengths[slot];
        pool.putLong(offset + MessageHeaderEncoder.ENCODED_LENGTH, id + 1, java.nio.ByteOrder.LITTLE_ENDIAN);
        putDigits(pool, idOffsets[slot], id);
        return id;
    }

    /** Writes the {@value #ID_DIGITS} digits of order number {@code id} at {@code at}: patches an encoded order id in place. */
    public static void putDigits(final org.agrona.MutableDirectBuffer buffer, final int at, final long id)
    {
        long value = id;
        for (int i = ID_DIGITS - 1; i >= 0; i--)
        {
            buffer.putByte(at + i, (byte)('0' + (value % 10)));
            value /= 10;
        }
    }

    public UnsafeBuffer buffer()
    {
        return pool;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    public long generated()
    {
        return sequence;
    }

    /** The order id of the {@code id}-th generated order. */
    public static String orderId(final String prefix, final long id)
    {
        return prefix + String.format("%0" + ID_DIGITS + "d", id);
    }
}
