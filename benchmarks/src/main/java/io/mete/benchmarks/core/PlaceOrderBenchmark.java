package io.mete.benchmarks.core;

import io.mete.benchmarks.support.EngineFixture;
import io.mete.benchmarks.support.NetworkImage;
import io.mete.benchmarks.support.SteadyAllocation;
import io.mete.benchmarks.support.Variants;
import io.mete.engine.core.EngineTotals;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Place + allocate: one PlaceOrder command through {@code AllocationEngine.apply} per operation, on
 * one thread, with sourcing, reservation and every event (CommandAccepted, OrderAllocated per
 * shipment, AvailabilityChanged per position) delivered to a counting sink.
 * <p>
 * Orders accumulate state, so every iteration starts from a fresh engine loaded with the
 * workload's network, pre-sized for more orders than the iteration will place (sized from the
 * largest earlier iteration of the fork), followed by a full GC. The measured loop then allocates
 * nothing: see {@code allocSteadyBytesPerOp}; {@code gc.alloc.rate.norm} also counts the
 * engine built in the iteration's setup. The teardown checks the result the way WORKLOAD.md asks:
 * no command rejected, and reserved (+ backordered) units = lines × orders.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgs = {"-Xms6g", "-Xmx6g"})
public class PlaceOrderBenchmark
{
    /** See {@link Variants#workload}. */
    @Param({"reference", "nodes-10", "nodes-1000", "lines-1", "lines-10", "hot-sku"})
    public String variant;

    @Param({"COST", "FIRST_FIT"})
    public SourcingStrategy strategy;

    private static final int POOL = 1 << 16;
    private static final int FIRST_CAPACITY = 1 << 20;

    private Workload workload;
    private NetworkImage image;
    private OrderGenerator generator;
    private EngineFixture fixture;
    private SteadyAllocation allocation;
    private long placed;
    private long mostPlaced;
    private int capacity;

    @Setup(Level.Trial)
    public void loadWorkload()
    {
        workload = Variants.workload(variant, strategy);
        image = NetworkImage.of(workload);
        generator = new OrderGenerator(workload, POOL, "B-");
    }

    @Setup(Level.Iteration)
    public void freshEngine(final SteadyAllocation allocation)
    {
        this.allocation = allocation;
        fixture = null;
        capacity = mostPlaced == 0 ? FIRST_CAPACITY : (int)Math.min(1 << 28, mostPlaced + (mostPlaced >> 1) + (1 << 16));
        fixture = EngineFixture.load(image, capacity);
        placed = 0;
        EngineFixture.settleHeap();
        allocation.begin();
    }

    @Benchmark
    public void placeOrder()
    {
        generator.next();
        fixture.apply(generator.buffer(), generator.offset(), generator.length());
        placed++;
    }

    @TearDown(Level.Iteration)
    public void check()
    {
        allocation.end(placed);
        mostPlaced = Math.max(mostPlaced, placed);
        final EngineTotals totals = fixture.engine().totals();
        final long units = placed * workload.linesPerOrder();
        final long reserved = EngineFixture.totalReserved(fixture.engine().positions());
        if (fixture.sink().rejected() != 0 || totals.orders != placed || totals.unitsOrdered != units ||
            reserved + totals.unitsBackordered != units || (workload.hotSkus() == 0 && reserved != units))
        {
            throw new IllegalStateException(String.format(
                "check failed: placed %d, orders %d, rejected %d, units %d, reserved %d, backordered %d",
                placed, totals.orders, fixture.sink().rejected(), units, reserved, totals.unitsBackordered));
        }
        if (placed > capacity)
        {
            System.err.printf("note: iteration placed %,d orders, more than the %,d the engine was sized for%n", placed, capacity);
        }
    }
}
