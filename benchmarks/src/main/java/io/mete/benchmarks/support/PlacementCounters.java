package io.mete.benchmarks.support;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the placed orders became, per order placed in the measured part of an iteration: shipments
 * (1.0 = never split) and units backordered. Reported by JMH as secondary metrics next to the
 * time, so a faster figure cannot hide a different outcome.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PlacementCounters
{
    public double shipmentsPerOrder;
    public double backorderedUnitsPerOrder;
}
