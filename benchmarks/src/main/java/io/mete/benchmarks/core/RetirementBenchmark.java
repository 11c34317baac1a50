package io.mete.benchmarks.core;

import io.mete.benchmarks.support.EngineFixture;
import io.mete.benchmarks.support.NetworkImage;
import io.mete.benchmarks.support.SteadyAllocation;
import io.mete.engine.command.CommandWriter;
import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineTotals;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.schema.MessageHeaderEncoder;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The steady state of an engine that forgets closed orders: with a retention of 0, each operation
 * places a reference order and cancels it, and the orders cancelled since the last command-time
 * step are retired when time moves on (every 1,024 commands, {@link EngineFixture#apply}). The
 * book stays at a few hundred orders however long it runs, so the operation is place + cancel +
 * retire, and {@code allocSteadyBytesPerOp} shows whether reusing ids, line blocks and allocations
 * allocates (it must not: the free lists and the retirement queue reach their size in setup).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class RetirementBenchmark
{
    private static final String PREFIX = "T-";
    /** Cycles run before measuring, so every table has grown to its steady size. */
    private static final int SETUP_CYCLES = 1 << 17;
    /** Orders in play at most: those cancelled within one command-time step, plus slack. */
    private static final int KEPT_LIMIT = 2_048;

    private Workload workload;
    private NetworkImage image;
    private OrderGenerator generator;
    private EngineFixture fixture;
    private SteadyAllocation allocation;
    private final UnsafeBuffer cancel = new UnsafeBuffer(new byte[256]);
    private int cancelLength;
    private int cancelDigits;
    private long cycles;

    @Setup(Level.Trial)
    public void loadWorkload()
    {
        workload = Workload.reference(SourcingStrategy.COST);
        image = NetworkImage.of(workload);
        generator = new OrderGenerator(workload, 1 << 12, PREFIX);
        final String first = OrderGenerator.orderId(PREFIX, 0);
        cancelLength = new CommandWriter().cancelOrder(cancel, 0, 0, first);
        // CancelOrder: header, correlation id, then the order id behind its 1-byte length
        cancelDigits = MessageHeaderEncoder.ENCODED_LENGTH + 8 + 1 + PREFIX.length();
    }

    @Setup(Level.Iteration)
    public void freshEngine(final SteadyAllocation allocation)
    {
        this.allocation = allocation;
        fixture = null;
        fixture = EngineFixture.load(image, KEPT_LIMIT);
        final UnsafeBuffer retention = new UnsafeBuffer(new byte[64]);
        fixture.apply(retention, 0, new CommandWriter().setOrderRetention(retention, 0, 0, 0));
        for (int i = 0; i < SETUP_CYCLES; i++)
        {
            placeAndCancel();
        }
        EngineFixture.settleHeap();
        cycles = 0;
        allocation.begin();
    }

    @Benchmark
    public void placeCancelRetire()
    {
        placeAndCancel();
        cycles++;
    }

    private void placeAndCancel()
    {
        final long id = generator.next();
        fixture.apply(generator.buffer(), generator.offset(), generator.length());
        cancel.putLong(MessageHeaderEncoder.ENCODED_LENGTH, id + 1, ByteOrder.LITTLE_ENDIAN);
        OrderGenerator.putDigits(cancel, cancelDigits, id);
        fixture.apply(cancel, 0, cancelLength);
    }

    @TearDown(Level.Iteration)
    public void check()
    {
        allocation.end(cycles);
        final AllocationEngine engine = fixture.engine();
        final EngineTotals totals = engine.totals();
        final long placed = SETUP_CYCLES + cycles;
        final long kept = engine.orderIds().liveCount();
        if (fixture.sink().rejected() != 0 || totals.orders != placed || totals.unitsCancelled != placed * workload.linesPerOrder() ||
            engine.ordersRetired() + kept != placed || kept > KEPT_LIMIT || engine.book().orderCount() > KEPT_LIMIT ||
            EngineFixture.totalReserved(engine.positions()) != 0)
        {
            throw new IllegalStateException(String.format(
                "check failed: placed %d, orders %d, rejected %d, retired %d, kept %d, order slots %d",
                placed, totals.orders, fixture.sink().rejected(), engine.ordersRetired(), kept, engine.book().orderCount()));
        }
    }
}
