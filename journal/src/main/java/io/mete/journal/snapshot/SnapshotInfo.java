package io.mete.journal.snapshot;

import java.nio.file.Path;

/** A snapshot file as listed, not yet read or checked: the sequence comes from its name. */
public record SnapshotInfo(long sequence, Path path, long sizeBytes)
{
}
