package io.mete.gateway.server;

import java.util.concurrent.CompletableFuture;

/** Takes a snapshot of the engine's state on request (ADMIN's RequestSnapshot). */
@FunctionalInterface
public interface SnapshotControl
{
    /** Result of a snapshot: the last command sequence it contains and where it was written. */
    record Snapshot(long sequence, String location)
    {
    }

    /** Starts a snapshot; completes (on any thread) when it is written. */
    CompletableFuture<Snapshot> requestSnapshot();
}
