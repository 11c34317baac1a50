package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Command;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.engine.harness.InvariantChecker;
import io.mete.engine.harness.RandomScenario;
import io.mete.engine.order.OrderBook;
import io.mete.engine.snapshot.EngineSnapshot;
import io.mete.schema.OrderState;
import io.mete.schema.RejectReason;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** Closed orders are forgotten once the retention period has passed since their last change. */
class RetirementTest
{
    private static final long HOUR = 3_600_000L;

    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).set();
        h.dc("N1", 100);
        h.dc("N2", 200);
        h.onHand("N1", "A", 1_000);
        h.onHand("N1", "B", 1_000);
        h.onHand("N2", "A", 1_000);
    }

    @Test
    void closedOrdersAreKeptForeverUntilARetentionIsSet()
    {
        h.order("O1").line("A", 2).place().assertAccepted();
        h.ship("O1", "N1").assertAccepted();
        h.deliver("O1", "N1").assertAccepted();
        h.advance(365L * 24 * HOUR);
        assertTrue(h.tick().all(Retired.class).isEmpty());
        assertEquals(OrderState.COMPLETED, h.status("O1").state());
        final Totals totals = h.totals();
        assertEquals(0, totals.ordersRetired());
        assertEquals(1, totals.ordersKept());
    }

    @Test
    void aCompletedOrderIsRetiredRetentionAfterItsLastChange()
    {
        h.retention(HOUR).assertAccepted();
        h.order("O1").line("A", 2).line("B", 1).place().assertAccepted();
        h.ship("O1", "N1").assertAccepted();
        assertEquals(OrderState.COMPLETED, h.status("O1").state());
        h.advance(HOUR / 2);
        // the delivery is a change: the hour starts again from here
        h.deliver("O1", "N1").assertAccepted();
        h.advance(HOUR - 1);
        assertTrue(h.tick().all(Retired.class).isEmpty(), "half an hour and a bit after the delivery");
        assertEquals(OrderState.COMPLETED, h.status("O1").state());
        h.advance(1);
        final Result due = h.tick().assertAccepted();
        assertEquals(List.of(new Retired("O1", OrderState.COMPLETED)), due.all(Retired.class));

        assertEquals(RejectReason.UNKNOWN_ORDER, h.send(h.writer().queryOrder(h.buffer(), 0, h.nextCorrelation(), "O1")).rejection().reason());
        h.deliver("O1", "N1").assertRejected(RejectReason.UNKNOWN_ORDER);
        h.returnItems("O1", "N1", 0, 1, true).assertRejected(RejectReason.UNKNOWN_ORDER);
        final Totals totals = h.totals();
        assertEquals(1, totals.ordersRetired());
        assertEquals(0, totals.ordersKept());
        assertEquals(1, totals.orders(), "placed orders still count in the totals");
    }

    @Test
    void aCancelledOrderRetiresAsCancelledAndOpenOrdersNeverRetire()
    {
        h.retention(0).assertAccepted();
        h.order("OPEN").line("A", 1).place().assertAccepted();
        h.order("GONE").line("B", 1).place().assertAccepted();
        h.cancel("GONE").assertAccepted();
        h.advance(1);
        assertEquals(List.of(new Retired("GONE", OrderState.CANCELLED)), h.tick().all(Retired.class));
        h.advance(30L * 24 * HOUR);
        assertTrue(h.tick().all(Retired.class).isEmpty());
        assertEquals(OrderState.OPEN, h.status("OPEN").state());
        assertEquals(1, h.reservedAt("N1", "A"));
        assertEquals(0, h.reservedAt("N1", "B"), "the cancel freed B before the retirement");
    }

    @Test
    void aRetentionSetLaterRetiresWhatIsAlreadyDueAtOnceAndTheRestInTurn()
    {
        h.order("O2").line("A", 1).place().assertAccepted();
        h.order("O1").line("A", 1).place().assertAccepted();
        h.ship("O1", "N1").assertAccepted();
        h.advance(HOUR);
        h.cancel("O2").assertAccepted();
        h.advance(HOUR);
        h.tick();
        final Result set = h.retention(90 * 60_000L).assertAccepted();
        assertEquals(List.of(new Retired("O1", OrderState.COMPLETED)), set.all(Retired.class), "closed two hours ago");
        h.advance(HOUR / 2 - 1);
        assertTrue(h.tick().all(Retired.class).isEmpty());
        h.advance(1);
        assertEquals(List.of(new Retired("O2", OrderState.CANCELLED)), h.tick().all(Retired.class), "closed an hour and a half ago");
    }

    @Test
    void keepingForeverAgainStopsRetirement()
    {
        h.retention(HOUR).assertAccepted();
        h.order("O1").line("A", 1).place().assertAccepted();
        h.ship("O1", "N1").assertAccepted();
        h.retention(-5).assertAccepted();
        assertEquals(-1, h.engine().orderRetentionMillis());
        h.advance(48 * HOUR);
        assertTrue(h.tick().all(Retired.class).isEmpty());
        assertEquals(OrderState.COMPLETED, h.status("O1").state());
    }

    @Test
    void aRetiredOrderIdCanBePlacedAgainAsANewOrder()
    {
        h.retention(0).assertAccepted();
        h.order("O1").line("A", 5).line("B", 5).place().assertAccepted();
        h.cancel("O1").assertAccepted();
        h.advance(1);
        h.tick().one(Retired.class);

        h.order("O1").line("B", 2).line("A", 1).place().assertAccepted();
        final OrderStatus again = h.status("O1");
        assertEquals(OrderState.OPEN, again.state());
        assertEquals(List.of("B", "A"), again.lines().stream().map(StatusLine::sku).toList());
        assertEquals(List.of(2, 1), again.lines().stream().map(StatusLine::quantity).toList());
        assertTrue(again.lines().stream().allMatch(l -> l.cancelled() == 0 && l.shipped() == 0 && l.returned() == 0), again.toString());
        assertEquals(2, h.reservedAt("N1", "B"));
        assertEquals(1, h.reservedAt("N1", "A"));
        // the same slot, the same two-line block
        assertEquals(1, h.engine().book().orderCount());
        assertEquals(2, h.engine().book().lineTotal());
        assertEquals(List.of(), new InvariantChecker(h.engine()).check());
    }

    @Test
    void aLongRunOfOrdersThatCloseKeepsTheBookAtTheSizeOfWhatIsInPlay()
    {
        h.retention(HOUR).assertAccepted();
        final Random random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            final String id = "R" + i;
            final int lines = 1 + random.nextInt(3);
            final EngineHarness.OrderSpec order = h.order(id);
            order.line("A", 1);
            if (lines > 1)
            {
                order.line("B", 1);
            }
            order.place().assertAccepted();
            if (random.nextInt(4) == 0)
            {
                h.cancel(id).assertAccepted();
            }
            else
            {
                h.ship(id, "N1").assertAccepted();
            }
            h.onHand("N1", "A", 1_000);
            h.onHand("N1", "B", 1_000);
            h.advance(1_000);
        }
        // one order a second, kept an hour: about 3,600 in memory, never 20,000
        final OrderBook book = h.engine().book();
        final Totals totals = h.totals();
        assertEquals(20_000, totals.orders());
        assertTrue(totals.ordersKept() <= 3_601, totals.toString());
        assertEquals(20_000, totals.ordersRetired() + totals.ordersKept());
        assertTrue(book.orderCount() <= 3_700, "order slots " + book.orderCount());
        assertTrue(book.lineTotal() <= 2 * 3_700, "lines " + book.lineTotal());
        assertTrue(book.allocationTotal() <= 2 * 3_700, "allocations " + book.allocationTotal());
        assertTrue(h.engine().orderIds().size() <= 3_700, "order ids " + h.engine().orderIds().size());
        assertEquals(List.of(), new InvariantChecker(h.engine()).check());
        assertEquals(h.stateHash(), h.replayJournaled().stateHash(), "replay reaches the same state");
    }

    @Test
    void randomLifecyclesWithRetirementKeepTheInvariantsAndReplayAndRestoreEqually() throws IOException
    {
        final EngineHarness run = new EngineHarness();
        final RandomScenario scenario = new RandomScenario(run).setUp();
        run.retention(HOUR).assertAccepted();
        final SplittableRandom random = new SplittableRandom(2026);
        final InvariantChecker checker = new InvariantChecker(run.engine());
        for (int i = 0; i < 6_000; i++)
        {
            final RandomScenario.Action action = RandomScenario.random(random);
            scenario.apply(action);
            checker.assertHolds(action);
        }
        assertTrue(run.engine().ordersRetired() > 100, "retired " + run.engine().ordersRetired());

        // snapshot here, then the same further commands on the original and on the restored engine
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EngineSnapshot.write(run.engine(), new DataOutputStream(bytes));
        final AllocationEngine restored = EngineSnapshot.read(
            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), EngineConfig.defaults(), EventSink.NONE);
        assertEquals(run.stateHash(), restored.stateHash());
        final int mark = run.history().size();
        for (int i = 0; i < 3_000; i++)
        {
            scenario.apply(RandomScenario.random(random));
        }
        for (final Command command : run.history().subList(mark, run.history().size()))
        {
            restored.apply(command.sequence(), command.timestamp(), command.clientId(), new UnsafeBuffer(command.bytes()), 0,
                command.bytes().length);
        }
        assertEquals(List.of(), new InvariantChecker(run.engine()).check());
        assertEquals(run.stateHash(), restored.stateHash(), "restored engine after further commands");
        assertEquals(run.stateHash(), run.replayJournaled().stateHash(), "full replay");
    }
}
