package io.mete.benchmarks.core;

import io.mete.benchmarks.support.SteadyAllocation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** One iteration of the retirement benchmark outside JMH: its check fails on any rejected command or a growing book. */
class RetirementBenchmarkTest
{
    @Test
    void placedAndCancelledOrdersAreRetiredAndTheBookStaysSmall()
    {
        final RetirementBenchmark benchmark = new RetirementBenchmark();
        benchmark.loadWorkload();
        benchmark.freshEngine(new SteadyAllocation());
        for (int i = 0; i < 50_000; i++)
        {
            benchmark.placeCancelRetire();
        }
        assertDoesNotThrow(benchmark::check);
    }
}
