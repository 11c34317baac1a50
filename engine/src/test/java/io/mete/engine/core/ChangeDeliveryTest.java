package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.engine.harness.InvariantChecker;
import io.mete.schema.AllocationState;
import io.mete.schema.RejectReason;
import io.mete.schema.ServiceLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** ChangeDelivery: a new address, service or date moves what is not yet picked to the nodes that suit it. */
class ChangeDeliveryTest
{
    private static final double[] NEW_YORK = {40.7, -74.0};
    private static final double[] LOS_ANGELES = {34.05, -118.25};

    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).penalty(100).set().assertAccepted();
        // zone 0 up to 500 km: 400 and 1 day; zone 1 up to 5000 km: 900 and 3 days (standard)
        h.rateCard(new int[] {500, 5000}, new int[][] {{0, 0, 400, 1}, {0, 1, 900, 3}}).assertAccepted();
        h.node("EAST").at(NEW_YORK[0], NEW_YORK[1]).handling(100, 0).define().assertAccepted();
        h.node("WEST").at(LOS_ANGELES[0], LOS_ANGELES[1]).handling(100, 0).define().assertAccepted();
        for (final String node : new String[] {"EAST", "WEST"})
        {
            h.onHand(node, "A", 10).assertAccepted();
            h.onHand(node, "B", 10).assertAccepted();
        }
    }

    @AfterEach
    void invariantsHold()
    {
        new InvariantChecker(h.engine()).assertHolds("after the test");
    }

    private Result placeToNewYork(final String order)
    {
        return h.order(order).line("A", 2).line("B", 1).to(NEW_YORK[0], NEW_YORK[1]).place().assertAccepted();
    }

    private Result moveToLosAngeles(final String order)
    {
        return h.changeDelivery(order, ServiceLevel.STANDARD, LOS_ANGELES[0], LOS_ANGELES[1], 0);
    }

    @Test
    void anOrderMovingAcrossTheCountryIsShippedFromTheOtherCoastInOneShipment()
    {
        assertEquals(List.of("EAST"), placeToNewYork("O1").allocatedNodes());
        final Result moved = moveToLosAngeles("O1").assertAccepted();
        assertEquals(List.of(new Resourced("O1", 0, 2, "EAST"), new Resourced("O1", 1, 1, "EAST")), moved.all(Resourced.class));
        final Allocated shipment = moved.allocation();
        assertEquals("WEST", shipment.node());
        assertEquals(500, shipment.cost(), "zone 0 from the new address");
        assertEquals(h.today() + 1, shipment.promisedDay());
        assertEquals(List.of(new AllocatedLine(0, 2, "A"), new AllocatedLine(1, 1, "B")), shipment.lines());
        assertEquals(0, h.reservedAt("EAST", "A"));
        assertEquals(2, h.reservedAt("WEST", "A"));
        assertEquals(1, h.reservedAt("WEST", "B"));
        final int order = h.engine().orderIds().find("O1");
        assertEquals(34_050_000, h.engine().book().latitudeMicros(order));
        assertEquals(-118_250_000, h.engine().book().longitudeMicros(order));
        assertTrue(h.status("O1").allocations().stream().allMatch(a -> a.node().equals("WEST") || a.quantity() == 0));
    }

    @Test
    void whatIsPickedStaysAtItsNodeAndOnlyTheRestMoves()
    {
        placeToNewYork("O1");
        h.pick("O1", "EAST", 0, 2).assertAccepted();
        final Result moved = moveToLosAngeles("O1").assertAccepted();
        assertEquals(List.of(new Resourced("O1", 1, 1, "EAST")), moved.all(Resourced.class), "line 0 is picked: it stays");
        assertEquals(List.of(new AllocatedLine(1, 1, "B")), moved.allocation().lines());
        assertEquals("WEST", moved.allocation().node());
        assertEquals(2, h.reservedAt("EAST", "A"), "the picked units are still held at EAST");
        final List<StatusAllocation> allocations = h.status("O1").allocations().stream().filter(a -> a.quantity() > 0).toList();
        assertTrue(allocations.contains(new StatusAllocation(0, "EAST", 2, AllocationState.PICKED)), allocations.toString());
        assertTrue(allocations.contains(new StatusAllocation(1, "WEST", 1, AllocationState.RELEASED)), allocations.toString());
    }

    @Test
    void aHeldOrderStaysHeldAtItsNewNodes()
    {
        h.order("O1").line("A", 2).to(NEW_YORK[0], NEW_YORK[1]).holdUntil(h.now() + 60_000).place().assertAccepted();
        final Result moved = moveToLosAngeles("O1").assertAccepted();
        assertEquals("WEST", moved.allocation().node());
        assertTrue(moved.all(Released.class).isEmpty(), "not released while on hold");
        assertEquals(List.of(new StatusAllocation(0, "WEST", 2, AllocationState.RESERVED)),
            h.status("O1").allocations().stream().filter(a -> a.quantity() > 0).toList());
    }

    @Test
    void aDeliveryDateNoNodeCanMeetBackordersTheLinesUntilStockOrTimeAllows()
    {
        placeToNewYork("O1");
        // next day: one day of transit at the least, so nothing can arrive today
        final Result moved = h.changeDelivery("O1", ServiceLevel.STANDARD, NEW_YORK[0], NEW_YORK[1], h.today()).assertAccepted();
        assertEquals(2, moved.all(Resourced.class).size());
        assertTrue(moved.allocations().isEmpty(), moved.toString());
        assertEquals(List.of(2, 1), moved.all(Backordered.class).stream().map(Backordered::quantity).toList());
        assertEquals(0, h.reservedAt("EAST", "A"));
        assertEquals(3, h.totals().unitsBackordered());
    }

    @Test
    void badChangesAreRejectedAndChangeNothing()
    {
        placeToNewYork("O1");
        assertEquals(RejectReason.UNKNOWN_ORDER, moveToLosAngeles("NOPE").rejection().reason());
        assertEquals(RejectReason.INVALID_VALUE,
            h.changeDelivery("O1", ServiceLevel.STANDARD, 91.0, 0, 0).rejection().reason());
        assertEquals(RejectReason.INVALID_VALUE,
            h.changeDelivery("O1", ServiceLevel.STANDARD, 40, -74, -1).rejection().reason());
        assertEquals(2, h.reservedAt("EAST", "A"), "still at EAST");
        h.order("O2").line("A", 1).place().assertAccepted();
        h.cancel("O2").assertAccepted();
        assertEquals(RejectReason.ORDER_CLOSED, moveToLosAngeles("O2").rejection().reason());
    }

    @Test
    void theMovedOrderKeepsFirstClaimOnTheStockItGaveBack()
    {
        // the only B is EAST's one unit: O1 holds it, O2 waits for it
        h.onHand("EAST", "B", 1).assertAccepted();
        h.onHand("WEST", "B", 0).assertAccepted();
        placeToNewYork("O1");
        assertEquals(1, h.order("O2").line("B", 1).to(NEW_YORK[0], NEW_YORK[1]).place().assertAccepted().one(Backordered.class).quantity());
        final Result moved = moveToLosAngeles("O1").assertAccepted();
        // B can only come from EAST, so one shipment from there (1,000) beats A from WEST and B from EAST
        // (500 + 1,000 + the split penalty); O1 takes back the unit it let go of in the same command
        assertEquals(List.of("EAST"), moved.allocatedNodes());
        assertEquals(1000, moved.allocation().cost(), "zone 1 from the new address");
        assertTrue(moved.all(Filled.class).isEmpty(), "O2 still waits: " + moved);
        assertEquals(1, h.totals().unitsBackordered());
        assertEquals(1, h.reservedAt("EAST", "B"));
    }

    @Test
    void changingTheDeliveryAgainAndAgainGrowsNothing()
    {
        placeToNewYork("O1");
        final int order = h.engine().orderIds().find("O1");
        for (int i = 0; i < 50; i++)
        {
            final double[] to = i % 2 == 0 ? LOS_ANGELES : NEW_YORK;
            h.changeDelivery("O1", ServiceLevel.STANDARD, to[0], to[1], 0).assertAccepted();
        }
        int records = 0;
        for (int a = h.engine().book().allocationHead(order); a != io.mete.engine.order.OrderBook.NONE; a = h.engine().book().allocationNext(a))
        {
            records++;
        }
        assertEquals(2, records, "one allocation per line, however often it moved");
        assertEquals(List.of("EAST", "EAST"), h.status("O1").allocations().stream().map(StatusAllocation::node).toList());
        assertEquals(2, h.reservedAt("EAST", "A"));
        assertEquals(0, h.reservedAt("WEST", "A"));
    }

    @Test
    void planningAgainAtTheSameNodeIsTheSameShipmentNotOneMoreAgainstItsCapacity()
    {
        // EAST ships one order a day: O1's shipment fills its day
        h.node("EAST").at(NEW_YORK[0], NEW_YORK[1]).handling(100, 0).capacity(1).define().assertAccepted();
        placeToNewYork("O1");
        assertEquals(1, h.nodeLoad("EAST").shipmentsToday());
        // a few streets away: still EAST, still the one shipment
        final Result moved = h.changeDelivery("O1", ServiceLevel.STANDARD, NEW_YORK[0] + 0.01, NEW_YORK[1], 0).assertAccepted();
        assertEquals(List.of("EAST"), moved.allocatedNodes(), "a full day does not shut the order out of its own shipment");
        assertEquals(1, h.nodeLoad("EAST").shipmentsToday());
        // another order still finds EAST's day full
        assertEquals(List.of("WEST"), h.order("O2").line("A", 1).to(NEW_YORK[0], NEW_YORK[1]).place().assertAccepted().allocatedNodes());
    }
}
