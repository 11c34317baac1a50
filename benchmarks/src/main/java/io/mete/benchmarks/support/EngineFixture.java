package io.mete.benchmarks.support;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.workload.Workload;
import org.agrona.DirectBuffer;

/**
 * An engine loaded with a workload's network, plus the sequence and clock a host would give each
 * command. Time advances by one millisecond every 1,024 commands from the start of a day, so no
 * run reaches the daily rollover.
 */
public final class EngineFixture
{
    /** 2026-11-16T00:00Z: the start of a day, so a run never crosses midnight. */
    public static final long EPOCH = 20_773L * AllocationEngine.MILLIS_PER_DAY;

    private final AllocationEngine engine;
    private final CountingEventSink sink;
    private long sequence;

    private EngineFixture(final AllocationEngine engine, final CountingEventSink sink)
    {
        this.engine = engine;
        this.sink = sink;
    }

    /** The engine pre-sized for {@code expectedOrders} orders of the workload's line count. */
    public static EngineConfig config(final Workload workload, final int expectedOrders)
    {
        return EngineConfig.defaults()
            .expectedNodes(workload.nodes())
            .expectedSkus(workload.skus())
            .expectedOrders(expectedOrders)
            .expectedLinesPerOrder(workload.linesPerOrder());
    }

    /** A fresh engine with the image's network and stock applied, pre-sized for {@code expectedOrders}. */
    public static EngineFixture load(final NetworkImage image, final int expectedOrders)
    {
        return load(image, config(image.workload(), expectedOrders));
    }

    public static EngineFixture load(final NetworkImage image, final EngineConfig config)
    {
        final CountingEventSink sink = new CountingEventSink();
        final EngineFixture fixture = new EngineFixture(new AllocationEngine(config, sink), sink);
        fixture.sequence = image.replay(fixture.engine, 0, EPOCH);
        if (sink.rejected() != 0)
        {
            throw new IllegalStateException(sink.rejected() + " setup commands rejected");
        }
        return fixture;
    }

    public AllocationEngine engine()
    {
        return engine;
    }

    public CountingEventSink sink()
    {
        return sink;
    }

    public long sequence()
    {
        return sequence;
    }

    /** Applies one command with the next sequence number. */
    public void apply(final DirectBuffer buffer, final int offset, final int length)
    {
        final long s = sequence++;
        engine.apply(s, EPOCH + (s >> 10), buffer, offset, length);
    }

    /** Sum of reserved units over every position. */
    public static long totalReserved(final PositionTable positions)
    {
        long total = 0;
        for (int sku = 0, n = positions.skuCount(); sku < n; sku++)
        {
            for (int slot = 0, c = positions.count(sku); slot < c; slot++)
            {
                total += positions.reserved(sku, slot);
            }
        }
        return total;
    }

    /** Full collection so a measurement starts with no garbage and no concurrent GC cycle pending. */
    public static void settleHeap()
    {
        System.gc();
        System.gc();
    }
}
