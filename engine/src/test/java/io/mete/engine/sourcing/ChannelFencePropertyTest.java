package io.mete.engine.sourcing;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.RandomScenario;
import io.mete.engine.harness.RandomScenario.Action;
import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.network.NodeTable;
import net.jqwik.api.*;
import net.jqwik.api.statistics.Statistics;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random command sequences with caps and fences among them: whenever an order is placed, the channel
 * that placed it reserved no unit the other channels' fences still kept, counted from the definition
 * (ATP at enabled, online nodes against the unused part of every other channel's fence).
 */
class ChannelFencePropertyTest
{
    @Property(tries = 200)
    void placingAnOrderNeverEatsIntoAnotherChannelsFence(@ForAll("sequences") final List<Action> actions)
    {
        final RandomScenario scenario = new RandomScenario(new EngineHarness().lean()).setUp();
        // fences from the start, on half the SKUs, for both channels; the sequence sets and lifts more
        for (int sku = 0; sku < RandomScenario.SKUS; sku += 2)
        {
            scenario.harness().fence(sku % 4 == 0 ? EngineHarness.MARKET : EngineHarness.WEB, RandomScenario.sku(sku), 2 + sku).assertAccepted();
        }
        final AllocationEngine engine = scenario.harness().engine();
        final ChannelAllocation channels = engine.channels();
        int fencedPlacements = 0;
        for (final Action action : actions)
        {
            final boolean placing = RandomScenario.name(action.kind()).equals("place");
            final int[][] before = placing ? reservedByChannel(engine) : null;
            final Result result = scenario.apply(action);
            if (!placing)
            {
                continue;
            }
            final int[][] after = reservedByChannel(engine);
            for (int sku = 0; sku < after.length; sku++)
            {
                for (int channel = 0; channel < after[sku].length; channel++)
                {
                    if (after[sku][channel] <= before[sku][channel] || !channels.isFenced(sku))
                    {
                        continue;
                    }
                    fencedPlacements++;
                    long keptForOthers = 0;
                    for (int other = 0; other < after[sku].length; other++)
                    {
                        if (other != channel)
                        {
                            keptForOthers += Math.max(0, channels.fence(other, sku) - after[sku][other]);
                        }
                    }
                    final long sellable = sellable(engine, sku);
                    assertTrue(sellable >= keptForOthers, action + " reserved " + (after[sku][channel] - before[sku][channel]) +
                        " of SKU " + sku + " for channel " + channel + ", leaving " + sellable + " sellable against " + keptForOthers +
                        " fenced for the others:\n" + result);
                }
            }
        }
        Statistics.collect(fencedPlacements > 0 ? "placed against a fence" : "no placement met a fence");
        // most sequences must put the rule to the test, or a pass says nothing
        Statistics.coverage(coverage -> coverage.check("placed against a fence").percentage(p -> p > 80));
    }

    private static int[][] reservedByChannel(final AllocationEngine engine)
    {
        final int skus = engine.positions().skuCount();
        final int channelCount = engine.channelCodes().size();
        final int[][] reserved = new int[skus][channelCount];
        for (int sku = 0; sku < skus; sku++)
        {
            for (int channel = 0; channel < channelCount; channel++)
            {
                reserved[sku][channel] = engine.channels().reserved(channel, sku);
            }
        }
        return reserved;
    }

    private static long sellable(final AllocationEngine engine, final int sku)
    {
        final PositionTable positions = engine.positions();
        final NodeTable nodes = engine.nodes();
        long total = 0;
        for (int slot = 0; slot < positions.count(sku); slot++)
        {
            final int node = positions.node(sku, slot);
            if (nodes.isEnabled(node) && nodes.isOnline(node))
            {
                total += positions.atp(sku, slot);
            }
        }
        return total;
    }

    @Provide
    Arbitrary<List<Action>> sequences()
    {
        return RandomScenario.sequences(100, 200);
    }
}
