package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.schema.*;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** The read-only queries report the state and never change it. */
class QueryTest
{
    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).set();
        h.policy(MARKET).set();
        h.dc("N1", 100);
        h.node("N2").handling(200, 0).capacity(5).channels(WEB).define();
        h.onHand("N1", "A", 4);
        h.onHand("N2", "A", 10);
        h.onHand("N1", "B", 3);
        h.safety("N2", "A", 2);
    }

    @Test
    void orderStatusReportsLinesAllocationsAndIdentity()
    {
        h.order("O1").line("A", 6).line("B", 5).priority(3).service(ServiceLevel.EXPEDITED).channel(MARKET).place().assertAccepted();
        final OrderStatus status = h.status("O1");
        assertEquals("O1", status.orderId());
        assertEquals(MARKET, status.channel());
        assertEquals(OrderState.OPEN, status.state());
        assertEquals(3, status.priority());
        assertEquals(ServiceLevel.EXPEDITED, status.service());
        // market is not served by N2: A gets the 4 at N1, B the 3 at N1
        assertEquals(new StatusLine(0, "A", 6, 4, 2, 0, 0, 0), status.line(0));
        assertEquals(new StatusLine(1, "B", 5, 3, 2, 0, 0, 0), status.line(1));
        assertEquals(2, status.allocations().size());
        assertTrue(status.allocations().stream().allMatch(a -> a.node().equals("N1") && a.state() == AllocationState.RELEASED));
    }

    @Test
    void availabilitySumsNodesAndShowsWhatEachChannelCanStillSell()
    {
        h.cap(WEB, "A", 7);
        h.order("O1").line("A", 3).place().assertAccepted();
        final Availability a = h.availability("A");
        assertEquals("A", a.sku());
        assertEquals(14, a.totalOnHand());
        assertEquals(3, a.totalReserved());
        assertEquals(new NodeAvailability("N1", 4, 3, 0, 1), a.node("N1"));
        assertEquals(new NodeAvailability("N2", 10, 0, 2, 8), a.node("N2"));
        assertEquals(9, a.totalAtp());
        // web: 9 ATP but only 4 left under its cap of 7; market: N1 only
        assertEquals(new ChannelAvailability(WEB, 7, 3, 4, 0), a.channel(WEB));
        assertEquals(new ChannelAvailability(MARKET, -1, 0, 1, 0), a.channel(MARKET));
    }

    @Test
    void nodeLoadCountsShipmentsReservationsAndPositions()
    {
        h.order("O1").line("A", 5).place().assertAccepted();
        h.order("O2").line("A", 1).place().assertAccepted();
        final NodeLoad n2 = h.nodeLoad("N2");
        assertEquals("N2", n2.node());
        assertTrue(n2.online());
        assertTrue(n2.enabled());
        assertEquals(5, n2.dailyCapacity());
        assertEquals(1, n2.positions());
        final NodeLoad n1 = h.nodeLoad("N1");
        assertEquals(2, n1.positions());
        assertEquals(n1.reservedUnits() + n2.reservedUnits(), 6);
        assertEquals(n1.shipmentsToday() + n2.shipmentsToday(), n1.openShipments() + n2.openShipments());
        h.nodeStatus("N1", false);
        assertFalse(h.nodeLoad("N1").online());
    }

    @Test
    void totalsCountOrdersUnitsShipmentsAndCommands()
    {
        final Totals before = h.totals();
        h.order("O1").line("A", 2).line("B", 1).place().assertAccepted();
        h.order("O2").line("B", 5).place().assertAccepted();
        h.order("O2").line("B", 1).place().assertRejected(RejectReason.DUPLICATE_ORDER);
        h.ship("O1", "N1").assertAccepted();
        h.cancel("O2").assertAccepted();
        final Totals t = h.totals();
        assertEquals(2, t.orders());
        assertEquals(3, t.lines());
        assertEquals(8, t.unitsOrdered());
        assertEquals(3 + 2, t.unitsAllocatedAtPlacement());
        assertEquals(0, t.ordersSplit());
        assertEquals(2, t.shipments());
        assertEquals(200, t.totalCost());
        assertEquals(0, t.unitsBackordered());
        assertEquals(3, t.unitsShipped());
        assertEquals(5, t.unitsCancelled());
        assertEquals(before.commandsAccepted() + 4, t.commandsAccepted());
        assertEquals(before.commandsRejected() + 1, t.commandsRejected());
        assertEquals(h.engine().lastSequence(), t.lastSequence());
    }

    @Test
    void stateHashQueryReportsTheEnginesHashAndLastSequence()
    {
        h.order("O1").line("A", 2).place();
        final StateHash reported = h.stateHashQuery();
        assertEquals(h.stateHash(), reported.hash());
        assertEquals(h.engine().lastSequence(), reported.lastSequence());
    }

    @Test
    void queriesChangeNeitherTheStateNorTheSequenceNorTheClock()
    {
        final long due = h.now() + 1000;
        h.order("HELD").line("A", 1).holdUntil(due).place().assertAccepted();
        final long hash = h.stateHash();
        final long sequence = h.engine().lastSequence();
        h.advance(5000);
        h.status("HELD");
        h.availability("A");
        h.nodeLoad("N1");
        h.totals();
        h.stateHashQuery();
        assertEquals(hash, h.stateHash());
        assertEquals(sequence, h.engine().lastSequence());
        assertEquals(OrderState.ON_HOLD, h.status("HELD").state(), "a query's timestamp does not expire holds");
    }

    @Test
    void queryForAnUnknownIdIsRejectedWithItsReason()
    {
        final long hash = h.stateHash();
        assertEquals(RejectReason.UNKNOWN_ORDER,
            h.send(h.writer().queryOrder(h.buffer(), 0, 1, "NOPE")).rejection().reason());
        assertEquals(RejectReason.UNKNOWN_SKU,
            h.send(h.writer().queryAvailability(h.buffer(), 0, 1, "NOPE")).rejection().reason());
        assertEquals(RejectReason.UNKNOWN_NODE,
            h.send(h.writer().queryNodeLoad(h.buffer(), 0, 1, "NOPE")).rejection().reason());
        final Result empty = h.send(h.writer().queryOrder(h.buffer(), 0, 1, ""));
        assertEquals(RejectReason.STRING_NOT_ASCII, empty.rejection().reason());
        assertEquals(hash, h.stateHash());
    }

    @Test
    void queryResultCarriesTheCorrelationId()
    {
        final Result result = h.send(h.writer().queryTotals(h.buffer(), 0, 4242));
        assertEquals(4242, result.one(Totals.class).correlationId());
        assertEquals(List.of(), result.all(Accepted.class), "a query is answered by its result alone");
    }
}
