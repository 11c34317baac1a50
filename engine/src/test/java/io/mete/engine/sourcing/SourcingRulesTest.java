package io.mete.engine.sourcing;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.schema.RejectReason;
import io.mete.schema.ServiceLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One test per sourcing rule. Without a rate card every shipment costs its node's handling cost,
 * which keeps the expected choice obvious; the rate-card tests set zones explicitly.
 */
class SourcingRulesTest
{
    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).set().assertAccepted();
    }

    private static Map<String, Integer> unitsByNode(final List<Allocated> allocations, final int line)
    {
        final Map<String, Integer> units = new TreeMap<>();
        for (final Allocated a : allocations)
        {
            final int q = a.quantityOf(line);
            if (q > 0)
            {
                units.merge(a.node(), q, Integer::sum);
            }
        }
        return units;
    }

    @Test
    void cheapestSingleNodeCoveringEveryLineWins()
    {
        h.dc("N1", 300);
        h.dc("N2", 100);
        h.dc("N3", 200);
        for (final String node : List.of("N1", "N2", "N3"))
        {
            h.onHand(node, "A", 10);
            h.onHand(node, "B", 10);
        }
        final Allocated shipment = h.order("O1").line("A", 2).line("B", 1).place().assertAccepted().allocation();
        assertEquals("N2", shipment.node());
        assertEquals(100, shipment.cost());
        assertEquals(2, shipment.quantityOf(0));
        assertEquals(1, shipment.quantityOf(1));
        assertEquals(2, h.reservedAt("N2", "A"));
        assertEquals(8, h.atpAt("N2", "A"));
        assertEquals(0, h.reservedAt("N1", "A"));
    }

    @Test
    void cheaperPairBeatsExpensiveSingle()
    {
        h.dc("BIG", 2000);
        h.dc("NA", 100);
        h.dc("NB", 150);
        h.onHand("BIG", "A", 5);
        h.onHand("BIG", "B", 5);
        h.onHand("NA", "A", 5);
        h.onHand("NB", "B", 5);
        // pair: 100 + 150 + penalty 500 = 750 < 2000
        final Result result = h.order("O1").line("A", 1).line("B", 1).place().assertAccepted();
        assertEquals(List.of("NA", "NB"), result.allocatedNodes().stream().sorted().toList());
        assertEquals(1, result.allocations().stream().filter(a -> a.node().equals("NA")).findFirst().orElseThrow().quantityOf(0));
        assertEquals(1, result.allocations().stream().filter(a -> a.node().equals("NB")).findFirst().orElseThrow().quantityOf(1));
    }

    @Test
    void expensiveSingleBeatsPairWhenSplitPenaltyOutweighsTheSaving()
    {
        h.policy(WEB).penalty(2000).set();
        h.dc("BIG", 2000);
        h.dc("NA", 100);
        h.dc("NB", 150);
        h.onHand("BIG", "A", 5);
        h.onHand("BIG", "B", 5);
        h.onHand("NA", "A", 5);
        h.onHand("NB", "B", 5);
        // pair: 100 + 150 + 2000 = 2250 > 2000
        assertEquals(List.of("BIG"), h.order("O1").line("A", 1).line("B", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void singleShipmentPolicyNeverSplitsIntoAPair()
    {
        h.policy(WEB).maxShipments(1).set();
        h.dc("BIG", 2000);
        h.dc("NA", 100);
        h.dc("NB", 150);
        h.onHand("BIG", "A", 5);
        h.onHand("BIG", "B", 5);
        h.onHand("NA", "A", 5);
        h.onHand("NB", "B", 5);
        assertEquals(List.of("BIG"), h.order("O1").line("A", 1).line("B", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void equalCostTieGoesToTheLowerNodeId()
    {
        // node ids follow definition order: Z9 is node 0, A1 is node 1
        h.dc("Z9", 100);
        h.dc("A1", 100);
        h.onHand("A1", "A", 5);
        h.onHand("Z9", "A", 5);
        assertEquals(List.of("Z9"), h.order("O1").line("A", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void equalCostPairTieGoesToTheLowerNodeIds()
    {
        h.dc("P0", 100);
        h.dc("P1", 100);
        h.dc("P2", 100);
        h.dc("P3", 100);
        h.onHand("P3", "A", 5);
        h.onHand("P2", "B", 5);
        h.onHand("P1", "A", 5);
        h.onHand("P0", "B", 5);
        assertEquals(List.of("P0", "P1"), h.order("O1").line("A", 1).line("B", 1).place().assertAccepted().allocatedNodes()
            .stream().sorted().toList());
    }

    @Test
    void lineIsSplitGreedilyWhenNoSingleNodeOrPairCoversIt()
    {
        h.dc("N1", 100);
        h.dc("N2", 200);
        h.dc("N3", 300);
        h.onHand("N3", "A", 4);
        h.onHand("N2", "A", 4);
        h.onHand("N1", "A", 4);
        final Result result = h.order("O1").line("A", 10).place().assertAccepted();
        assertEquals(Map.of("N1", 4, "N2", 4, "N3", 2), unitsByNode(result.allocations(), 0));
        assertTrue(result.all(Backordered.class).isEmpty());
        assertEquals(0, h.atpAt("N1", "A"));
        assertEquals(2, h.atpAt("N3", "A"));
    }

    @Test
    void greedyCoverReweighsEveryNodeAfterEachShipment()
    {
        // no node or pair holds every line whole (C is nowhere whole), so the cover is greedy by cost per unit
        h.dc("N1", 100);
        h.dc("N2", 120);
        h.dc("N3", 150);
        h.onHand("N1", "A", 4);
        h.onHand("N1", "B", 4);
        h.onHand("N2", "A", 4);
        h.onHand("N2", "C", 2);
        h.onHand("N3", "C", 3);
        final Result result = h.order("O1").line("A", 4).line("B", 4).line("C", 4).place().assertAccepted();
        // N1 first (100 for 8 units); N2 could then take only 2 of C (60 a unit), so N3 (50 a unit for 3) goes
        // before it: a node still weighed by the A it could have taken (120 for 6) would have come second
        assertEquals(Map.of("N1", 4), unitsByNode(result.allocations(), 0));
        assertEquals(Map.of("N1", 4), unitsByNode(result.allocations(), 1));
        assertEquals(Map.of("N3", 3, "N2", 1), unitsByNode(result.allocations(), 2));
        assertEquals(List.of("N1", "N3", "N2"), result.allocations().stream().map(Allocated::node).toList());
        assertTrue(result.all(Backordered.class).isEmpty());
    }

    @Test
    void lineIsBackorderedWholeWhenPolicyForbidsSplittingIt()
    {
        h.policy(WEB).split(false).set();
        h.dc("N1", 100);
        h.dc("N2", 200);
        h.onHand("N1", "A", 4);
        h.onHand("N2", "A", 4);
        final Result result = h.order("O1").line("A", 6).place().assertAccepted();
        assertTrue(result.allocations().isEmpty(), result.toString());
        assertEquals(new Backordered("O1", 0, "A", 6), result.one(Backordered.class));
        assertEquals(0, h.reservedAt("N1", "A") + h.reservedAt("N2", "A"));
    }

    @Test
    void withoutLineSplitEachLineStillGoesWholeToItsOwnNode()
    {
        h.policy(WEB).split(false).set();
        h.dc("N1", 100);
        h.dc("N2", 100);
        h.dc("N3", 100);
        h.onHand("N1", "A", 5);
        h.onHand("N2", "B", 5);
        h.onHand("N3", "C", 5);
        final Result result = h.order("O1").line("A", 5).line("B", 5).line("C", 5).place().assertAccepted();
        assertEquals(3, result.allocations().size());
        for (final Allocated a : result.allocations())
        {
            assertEquals(1, a.lines().size(), "one whole line per shipment: " + a);
            assertEquals(5, a.lines().get(0).quantity());
        }
    }

    @Test
    void firstFitPicksTheLowestNumberedCoveringNodeEvenWhenItCostsMore()
    {
        h.policy(WEB).firstFit().set();
        h.dc("EXP", 900);
        h.dc("CHEAP", 100);
        h.onHand("CHEAP", "A", 5);
        h.onHand("CHEAP", "B", 5);
        h.onHand("EXP", "A", 5);
        h.onHand("EXP", "B", 5);
        assertEquals(List.of("EXP"), h.order("O1").line("A", 1).line("B", 1).place().assertAccepted().allocatedNodes());
        h.policy(WEB).set();
        assertEquals(List.of("CHEAP"), h.order("O2").line("A", 1).line("B", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void firstFitSkipsShortAndIneligibleNodesOnItsWayToTheLowestCover()
    {
        h.policy(WEB).firstFit().set();
        for (int n = 0; n < 6; n++)
        {
            h.dc("N" + n, 100);
        }
        // A at N0 N1 N2 N4 N5, B at N1 (short) N2 N3 N4 N5, C at N0 N2 N4 N5
        for (final String node : List.of("N0", "N1", "N2", "N4", "N5"))
        {
            h.onHand(node, "A", 5);
        }
        h.onHand("N1", "B", 1);
        for (final String node : List.of("N2", "N3", "N4", "N5"))
        {
            h.onHand(node, "B", 5);
        }
        for (final String node : List.of("N0", "N2", "N4", "N5"))
        {
            h.onHand(node, "C", 5);
        }
        h.nodeStatus("N2", false).assertAccepted();
        // N1 holds too little B, N2 is offline, N3 lacks A and C: N4 is the lowest cover
        final Allocated shipment = h.order("O1").line("A", 1).line("B", 2).line("C", 1).place().assertAccepted().allocation();
        assertEquals("N4", shipment.node());
        assertEquals(List.of(1, 2, 1), List.of(shipment.quantityOf(0), shipment.quantityOf(1), shipment.quantityOf(2)));
        assertEquals(2, h.reservedAt("N4", "B"));
        h.nodeStatus("N2", true).assertAccepted();
        assertEquals(List.of("N2"), h.order("O2").line("A", 1).line("B", 2).line("C", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void firstFitWithoutACoveringNodePlacesEachLineAtTheLowestNodeHoldingIt()
    {
        h.policy(WEB).firstFit().set();
        h.dc("N0", 100);
        h.dc("N1", 100);
        h.dc("N2", 100);
        h.onHand("N0", "B", 5);
        h.onHand("N1", "A", 1);
        h.onHand("N2", "A", 5);
        final Result result = h.order("O1").line("A", 2).line("B", 1).place().assertAccepted();
        // A needs 2: N1 holds only 1, so the lowest node holding the whole line is N2
        assertEquals(Map.of("N2", 2), unitsByNode(result.allocations(), 0));
        assertEquals(Map.of("N0", 1), unitsByNode(result.allocations(), 1));
    }

    @Test
    void deliveryPromiseExcludesNodesTooSlowToMeetIt()
    {
        h.node("SLOW").handling(100, 5).define();
        h.node("FAST").handling(300, 1).define();
        h.onHand("SLOW", "A", 5);
        h.onHand("FAST", "A", 5);
        final Allocated shipment = h.order("O1").line("A", 1).latestDay(h.today() + 2).place().assertAccepted().allocation();
        assertEquals("FAST", shipment.node());
        assertEquals(h.today() + 1, shipment.promisedDay());
        assertEquals(List.of("SLOW"), h.order("O2").line("A", 1).place().assertAccepted().allocatedNodes(), "no promise: cheapest");
    }

    @Test
    void orderNoNodeCanDeliverInTimeIsBackordered()
    {
        h.node("SLOW").handling(100, 5).define();
        h.onHand("SLOW", "A", 5);
        final Result result = h.order("O1").line("A", 1).latestDay(h.today() + 1).place().assertAccepted();
        assertTrue(result.allocations().isEmpty());
        assertEquals(1, result.one(Backordered.class).quantity());
    }

    @Test
    void storesAreSkippedWhenThePolicyMakesThemIneligible()
    {
        h.node("STORE").store().handling(50, 0).define();
        h.dc("DC", 300);
        h.onHand("STORE", "A", 5);
        h.onHand("DC", "A", 5);
        assertEquals(List.of("STORE"), h.order("O1").line("A", 1).place().assertAccepted().allocatedNodes());
        h.policy(WEB).stores(false).set();
        assertEquals(List.of("DC"), h.order("O2").line("A", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void offlineNodeIsSkippedUntilItComesBack()
    {
        h.dc("CHEAP", 100);
        h.dc("DEAR", 300);
        h.onHand("CHEAP", "A", 5);
        h.onHand("DEAR", "A", 5);
        h.nodeStatus("CHEAP", false).assertAccepted();
        assertEquals(List.of("DEAR"), h.order("O1").line("A", 1).place().assertAccepted().allocatedNodes());
        h.nodeStatus("CHEAP", true).assertAccepted();
        assertEquals(List.of("CHEAP"), h.order("O2").line("A", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void disabledNodeIsSkipped()
    {
        h.node("CHEAP").handling(100, 0).disabled().define();
        h.dc("DEAR", 300);
        h.onHand("CHEAP", "A", 5);
        h.onHand("DEAR", "A", 5);
        assertEquals(List.of("DEAR"), h.order("O1").line("A", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void nodeThatDoesNotServeTheChannelIsSkipped()
    {
        h.policy(MARKET).set();
        h.node("MKT").handling(100, 0).channels(MARKET).define();
        h.dc("ALL", 300);
        h.onHand("MKT", "A", 5);
        h.onHand("ALL", "A", 5);
        assertEquals(List.of("ALL"), h.order("O1").line("A", 1).place().assertAccepted().allocatedNodes());
        assertEquals(List.of("MKT"), h.order("O2").line("A", 1).channel(MARKET).place().assertAccepted().allocatedNodes());
    }

    @Test
    void dailyCapacityExhaustedMovesOrdersElsewhereUntilTheDayRolls()
    {
        h.node("CAP1").handling(100, 0).capacity(1).define();
        h.dc("DEAR", 300);
        h.onHand("CAP1", "A", 10);
        h.onHand("DEAR", "A", 10);
        assertEquals(List.of("CAP1"), h.order("O1").line("A", 1).place().assertAccepted().allocatedNodes());
        assertEquals(List.of("DEAR"), h.order("O2").line("A", 1).place().assertAccepted().allocatedNodes());
        assertEquals(1, h.nodeLoad("CAP1").shipmentsToday());
        // timestamps are epoch ms and the day is ts / 86,400,000: the next midnight resets the count
        h.at((h.today() + 1) * DAY);
        assertEquals(List.of("CAP1"), h.order("O3").line("A", 1).place().assertAccepted().allocatedNodes());
        assertEquals(1, h.nodeLoad("CAP1").shipmentsToday());
    }

    @Test
    void orderBackorderedForLackOfCapacityIsFilledWhenTheDayRolls()
    {
        h.node("CAP1").handling(100, 0).capacity(1).define();
        h.onHand("CAP1", "A", 10);
        h.order("O1").line("A", 1).place().assertAccepted();
        assertEquals(1, h.order("O2").line("A", 1).place().assertAccepted().one(Backordered.class).quantity());
        h.advance(DAY - 1);
        assertTrue(h.tick().assertAccepted().all(Filled.class).isEmpty(), "still the same day");
        h.advance(1);
        final Filled filled = h.tick().assertAccepted().one(Filled.class);
        assertEquals(new Filled("O2", 0, "A", "CAP1", 1, 0), filled);
    }

    @Test
    void channelCapLimitsWhatTheChannelCanReserve()
    {
        h.dc("N1", 100);
        h.onHand("N1", "A", 10);
        h.cap(WEB, "A", 3).assertAccepted();
        final Result result = h.order("O1").line("A", 5).place().assertAccepted();
        assertEquals(3, result.allocation().quantityOf(0));
        assertEquals(2, result.one(Backordered.class).quantity());
        final Availability availability = h.availability("A");
        assertEquals(3, availability.channel(WEB).reserved());
        assertEquals(3, availability.channel(WEB).maxUnits());
        assertEquals(0, availability.channel(WEB).available());
        assertEquals(7, availability.node("N1").atp());
    }

    @Test
    void capOfOneChannelLeavesAnotherChannelFree()
    {
        h.policy(MARKET).set();
        h.dc("N1", 100);
        h.onHand("N1", "A", 10);
        h.cap(MARKET, "A", 2);
        assertEquals(2, h.order("M1").line("A", 4).channel(MARKET).place().assertAccepted().allocation().quantityOf(0));
        assertEquals(6, h.order("W1").line("A", 6).place().assertAccepted().allocation().quantityOf(0));
    }

    @Test
    void raisingACapFillsTheBackorderItHeldBack()
    {
        h.dc("N1", 100);
        h.onHand("N1", "A", 10);
        h.cap(WEB, "A", 1);
        h.order("O1").line("A", 3).place().assertAccepted();
        final Filled filled = h.cap(WEB, "A", -1).assertAccepted().one(Filled.class);
        assertEquals(2, filled.quantity());
        assertEquals(0, filled.remainingBackordered());
    }

    @Test
    void safetyStockLowersAvailableToPromise()
    {
        h.dc("N1", 100);
        h.onHand("N1", "A", 10);
        h.safety("N1", "A", 4).assertAccepted();
        assertEquals(6, h.atpAt("N1", "A"));
        final Result result = h.order("O1").line("A", 7).place().assertAccepted();
        assertEquals(6, result.allocation().quantityOf(0));
        assertEquals(1, result.one(Backordered.class).quantity());
        assertEquals(0, h.atpAt("N1", "A"));
        final NodeAvailability position = h.availability("A").node("N1");
        assertEquals(new NodeAvailability("N1", 10, 6, 4, 0), position);
    }

    @Test
    void loweringSafetyStockFillsWaitingBackorders()
    {
        h.dc("N1", 100);
        h.onHand("N1", "A", 10);
        h.safety("N1", "A", 10);
        h.order("O1").line("A", 3).place().assertAccepted();
        assertEquals(3, h.safety("N1", "A", 0).assertAccepted().one(Filled.class).quantity());
    }

    @Test
    void rejectShortfallPolicyRejectsAndLeavesNoTraceSoTheOrderCanBeRetried()
    {
        h.policy(WEB).rejectShortfall().set();
        h.dc("N1", 100);
        h.onHand("N1", "A", 3);
        h.onHand("N1", "B", 3);
        final Result rejected = h.order("O1").line("A", 2).line("B", 5).place().assertRejected(RejectReason.INSUFFICIENT_STOCK);
        assertTrue(rejected.allocations().isEmpty());
        assertEquals(h.hashIfLastCommandWereUnreadable(), h.stateHash());
        assertEquals(0, h.reservedAt("N1", "A"));
        assertEquals(0, h.totals().orders());
        // same order id, now fillable
        h.adjust("N1", "B", 2);
        final Allocated shipment = h.order("O1").line("A", 2).line("B", 5).place().assertAccepted().allocation();
        assertEquals(5, shipment.quantityOf(1));
    }

    @Test
    void rateCardZoneDecidesTheCostAndTheTransitDays()
    {
        // bands: zone 0 up to 100 km, zone 1 up to 5000 km; standard 500 / 1 day and 2000 / 4 days
        h.rateCard(new int[] {100, 5000}, new int[][] {{0, 0, 500, 1}, {0, 1, 2000, 4}}).assertAccepted();
        h.node("FAR").at(30.0, -80.0).handling(50, 0).define();
        h.node("NEAR").at(HOME_LATITUDE, HOME_LONGITUDE + 0.1).handling(400, 0).define();
        h.onHand("FAR", "A", 5);
        h.onHand("NEAR", "A", 5);
        final Allocated shipment = h.order("O1").line("A", 1).place().assertAccepted().allocation();
        assertEquals("NEAR", shipment.node());
        assertEquals(900, shipment.cost());
        assertEquals(h.today() + 1, shipment.promisedDay());
        // NEAR gone: FAR costs 2000 + 50 and takes 4 days
        h.nodeStatus("NEAR", false);
        final Allocated far = h.order("O2").line("A", 1).place().assertAccepted().allocation();
        assertEquals("FAR", far.node());
        assertEquals(2050, far.cost());
        assertEquals(h.today() + 4, far.promisedDay());
    }

    @Test
    void serviceWithoutARateInTheZoneCannotShipFromThere()
    {
        h.rateCard(new int[] {5000}, new int[][] {{0, 0, 500, 1}}).assertAccepted();
        h.dc("N1", 100);
        h.onHand("N1", "A", 5);
        assertEquals(1, h.order("O1").line("A", 1).service(ServiceLevel.NEXT_DAY).place().assertAccepted().one(Backordered.class).quantity());
        assertEquals(List.of("N1"), h.order("O2").line("A", 1).place().assertAccepted().allocatedNodes());
    }

    @Test
    void destinationBeyondTheLastBandCannotBeServed()
    {
        h.rateCard(new int[] {100}, new int[][] {{0, 0, 500, 1}}).assertAccepted();
        h.dc("N1", 100);
        h.onHand("N1", "A", 5);
        assertTrue(h.order("O1").line("A", 1).to(10.0, 10.0).place().assertAccepted().allocations().isEmpty());
    }

    @Test
    void widestOrderSplitOverTheMostShipmentsIsPlacedInFull()
    {
        wideOrderOverManyNodes(false);
    }

    @Test
    void widestOrderSplitOverTheMostShipmentsIsPlacedInFullUnderFirstFit()
    {
        wideOrderOverManyNodes(true);
    }

    /** 64 lines of 5 units where every node holds 1 unit of each SKU: 5 shipments of 64 lines each. */
    private void wideOrderOverManyNodes(final boolean firstFit)
    {
        final EngineHarness.PolicySpec policy = h.policy(WEB).maxShipments(16);
        if (firstFit)
        {
            policy.firstFit();
        }
        policy.set().assertAccepted();
        final EngineHarness.OrderSpec order = h.order("WIDE");
        for (int n = 0; n < 8; n++)
        {
            h.dc("N" + n, 100 + n);
            for (int s = 0; s < 64; s++)
            {
                h.onHand("N" + n, "S" + s, 1).assertAccepted();
            }
        }
        for (int s = 0; s < 64; s++)
        {
            order.line("S" + s, 5);
        }
        final Result result = order.place().assertAccepted();
        assertEquals(5, result.allocations().size());
        assertEquals(320, result.allocations().stream().mapToInt(a -> a.lines().stream().mapToInt(AllocatedLine::quantity).sum()).sum());
        assertTrue(result.all(Backordered.class).isEmpty());
    }
}
