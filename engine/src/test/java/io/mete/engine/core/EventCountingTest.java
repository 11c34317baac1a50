package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Command;
import io.mete.engine.harness.RandomScenario;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Counting events instead of publishing them (replay of journaled commands) changes no state and miscounts nothing. */
class EventCountingTest
{
    @Test
    void anEngineCountingItsEventsEndsInTheSameStateHavingCountedEveryEvent()
    {
        final EngineHarness run = new EngineHarness();
        final RandomScenario scenario = new RandomScenario(run).setUp();
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++)
        {
            scenario.apply(RandomScenario.random(random));
        }

        final long[] delivered = {0};
        final AllocationEngine counting = new AllocationEngine(EngineHarness.smallConfig(), (buffer, offset, length) -> delivered[0]++);
        counting.countEventsOnly(true);
        final int half = run.history().size() / 2;
        int applied = 0;
        for (final Command command : run.history())
        {
            if (applied++ == half)
            {
                // half way, as recovery does where the event journal ends: publishing again
                assertEquals(0, delivered[0], "nothing reached the sink while counting");
                counting.countEventsOnly(false);
            }
            counting.apply(command.sequence(), command.timestamp(), command.clientId(), new UnsafeBuffer(command.bytes()), 0,
                command.bytes().length);
        }
        assertEquals(run.stateHash(), counting.stateHash());
        assertEquals(run.eventCount(), counting.eventsPublished(), "every event counted, published or not");
        assertTrue(delivered[0] > 0 && delivered[0] < run.eventCount(), "the second half published: " + delivered[0]);
    }
}
