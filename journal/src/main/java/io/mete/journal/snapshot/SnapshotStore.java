package io.mete.journal.snapshot;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.snapshot.EngineSnapshot;
import io.mete.schema.MessageHeaderEncoder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Snapshot files in one directory, one per sequence: {@code snapshot-<sequence, 20 digits>.snap}.
 * <pre>
 *   offset  size  field
 *        0     8  magic "METESNAP"
 *        8     4  format version ({@link EngineSnapshot#FORMAT_VERSION})
 *       12     4  engine schema version (the SBE schema the engine decodes)
 *       16     8  sequence: the last command the state includes
 *       24     8  payload length
 *       32     n  payload ({@link EngineSnapshot})
 *     32+n     4  CRC32C of bytes 0 .. 32+n
 * </pre>
 * Numbers are big-endian. A file is written under a temporary name in the same directory, forced
 * to disk, renamed into place atomically and the directory forced, so a crash leaves either the old
 * set of snapshots or the new one, plus at worst a temporary file that loading ignores.
 */
public final class SnapshotStore
{
    public static final int FILE_FORMAT_VERSION = EngineSnapshot.FORMAT_VERSION;
    public static final int HEADER_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 4;

    private static final byte[] MAGIC = "METESNAP".getBytes(US_ASCII);
    private static final int LENGTH_OFFSET = 24;
    private static final String SUFFIX = ".snap";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.snap");
    private static final int IO_BUFFER = 1 << 20;

    private final Path directory;

    public SnapshotStore(final Path directory)
    {
        this.directory = directory;
    }

    public Path directory()
    {
        return directory;
    }

    public static String fileName(final long sequence)
    {
        return String.format("snapshot-%020d%s", sequence, SUFFIX);
    }

    /**
     * Writes the engine's state as the snapshot of its last applied sequence and returns the file.
     * Call it between commands on the thread that applies them (or on a copy of the state).
     */
    public Path write(final AllocationEngine engine) throws IOException
    {
        final long sequence = engine.lastSequence();
        if (sequence < 0)
        {
            throw new IllegalStateException("the engine has applied no command yet: there is nothing to snapshot");
        }
        Files.createDirectories(directory);
        final Path target = directory.resolve(fileName(sequence));
        final Path temp = directory.resolve(fileName(sequence) + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.READ))
        {
            // The stream is flushed, never closed: closing it would close the channel.
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), IO_BUFFER));
            out.write(MAGIC);
            out.writeInt(FILE_FORMAT_VERSION);
            out.writeInt(MessageHeaderEncoder.SCHEMA_VERSION);
            out.writeLong(sequence);
            out.writeLong(0); // payload length, filled in below
            EngineSnapshot.write(engine, out);
            out.flush();
            final long payloadLength = channel.position() - HEADER_LENGTH;
            writeFully(channel, ByteBuffer.allocate(Long.BYTES).putLong(0, payloadLength), LENGTH_OFFSET);
            final int crc = crc(channel, HEADER_LENGTH + payloadLength);
            writeFully(channel, ByteBuffer.allocate(Integer.BYTES).putInt(0, crc), HEADER_LENGTH + payloadLength);
            channel.force(true);
        }
        catch (final IOException | RuntimeException ex)
        {
            Files.deleteIfExists(temp);
            throw ex;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        return target;
    }

    /**
     * Restores the newest snapshot that passes every check (magic, versions, length, CRC, contents),
     * reporting each newer one that fails, and any leftover temporary file, through {@code problems}.
     * Empty when the directory holds no valid snapshot.
     */
    public Optional<LoadedSnapshot> loadNewestValid(final EngineConfig config, final EventSink sink, final Consumer<String> problems)
        throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return Optional.empty();
        }
        for (final Path temp : leftoverTemporaryFiles())
        {
            problems.accept(temp + ": ignored, the temporary file of a snapshot write that did not finish");
        }
        final List<SnapshotInfo> snapshots = list();
        for (int i = snapshots.size() - 1; i >= 0; i--)
        {
            final SnapshotInfo info = snapshots.get(i);
            try
            {
                return Optional.of(new LoadedSnapshot(read(info, config, sink), info.sequence(), info.path()));
            }
            catch (final IOException | RuntimeException ex)
            {
                problems.accept(info.path() + ": " + describe(ex) +
                    (i > 0 ? "; falling back to an older snapshot" : "; no older snapshot left"));
            }
        }
        return Optional.empty();
    }

    /** Snapshot files by name, oldest first; their contents are not read. */
    public List<SnapshotInfo> list() throws IOException
    {
        final List<SnapshotInfo> snapshots = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return snapshots;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory))
        {
            for (final Path file : files)
            {
                final Matcher name = NAME.matcher(file.getFileName().toString());
                if (name.matches() && Files.isRegularFile(file))
                {
                    snapshots.add(new SnapshotInfo(Long.parseLong(name.group(1)), file, Files.size(file)));
                }
            }
        }
        snapshots.sort(Comparator.comparingLong(SnapshotInfo::sequence));
        return snapshots;
    }

    public void delete(final SnapshotInfo snapshot)
    {
        try
        {
            Files.deleteIfExists(snapshot.path());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + snapshot.path(), ex);
        }
    }

    // ------------------------------------------------------------------ reading

    private static AllocationEngine read(final SnapshotInfo info, final EngineConfig config, final EventSink sink) throws IOException
    {
        try (FileChannel channel = FileChannel.open(info.path(), StandardOpenOption.READ))
        {
            final long fileSize = channel.size();
            if (fileSize < HEADER_LENGTH + CHECKSUM_LENGTH)
            {
                throw new IOException("length: file has " + fileSize + " bytes, shorter than header and checksum (" +
                    (HEADER_LENGTH + CHECKSUM_LENGTH) + ")");
            }
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
            readFully(channel, header, 0);
            header.flip();
            final byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC))
            {
                throw new IOException("magic: not a Mete snapshot (starts with " + printable(magic) + ")");
            }
            final int formatVersion = header.getInt();
            // the payload says again which format it is and EngineSnapshot reads every one since the first:
            // a server upgraded over older snapshots starts from them
            if (formatVersion < EngineSnapshot.FIRST_FORMAT || formatVersion > FILE_FORMAT_VERSION)
            {
                throw new IOException("format version " + formatVersion + " is not supported (this build reads " +
                    EngineSnapshot.FIRST_FORMAT + " to " + FILE_FORMAT_VERSION + ")");
            }
            final int schemaVersion = header.getInt();
            if (schemaVersion > MessageHeaderEncoder.SCHEMA_VERSION)
            {
                throw new IOException("engine schema version " + schemaVersion + " is newer than this build's (" +
                    MessageHeaderEncoder.SCHEMA_VERSION + ")");
            }
            final long sequence = header.getLong();
            if (sequence != info.sequence())
            {
                throw new IOException("sequence: header says " + sequence + ", file name says " + info.sequence());
            }
            final long payloadLength = header.getLong();
            final long expectedSize = HEADER_LENGTH + payloadLength + CHECKSUM_LENGTH;
            if (payloadLength < 0 || expectedSize != fileSize)
            {
                throw new IOException("length: header says " + payloadLength + " payload bytes, so " + expectedSize +
                    " bytes in all, but the file has " + fileSize + (fileSize < expectedSize ? " (truncated)" : ""));
            }
            final ByteBuffer stored = ByteBuffer.allocate(CHECKSUM_LENGTH);
            readFully(channel, stored, HEADER_LENGTH + payloadLength);
            final int expectedCrc = stored.getInt(0);
            final int actualCrc = crc(channel, HEADER_LENGTH + payloadLength);
            if (actualCrc != expectedCrc)
            {
                throw new IOException(String.format("CRC32C: stored %08x, computed %08x (the file is damaged)", expectedCrc, actualCrc));
            }

            channel.position(HEADER_LENGTH);
            final Limited payload = new Limited(new BufferedInputStream(Channels.newInputStream(channel), IO_BUFFER), payloadLength);
            final AllocationEngine engine;
            try
            {
                engine = EngineSnapshot.read(new DataInputStream(payload), config, sink);
            }
            catch (final EOFException ex)
            {
                throw new IOException("payload: ends before the state does", ex);
            }
            if (payload.remaining != 0)
            {
                throw new IOException("payload: " + payload.remaining + " bytes left after the state");
            }
            if (engine.lastSequence() != sequence)
            {
                throw new IOException("sequence: header says " + sequence + ", the state says " + engine.lastSequence());
            }
            return engine;
        }
    }

    private List<Path> leftoverTemporaryFiles() throws IOException
    {
        final List<Path> temps = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "snapshot-*" + TEMP_SUFFIX))
        {
            files.forEach(temps::add);
        }
        temps.sort(Comparator.naturalOrder());
        return temps;
    }

    // ------------------------------------------------------------------ file helpers

    private static int crc(final FileChannel channel, final long length) throws IOException
    {
        final CRC32C crc = new CRC32C();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(IO_BUFFER);
        long position = 0;
        while (position < length)
        {
            buffer.clear();
            buffer.limit((int)Math.min(buffer.capacity(), length - position));
            final int n = channel.read(buffer, position);
            if (n < 0)
            {
                throw new EOFException("file ends at " + position + " of " + length + " bytes");
            }
            buffer.flip();
            crc.update(buffer);
            position += n;
        }
        return (int)crc.getValue();
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final long position) throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            final int n = channel.read(buffer, at);
            if (n < 0)
            {
                throw new EOFException("file ends at " + at);
            }
            at += n;
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position) throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            at += channel.write(buffer, at);
        }
    }

    /** Makes the rename durable. Not every OS lets a directory be opened and forced; there the rename stands as it is. */
    private void syncDirectory()
    {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
        {
            dir.force(true);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // Windows: directories cannot be opened as channels.
        }
    }

    private static String describe(final Exception ex)
    {
        final String message = ex.getMessage();
        if (ex instanceof IOException && message != null)
        {
            return message;
        }
        return "unreadable (" + ex + ")";
    }

    private static String printable(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder("\"");
        for (final byte b : bytes)
        {
            text.append(b >= 0x20 && b < 0x7F ? Character.toString(b) : String.format("\\x%02x", b & 0xFF));
        }
        return text.append('"').toString();
    }

    /** Reads at most {@code remaining} bytes, then reports end of stream. */
    private static final class Limited extends FilterInputStream
    {
        long remaining;

        Limited(final InputStream in, final long limit)
        {
            super(in);
            remaining = limit;
        }

        @Override
        public int read() throws IOException
        {
            if (remaining <= 0)
            {
                return -1;
            }
            final int b = in.read();
            if (b >= 0)
            {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(final byte[] bytes, final int offset, final int length) throws IOException
        {
            if (remaining <= 0)
            {
                return -1;
            }
            final int n = in.read(bytes, offset, (int)Math.min(length, remaining));
            if (n > 0)
            {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(final long n) throws IOException
        {
            final long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException
        {
            return (int)Math.min(in.available(), remaining);
        }
    }
}
