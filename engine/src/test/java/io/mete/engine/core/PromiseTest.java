package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.engine.harness.RandomScenario;
import io.mete.engine.harness.RandomScenario.Action;
import io.mete.schema.*;
import net.jqwik.api.*;
import net.jqwik.api.lifecycle.BeforeTry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** QueryPromise: where and when an order would ship if placed now, from the planner PlaceOrder uses, changing nothing. */
class PromiseTest
{
    private EngineHarness h;

    @BeforeTry
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).penalty(100).set().assertAccepted();
        h.policy(MARKET).rejectShortfall().set().assertAccepted();
        h.nearAndFar(new String[] {WEB, MARKET});
        h.onHand("NEAR", "A", 5).assertAccepted();
        h.onHand("FAR", "A", 20).assertAccepted();
        h.onHand("FAR", "B", 20).assertAccepted();
    }

    @Example
    void aPromiseIsThePlanThatPlacingTheOrderNextMakes()
    {
        final EngineHarness.OrderSpec order = h.order("O1").line("A", 2).line("B", 1);
        final Promise promise = order.promise();
        // B is only at FAR, and A is there too: one shipment from FAR beats NEAR + FAR with the split penalty
        assertEquals(List.of(new PromisedShipment("FAR", 950, h.today() + 4)), promise.shipments());
        assertEquals(List.of(new PromisedLine(0, 0, 2), new PromisedLine(1, 0, 1)), promise.lines());
        assertEquals(950, promise.totalCost());
        assertEquals(h.today() + 4, promise.deliveryDay());
        assertEquals(h.today(), promise.today());
        assertEquals(0, promise.unitsShort());
        assertTrue(promise.shortLines().isEmpty());
        assertEquals(ServiceLevel.STANDARD, promise.service());
        assertPlacementKeepsThePromise(promise, order.place().assertAccepted());
    }

    @Example
    void aPromiseChangesNothingAndTakesNoSequence()
    {
        h.order("O1").line("A", 3).place().assertAccepted();
        final long hash = h.stateHash();
        final long sequence = h.engine().lastSequence();
        final Totals totals = h.totals();
        final Availability availability = h.availability("A");
        for (int i = 0; i < 3; i++)
        {
            final Promise promise = h.order("Q").line("A", 2).promise();
            assertEquals(List.of(new PromisedShipment("NEAR", 500, h.today() + 1)), promise.shipments(), "the same answer every time");
            assertEquals(List.of(new PromisedShipment("FAR", 950, h.today() + 4)), h.order("Q").line("A", 3).promise().shipments(),
                "NEAR has 2 left after O1's 3");
        }
        assertEquals(hash, h.stateHash());
        assertEquals(sequence, h.engine().lastSequence());
        assertEquals(totals.commandsAccepted(), h.totals().commandsAccepted());
        assertEquals(totals.orders(), h.totals().orders());
        final Availability after = h.availability("A");
        assertEquals(availability.nodes(), after.nodes(), "nothing reserved");
        assertEquals(availability.channels(), after.channels(), "nothing held against a channel");
        h.order("Q").line("A", 1).place().assertAccepted();
    }

    @Example
    void unitsNoNodeCanShipAreReportedWithWhatPlacingWouldDoWithThem()
    {
        final Promise web = h.order("O1").line("A", 30).line("B", 5).promise();
        assertEquals(5, web.unitsShort(), "25 of A can ship, 5 cannot");
        assertEquals(Map.of(0, 5), web.shortLines());
        assertEquals(ShortfallAction.BACKORDER, web.shortfallAction());
        assertEquals(30, web.lines().stream().mapToInt(PromisedLine::quantity).sum());
        assertPlacementKeepsThePromise(web, h.order("O1").line("A", 30).line("B", 5).place().assertAccepted());

        final Promise market = h.order("O2").line("B", 30).channel(MARKET).promise();
        assertEquals(ShortfallAction.REJECT, market.shortfallAction());
        assertEquals(15, market.unitsShort());
        h.order("O2").line("B", 30).channel(MARKET).place().assertRejected(RejectReason.INSUFFICIENT_STOCK);
    }

    @Example
    void aDeliveryDateRulesOutNodesTooFarAway()
    {
        // FAR takes 1 handling day + 3 transit days; NEAR 0 + 1
        final Promise soon = h.order("O1").line("A", 8).latestDay(h.today() + 2).promise();
        assertEquals(List.of(new PromisedShipment("NEAR", 500, h.today() + 1)), soon.shipments());
        assertEquals(3, soon.unitsShort(), "only NEAR's 5 arrive in time");
        final Promise later = h.order("O1").line("A", 8).latestDay(h.today() + 4).promise();
        assertEquals(0, later.unitsShort());
        assertEquals(h.today() + 4, later.deliveryDay());
    }

    @Example
    void badQueriesAreRejectedForTheReasonsPlaceOrderGivesAndCountNothing()
    {
        final long rejected = h.totals().commandsRejected();
        assertEquals(RejectReason.UNKNOWN_SKU, h.order("X").line("NOPE", 1).quote().rejection().reason());
        assertEquals(RejectReason.DUPLICATE_SKU_LINE, h.order("X").line("A", 1).line("A", 2).quote().rejection().reason());
        assertEquals(RejectReason.QUANTITY_NOT_POSITIVE, h.order("X").line("A", 0).quote().rejection().reason());
        assertEquals(RejectReason.NO_LINES, h.order("X").quote().rejection().reason());
        assertEquals(RejectReason.UNKNOWN_CHANNEL, h.order("X").line("A", 1).channel("nowhere").quote().rejection().reason());
        assertEquals(RejectReason.INVALID_VALUE, h.order("X").line("A", 1).to(95.0, 0).quote().rejection().reason());
        assertEquals(RejectReason.STRING_TOO_LONG, h.order("X").line("S".repeat(33), 1).quote().rejection().reason());
        final Rejected rejection = h.order("X").line("NOPE", 1).quote().rejection();
        assertEquals(io.mete.schema.QueryPromiseDecoder.TEMPLATE_ID, rejection.templateId());
        assertEquals(h.engine().lastSequence(), rejection.commandSequence(), "a query takes no sequence");
        assertEquals(rejected, h.totals().commandsRejected(), "a rejected query is not a rejected command");
        // the channel string cut short
        final int length = h.order("X").line("A", 1).line("B", 2).encodePromise();
        final byte[] cut = new byte[length - 2];
        h.buffer().getBytes(0, cut);
        assertEquals(RejectReason.MALFORMED, h.raw(cut).rejection().reason());
        assertEquals(rejected, h.totals().commandsRejected());
    }

    @Property(tries = 40)
    void promisesMatchThePlacementsThatFollowAndChangeNothing(@ForAll("sequences") final List<Action> actions)
    {
        final RandomScenario plain = new RandomScenario(new EngineHarness()).setUp();
        final List<String> mismatches = new ArrayList<>();
        final RandomScenario quoted = new RandomScenario(new EngineHarness()).setUp().quoting((promise, placement) ->
        {
            final String mismatch = mismatch(promise, placement);
            if (mismatch != null)
            {
                mismatches.add(mismatch);
            }
        });
        for (final Action action : actions)
        {
            plain.apply(action);
            quoted.apply(action);
        }
        assertEquals(List.of(), mismatches);
        assertEquals(plain.harness().stateHash(), quoted.harness().stateHash(), "quoting before every order changed the outcome");
    }

    @Provide
    Arbitrary<List<Action>> sequences()
    {
        return RandomScenario.sequences(50, 200);
    }

    private static void assertPlacementKeepsThePromise(final Promise promise, final Result placement)
    {
        assertNull(mismatch(promise, placement));
    }

    /** Null when the placement made exactly the promised shipments and backordered exactly the promised shortfall. */
    private static String mismatch(final Promise promise, final Result placement)
    {
        if (!placement.isAccepted())
        {
            final RejectReason reason = placement.rejection().reason();
            if (reason == RejectReason.INSUFFICIENT_STOCK)
            {
                return promise.unitsShort() > 0 && promise.shortfallAction() == ShortfallAction.REJECT ? null
                    : "rejected short, but the promise said " + promise;
            }
            return null;   // a repeated order id: the promise knows nothing of ids
        }
        final List<Allocated> allocated = placement.allocations();
        final List<PromisedShipment> expectedShipments = new ArrayList<>();
        final List<PromisedLine> expectedLines = new ArrayList<>();
        for (int s = 0; s < allocated.size(); s++)
        {
            final Allocated shipment = allocated.get(s);
            expectedShipments.add(new PromisedShipment(shipment.node(), shipment.cost(), shipment.promisedDay()));
            for (final AllocatedLine line : shipment.lines())
            {
                expectedLines.add(new PromisedLine(line.lineNumber(), s, line.quantity()));
            }
        }
        final Map<Integer, Integer> backordered = new TreeMap<>();
        for (final Backordered line : placement.all(Backordered.class))
        {
            backordered.merge(line.lineNumber(), line.quantity(), Integer::sum);
        }
        if (!expectedShipments.equals(promise.shipments()) || !expectedLines.equals(promise.lines()) ||
            !backordered.equals(promise.shortLines()) ||
            promise.unitsShort() != backordered.values().stream().mapToInt(Integer::intValue).sum())
        {
            return "promised " + promise + " but placing made " + allocated + " and backordered " + backordered;
        }
        return null;
    }
}
