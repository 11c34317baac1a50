package io.mete.benchmarks.core;

import io.mete.benchmarks.support.EngineFixture;
import io.mete.benchmarks.support.NetworkImage;
import io.mete.benchmarks.support.SteadyAllocation;
import io.mete.engine.command.CommandWriter;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * A WMS count that finds less stock than is reserved: SetOnHand drops a position to one unit below
 * what it has reserved, so the engine takes back the newest reservation there and sources it
 * elsewhere (coverage enforcement); a second SetOnHand puts the stock back. One operation is that
 * pair of commands, at {@value #BATCH} different positions per iteration ({@code Mode.SingleShotTime}
 * with {@code @OperationsPerInvocation}, so the score is ns per pair).
 * <p>
 * Each iteration's setup loads a fresh reference engine and places {@code orders} reference orders,
 * so the allocation that has to go back sits among millions of others, and picks the first
 * {@value #BATCH} positions (one per SKU) that hold reservations. Each operation moves one unit of
 * reservation away from its position, which is why the state is rebuilt per iteration. That setup
 * is most of {@code gc.alloc.rate.norm}; {@code allocSteadyBytesPerOp} covers the measured pairs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CoverageBenchmark.BATCH)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public class CoverageBenchmark
{
    static final int BATCH = 5_000;

    @Param({"1000000"})
    public int orders;

    private Workload workload;
    private NetworkImage image;
    private EngineFixture fixture;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer commands = new UnsafeBuffer(new byte[BATCH * 2 * 96]);
    private final int[] offsets = new int[BATCH * 2];
    private final int[] lengths = new int[BATCH * 2];
    private long rejectedBefore;

    @Setup(Level.Trial)
    public void loadWorkload()
    {
        workload = Workload.reference(SourcingStrategy.COST);
        image = NetworkImage.of(workload);
    }

    @Setup(Level.Iteration)
    public void placeOrders()
    {
        fixture = null;
        fixture = EngineFixture.load(image, orders + (1 << 16));
        final OrderGenerator generator = new OrderGenerator(workload, 1 << 16, "C-");
        for (int i = 0; i < orders; i++)
        {
            generator.next();
            fixture.apply(generator.buffer(), generator.offset(), generator.length());
        }
        final PositionTable positions = fixture.engine().positions();
        int found = 0;
        int at = 0;
        for (int sku = 0; sku < positions.skuCount() && found < BATCH; sku++)
        {
            for (int slot = 0; slot < positions.count(sku); slot++)
            {
                final int reserved = positions.reserved(sku, slot);
                if (reserved > 0)
                {
                    final String node = workload.nodeCode(positions.node(sku, slot));
                    final String code = Workload.skuCode(sku);
                    offsets[2 * found] = at;
                    lengths[2 * found] = writer.setOnHand(commands, at, 2L * found + 1, node, code, reserved - 1);
                    at += lengths[2 * found];
                    offsets[2 * found + 1] = at;
                    lengths[2 * found + 1] = writer.setOnHand(commands, at, 2L * found + 2, node, code, positions.onHand(sku, slot));
                    at += lengths[2 * found + 1];
                    found++;
                    break;
                }
            }
        }
        if (found < BATCH)
        {
            throw new IllegalStateException("only " + found + " SKUs with reservations after " + orders + " orders");
        }
        EngineFixture.settleHeap();
        rejectedBefore = fixture.sink().rejected();
    }

    @Benchmark
    public void countBelowReservedThenRestore(final SteadyAllocation allocation)
    {
        allocation.begin();
        for (int i = 0; i < 2 * BATCH; i++)
        {
            fixture.apply(commands, offsets[i], lengths[i]);
        }
        allocation.end(BATCH);
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
