package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.Events.*;
import io.mete.engine.harness.RandomScenario;
import io.mete.engine.harness.RandomScenario.Action;
import io.mete.engine.sourcing.SourcingPlanner;
import io.mete.schema.*;
import net.jqwik.api.*;
import net.jqwik.api.lifecycle.BeforeTry;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** ExplainSourcing: every candidate node with the planner's verdict on it, the workings of the plan QueryPromise gives. */
class ExplainSourcingTest
{
    private EngineHarness h;

    @BeforeTry
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).penalty(100).stores(false).set().assertAccepted();
        h.policy(MARKET).set().assertAccepted();
        // expedited only in zone 0
        h.nearAndFar(new String[] {WEB, MARKET}, new int[] {1, 0, 1500, 1});
        h.onHand("NEAR", "A", 5).assertAccepted();
        h.onHand("FAR", "A", 20).assertAccepted();
        h.onHand("FAR", "B", 20).assertAccepted();
    }

    @Example
    void theExplanationShowsEveryHoldingNodeAndThePlanPromiseGives()
    {
        final EngineHarness.OrderSpec order = h.order("O1").line("A", 2).line("B", 1);
        final Promise promise = order.promise();
        final Explanation explanation = order.explanation();

        assertEquals(promise.totalCost(), explanation.totalCost());
        assertEquals(promise.deliveryDay(), explanation.deliveryDay());
        assertEquals(promise.unitsShort(), explanation.unitsShort());
        assertEquals(h.today(), explanation.today());
        assertEquals(0, explanation.nodesLeftOut());
        assertEquals(List.of("NEAR", "FAR"), explanation.nodes().stream().map(ExplainedNode::node).toList(), "by node id");

        final ExplainedNode far = explanation.node("FAR");
        assertEquals(NodeVerdict.ELIGIBLE, far.verdict());
        assertEquals(0, far.shipment(), "the plan ships everything from FAR");
        assertEquals(950, far.cost());
        assertEquals(1, far.zone());
        assertEquals(h.today() + 4, far.promisedDay());
        assertEquals(List.of(new ExplainedLine(0, 20, 2, "A"), new ExplainedLine(1, 20, 1, "B")), far.lines());
        assertTrue(far.distanceKm() > 500 && far.distanceKm() <= 5000, "zone 1 is 500..5000 km: " + far.distanceKm());

        final ExplainedNode near = explanation.node("NEAR");
        assertEquals(NodeVerdict.ELIGIBLE, near.verdict(), "eligible, only dearer once B is needed too");
        assertEquals(-1, near.shipment());
        assertEquals(500, near.cost());
        assertEquals(0, near.zone());
        assertEquals(List.of(new ExplainedLine(0, 5, 0, "A")), near.lines(), "NEAR holds only A");
        assertTrue(near.distanceKm() > 100 && near.distanceKm() < 500, "a degree of latitude north: " + near.distanceKm());
        assertEquals(List.of(new LineRoom(0, 2, -1, -1, "A"), new LineRoom(1, 1, -1, -1, "B")), explanation.lines(),
            "no cap, no fence");
    }

    @Example
    void aLineHeldBackByACapOrAFenceSaysHowMuchRoomItsChannelHas()
    {
        h.cap(WEB, "A", 4).assertAccepted();
        h.fence(MARKET, "B", 18).assertAccepted();
        final Explanation web = h.order("O1").line("A", 6).line("B", 5).explanation();
        // B: 20 at FAR, 18 kept for the market
        assertEquals(List.of(new LineRoom(0, 6, 4, -1, "A"), new LineRoom(1, 5, -1, 2, "B")), web.lines());
        assertEquals(2 + 3, web.unitsShort(), "2 of A and 3 of B are beyond the channel's room");
        final Explanation market = h.order("M1").line("B", 5).channel(MARKET).explanation();
        assertEquals(List.of(new LineRoom(0, 5, -1, 20, "B")), market.lines(), "the market's own fence does not hold it back");
    }

    @Example
    void eachRuleThatRulesANodeOutIsNamed()
    {
        h.node("OFF").at(HOME_LATITUDE, HOME_LONGITUDE).channels(WEB).define().assertAccepted();
        h.nodeStatus("OFF", false).assertAccepted();
        h.node("DARK").at(HOME_LATITUDE, HOME_LONGITUDE).channels(WEB).disabled().define().assertAccepted();
        h.node("MKT").at(HOME_LATITUDE, HOME_LONGITUDE).channels(MARKET).define().assertAccepted();
        h.node("STORE").at(HOME_LATITUDE, HOME_LONGITUDE).channels(WEB).store().define().assertAccepted();
        h.node("BUSY").at(HOME_LATITUDE, HOME_LONGITUDE).channels(WEB).capacity(1).define().assertAccepted();
        h.node("MOON").at(-HOME_LATITUDE, HOME_LONGITUDE + 180.0).channels(WEB).define().assertAccepted();
        for (final String node : List.of("OFF", "DARK", "MKT", "STORE", "BUSY", "MOON"))
        {
            h.onHand(node, "C", 10).assertAccepted();
        }
        final Explanation before = h.order("Q").line("C", 1).explanation();
        assertEquals(NodeVerdict.ELIGIBLE, before.node("BUSY").verdict(), "BUSY has room for one shipment today");
        assertEquals(0, before.node("BUSY").shipment(), "the only node that may ship C to the destination");
        h.order("FILL").line("C", 1).place().assertAccepted();
        final Explanation explanation = h.order("Q").line("C", 1).line("A", 1).explanation();

        assertEquals(NodeVerdict.OFFLINE, explanation.node("OFF").verdict());
        assertEquals(NodeVerdict.DISABLED, explanation.node("DARK").verdict());
        assertEquals(NodeVerdict.CHANNEL_NOT_SERVED, explanation.node("MKT").verdict());
        assertEquals(NodeVerdict.STORES_EXCLUDED, explanation.node("STORE").verdict());
        assertEquals(NodeVerdict.OUT_OF_RANGE, explanation.node("MOON").verdict());
        assertEquals(-1, explanation.node("MOON").zone());
        assertEquals(-1, explanation.node("MOON").cost());
        assertEquals(0, explanation.node("MOON").promisedDay());
        assertEquals(NodeVerdict.ELIGIBLE, explanation.node("NEAR").verdict());
        assertEquals(NodeVerdict.STORES_EXCLUDED, h.order("Q").line("C", 1).explanation().node("STORE").verdict());
        assertEquals(NodeVerdict.ELIGIBLE, h.order("Q").line("C", 1).channel(MARKET).explanation().node("MKT").verdict(),
            "MARKET's policy lets stores and MKT serve it");
        assertEquals(NodeVerdict.CHANNEL_NOT_SERVED, h.order("Q").line("C", 1).channel(MARKET).explanation().node("STORE").verdict(),
            "STORE serves WEB only");

        // BUSY took FILL's shipment today: full
        assertEquals(NodeVerdict.CAPACITY_FULL, explanation.node("BUSY").verdict());
        assertEquals(-1, explanation.node("BUSY").shipment());
        assertEquals(List.of(new ExplainedLine(0, 9, 0, "C")), explanation.node("BUSY").lines(), "9 of C left after FILL");

        // no expedited rate in zone 1; the latest delivery day rules out what is slower
        assertEquals(NodeVerdict.NO_RATE, h.order("Q").line("A", 1).service(ServiceLevel.EXPEDITED).explanation().node("FAR").verdict());
        assertEquals(-1, h.order("Q").line("A", 1).service(ServiceLevel.EXPEDITED).explanation().node("FAR").cost());
        assertEquals(NodeVerdict.ELIGIBLE, h.order("Q").line("A", 1).service(ServiceLevel.EXPEDITED).explanation().node("NEAR").verdict());
        final Explanation soon = h.order("Q").line("A", 1).latestDay(h.today() + 2).explanation();
        assertEquals(NodeVerdict.TOO_LATE, soon.node("FAR").verdict());
        assertEquals(h.today() + 4, soon.node("FAR").promisedDay(), "what it would promise, past the latest day");
        assertEquals(NodeVerdict.ELIGIBLE, soon.node("NEAR").verdict());
    }

    @Example
    void explainingChangesNothingAndBadQuestionsAreRejectedAsQueryPromiseRejectsThem()
    {
        h.order("O1").line("A", 3).place().assertAccepted();
        final long hash = h.stateHash();
        final long sequence = h.engine().lastSequence();
        final long rejected = h.totals().commandsRejected();
        h.order("Q").line("A", 2).explanation();
        final Rejected unknown = h.order("Q").line("NOPE", 1).explain().rejection();
        assertEquals(RejectReason.UNKNOWN_SKU, unknown.reason());
        assertEquals(ExplainSourcingDecoder.TEMPLATE_ID, unknown.templateId());
        assertEquals(RejectReason.NO_LINES, h.order("Q").explain().rejection().reason());
        assertEquals(RejectReason.UNKNOWN_CHANNEL, h.order("Q").line("A", 1).channel("nowhere").explain().rejection().reason());
        assertEquals(hash, h.stateHash());
        assertEquals(sequence, h.engine().lastSequence());
        assertEquals(rejected, h.totals().commandsRejected());
    }

    /** The writer sends QueryPromise's bytes under ExplainSourcing's id, and the engine reads both with one decoder: the layouts must agree. */
    @Example
    void explainSourcingHasQueryPromisesLayout()
    {
        final org.agrona.concurrent.UnsafeBuffer expected = new org.agrona.concurrent.UnsafeBuffer(new byte[256]);
        final ExplainSourcingEncoder encoder = new ExplainSourcingEncoder().wrapAndApplyHeader(expected, 0, new MessageHeaderEncoder())
            .correlationId(9).service(ServiceLevel.EXPEDITED).latitude(40_000_000).longitude(-100_000_000).latestDeliveryDay(20_000);
        encoder.linesCount(2).next().quantity(3).sku("A").next().quantity(1).sku("B");
        encoder.channel(WEB);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final org.agrona.concurrent.UnsafeBuffer written = new org.agrona.concurrent.UnsafeBuffer(new byte[256]);
        assertEquals(length, h.writer().explainSourcing(written, 0, 9, WEB, ServiceLevel.EXPEDITED, 40.0, -100.0, 20_000,
            new String[] {"A", "B"}, new int[] {3, 1}));
        assertArrayEquals(java.util.Arrays.copyOf(expected.byteArray(), length), java.util.Arrays.copyOf(written.byteArray(), length));
    }

    @Example
    void explainingAnOrderShowsWhyItsBackorderWaits()
    {
        // B is at FAR only (20): 25 wanted, 5 wait
        final Result placed = h.order("O1").line("A", 1).line("B", 25).place().assertAccepted();
        assertEquals(5, placed.all(Backordered.class).stream().mapToInt(Backordered::quantity).sum());
        final Explanation waiting = h.explainOrder("O1").one(Explanation.class);
        assertEquals(5, waiting.unitsShort(), "only the 5 waiting units are planned");
        assertEquals(List.of("FAR"), waiting.nodes().stream().map(ExplainedNode::node).toList(), "only FAR ever held B");
        final ExplainedNode far = waiting.node("FAR");
        assertEquals(NodeVerdict.ELIGIBLE, far.verdict());
        assertEquals(List.of(new ExplainedLine(1, 0, 0, "B")), far.lines(), "line 1 of the order, nothing left at FAR");

        // FAR declines the order: from then on it is ruled out for it, whatever its stock
        h.onHand("FAR", "B", 40).assertAccepted();
        h.rejectAllocation("O1", "FAR").assertAccepted();
        final ExplainedNode excluded = h.explainOrder("O1").one(Explanation.class).node("FAR");
        assertEquals(NodeVerdict.EXCLUDED_FOR_ORDER, excluded.verdict());

        // an order with nothing waiting is planned in full, as if placed again now
        h.order("O2").line("A", 2).place().assertAccepted();
        final Explanation whole = h.explainOrder("O2").one(Explanation.class);
        assertEquals(0, whole.unitsShort());
        assertEquals(2, whole.nodes().stream().flatMap(n -> n.lines().stream()).mapToInt(ExplainedLine::planned).sum());

        assertEquals(RejectReason.UNKNOWN_ORDER, h.explainOrder("NOPE").rejection().reason());
        assertEquals(ExplainOrderDecoder.TEMPLATE_ID, h.explainOrder("NOPE").rejection().templateId());
    }

    /**
     * Over random histories, before each order: the explanation's verdicts are the planner's own
     * eligibility (a node is ELIGIBLE exactly when sourcing gives it a cost, and the same cost), its plan
     * is the promise's, and asking changes nothing.
     */
    @Property(tries = 30)
    void verdictsAreTheRulesSourcingAppliesAndThePlanIsThePromise(@ForAll("sequences") final List<Action> actions)
    {
        final RandomScenario plain = new RandomScenario(new EngineHarness()).setUp();
        final EngineHarness harness = new EngineHarness();
        final List<String> mismatches = new ArrayList<>();
        final int[] verdicts = new int[2];
        final RandomScenario asked = new RandomScenario(harness).setUp().beforePlacing(order ->
        {
            final Promise promise = order.promise();
            final Result answer = order.explain();
            if (!answer.all(Rejected.class).isEmpty())
            {
                return;
            }
            final Explanation explanation = answer.one(Explanation.class);
            final SourcingPlanner planner = harness.engine().planner();
            for (int node = 0; node < harness.engine().nodeCodes().size(); node++)
            {
                final int verdict = planner.verdict(node);
                final int cost = planner.candidateCost(node);
                verdicts[verdict == SourcingPlanner.ELIGIBLE ? 0 : 1]++;
                if ((verdict == SourcingPlanner.ELIGIBLE) != (cost >= 0) || (cost >= 0 && cost != planner.explainedCost()))
                {
                    mismatches.add("node " + harness.engine().nodeCodes().toString(node) + ": verdict " + verdict + ", cost " + cost +
                        " against " + planner.explainedCost());
                }
            }
            if (promise.totalCost() != explanation.totalCost() || promise.unitsShort() != explanation.unitsShort() ||
                promise.deliveryDay() != explanation.deliveryDay())
            {
                mismatches.add("totals: " + promise + " against " + explanation);
            }
            for (int s = 0; s < promise.shipments().size(); s++)
            {
                final PromisedShipment shipment = promise.shipments().get(s);
                final ExplainedNode node = explanation.node(shipment.node());
                final int index = s;
                final int units = promise.lines().stream().filter(l -> l.shipment() == index).mapToInt(PromisedLine::quantity).sum();
                if (node.shipment() != s || node.verdict() != NodeVerdict.ELIGIBLE || node.cost() != shipment.cost() ||
                    node.promisedDay() != shipment.promisedDay() || node.lines().stream().mapToInt(ExplainedLine::planned).sum() != units)
                {
                    mismatches.add("shipment " + s + " " + shipment + " explained as " + node);
                }
            }
            if (explanation.nodes().stream().filter(n -> n.shipment() >= 0).count() != promise.shipments().size())
            {
                mismatches.add("shipments marked: " + explanation);
            }
        });
        for (final Action action : actions)
        {
            plain.apply(action);
            asked.apply(action);
        }
        assertEquals(List.of(), mismatches);
        assertEquals(plain.harness().stateHash(), asked.harness().stateHash(), "explaining before every order changed the outcome");
        Statistics.label("verdicts").collect(verdicts[0] > 0 ? "some eligible" : "none eligible", verdicts[1] > 0 ? "some ruled out" : "none ruled out");
    }

    @Provide
    Arbitrary<List<Action>> sequences()
    {
        return RandomScenario.sequences(50, 200);
    }
}
