package io.mete.journal.snapshot;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class SnapshotStoreTest
{
    private static final long EPOCH = 1_795_000_000_000L;
    /** A small reference network keeps each snapshot a few hundred kB. */
    private static final Workload WORKLOAD = new Workload("small", 20, 500, 5, 1_000, 3, 0.0, 0, 0, SourcingStrategy.COST, Workload.SEED);

    @TempDir
    Path directory;

    private final List<String> problems = new ArrayList<>();
    private AllocationEngine engine;
    private OrderGenerator generator;
    private long sequence;

    @BeforeEach
    void network()
    {
        engine = new AllocationEngine(EngineConfig.defaults(), EventSink.NONE);
        ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) -> engine.apply(sequence++, EPOCH, buffer, offset, length));
        generator = new OrderGenerator(WORKLOAD, 256, "SNAP-");
    }

    private void placeOrders(final int orders)
    {
        for (int i = 0; i < orders; i++)
        {
            generator.next();
            engine.apply(sequence++, EPOCH + sequence, generator.buffer(), generator.offset(), generator.length());
        }
    }

    @Test
    void writeThenLoadGivesTheSameState() throws IOException
    {
        placeOrders(2_000);
        final SnapshotStore store = new SnapshotStore(directory.resolve("snapshots"));
        final Path file = store.write(engine);

        assertEquals(SnapshotStore.fileName(engine.lastSequence()), file.getFileName().toString());
        assertTrue(file.getFileName().toString().matches("snapshot-\\d{20}\\.snap"), file.toString());
        final List<SnapshotInfo> listed = store.list();
        assertEquals(1, listed.size());
        assertEquals(engine.lastSequence(), listed.get(0).sequence());
        assertEquals(Files.size(file), listed.get(0).sizeBytes());

        final LoadedSnapshot loaded = store.loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add).orElseThrow();
        assertEquals(engine.stateHash(), loaded.engine().stateHash());
        assertEquals(engine.lastSequence(), loaded.sequence());
        assertEquals(file, loaded.path());
        assertEquals(List.of(), problems);
        try (var files = Files.list(store.directory()))
        {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void corruptPayloadFallsBackToThePreviousSnapshot() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(directory);
        placeOrders(500);
        store.write(engine);
        final long olderHash = engine.stateHash();
        final long olderSequence = engine.lastSequence();
        placeOrders(500);
        final Path newest = store.write(engine);

        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw"))
        {
            final long at = SnapshotStore.HEADER_LENGTH + (file.length() - SnapshotStore.HEADER_LENGTH) / 2;
            file.seek(at);
            final int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }

        final LoadedSnapshot loaded = store.loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add).orElseThrow();
        assertEquals(olderSequence, loaded.sequence());
        assertEquals(olderHash, loaded.engine().stateHash());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(newest.getFileName().toString()) && problems.get(0).contains("CRC32C"), problems.get(0));
    }

    @Test
    void truncatedSnapshotFallsBackToThePreviousSnapshot() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(directory);
        placeOrders(300);
        store.write(engine);
        final long olderHash = engine.stateHash();
        placeOrders(300);
        final Path newest = store.write(engine);
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw"))
        {
            file.setLength(file.length() - 1000);
        }

        final LoadedSnapshot loaded = store.loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add).orElseThrow();
        assertEquals(olderHash, loaded.engine().stateHash());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(newest.getFileName().toString()) && problems.get(0).contains("truncated"), problems.get(0));
    }

    @Test
    void badMagicAndVersionAreReported() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(directory);
        placeOrders(100);
        store.write(engine);
        final long olderHash = engine.stateHash();
        placeOrders(100);
        final Path version = store.write(engine);
        placeOrders(100);
        final Path magic = store.write(engine);
        try (RandomAccessFile file = new RandomAccessFile(version.toFile(), "rw"))
        {
            file.seek(8);
            file.writeInt(99);
        }
        try (RandomAccessFile file = new RandomAccessFile(magic.toFile(), "rw"))
        {
            file.write("NOTASNAP".getBytes());
        }

        final LoadedSnapshot loaded = store.loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add).orElseThrow();
        assertEquals(olderHash, loaded.engine().stateHash());
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(magic.getFileName().toString()) && problems.get(0).contains("magic"), problems.get(0));
        assertTrue(problems.get(1).contains(version.getFileName().toString()) && problems.get(1).contains("version 99"), problems.get(1));
    }

    @Test
    void noSnapshotsGivesEmpty() throws IOException
    {
        assertEquals(Optional.empty(), new SnapshotStore(directory).loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add));
        assertEquals(Optional.empty(),
            new SnapshotStore(directory.resolve("missing")).loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add));
        assertEquals(List.of(), new SnapshotStore(directory).list());
        assertEquals(List.of(), problems);
    }

    @Test
    void onlyCorruptSnapshotsGivesEmptyAndReportsEach() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(directory);
        placeOrders(50);
        final Path only = store.write(engine);
        Files.write(only, new byte[10]);
        assertEquals(Optional.empty(), store.loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("length"), problems.get(0));
    }

    @Test
    void leftoverTemporaryFileIsIgnoredAndReported() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(directory);
        placeOrders(200);
        store.write(engine);
        final long hash = engine.stateHash();
        final Path temp = directory.resolve(SnapshotStore.fileName(engine.lastSequence() + 500) + ".tmp");
        Files.write(temp, new byte[] {'M', 'E', 'T', 'E'});

        final LoadedSnapshot loaded = store.loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add).orElseThrow();
        assertEquals(hash, loaded.engine().stateHash());
        assertEquals(1, store.list().size());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(temp.getFileName().toString()) && problems.get(0).contains("temporary"), problems.get(0));
    }

    @Test
    void listIsOldestFirstAndDeleteRemoves() throws IOException
    {
        final SnapshotStore store = new SnapshotStore(directory);
        for (int i = 0; i < 3; i++)
        {
            placeOrders(20);
            store.write(engine);
        }
        Files.write(directory.resolve("notes.txt"), new byte[] {1});
        final List<SnapshotInfo> listed = store.list();
        assertEquals(3, listed.size());
        assertTrue(listed.get(0).sequence() < listed.get(1).sequence() && listed.get(1).sequence() < listed.get(2).sequence());
        store.delete(listed.get(0));
        assertEquals(listed.subList(1, 3), store.list());
    }

    @Test
    void anEngineThatAppliedNothingHasNoSnapshot()
    {
        final AllocationEngine empty = new AllocationEngine(EngineConfig.defaults(), EventSink.NONE);
        assertThrows(IllegalStateException.class, () -> new SnapshotStore(directory).write(empty));
    }

    /**
     * A server upgraded over snapshots of an earlier format starts from them: this file was written by
     * the build before node cutoffs (format 2, commit 21cc40c) from a network of two nodes, two SKUs,
     * two orders and a retention setting; that build's journal verify gave the state hash below.
     */
    @Test
    void aSnapshotWrittenInTheFormatBeforeLoadsToTheSameState() throws Exception
    {
        final Path old = directory.resolve("old");
        Files.createDirectories(old);
        try (java.io.InputStream in = SnapshotStoreTest.class.getResourceAsStream("/snapshots/format-2/snapshot-00000000000000000028.snap"))
        {
            Files.copy(in, old.resolve("snapshot-00000000000000000028.snap"));
        }
        final LoadedSnapshot loaded = new SnapshotStore(old).loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add)
            .orElseThrow(() -> new AssertionError("not loaded: " + problems));
        assertEquals(List.of(), problems);
        assertEquals(28, loaded.sequence());
        assertEquals(0x0c5b21617d77ec37L, loaded.engine().stateHash(), "the state hash the writing build gave");
        assertEquals(2, loaded.engine().totals().orders);
        assertEquals(0, loaded.engine().nodes().cutoffMinute(0), "no cutoffs before they existed");
        // and it is written again in today's format
        final Path rewritten = new SnapshotStore(directory.resolve("new")).write(loaded.engine());
        assertEquals(loaded.engine().stateHash(), new SnapshotStore(rewritten.getParent())
            .loadNewestValid(EngineConfig.defaults(), EventSink.NONE, problems::add).orElseThrow().engine().stateHash());
    }
}
