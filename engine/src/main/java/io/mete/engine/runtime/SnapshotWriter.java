package io.mete.engine.runtime;

import io.mete.engine.core.AllocationEngine;

/**
 * Writes the whole state somewhere durable. Called on the business-logic thread between two
 * commands, after every event so far has reached the event journal, so a snapshot at sequence S
 * never runs ahead of the events of commands up to S.
 */
@FunctionalInterface
public interface SnapshotWriter
{
    void write(AllocationEngine engine);
}
