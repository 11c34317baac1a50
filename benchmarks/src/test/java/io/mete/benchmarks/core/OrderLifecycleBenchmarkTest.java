package io.mete.benchmarks.core;

import io.mete.benchmarks.support.SteadyAllocation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs one iteration of each lifecycle benchmark outside JMH: its own check fails on any rejected command. */
class OrderLifecycleBenchmarkTest
{
    @Test
    void cancelAndShipBatchesAreAccepted()
    {
        final OrderLifecycleBenchmark benchmark = new OrderLifecycleBenchmark();
        final SteadyAllocation allocation = new SteadyAllocation();

        final OrderLifecycleBenchmark.CancelOrders cancel = new OrderLifecycleBenchmark.CancelOrders();
        cancel.load();
        cancel.prepare();
        benchmark.cancelOrder(cancel, allocation);
        cancel.check();
        assertEquals(3L * OrderLifecycleBenchmark.BATCH, cancel.fixture.engine().totals().unitsCancelled);

        final OrderLifecycleBenchmark.ShipOrders ship = new OrderLifecycleBenchmark.ShipOrders();
        ship.load();
        ship.prepare();
        benchmark.confirmShipment(ship, allocation);
        ship.check();
    }
}
