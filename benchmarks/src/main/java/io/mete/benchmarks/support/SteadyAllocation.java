package io.mete.benchmarks.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Heap bytes allocated per operation by the benchmark thread between the end of the iteration's
 * setup and its teardown, reported as the secondary metric {@code allocSteadyBytesPerOp}.
 * <p>
 * JMH's {@code -prof gc} figure {@code gc.alloc.rate.norm} counts every byte allocated during the
 * iteration, including {@code @Setup(Level.Iteration)}. Benchmarks that build a fresh engine each
 * iteration (hundreds of MB of pre-sized arrays) therefore show a large {@code gc.alloc.rate.norm}
 * that says nothing about the hot path; this counter covers only the measured operations.
 * (Public fields and methods of this class become JMH counters: keep helpers elsewhere.)
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class SteadyAllocation
{
    /** Written at the end of each iteration; JMH averages it over iterations. */
    public double allocSteadyBytesPerOp;

    private long start;

    /** Call last in the iteration's setup. */
    public void begin()
    {
        start = ThreadAllocation.bytes();
    }

    /** Call first in the iteration's teardown (or at the end of a single-shot invocation). */
    public void end(final long operations)
    {
        final long allocated = ThreadAllocation.bytes() - start;
        allocSteadyBytesPerOp = operations == 0 ? 0.0 : (double)allocated / operations;
    }
}
