package io.mete.journal.snapshot;

import io.mete.engine.core.AllocationEngine;

import java.nio.file.Path;

/** An engine restored from a checked snapshot file; replay the journal from {@code sequence + 1}. */
public record LoadedSnapshot(AllocationEngine engine, long sequence, Path path)
{
}
