package io.mete.journal.snapshot;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.snapshot.EngineSnapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files in one directory: {@code snapshot-<sequence>.snap}, each the engine state at a
 * sequence with a CRC32C, written to a temporary file, forced and renamed into place.
 */
public final class SnapshotStore
{
    private static final int MAGIC = 0x4D455445;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";

    public record LoadedSnapshot(AllocationEngine engine, long sequence, Path path)
    {
    }

    public record SnapshotInfo(long sequence, Path path, long sizeBytes)
    {
    }

    private final Path dir;

    public SnapshotStore(final Path dir)
    {
        this.dir = dir;
    }

    public Path write(final AllocationEngine engine)
    {
        try
        {
            Files.createDirectories(dir);
            final ByteArrayOutputStream payload = new ByteArrayOutputStream(1 << 20);
            EngineSnapshot.write(engine, new DataOutputStream(payload));
            final byte[] bytes = payload.toByteArray();
            final CRC32C crc = new CRC32C();
            crc.update(bytes);
            final long sequence = engine.lastSequence();
            final Path target = dir.resolve(String.format("%s%020d%s", PREFIX, sequence, SUFFIX));
            final Path temp = dir.resolve(target.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE))
            {
                final ByteBuffer header = ByteBuffer.allocate(24);
                header.putInt(MAGIC).putLong(sequence).putInt(bytes.length).putInt((int)crc.getValue()).putInt(0).flip();
                channel.write(header);
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public Optional<LoadedSnapshot> loadNewestValid(final EngineConfig config, final EventSink sink, final Consumer<String> problems)
    {
        for (final SnapshotInfo info : list())
        {
            try
            {
                final byte[] file = Files.readAllBytes(info.path());
                final ByteBuffer header = ByteBuffer.wrap(file);
                if (file.length < 24 || header.getInt() != MAGIC)
                {
                    problems.accept(info.path() + ": not a snapshot file");
                    continue;
                }
                final long sequence = header.getLong();
                final int length = header.getInt();
                final int checksum = header.getInt();
                if (length != file.length - 24)
                {
                    problems.accept(info.path() + ": " + (file.length - 24) + " payload bytes, header says " + length);
                    continue;
                }
                final CRC32C crc = new CRC32C();
                crc.update(file, 24, length);
                if ((int)crc.getValue() != checksum)
                {
                    problems.accept(info.path() + ": checksum mismatch");
                    continue;
                }
                final AllocationEngine engine = EngineSnapshot.read(
                    new DataInputStream(new ByteArrayInputStream(file, 24, length)), config, sink);
                return Optional.of(new LoadedSnapshot(engine, sequence, info.path()));
            }
            catch (final IOException | RuntimeException ex)
            {
                problems.accept(info.path() + ": " + ex.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Snapshots, newest first. */
    public List<SnapshotInfo> list()
    {
        final List<SnapshotInfo> infos = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return infos;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            files.forEach(path ->
            {
                final String name = path.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX))
                {
                    try
                    {
                        final long sequence = Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
                        infos.add(new SnapshotInfo(sequence, path, Files.size(path)));
                    }
                    catch (final NumberFormatException | IOException ignored)
                    {
                        // not one of ours
                    }
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        infos.sort(Comparator.comparingLong(SnapshotInfo::sequence).reversed());
        return infos;
    }

    public void delete(final SnapshotInfo info)
    {
        try
        {
            Files.deleteIfExists(info.path());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
