package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.InvariantChecker;
import io.mete.engine.harness.RandomScenario;
import io.mete.engine.harness.RandomScenario.Action;
import net.jqwik.api.*;

import java.util.List;

/**
 * Random command sequences (orders, stock changes, caps, policies, holds, picks, shipments, returns,
 * node outages, time) with the invariants checked after every single command: stock positions,
 * line arithmetic, allocations against reservations, channel caps, backorder queues, order states.
 */
class InvariantPropertyTest
{
    @Property(tries = 200)
    void invariantsHoldAfterEveryCommand(@ForAll("sequences") final List<Action> actions)
    {
        final RandomScenario scenario = new RandomScenario(new EngineHarness().lean()).setUp();
        final InvariantChecker checker = new InvariantChecker(scenario.harness().engine());
        checker.assertHolds("set-up");
        int step = 0;
        for (final Action action : actions)
        {
            final Result result = scenario.apply(action);
            checker.assertHolds("step " + step++ + " " + action + ":\n" + result);
        }
    }

    @Provide
    Arbitrary<List<Action>> sequences()
    {
        return RandomScenario.sequences(100, 200);
    }
}
