package io.mete.journal;

import io.mete.engine.runtime.PipelineConfig;
import io.mete.journal.snapshot.SnapshotInfo;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A million commands of mixed traffic through the journaled pipeline, then replayed offline: the
 * state hash and every event byte must come out the same, from scratch and from a snapshot.
 */
class ReplayDeterminismTest
{
    private static final int COMMANDS = 1_000_000;

    @Test
    void replayOfAMillionCommandsReproducesStateHashAndEveryEventByte(@TempDir final Path dir) throws IOException
    {
        final JournalOptions options = JournalOptions.defaults()
            .engineConfig(MixedTraffic.engineConfig(1 << 20))
            .pipelineConfig(PipelineConfig.defaults().tickIdleMillis(0).snapshotEveryCommands(400_000)
                .clock(new SteppingClock(100)));
        final EventDigest live = new EventDigest();
        final long liveHash;
        final long lastSequence;
        final long start = System.nanoTime();
        try (JournaledEngine engine = JournaledEngine.open(dir, options, problem -> fail(problem)))
        {
            engine.addListener(live);
            engine.start();
            for (final byte[] command : MixedTraffic.setup())
            {
                engine.submit(0, new UnsafeBuffer(command), 0, command.length);
            }
            final MixedTraffic traffic = new MixedTraffic(42, "R-");
            for (int i = 0; i < COMMANDS; i++)
            {
                traffic.next();
                engine.submit(1 + (i & 3), traffic.buffer(), traffic.offset(), traffic.length());
            }
            engine.close();
            assertNull(engine.pipeline().failure());
            liveHash = engine.pipeline().engine().stateHash();
            lastSequence = engine.lastAppliedSequence();
            assertTrue(engine.pipeline().snapshotsWritten() >= 3, "two every-N snapshots and one at close");
        }
        assertTrue(live.count > COMMANDS, "every command publishes at least its result");
        System.out.printf("live: %,d commands, %,d events in %.2f s%n", lastSequence + 1, live.count, (System.nanoTime() - start) / 1e9);

        final JournalDirectory files = new JournalDirectory(dir);
        try (SingleChronicleQueue commands = files.openCommandsReadOnly(); SingleChronicleQueue events = files.openEventsReadOnly())
        {
            // from scratch: same state, same events as published
            final EventDigest replayed = new EventDigest();
            final Recovery.Result full = Recovery.recover(commands, events, null, null, options.engineConfig(), replayed,
                problem -> fail(problem));
            assertEquals(-1, full.snapshotSequence());
            assertEquals(lastSequence, full.lastSequence());
            assertEquals(liveHash, full.engine().stateHash(), "state hash after replay");
            assertEquals(live.count, replayed.count);
            assertEquals(live.value(), replayed.value(), "event bytes after replay");

            // the event journal holds exactly what the listeners saw
            final EventDigest journaled = new EventDigest();
            try (EventJournalReader reader = new EventJournalReader(events, false))
            {
                while (reader.poll(journaled, 4096) > 0)
                {
                    // digesting
                }
            }
            assertEquals(live.count, journaled.count);
            assertEquals(live.value(), journaled.value(), "event journal bytes");

            // the snapshot written at close covers everything
            final Recovery.Result atClose = Recovery.recover(commands, events, null, files.snapshotStore(),
                options.engineConfig(), Recovery.NO_LISTENER, problem -> fail(problem));
            assertEquals(lastSequence, atClose.snapshotSequence());
            assertEquals(0, atClose.commandsReplayed());
            assertEquals(liveHash, atClose.engine().stateHash());
            assertEquals(live.lastEventSequence, atClose.lastEventSequence());

            // without it, the newest every-N snapshot plus the journal after it: same state, same events after the snapshot
            final List<SnapshotInfo> snapshots = files.snapshotStore().list();
            files.snapshotStore().delete(snapshots.get(snapshots.size() - 1));
            final EventDigest tail = new EventDigest();
            final Recovery.Result fromSnapshot = Recovery.recover(commands, events, null, files.snapshotStore(),
                options.engineConfig(), tail, problem -> fail(problem));
            assertEquals(799_999, fromSnapshot.snapshotSequence());
            assertEquals(lastSequence - 799_999, fromSnapshot.commandsReplayed());
            assertEquals(liveHash, fromSnapshot.engine().stateHash(), "state hash after snapshot + tail");
            assertEquals(live.lastEventSequence, fromSnapshot.lastEventSequence());
            final EventDigest journaledTail = new EventDigest();
            try (EventJournalReader reader = new EventJournalReader(events, false))
            {
                assertTrue(reader.seek(fromSnapshot.lastEventSequence() - tail.count + 1));
                while (reader.poll(journaledTail, 4096) > 0)
                {
                    // digesting
                }
            }
            assertEquals(journaledTail.count, tail.count);
            assertEquals(journaledTail.value(), tail.value(), "events replayed after the snapshot");
            System.out.printf("replay: %,d commands from scratch in %.2f s (%,.0f commands/s); snapshot %d + %,d in %.2f s%n",
                full.commandsReplayed(), full.nanos() / 1e9, full.commandsPerSecond(), fromSnapshot.snapshotSequence(),
                fromSnapshot.commandsReplayed(), fromSnapshot.nanos() / 1e9);
        }
    }
}
