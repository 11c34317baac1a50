package io.mete.engine.sourcing;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.Events.*;
import io.mete.engine.snapshot.EngineSnapshot;
import io.mete.schema.RejectReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** SetChannelFence: units kept for one channel that the others may not reserve. */
class ChannelFenceTest
{
    private static final String WHOLESALE = "wholesale";

    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).set().assertAccepted();
        h.policy(MARKET).set().assertAccepted();
        h.dc("N1", 100);
        h.onHand("N1", "A", 10);
    }

    @Test
    void otherChannelsReserveOnlyWhatTheFenceDoesNotKeep()
    {
        h.fence(MARKET, "A", 6).assertAccepted();
        final Result web = h.order("W1").line("A", 8).place().assertAccepted();
        assertEquals(4, web.allocation().quantityOf(0));
        assertEquals(4, web.one(Backordered.class).quantity());
        // the fenced channel takes its fence
        assertEquals(6, h.order("M1").line("A", 6).channel(MARKET).place().assertAccepted().allocation().quantityOf(0));
        assertEquals(10, h.reservedAt("N1", "A"));
    }

    @Test
    void theFencedChannelMayTakeItsFenceAndEverythingElse()
    {
        h.fence(MARKET, "A", 6);
        assertEquals(9, h.order("M1").line("A", 9).channel(MARKET).place().assertAccepted().allocation().quantityOf(0));
    }

    @Test
    void whatTheFencedChannelHoldsReservedNoLongerCountsAgainstTheOthers()
    {
        h.fence(MARKET, "A", 6);
        h.order("M1").line("A", 4).channel(MARKET).place().assertAccepted();
        // ATP 6, of which the fence still keeps 6 - 4 = 2
        assertEquals(4, h.order("W1").line("A", 10).place().assertAccepted().allocation().quantityOf(0));
        // cancelling the market order gives the fence its units back, not the web channel
        h.cancel("M1").assertAccepted();
        assertEquals(1, h.order("W2").line("A", 1).place().assertAccepted().one(Backordered.class).quantity());
    }

    @Test
    void aFenceWhoseOrdersShippedKeepsItsUnitsAgain()
    {
        h.fence(MARKET, "A", 4);
        h.order("M1").line("A", 4).channel(MARKET).place().assertAccepted();
        assertEquals(6, h.order("W1").line("A", 6).place().assertAccepted().allocation().quantityOf(0));
        h.ship("M1", "N1").assertAccepted();
        h.adjust("N1", "A", 5).assertAccepted();
        // the market holds nothing open now: its fence keeps 4 of the 5 that came in
        assertEquals(1, h.order("W2").line("A", 5).place().assertAccepted().allocation().quantityOf(0));
    }

    @Test
    void availabilityShowsTheFenceAndWhatEachChannelMaySell()
    {
        h.fence(MARKET, "A", 6).assertAccepted();
        h.cap(WEB, "A", 3);
        final Availability a = h.availability("A");
        assertEquals(new ChannelAvailability(WEB, 3, 0, 3, 0), a.channel(WEB));
        assertEquals(new ChannelAvailability(MARKET, -1, 0, 10, 6), a.channel(MARKET));
        h.cap(WEB, "A", -1);
        assertEquals(4, h.availability("A").channel(WEB).available());
    }

    @Test
    void fencesOfSeveralChannelsAddUp()
    {
        h.policy(WHOLESALE).set();
        h.fence(MARKET, "A", 3);
        h.fence(WHOLESALE, "A", 4);
        assertEquals(3, h.order("W1").line("A", 10).place().assertAccepted().allocation().quantityOf(0));
        // market may use its own 3 but not the wholesale 4 (ATP now 7)
        assertEquals(3, h.order("M1").line("A", 10).channel(MARKET).place().assertAccepted().allocation().quantityOf(0));
        assertEquals(4, h.order("S1").line("A", 10).channel(WHOLESALE).place().assertAccepted().allocation().quantityOf(0));
    }

    @Test
    void onlyStockAtNodesThatMayShipCountsAgainstAFence()
    {
        h.dc("N2", 200);
        h.onHand("N2", "A", 5);
        h.nodeStatus("N1", false).assertAccepted();
        h.fence(MARKET, "A", 4);
        // N1's 10 units cannot ship: of N2's 5 the fence keeps 4
        assertEquals(1, h.order("W1").line("A", 5).place().assertAccepted().allocation().quantityOf(0));
    }

    @Test
    void aFenceDoesNotTakeBackWhatIsAlreadyReserved()
    {
        assertEquals(8, h.order("W1").line("A", 8).place().assertAccepted().allocation().quantityOf(0));
        h.fence(MARKET, "A", 6).assertAccepted();
        assertEquals(8, h.reservedAt("N1", "A"));
        // ATP 2, all of it under the fence
        assertEquals(1, h.order("W2").line("A", 1).place().assertAccepted().one(Backordered.class).quantity());
        assertEquals(2, h.order("M1").line("A", 6).channel(MARKET).place().assertAccepted().allocation().quantityOf(0));
    }

    @Test
    void removingAFenceFillsTheBackordersItHeldBack()
    {
        h.fence(MARKET, "A", 6);
        h.order("W1").line("A", 8).place().assertAccepted();
        final Filled partly = h.fence(MARKET, "A", 4).assertAccepted().one(Filled.class);
        assertEquals(new Filled("W1", 0, "A", "N1", 2, 2), partly);
        final Filled rest = h.fence(MARKET, "A", 0).assertAccepted().one(Filled.class);
        assertEquals(new Filled("W1", 0, "A", "N1", 2, 0), rest);
        assertEquals(0, h.availability("A").channel(MARKET).fenceUnits());
    }

    @Test
    void arrivingStockGoesToTheFencedChannelsBackorderFirst()
    {
        h.order("W0").line("A", 10).place().assertAccepted();
        h.fence(MARKET, "A", 5);
        assertEquals(5, h.order("W1").line("A", 5).place().assertAccepted().one(Backordered.class).quantity());
        assertEquals(5, h.order("M1").line("A", 5).channel(MARKET).place().assertAccepted().one(Backordered.class).quantity());
        // W1 waits ahead of M1, but the 5 units that come in are the market's
        final Filled filled = h.adjust("N1", "A", 5).assertAccepted().one(Filled.class);
        assertEquals("M1", filled.orderId());
        assertEquals(5, filled.quantity());
        assertEquals(List.of(), h.adjust("N1", "A", 0).all(Filled.class));
        // the next units are free for anyone
        assertEquals("W1", h.adjust("N1", "A", 1).assertAccepted().one(Filled.class).orderId());
    }

    @Test
    void badFencesAreRejectedAndChangeNothing()
    {
        h.fence(MARKET, "A", -1).assertRejected(RejectReason.INVALID_VALUE);
        assertEquals(h.hashIfLastCommandWereUnreadable(), h.stateHash());
        h.fence(MARKET, "A", 1_000_000_001).assertRejected(RejectReason.INVALID_VALUE);
        assertEquals(h.hashIfLastCommandWereUnreadable(), h.stateHash());
        h.fence("nochannel", "A", 5).assertRejected(RejectReason.UNKNOWN_CHANNEL);
        h.fence(MARKET, "NOSKU", 5).assertRejected(RejectReason.UNKNOWN_SKU);
        h.fence(MARKET, "A".repeat(33), 5).assertRejected(RejectReason.STRING_TOO_LONG);
        assertEquals(h.hashIfLastCommandWereUnreadable(), h.stateHash());
        assertEquals(10, h.availability("A").channel(WEB).available());
    }

    @Test
    void theStateHashCoversFencesAndReplayRebuildsThem()
    {
        final EngineHarness twin = new EngineHarness();
        twin.policy(WEB).set();
        twin.policy(MARKET).set();
        twin.dc("N1", 100);
        twin.onHand("N1", "A", 10);
        h.fence(MARKET, "A", 6);
        twin.fence(MARKET, "A", 5);
        assertNotEquals(h.stateHash(), twin.stateHash());
        h.order("W1").line("A", 8).place();
        assertEquals(h.stateHash(), h.replay().stateHash());
        assertEquals(h.streamDigest(), h.replay().streamDigest());
    }

    @Test
    void aSnapshotKeepsFences() throws IOException
    {
        h.policy(WHOLESALE).set();
        h.fence(MARKET, "A", 6);
        h.fence(WHOLESALE, "A", 2);
        h.order("M1").line("A", 1).channel(MARKET).place().assertAccepted();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EngineSnapshot.write(h.engine(), new DataOutputStream(bytes));
        final EngineHarness restored = EngineHarness.restore(bytes.toByteArray(), h.now());
        assertEquals(h.stateHash(), restored.stateHash());
        assertEquals(6, restored.availability("A").channel(MARKET).fenceUnits());
        // ATP 9; market keeps 5 more, wholesale 2
        assertEquals(2, restored.order("W1").line("A", 9).place().assertAccepted().allocation().quantityOf(0));
    }
}
