package io.mete.benchmarks.core;

import io.mete.benchmarks.support.EngineFixture;
import io.mete.benchmarks.support.NetworkImage;
import io.mete.benchmarks.support.PlacementCounters;
import io.mete.benchmarks.support.SteadyAllocation;
import io.mete.benchmarks.support.Variants;
import io.mete.engine.core.EngineTotals;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.IterationParams;

import java.util.concurrent.TimeUnit;

/**
 * Place + allocate: one PlaceOrder command through {@code AllocationEngine.apply} per operation, on
 * one thread, with sourcing, reservation and every event (CommandAccepted, OrderAllocated per
 * shipment, AvailabilityChanged per position) delivered to a counting sink.
 * <p>
 * Orders accumulate state, so every iteration starts from a fresh engine loaded with the
 * workload's network and pre-sized ({@code EngineConfig.expectedOrders}) for 2 GiB worth of
 * orders, or four times what the fastest earlier iteration of the fork would place in this
 * iteration's time if that is more (up to 4 GiB); then 1,024 orders are placed (the sourcing planner sizes its scratch arrays on first use) and a
 * full GC runs, all in the untimed setup. The measured loop then allocates nothing: see
 * {@code allocSteadyBytesPerOp}; {@code gc.alloc.rate.norm} also counts the engine built in the
 * iteration's setup, and {@code gc.count} the full GC.
 * <p>
 * The teardown checks the result the way WORKLOAD.md asks: no command rejected, and reserved +
 * backordered units = lines × orders; {@code shipmentsPerOrder} and {@code backorderedUnitsPerOrder}
 * report what the orders became. Stock never runs out in the reference workload, yet units can be
 * backordered: the reference policy allows at most 4 shipments per order, so a wide order whose
 * lines need more nodes leaves the rest waiting (10-line orders under COST), and the hot SKUs
 * run out by design.
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
    @Param({"reference", "nodes-10", "nodes-1000", "lines-1", "lines-10", "hot-sku", "scale"})
    public String variant;

    @Param({"COST", "FIRST_FIT"})
    public SourcingStrategy strategy;

    private static final int POOL = 1 << 16;
    /** Heap the engine's order arrays may take: the fork has 6 GiB and the previous engine is garbage. */
    private static final long ORDER_BUDGET = 2L << 30;
    private static final long ORDER_LIMIT = 4L << 30;
    /** Orders placed in setup, before measuring: the sourcing planner sizes its scratch arrays on first use. */
    private static final int SETUP_ORDERS = 1 << 10;

    private Workload workload;
    private NetworkImage image;
    private OrderGenerator generator;
    private EngineFixture fixture;
    private SteadyAllocation allocation;
    private PlacementCounters outcome;
    private long shipmentsBefore;
    private long backorderedBefore;
    private long placed;
    private long started;
    private double fastestOrdersPerNano;
    private int capacity;

    @Setup(Level.Trial)
    public void loadWorkload()
    {
        workload = Variants.workload(variant, strategy);
        image = NetworkImage.of(workload);
        generator = new OrderGenerator(workload, POOL, "B-");
    }

    @Setup(Level.Iteration)
    public void freshEngine(final SteadyAllocation allocation, final PlacementCounters outcome, final IterationParams iteration)
    {
        this.allocation = allocation;
        this.outcome = outcome;
        fixture = null;
        // 2 GiB of order arrays, or room for four times what the fastest earlier iteration would
        // place in this iteration's time if that is more (up to 4 GiB): on a shared machine one
        // iteration can run several times faster than the ones before it.
        final long perOrder = bytesPerOrder(workload.linesPerOrder());
        final double expected = fastestOrdersPerNano * iteration.getTime().convertTo(TimeUnit.NANOSECONDS);
        capacity = (int)Math.min(Math.min(ORDER_LIMIT / perOrder, 1 << 28), Math.max(ORDER_BUDGET / perOrder, 4 * expected + SETUP_ORDERS));
        fixture = EngineFixture.load(image, capacity);
        for (int i = 0; i < SETUP_ORDERS; i++)
        {
            placeOrder();
        }
        EngineFixture.settleHeap();
        shipmentsBefore = fixture.engine().totals().shipments;
        backorderedBefore = fixture.engine().totals().unitsBackordered;
        placed = 0;
        allocation.begin();
        started = System.nanoTime();
    }

    /** Upper estimate of the engine's pre-sized bytes per order (order book, order id interner, backorder links). */
    static long bytesPerOrder(final int lines)
    {
        return 128 + 72L * lines;
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
        fastestOrdersPerNano = Math.max(fastestOrdersPerNano, placed / (double)(System.nanoTime() - started));
        final long orders = placed + SETUP_ORDERS;
        final EngineTotals totals = fixture.engine().totals();
        outcome.shipmentsPerOrder = placed == 0 ? 0 : (double)(totals.shipments - shipmentsBefore) / placed;
        outcome.backorderedUnitsPerOrder = placed == 0 ? 0 : (double)(totals.unitsBackordered - backorderedBefore) / placed;
        final long units = orders * workload.linesPerOrder();
        final long reserved = EngineFixture.totalReserved(fixture.engine().positions());
        if (fixture.sink().rejected() != 0 || totals.orders != orders || totals.unitsOrdered != units ||
            reserved + totals.unitsBackordered != units)
        {
            throw new IllegalStateException(String.format(
                "check failed: placed %d, orders %d, rejected %d, units %d, reserved %d, backordered %d",
                orders, totals.orders, fixture.sink().rejected(), units, reserved, totals.unitsBackordered));
        }
        if (orders > capacity)
        {
            System.err.printf("note: iteration placed %,d orders, more than the %,d the engine was sized for%n", orders, capacity);
        }
    }
}
