package io.mete.benchmarks.core;

import io.mete.benchmarks.support.EngineFixture;
import io.mete.benchmarks.support.NetworkImage;
import io.mete.benchmarks.support.SteadyAllocation;
import io.mete.engine.command.CommandWriter;
import io.mete.engine.core.AllocationEngine;
import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.order.OrderBook;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Cancel, ship confirmation and delivery change: commands that consume or change a placed order, so
 * each is applied to a given order once.
 * <p>
 * Each iteration's setup loads a fresh reference engine and places {@value #BATCH} orders (COST
 * sourcing: an order sits at one or more nodes, one allocation per line), then
 * pre-encodes one CancelOrder (or one ConfirmShipment, for the node of the order's first
 * allocation) per order. The iteration is a single timed invocation that applies all
 * {@value #BATCH} commands in order ({@code Mode.SingleShotTime} with
 * {@code @OperationsPerInvocation(BATCH)}, so the score is ns per command). This measures a
 * bounded, known amount of work against a known state, where a time-based mode would run out of
 * placed orders or have to place new ones inside the measurement. Two {@code System.nanoTime}
 * calls per 100,000 commands make the timer overhead negligible; run enough iterations
 * (default 20) for an error estimate.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(OrderLifecycleBenchmark.BATCH)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class OrderLifecycleBenchmark
{
    static final int BATCH = 100_000;

    /** An engine holding {@value #BATCH} allocated orders and one pre-encoded command for each. */
    public abstract static class PlacedOrders
    {
        Workload workload;
        private NetworkImage image;
        private OrderGenerator generator;
        final CommandWriter writer = new CommandWriter();
        EngineFixture fixture;
        UnsafeBuffer commands;
        final int[] offsets = new int[BATCH];
        final int[] lengths = new int[BATCH];
        long rejectedBefore;

        void loadWorkload()
        {
            workload = Workload.reference(SourcingStrategy.COST);
            image = NetworkImage.of(workload);
            generator = new OrderGenerator(workload, 1 << 16, "L-");
            commands = new UnsafeBuffer(new byte[BATCH * 96]);
        }

        /** A fresh engine holding {@value #BATCH} allocated orders; returns their order ids in placement order. */
        String[] placeBatch()
        {
            fixture = null;
            fixture = EngineFixture.load(image, BATCH + 1024);
            final String[] ids = new String[BATCH];
            for (int i = 0; i < BATCH; i++)
            {
                final long id = generator.next();
                fixture.apply(generator.buffer(), generator.offset(), generator.length());
                ids[i] = OrderGenerator.orderId("L-", id);
            }
            if (fixture.sink().rejected() != 0)
            {
                throw new IllegalStateException(fixture.sink().rejected() + " orders rejected in setup");
            }
            return ids;
        }

        void ready()
        {
            rejectedBefore = fixture.sink().rejected();
            EngineFixture.settleHeap();
        }

        long rejectedSince()
        {
            return fixture.sink().rejected() - rejectedBefore;
        }

        void applyBatch(final SteadyAllocation allocation)
        {
            allocation.begin();
            for (int i = 0; i < BATCH; i++)
            {
                fixture.apply(commands, offsets[i], lengths[i]);
            }
            allocation.end(BATCH);
        }
    }

    @State(Scope.Thread)
    public static class CancelOrders extends PlacedOrders
    {
        @Setup(Level.Trial)
        public void load()
        {
            loadWorkload();
        }

        @Setup(Level.Iteration)
        public void prepare()
        {
            final String[] ids = placeBatch();
            int at = 0;
            for (int i = 0; i < BATCH; i++)
            {
                offsets[i] = at;
                lengths[i] = writer.cancelOrder(commands, at, i + 1, ids[i]);
                at += lengths[i];
            }
            ready();
        }

        @TearDown(Level.Iteration)
        public void check()
        {
            final long cancelled = fixture.engine().totals().unitsCancelled;
            final long expected = (long)BATCH * workload.linesPerOrder();
            if (rejectedSince() != 0 || cancelled != expected || EngineFixture.totalReserved(fixture.engine().positions()) != 0)
            {
                throw new IllegalStateException("cancel check failed: cancelled " + cancelled + " of " + expected + " units, " +
                    rejectedSince() + " rejected");
            }
        }
    }

    @State(Scope.Thread)
    public static class ShipOrders extends PlacedOrders
    {
        @Setup(Level.Trial)
        public void load()
        {
            loadWorkload();
        }

        @Setup(Level.Iteration)
        public void prepare()
        {
            final String[] ids = placeBatch();
            final AllocationEngine engine = fixture.engine();
            final OrderBook book = engine.book();
            final AsciiInterner nodeCodes = engine.nodeCodes();
            int at = 0;
            for (int i = 0; i < BATCH; i++)
            {
                final int order = engine.orderIds().find(ids[i]);
                final int node = book.allocationNode(book.allocationHead(order));
                final String code = nodeCodes.toString(node);
                offsets[i] = at;
                lengths[i] = writer.confirmShipment(commands, at, i + 1, ids[i], code, "1Z" + (100_000_000 + i));
                at += lengths[i];
            }
            ready();
        }

        @TearDown(Level.Iteration)
        public void check()
        {
            final long shipped = fixture.engine().totals().unitsShipped;
            if (rejectedSince() != 0 || shipped < BATCH)
            {
                throw new IllegalStateException("ship check failed: shipped " + shipped + " units, " + rejectedSince() + " rejected");
            }
        }
    }

    @State(Scope.Thread)
    public static class MoveOrders extends PlacedOrders
    {
        @Setup(Level.Trial)
        public void load()
        {
            loadWorkload();
        }

        @Setup(Level.Iteration)
        public void prepare()
        {
            final String[] ids = placeBatch();
            final java.util.SplittableRandom random = new java.util.SplittableRandom(workload.seed() + 29);
            int at = 0;
            for (int i = 0; i < BATCH; i++)
            {
                final double latitude = io.mete.engine.workload.ReferenceNetwork.MIN_LATITUDE + random.nextDouble() *
                    (io.mete.engine.workload.ReferenceNetwork.MAX_LATITUDE - io.mete.engine.workload.ReferenceNetwork.MIN_LATITUDE);
                final double longitude = io.mete.engine.workload.ReferenceNetwork.MIN_LONGITUDE + random.nextDouble() *
                    (io.mete.engine.workload.ReferenceNetwork.MAX_LONGITUDE - io.mete.engine.workload.ReferenceNetwork.MIN_LONGITUDE);
                offsets[i] = at;
                lengths[i] = writer.changeDelivery(commands, at, i + 1, ids[i], io.mete.schema.ServiceLevel.STANDARD, latitude, longitude, 0);
                at += lengths[i];
            }
            ready();
        }

        @TearDown(Level.Iteration)
        public void check()
        {
            final long units = (long)BATCH * workload.linesPerOrder();
            final long reserved = EngineFixture.totalReserved(fixture.engine().positions());
            if (rejectedSince() != 0 || reserved + fixture.engine().totals().unitsBackordered != units)
            {
                throw new IllegalStateException("change check failed: reserved " + reserved + " of " + units + " units, " +
                    rejectedSince() + " rejected");
            }
        }
    }

    /**
     * ChangeDelivery of a fully allocated 3-line order to a random address: every reservation is
     * taken back and the three lines planned again (COST) for the new destination.
     */
    @Benchmark
    public void changeDelivery(final MoveOrders orders, final SteadyAllocation allocation)
    {
        orders.applyBatch(allocation);
    }

    /** CancelOrder of a fully allocated 3-line order: releases every reservation. */
    @Benchmark
    public void cancelOrder(final CancelOrders orders, final SteadyAllocation allocation)
    {
        orders.applyBatch(allocation);
    }

    /** ConfirmShipment of one node's shipment of an allocated order: on-hand and reserved drop. */
    @Benchmark
    public void confirmShipment(final ShipOrders orders, final SteadyAllocation allocation)
    {
        orders.applyBatch(allocation);
    }
}
