package io.mete.benchmarks.core;

import io.mete.benchmarks.support.EngineFixture;
import io.mete.benchmarks.support.NetworkImage;
import io.mete.engine.command.CommandWriter;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.AdjustReason;
import io.mete.schema.MessageHeaderDecoder;
import io.mete.schema.PlaceOrderDecoder;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Commands that leave the amount of state unchanged, so one engine serves the whole fork: inventory
 * adjustments, availability and promise queries, and Tick (the floor of {@code apply}: header,
 * dispatch, one CommandAccepted event).
 * <p>
 * The engine holds the reference network (100 nodes, 10,000 SKUs at 20 nodes, 200,000
 * positions) and no orders. Commands are pre-encoded into a pool of {@value #POOL} and replayed in
 * a cycle. The adjustment pool touches random positions: its first half adds one unit at each, its
 * second half takes the unit back at the same positions in another order, so on-hand stays at
 * its starting level however long the run. Each accepted adjustment publishes CommandAccepted and
 * AvailabilityChanged; each availability query publishes one Availability event listing the SKU's 20
 * positions. Each promise query asks for an order the placement benchmarks would place (the workload's
 * OrderGenerator: 3 distinct random SKUs, one unit each, a random destination, COST sourcing) and
 * publishes one Promise: the planning of a placement without
 * its reservations and events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class InventoryBenchmark
{
    private static final int POOL = 1 << 14;

    private Workload workload;
    private EngineFixture fixture;
    private final Pool adjustments = new Pool();
    private final Pool queries = new Pool();
    private final Pool ticks = new Pool();
    private final Pool promises = new Pool();
    private long rejectedBefore;

    static final class Pool
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[POOL * 128]);
        final int[] offsets = new int[POOL];
        final int[] lengths = new int[POOL];
        int next;
    }

    @Setup(Level.Trial)
    public void load()
    {
        workload = Workload.reference(SourcingStrategy.COST);
        fixture = EngineFixture.load(NetworkImage.of(workload), 1 << 10);
        final CommandWriter writer = new CommandWriter();
        final SplittableRandom random = new SplittableRandom(workload.seed());
        final int half = POOL / 2;
        final int[] skus = new int[half];
        final int[] nodes = new int[half];
        for (int i = 0; i < half; i++)
        {
            skus[i] = random.nextInt(workload.skus());
            nodes[i] = workload.stockingNode(skus[i], random.nextInt(workload.nodesPerSku()));
        }
        final int[] order = new int[half];
        for (int i = 0; i < half; i++)
        {
            order[i] = i;
        }
        for (int i = half - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int at = 0;
        for (int i = 0; i < POOL; i++)
        {
            final int k = i < half ? i : order[i - half];
            final int delta = i < half ? 1 : -1;
            adjustments.offsets[i] = at;
            adjustments.lengths[i] = writer.adjustOnHand(adjustments.buffer, at, i + 1, workload.nodeCode(nodes[k]),
                Workload.skuCode(skus[k]), delta, delta > 0 ? AdjustReason.RECEIPT : AdjustReason.CYCLE_COUNT);
            at += adjustments.lengths[i];
        }
        at = 0;
        for (int i = 0; i < POOL; i++)
        {
            queries.offsets[i] = at;
            queries.lengths[i] = writer.queryAvailability(queries.buffer, at, i + 1, Workload.skuCode(random.nextInt(workload.skus())));
            at += queries.lengths[i];
        }
        at = 0;
        for (int i = 0; i < POOL; i++)
        {
            ticks.offsets[i] = at;
            ticks.lengths[i] = writer.tick(ticks.buffer, at, i + 1);
            at += ticks.lengths[i];
        }
        // the reference orders the placement benchmarks place, asked about instead of placed
        final OrderGenerator generator = new OrderGenerator(workload, POOL, "Q-");
        final PlaceOrderDecoder placed = new PlaceOrderDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        at = 0;
        for (int i = 0; i < POOL; i++)
        {
            generator.next();
            placed.wrapAndApplyHeader(generator.buffer(), generator.offset(), header);
            final double latitude = placed.latitude() / 1e6;
            final double longitude = placed.longitude() / 1e6;
            final PlaceOrderDecoder.LinesDecoder lines = placed.lines();
            final String[] lineSkus = new String[lines.count()];
            final int[] quantities = new int[lineSkus.length];
            for (int l = 0; l < lineSkus.length; l++)
            {
                lines.next();
                quantities[l] = lines.quantity();
                lineSkus[l] = lines.sku();
            }
            promises.offsets[i] = at;
            promises.lengths[i] = writer.queryPromise(promises.buffer, at, i + 1, ReferenceNetwork.CHANNEL, placed.service(),
                latitude, longitude, 0, lineSkus, quantities);
            at += promises.lengths[i];
        }
        rejectedBefore = fixture.sink().rejected();
    }

    private void applyNext(final Pool pool)
    {
        final int i = pool.next;
        pool.next = (i + 1) & (POOL - 1);
        fixture.apply(pool.buffer, pool.offsets[i], pool.lengths[i]);
    }

    /** AdjustOnHand (receipt or cycle count) at an existing position. */
    @Benchmark
    public void adjustOnHand()
    {
        applyNext(adjustments);
    }

    /** QueryAvailability of one SKU: ATP at each of its 20 positions. */
    @Benchmark
    public void queryAvailability()
    {
        applyNext(queries);
    }

    /** QueryPromise of a reference order: where its 3 lines would ship from and when, nothing reserved. */
    @Benchmark
    public void queryPromise()
    {
        applyNext(promises);
    }

    /** Tick: the cost of apply itself (header, time, dispatch, CommandAccepted). */
    @Benchmark
    public void tick()
    {
        applyNext(ticks);
    }

    @TearDown(Level.Iteration)
    public void check()
    {
        if (fixture.sink().rejected() != rejectedBefore)
        {
            throw new IllegalStateException((fixture.sink().rejected() - rejectedBefore) + " commands rejected");
        }
    }
}
