package io.mete.benchmarks.support;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import org.agrona.ExpandableArrayBuffer;

/**
 * A workload's setup commands (policy, rate card, nodes, stock), encoded once and kept as bytes, so
 * a benchmark can load a fresh engine every iteration without re-encoding 200,000 commands through
 * {@code String.format}. Replaying the image is exactly what {@link ReferenceNetwork#build} would
 * have sent.
 */
public final class NetworkImage
{
    private final Workload workload;
    private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(1 << 20);
    private int[] offsets = new int[1024];
    private int[] lengths = new int[1024];
    private int count;
    private int used;

    private NetworkImage(final Workload workload)
    {
        this.workload = workload;
    }

    public static NetworkImage of(final Workload workload)
    {
        final NetworkImage image = new NetworkImage(workload);
        ReferenceNetwork.build(workload, (buffer, offset, length) -> image.append(buffer, offset, length));
        return image;
    }

    private void append(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        if (count == offsets.length)
        {
            offsets = java.util.Arrays.copyOf(offsets, count * 2);
            lengths = java.util.Arrays.copyOf(lengths, count * 2);
        }
        bytes.putBytes(used, buffer, offset, length);
        offsets[count] = used;
        lengths[count] = length;
        used += length;
        count++;
    }

    public Workload workload()
    {
        return workload;
    }

    /** Number of setup commands. */
    public int commands()
    {
        return count;
    }

    /** Commands before the first stock command: the policy, the rate card and one per node. */
    public int networkCommands()
    {
        return 2 + workload.nodes();
    }

    /** Applies commands {@code from} (inclusive) to {@code to} (exclusive); returns the next sequence. */
    public long replay(final AllocationEngine engine, final long firstSequence, final long timestamp, final int from, final int to)
    {
        long sequence = firstSequence;
        for (int i = from; i < to; i++)
        {
            engine.apply(sequence++, timestamp, bytes, offsets[i], lengths[i]);
        }
        return sequence;
    }

    /** Applies every setup command; returns the next sequence. */
    public long replay(final AllocationEngine engine, final long firstSequence, final long timestamp)
    {
        return replay(engine, firstSequence, timestamp, 0, count);
    }
}
