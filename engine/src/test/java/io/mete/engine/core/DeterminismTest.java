package io.mete.engine.core;

import io.mete.engine.command.MessageFormatter;
import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.InvariantChecker;
import io.mete.engine.harness.RandomScenario;
import io.mete.engine.harness.RandomScenario.Action;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.OrderStatusDecoder;
import io.mete.schema.SourcingStrategy;
import net.jqwik.api.*;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same commands, with the same sequences and timestamps, give the same state hash and the same
 * event bytes on any fresh engine: the property replay and recovery rely on.
 */
class DeterminismTest
{
    private static void assertSameStreams(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size(), "number of events");
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), actual.get(i), "event " + i);
        }
    }

    @Property(tries = 50)
    void replayGivesTheSameStateHashAndByteIdenticalEvents(@ForAll("sequences") final List<Action> actions)
    {
        final RandomScenario scenario = new RandomScenario(new EngineHarness()).setUp();
        actions.forEach(scenario::apply);
        final EngineHarness original = scenario.harness();
        final EngineHarness replay = original.replay();
        assertEquals(original.stateHash(), replay.stateHash());
        assertSameStreams(original.stream(), replay.stream());
    }

    @Provide
    Arbitrary<List<Action>> sequences()
    {
        return RandomScenario.sequences(50, 200);
    }

    @Example
    void differentCommandsGiveDifferentHashes()
    {
        final EngineHarness a = new RandomScenario(new EngineHarness()).setUp().harness();
        final EngineHarness b = new RandomScenario(new EngineHarness()).setUp().harness();
        assertEquals(a.stateHash(), b.stateHash());
        a.adjust("N0", "K0", 1).assertAccepted();
        b.adjust("N0", "K0", 2).assertAccepted();
        assertNotEquals(a.stateHash(), b.stateHash());
    }

    @Example
    void referenceWorkloadPlacesTheSameWayOnTwoEngines()
    {
        final Workload workload = Workload.hotSku(SourcingStrategy.COST).withNodes(20);
        final List<byte[]> commands = new ArrayList<>();
        ReferenceNetwork.build(new Workload(workload.name(), 20, 300, 5, 20, 3, 0.2, 5, 10, SourcingStrategy.COST, workload.seed()),
            (buffer, offset, length) -> {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                commands.add(bytes);
            });
        final OrderGenerator orders = new OrderGenerator(
            new Workload(workload.name(), 20, 300, 5, 20, 3, 0.2, 5, 10, SourcingStrategy.COST, workload.seed()), 64, "W");
        for (int i = 0; i < 2_000; i++)
        {
            orders.next();
            final byte[] bytes = new byte[orders.length()];
            orders.buffer().getBytes(orders.offset(), bytes);
            commands.add(bytes);
        }
        final EngineHarness first = new EngineHarness();
        final EngineHarness second = new EngineHarness();
        for (final byte[] command : commands)
        {
            first.advance(7);
            second.advance(7);
            first.raw(command);
            second.raw(command);
        }
        assertTrue(first.engine().totals().orders > 1_000, "orders placed: " + first.engine().totals().orders);
        assertTrue(first.engine().totals().unitsBackordered > 0, "the hot SKUs run out");
        assertEquals(first.stateHash(), second.stateHash());
        assertSameStreams(first.stream(), second.stream());
        new InvariantChecker(first.engine()).assertHolds("the reference workload");
    }

    @Example
    void hundredThousandRandomCommandsReplayToTheSameStateAndEvents()
    {
        final SplittableRandom random = new SplittableRandom(20261122L);
        final RandomScenario scenario = new RandomScenario(new EngineHarness().withoutStream()).setUp();
        final EngineHarness original = scenario.harness();
        final InvariantChecker checker = new InvariantChecker(original.engine());
        int oldest = 0;
        for (int i = 1; i <= 100_000; i++)
        {
            if (i % 20_000 == 0)
            {
                checker.remember();
            }
            scenario.apply(RandomScenario.random(random));
            // an OMS gives up on old orders: keeps the backorder queues (walked on every receipt) short
            for (; oldest < original.engine().book().orderCount() - 60; oldest++)
            {
                if (!original.engine().book().isClosed(oldest))
                {
                    original.cancel(original.engine().orderIds().toString(oldest)).assertAccepted();
                }
            }
            if (i % 20_000 == 0)
            {
                checker.assertHolds("command " + i);
            }
        }
        assertTrue(original.engine().totals().commandsAccepted > 50_000, "accepted " + original.engine().totals().commandsAccepted);
        final EngineHarness replay = original.replay();
        assertEquals(original.eventCount(), replay.eventCount());
        assertEquals(original.streamDigest(), replay.streamDigest());
        assertEquals(original.stateHash(), replay.stateHash());
        assertEquals(original.engine().lastSequence(), replay.engine().lastSequence());
    }

    @Example
    void queriesLeaveNoTraceSoAJournalWithoutThemReplaysToTheSameStateAndEvents()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final RandomScenario scenario = new RandomScenario(new EngineHarness()).setUp();
        final EngineHarness live = scenario.harness();
        for (int i = 0; i < 1_000; i++)
        {
            live.totals();
            live.availability(RandomScenario.sku(i));
            live.nodeLoad(RandomScenario.node(i));
            live.stateHashQuery();
            if (live.engine().book().orderCount() > 0 && live.engine().orderIds().isLive(i % live.engine().book().orderCount()))
            {
                live.status(live.engine().orderIds().toString(i % live.engine().book().orderCount()));
            }
            scenario.apply(RandomScenario.random(random));
        }
        final EngineHarness journal = live.replayJournaled();
        assertEquals(live.stateHash(), journal.stateHash());
        final List<byte[]> withoutQueryResults = new ArrayList<>();
        for (final byte[] event : live.stream())
        {
            if (MessageFormatter.templateId(new UnsafeBuffer(event), 0) < OrderStatusDecoder.TEMPLATE_ID)
            {
                withoutQueryResults.add(event);
            }
        }
        assertTrue(withoutQueryResults.size() < live.stream().size());
        assertSameStreams(withoutQueryResults, journal.stream());
    }
}
