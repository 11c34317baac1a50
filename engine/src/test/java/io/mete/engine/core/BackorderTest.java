package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.schema.OrderState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** Backorders: queue order, automatic filling when stock or room appears, and the events that say so. */
class BackorderTest
{
    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).set();
        h.dc("N1", 100);
        h.dc("N2", 200);
        h.onHand("N1", "A", 0);
    }

    private List<String> filledOrders(final Result result)
    {
        return result.all(Filled.class).stream().map(Filled::orderId).toList();
    }

    @Test
    void unfilledLineIsBackorderedAndQueued()
    {
        final Result result = h.order("O1").line("A", 3).place().assertAccepted();
        assertEquals(new Backordered("O1", 0, "A", 3), result.one(Backordered.class));
        assertEquals(1, h.engine().backorders().size(h.engine().skuCodes().find("A")));
        final StatusLine line = h.status("O1").line(0);
        assertEquals(3, line.backordered());
        assertEquals(0, line.allocated());
        assertEquals(OrderState.OPEN, h.status("O1").state());
    }

    @Test
    void queueServesLowerPriorityNumberFirstThenArrival()
    {
        h.order("P5a").line("A", 1).priority(5).place();
        h.order("P1a").line("A", 1).priority(1).place();
        h.order("P5b").line("A", 1).priority(5).place();
        h.order("P1b").line("A", 1).priority(1).place();
        assertEquals(List.of("P1a", "P1b"), filledOrders(h.adjust("N1", "A", 2).assertAccepted()));
        assertEquals(List.of("P5a"), filledOrders(h.adjust("N1", "A", 1).assertAccepted()));
        assertEquals(List.of("P5b"), filledOrders(h.adjust("N1", "A", 1).assertAccepted()));
    }

    @Test
    void priorityAbove127IsServedAfterLowerPriorities()
    {
        // priority is an unsigned byte on the wire: 200 waits behind 0 and 100
        h.order("P200").line("A", 1).priority(200).place();
        h.order("P100").line("A", 1).priority(100).place();
        h.order("P0").line("A", 1).priority(0).place();
        assertEquals(List.of("P0", "P100", "P200"), filledOrders(h.adjust("N1", "A", 3).assertAccepted()));
        assertEquals(200, h.status("P200").priority());
    }

    @Test
    void partialFillReportsWhatIsStillWaiting()
    {
        h.order("O1").line("A", 5).place();
        final Filled first = h.adjust("N1", "A", 2).assertAccepted().one(Filled.class);
        assertEquals(new Filled("O1", 0, "A", "N1", 2, 3), first);
        final Filled second = h.onHand("N1", "A", 5).assertAccepted().one(Filled.class);
        assertEquals(new Filled("O1", 0, "A", "N1", 3, 0), second);
        assertFalse(h.engine().backorders().isQueued(h.engine().book().firstLine(h.engine().orderIds().find("O1"))));
        assertEquals(5, h.status("O1").line(0).allocated());
    }

    @Test
    void fillPublishesTheShipmentAndReleasesIt()
    {
        h.order("O1").line("A", 1).place();
        final Result result = h.adjust("N2", "A", 4).assertAccepted();
        assertEquals("N2", result.allocation().node());
        assertEquals(1, result.allocation().quantityOf(0));
        assertEquals(List.of(new Released("O1", "N2")), result.all(Released.class));
    }

    @Test
    void setOnHandSnapshotFillsBackorders()
    {
        h.order("O1").line("A", 2).place();
        assertEquals(List.of("O1"), filledOrders(h.onHand("N2", "A", 2)));
    }

    @Test
    void cancellingAnotherOrderFillsTheWaitingOne()
    {
        h.onHand("N1", "A", 2);
        h.order("FIRST").line("A", 2).place().assertAccepted();
        assertEquals(2, h.order("SECOND").line("A", 2).place().one(Backordered.class).quantity());
        final Result cancel = h.cancel("FIRST").assertAccepted();
        assertEquals(List.of("SECOND"), filledOrders(cancel));
        assertEquals(2, h.reservedAt("N1", "A"));
    }

    @Test
    void sellableReturnFillsBackorders()
    {
        h.onHand("N1", "A", 1);
        h.order("SOLD").line("A", 1).place();
        h.ship("SOLD", "N1").assertAccepted();
        h.order("WAIT").line("A", 1).place();
        assertEquals(List.of("WAIT"), filledOrders(h.returnItems("SOLD", "N1", 0, 1, true).assertAccepted()));
    }

    @Test
    void nodeComingBackOnlineFillsBackorders()
    {
        h.onHand("N2", "A", 5);
        h.nodeStatus("N2", false);
        h.order("O1").line("A", 1).place();
        assertEquals(List.of("O1"), filledOrders(h.nodeStatus("N2", true).assertAccepted()));
    }

    @Test
    void cancelLineTakesBackorderedQuantityBeforeAllocatedQuantity()
    {
        h.onHand("N1", "A", 2);
        final Result placed = h.order("O1").line("A", 5).place().assertAccepted();
        assertEquals(3, placed.one(Backordered.class).quantity());
        h.cancelLine("O1", 0, 2).assertAccepted();
        StatusLine line = h.status("O1").line(0);
        assertEquals(2, line.allocated());
        assertEquals(1, line.backordered());
        assertEquals(2, line.cancelled());
        assertEquals(2, h.reservedAt("N1", "A"));
        h.cancelLine("O1", 0, 2).assertAccepted();
        line = h.status("O1").line(0);
        assertEquals(1, line.allocated());
        assertEquals(0, line.backordered());
        assertEquals(1, h.reservedAt("N1", "A"));
        assertFalse(h.engine().backorders().isQueued(h.engine().book().firstLine(h.engine().orderIds().find("O1"))));
    }

    @Test
    void shipmentFreeingCappedChannelRoomFillsTheBackorderItHeldBack()
    {
        h.onHand("N1", "A", 10);
        h.cap(WEB, "A", 2);
        h.order("O1").line("A", 2).place().assertAccepted();
        assertEquals(1, h.order("O2").line("A", 1).place().one(Backordered.class).quantity());
        // shipping O1 lowers the channel's open reservations to 0: O2 now fits under the cap
        final Result shipped = h.ship("O1", "N1").assertAccepted();
        assertEquals(List.of("O2"), filledOrders(shipped));
        assertEquals(1, h.availability("A").channel(WEB).reserved());
    }

    @Test
    void stockFreedByHoldExpiryGoesToTheWaitingBackorderBeforeANewOrder()
    {
        h.onHand("N1", "A", 1);
        h.order("HELD").line("A", 1).holdUntil(h.now() + 1000).place().assertAccepted();
        h.order("WAITING").line("A", 1).place().one(Backordered.class);
        h.advance(2000);
        final Result result = h.order("NEW").line("A", 1).place().assertAccepted();
        assertEquals(new HoldExpired("HELD"), result.one(HoldExpired.class));
        assertEquals(List.of("WAITING"), filledOrders(result));
        assertEquals(1, result.one(Backordered.class).quantity(), "the newcomer waits behind the backorder: " + result);
    }

    @Test
    void stockFreedByHoldExpiryIsServedEvenWhenTheCommandCarryingTheTimeIsRejected()
    {
        h.onHand("N1", "A", 1);
        h.order("HELD").line("A", 1).holdUntil(h.now() + 1000).place().assertAccepted();
        h.order("WAITING").line("A", 1).place().one(Backordered.class);
        h.advance(2000);
        final Result result = h.raw(new byte[4]);
        assertEquals(io.mete.schema.RejectReason.MALFORMED, result.rejection().reason());
        assertEquals(new HoldExpired("HELD"), result.one(HoldExpired.class));
        assertEquals(List.of("WAITING"), filledOrders(result));
    }
}
