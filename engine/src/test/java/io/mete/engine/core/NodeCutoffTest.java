package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.Events.*;
import io.mete.engine.snapshot.EngineSnapshot;
import io.mete.schema.NodeVerdict;
import io.mete.schema.RejectReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** SetNodeCutoff: from its cutoff on, what a node is given today leaves it tomorrow, a day later at the customer. */
class NodeCutoffTest
{
    private static final long MINUTE = 60_000L;
    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).penalty(100).set().assertAccepted();
        h.nearAndFar(new String[] {WEB});
        h.onHand("NEAR", "A", 50).assertAccepted();
        h.onHand("FAR", "A", 50).assertAccepted();
    }

    /** Moves the clock to {@code minute} after midnight UTC of the next day (or today, if still ahead). */
    private void clockAt(final int minute)
    {
        final long day = 86_400_000L;
        final long target = Math.floorDiv(h.now(), day) * day + minute * MINUTE;
        h.at(target > h.now() ? target : target + day);
        h.tick().assertAccepted();
    }

    @Test
    void ordersFromTheCutoffOnArePromisedADayLater()
    {
        h.cutoff("NEAR", 15 * 60).assertAccepted();
        clockAt(14 * 60 + 59);
        final int today = h.today();
        assertEquals(today + 1, h.order("Q").line("A", 1).promise().shipments().get(0).promisedDay(), "before 15:00: today, 1 day in transit");
        final Allocated before = h.order("O1").line("A", 1).place().assertAccepted().allocations().get(0);
        assertEquals("NEAR", before.node());
        assertEquals(today + 1, before.promisedDay());

        h.advance(MINUTE);
        h.tick().assertAccepted();
        assertEquals(today, h.today(), "15:00, the same day");
        final Allocated after = h.order("O2").line("A", 1).place().assertAccepted().allocations().get(0);
        assertEquals("NEAR", after.node(), "still the cheapest");
        assertEquals(today + 2, after.promisedDay(), "from 15:00 it leaves tomorrow");
        final ExplainedNode explained = h.order("Q").line("A", 1).explanation().node("NEAR");
        assertEquals(today + 2, explained.promisedDay());
        assertEquals(NodeVerdict.ELIGIBLE, explained.verdict());

        // the next morning, before the cutoff again
        clockAt(9 * 60);
        assertEquals(today + 1, h.today());
        assertEquals(h.today() + 1, h.order("O3").line("A", 1).place().assertAccepted().allocations().get(0).promisedDay());
        // no cutoff: never a day later
        h.cutoff("NEAR", 0).assertAccepted();
        clockAt(23 * 60 + 59);
        assertEquals(h.today() + 1, h.order("O4").line("A", 1).place().assertAccepted().allocations().get(0).promisedDay());
    }

    @Test
    void aCutoffCanMissTheLatestDeliveryDayAndMovingItLaterFillsWhatWaited()
    {
        h.cutoff("NEAR", 12 * 60).assertAccepted();
        clockAt(13 * 60);
        final Result placed = h.order("SOON").line("A", 2).latestDay(h.today() + 1).place().assertAccepted();
        assertTrue(placed.allocations().isEmpty(), "NEAR would arrive tomorrow + 1 after its cutoff, FAR in 4 days: " + placed);
        assertEquals(2, placed.all(Backordered.class).stream().mapToInt(Backordered::quantity).sum());
        assertEquals(NodeVerdict.TOO_LATE, h.order("Q").line("A", 1).latestDay(h.today() + 1).explanation().node("NEAR").verdict());

        // the cutoff moves to 18:00: NEAR can make it again, and the backorder fills at once
        final Result moved = h.cutoff("NEAR", 18 * 60).assertAccepted();
        final List<Filled> filled = moved.all(Filled.class);
        assertEquals(1, filled.size(), moved.toString());
        assertEquals(2, filled.get(0).quantity());
        assertEquals(h.today() + 1, moved.allocations().get(0).promisedDay());
    }

    @Test
    void pastItsCutoffANodesShipmentsCountAgainstTomorrowsCapacity()
    {
        h.node("NEAR").at(HOME_LATITUDE + 1.0, HOME_LONGITUDE).handling(100, 0).channels(WEB).capacity(1).define().assertAccepted();
        h.cutoff("NEAR", 15 * 60).assertAccepted();
        clockAt(10 * 60);
        final int today = h.today();
        assertEquals("NEAR", h.order("O1").line("A", 1).place().assertAccepted().allocation().node(), "today's one shipment");
        assertEquals("FAR", h.order("O2").line("A", 1).place().assertAccepted().allocation().node(), "NEAR is full for today");

        clockAt(16 * 60);
        final Allocated tomorrow = h.order("O3").line("A", 1).place().assertAccepted().allocation();
        assertEquals("NEAR", tomorrow.node(), "past the cutoff the shipment leaves tomorrow: tomorrow's capacity");
        assertEquals(today + 2, tomorrow.promisedDay());
        final NodeLoad load = h.nodeLoad("NEAR");
        assertEquals(1, load.shipmentsToday());
        assertEquals(1, load.shipmentsNextDay());
        assertEquals(15 * 60, load.cutoffMinute());
        assertEquals("FAR", h.order("O4").line("A", 1).place().assertAccepted().allocation().node(), "tomorrow's one is taken too");
        assertEquals(NodeVerdict.CAPACITY_FULL, h.order("Q").line("A", 1).explanation().node("NEAR").verdict());

        // the next morning what was planned last night leaves today: NEAR is full until its cutoff
        clockAt(9 * 60);
        assertEquals(today + 1, h.today());
        assertEquals(1, h.nodeLoad("NEAR").shipmentsToday());
        assertEquals(0, h.nodeLoad("NEAR").shipmentsNextDay());
        assertEquals("FAR", h.order("O5").line("A", 1).place().assertAccepted().allocation().node());
        clockAt(15 * 60);
        assertEquals("NEAR", h.order("O6").line("A", 1).place().assertAccepted().allocation().node(), "from the cutoff: the day after");

        // two days on, nothing planned earlier leaves that day
        h.advance(2 * 86_400_000L);
        h.tick().assertAccepted();
        assertEquals(0, h.nodeLoad("NEAR").shipmentsToday());
        assertEquals(0, h.nodeLoad("NEAR").shipmentsNextDay());
        assertEquals(h.stateHash(), h.replay().stateHash());
    }

    @Test
    void badCutoffsAreRejectedAndCutoffsSurviveASnapshot() throws Exception
    {
        assertEquals(RejectReason.UNKNOWN_NODE, h.cutoff("NOWHERE", 600).rejection().reason());
        assertEquals(RejectReason.INVALID_VALUE, h.cutoff("NEAR", 1440).rejection().reason());
        h.cutoff("NEAR", 10 * 60).assertAccepted();
        clockAt(11 * 60);
        assertEquals("NEAR", h.order("LATE").line("A", 1).place().assertAccepted().allocation().node());
        final long hash = h.stateHash();

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EngineSnapshot.write(h.engine(), new DataOutputStream(bytes));
        final AllocationEngine restored = EngineSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
            EngineConfig.defaults(), EventSink.NONE);
        assertEquals(hash, restored.stateHash());
        assertEquals(10 * 60, restored.nodes().cutoffMinute(restored.nodeCodes().find("NEAR")));
        assertEquals(1, restored.nodes().shipmentsNextDay(restored.nodeCodes().find("NEAR")), "planned past the cutoff, leaving tomorrow");
        assertEquals(0, restored.nodes().cutoffMinute(restored.nodeCodes().find("FAR")));

        // the restored engine plans with the restored time of day: past NEAR's cutoff
        final EngineHarness again = EngineHarness.restore(bytes.toByteArray(), h.now());
        assertEquals(h.today() + 2, again.order("R").line("A", 1).promise().shipments().get(0).promisedDay());
        assertEquals(h.order("R").line("A", 1).promise().shipments(), again.order("R").line("A", 1).promise().shipments());
    }
}
