package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.schema.AllocationState;
import io.mete.schema.OrderState;
import io.mete.schema.RejectReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** An order from placement to delivery, cancellation and return, one step per test. */
class LifecycleTest
{
    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).set();
        h.dc("N1", 100);
        h.dc("N2", 200);
        h.dc("N3", 300);
        h.onHand("N1", "A", 10);
        h.onHand("N1", "B", 10);
        h.onHand("N2", "A", 10);
    }

    private static List<AllocationState> states(final OrderStatus status)
    {
        return status.allocations().stream().map(StatusAllocation::state).toList();
    }

    @Test
    void heldOrderReservesStockWithoutReleasingIt()
    {
        final Result placed = h.order("O1").line("A", 2).holdUntil(h.now() + 60_000).place().assertAccepted();
        assertEquals("N1", placed.allocation().node());
        assertTrue(placed.all(Released.class).isEmpty(), placed.toString());
        assertEquals(2, h.reservedAt("N1", "A"));
        final OrderStatus status = h.status("O1");
        assertEquals(OrderState.ON_HOLD, status.state());
        assertEquals(List.of(AllocationState.RESERVED), states(status));
    }

    @Test
    void releasingTheHoldReleasesEveryShipment()
    {
        h.order("O1").line("A", 2).line("B", 1).holdUntil(h.now() + 60_000).place().assertAccepted();
        final Result released = h.release("O1").assertAccepted();
        assertEquals(List.of(new Released("O1", "N1")), released.all(Released.class));
        final OrderStatus status = h.status("O1");
        assertEquals(OrderState.OPEN, status.state());
        assertEquals(List.of(AllocationState.RELEASED, AllocationState.RELEASED), states(status));
        // the hold is gone: its old due time passes without effect
        h.advance(120_000);
        assertTrue(h.tick().all(HoldExpired.class).isEmpty());
        assertEquals(2, h.reservedAt("N1", "A"));
    }

    @Test
    void holdThatRunsOutCancelsTheOrderAndFreesItsStock()
    {
        final long due = h.now() + 60_000;
        h.order("O1").line("A", 2).line("B", 1).holdUntil(due).place().assertAccepted();
        h.at(due - 1);
        assertTrue(h.tick().all(HoldExpired.class).isEmpty(), "not yet due");
        h.at(due);
        final Result expiry = h.tick().assertAccepted();
        assertEquals(new HoldExpired("O1"), expiry.one(HoldExpired.class));
        assertEquals(List.of(new Cancelled("O1", 0, 2, false), new Cancelled("O1", 1, 1, true)), expiry.all(Cancelled.class));
        assertEquals(0, h.reservedAt("N1", "A"));
        assertEquals(0, h.reservedAt("N1", "B"));
        final OrderStatus status = h.status("O1");
        assertEquals(OrderState.CANCELLED, status.state());
        assertEquals(2, status.line(0).cancelled());
        h.release("O1").assertRejected(RejectReason.ORDER_CLOSED);
    }

    @Test
    void fullPickMarksTheAllocationPicked()
    {
        h.order("O1").line("A", 3).place().assertAccepted();
        final Result pick = h.pick("O1", "N1", 0, 3).assertAccepted();
        assertTrue(pick.all(Resourced.class).isEmpty());
        assertEquals(List.of(AllocationState.PICKED), states(h.status("O1")));
        assertEquals(10, h.onHandAt("N1", "A"));
        assertEquals(3, h.reservedAt("N1", "A"));
    }

    @Test
    void shortPickReroutesRemainderToNextCheapestNode()
    {
        h.order("O1").line("A", 3).place().assertAccepted();
        final Result pick = h.pick("O1", "N1", 0, 1).assertAccepted();
        assertEquals(new Resourced("O1", 0, 2, "N1"), pick.one(Resourced.class));
        assertEquals("N2", pick.allocation().node());
        assertEquals(2, pick.allocation().quantityOf(0));
        // the node could not find 2 units: its on-hand was wrong by that much
        assertEquals(8, h.onHandAt("N1", "A"));
        assertEquals(1, h.reservedAt("N1", "A"));
        assertEquals(2, h.reservedAt("N2", "A"));
        final StatusLine line = h.status("O1").line(0);
        assertEquals(3, line.allocated());
        assertEquals(0, line.backordered());
    }

    @Test
    void shortPickWithNoStockElsewhereIsBackordered()
    {
        h.order("O1").line("B", 4).place().assertAccepted();
        final Result pick = h.pick("O1", "N1", 0, 0).assertAccepted();
        assertEquals(4, pick.one(Resourced.class).quantity());
        assertEquals(new Backordered("O1", 0, "B", 4), pick.one(Backordered.class));
        assertEquals(6, h.onHandAt("N1", "B"));
        assertEquals(0, h.reservedAt("N1", "B"));
    }

    @Test
    void rejectedAllocationIsResourcedAndTheNodeIsNeverUsedAgainForThatOrder()
    {
        h.order("O1").line("A", 2).place().assertAccepted();
        final Result reject = h.rejectAllocation("O1", "N1").assertAccepted();
        assertEquals(new Resourced("O1", 0, 2, "N1"), reject.one(Resourced.class));
        assertEquals("N2", reject.allocation().node());
        assertEquals(0, h.reservedAt("N1", "A"));
        assertEquals(10, h.onHandAt("N1", "A"), "a rejection says nothing about stock");
        // N2 declines too: N1 has stock but is excluded, so the line waits
        final Result second = h.rejectAllocation("O1", "N2").assertAccepted();
        assertTrue(second.allocations().isEmpty(), second.toString());
        assertEquals(2, second.one(Backordered.class).quantity());
        // new stock at the excluded node is not offered to this order; stock at N3 is
        assertTrue(h.adjust("N1", "A", 5).all(Filled.class).isEmpty());
        assertEquals("N3", h.adjust("N3", "A", 5).one(Filled.class).node());
    }

    @Test
    void shipmentTakesStockOffHandAndOutOfReserved()
    {
        h.order("O1").line("A", 3).line("B", 2).place().assertAccepted();
        final Shipped shipped = h.ship("O1", "N1", "TRACK1").assertAccepted().one(Shipped.class);
        assertEquals(new Shipped("O1", "N1", 5, "TRACK1"), shipped);
        assertEquals(7, h.onHandAt("N1", "A"));
        assertEquals(0, h.reservedAt("N1", "A"));
        assertEquals(8, h.onHandAt("N1", "B"));
        final OrderStatus status = h.status("O1");
        assertEquals(OrderState.COMPLETED, status.state());
        assertEquals(3, status.line(0).shipped());
        assertEquals(0, status.line(0).allocated());
        assertEquals(List.of(AllocationState.SHIPPED, AllocationState.SHIPPED), states(status));
    }

    @Test
    void orderStaysOpenUntilItsLastShipmentLeaves()
    {
        h.onHand("N3", "C", 5);
        final Result placed = h.order("O1").line("A", 1).line("C", 1).place().assertAccepted();
        assertEquals(List.of("N1", "N3"), placed.allocatedNodes().stream().sorted().toList());
        h.ship("O1", "N1").assertAccepted();
        assertEquals(OrderState.OPEN, h.status("O1").state());
        h.ship("O1", "N3").assertAccepted();
        assertEquals(OrderState.COMPLETED, h.status("O1").state());
    }

    @Test
    void deliveryConfirmsTheShippedAllocation()
    {
        h.order("O1").line("A", 1).place();
        h.ship("O1", "N1");
        assertEquals(new Delivered("O1", "N1"), h.deliver("O1", "N1").assertAccepted().one(Delivered.class));
        assertEquals(List.of(AllocationState.DELIVERED), states(h.status("O1")));
        h.deliver("O1", "N1").assertRejected(RejectReason.NOTHING_AT_NODE);
    }

    @Test
    void cancellingAnOrderReleasesEverythingNotShipped()
    {
        h.order("O1").line("A", 3).line("B", 2).place().assertAccepted();
        final Result cancel = h.cancel("O1").assertAccepted();
        assertEquals(List.of(new Cancelled("O1", 0, 3, false), new Cancelled("O1", 1, 2, true)), cancel.all(Cancelled.class));
        assertEquals(0, h.reservedAt("N1", "A"));
        assertEquals(0, h.reservedAt("N1", "B"));
        final OrderStatus status = h.status("O1");
        assertEquals(OrderState.CANCELLED, status.state());
        assertTrue(status.allocations().isEmpty());
        assertEquals(3, status.line(0).cancelled());
    }

    @Test
    void cancellingAfterAPartialShipmentCompletesTheOrder()
    {
        h.onHand("N3", "C", 5);
        h.order("O1").line("A", 1).line("C", 1).place().assertAccepted();
        h.ship("O1", "N1");
        final Cancelled cancelled = h.cancel("O1").assertAccepted().one(Cancelled.class);
        assertEquals(new Cancelled("O1", 1, 1, false), cancelled);
        assertEquals(OrderState.COMPLETED, h.status("O1").state());
        assertEquals(0, h.reservedAt("N3", "C"));
    }

    @Test
    void cancellingPartOfALineReleasesThatMuch()
    {
        h.order("O1").line("A", 5).place().assertAccepted();
        assertEquals(new Cancelled("O1", 0, 2, false), h.cancelLine("O1", 0, 2).assertAccepted().one(Cancelled.class));
        assertEquals(3, h.reservedAt("N1", "A"));
        assertEquals(new Cancelled("O1", 0, 3, true), h.cancelLine("O1", 0, 3).assertAccepted().one(Cancelled.class));
        assertEquals(OrderState.CANCELLED, h.status("O1").state());
    }

    @Test
    void sellableReturnRestocksTheReceivingNode()
    {
        h.order("O1").line("A", 3).place();
        h.ship("O1", "N1");
        final Returned returned = h.returnItems("O1", "N2", 0, 2, true).assertAccepted().one(Returned.class);
        assertEquals(new Returned("O1", "N2", 0, 2, true), returned);
        assertEquals(12, h.onHandAt("N2", "A"));
        assertEquals(7, h.onHandAt("N1", "A"));
        assertEquals(2, h.status("O1").line(0).returned());
        h.returnItems("O1", "N2", 0, 2, true).assertRejected(RejectReason.RETURN_EXCEEDS_SHIPPED);
    }

    @Test
    void nonSellableReturnIsRecordedButNotRestocked()
    {
        h.onHand("N1", "B", 1);
        h.order("O1").line("B", 1).place();
        h.ship("O1", "N1");
        h.order("WAIT").line("B", 1).place().one(Backordered.class);
        final Result result = h.returnItems("O1", "N1", 0, 1, false).assertAccepted();
        assertTrue(result.all(Filled.class).isEmpty());
        assertEquals(0, h.onHandAt("N1", "B"));
        assertEquals(1, h.status("O1").line(0).returned());
    }

    @Test
    void onHandSnapshotBelowReservedTakesBackTheNewestReservationsAndResourcesThem()
    {
        h.order("OLD").line("A", 3).place().assertAccepted();
        h.order("NEW").line("A", 3).place().assertAccepted();
        assertEquals(6, h.reservedAt("N1", "A"));
        final Result snapshot = h.onHand("N1", "A", 4).assertAccepted();
        assertEquals(new Resourced("NEW", 0, 2, "N1"), snapshot.one(Resourced.class));
        assertEquals("N2", snapshot.allocation().node());
        assertEquals(4, h.reservedAt("N1", "A"));
        assertEquals(2, h.reservedAt("N2", "A"));
        assertEquals(List.of(new StatusAllocation(0, "N1", 3, AllocationState.RELEASED)), h.status("OLD").allocations());
    }

    @Test
    void damageBelowReservedWithNoStockElsewhereBackordersTheNewestOrder()
    {
        h.order("OLD").line("B", 4).place().assertAccepted();
        h.order("NEW").line("B", 4).place().assertAccepted();
        final Result damage = h.adjust("N1", "B", -5).assertAccepted();
        assertEquals(new Backordered("NEW", 0, "B", 3), damage.one(Backordered.class));
        assertEquals(5, h.reservedAt("N1", "B"));
        assertEquals(4, h.status("OLD").line(0).allocated());
    }
}
