package io.mete.benchmarks.support;

import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.schema.OrderAllocatedDecoder;
import io.mete.schema.SourcingStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineFixtureTest
{
    @Test
    void replayedImageGivesTheReferenceNetworkAndOrdersAllocateFully()
    {
        for (final SourcingStrategy strategy : SourcingStrategy.values())
        {
            if (strategy == SourcingStrategy.NULL_VAL)
            {
                continue;
            }
            final Workload workload = Workload.reference(strategy);
            final NetworkImage image = NetworkImage.of(workload);
            assertEquals(2 + 100 + 200_000, image.commands());
            final EngineFixture fixture = EngineFixture.load(image, 4096);
            assertEquals(200_000, fixture.engine().positions().positions());
            assertEquals(image.commands(), fixture.sequence());

            final OrderGenerator generator = new OrderGenerator(workload, 1024, "T-");
            for (int i = 0; i < 3000; i++)
            {
                generator.next();
                fixture.apply(generator.buffer(), generator.offset(), generator.length());
            }
            assertEquals(0, fixture.sink().rejected());
            assertEquals(3000, fixture.engine().totals().orders);
            assertEquals(9000, EngineFixture.totalReserved(fixture.engine().positions()), strategy.name());
            assertTrue(fixture.sink().count(OrderAllocatedDecoder.TEMPLATE_ID) >= 3000);
        }
    }

    @Test
    void variantsChangeOneDimensionOfTheReference()
    {
        assertEquals(Workload.reference(SourcingStrategy.COST), Variants.workload("reference", SourcingStrategy.COST));
        assertEquals(10, Variants.workload("nodes-10", SourcingStrategy.COST).nodes());
        assertEquals(10, Variants.workload("nodes-10", SourcingStrategy.COST).nodesPerSku());
        assertEquals(1000, Variants.workload("nodes-1000", SourcingStrategy.COST).nodes());
        assertEquals(10_000, Variants.workload("nodes-1000", SourcingStrategy.COST).skus());
        assertEquals(10, Variants.workload("lines-10", SourcingStrategy.FIRST_FIT).linesPerOrder());
        assertEquals(10, Variants.workload("hot-sku", SourcingStrategy.COST).hotSkus());
        assertEquals(100_000, Variants.workload("scale", SourcingStrategy.COST).skus());
    }
}
