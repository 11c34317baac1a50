package io.mete.journal;

import io.mete.engine.core.EngineConfig;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.journal.cli.JournalCommand;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The operator tools on a journal that spans three hourly cycles, through the same picocli entry point as {@code mete journal}. */
class JournalToolsTest
{
    private record Run(int exit, String out)
    {
        String value(final String key)
        {
            for (final String line : out.split("\n"))
            {
                if (line.startsWith(key + ": "))
                {
                    return line.substring(key.length() + 2).trim();
                }
            }
            throw new AssertionError("no `" + key + ":` line in\n" + out);
        }

        String lastLine()
        {
            final String[] lines = out.split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Run journal(final String... args)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final int exit = new CommandLine(new JournalCommand()).execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(original);
        }
    }

    /** Three sessions an hour apart (Chronicle rolls to a new file each), each ending with a snapshot at close. */
    private static long build(final Path dir) throws IOException
    {
        return build(dir, 2_000);
    }

    /** As {@link #build(Path)}, with {@code lastSessionOrders} orders in the third session. */
    private static long build(final Path dir, final int lastSessionOrders) throws IOException
    {
        final SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-11-22T05:10:00Z"));
        final JournalDirectory files = new JournalDirectory(dir, time);
        long hash = 0;
        for (int session = 0; session < 3; session++)
        {
            try (JournaledEngine engine = JournaledEngine.open(files, JournalOptions.defaults().engineConfig(CrashRecoveryTest.CONFIG)
                .pipelineConfig(PipelineConfig.defaults().tickIdleMillis(0).clock(new SteppingClock(1000))), problem -> fail(problem)))
            {
                engine.start();
                if (session == 0)
                {
                    ReferenceNetwork.build(CrashChild.WORKLOAD, (buffer, offset, length) -> engine.submit(0, buffer, offset, length));
                }
                final OrderGenerator orders = new OrderGenerator(CrashChild.WORKLOAD, 256, "S" + session + "-");
                for (int i = 0; i < (session == 2 ? lastSessionOrders : 2_000); i++)
                {
                    orders.next();
                    engine.submit(0, orders.buffer(), orders.offset(), orders.length());
                }
                engine.close();
                hash = engine.pipeline().engine().stateHash();
            }
            time.advanceMillis(3_600_000);
        }
        try (Stream<Path> cycles = Files.list(files.commands()))
        {
            assertEquals(3, cycles.filter(path -> path.toString().endsWith(".cq4")).count(), "one command file per hour");
        }
        return hash;
    }

    @Test
    void inspectReplayVerifySnapshotAndPrune(@TempDir final Path dir) throws IOException
    {
        final long hash = build(dir);
        final String d = dir.toString();

        final Run inspect = journal("inspect", d, "--order", OrderGenerator.orderId("S1-", 7));
        assertEquals(0, inspect.exit);
        assertEquals("1", inspect.value("entries-shown"), inspect.out);
        assertTrue(inspect.out.contains("PlaceOrder"), inspect.out);
        assertTrue(inspect.lastLine().startsWith("last-shown: "), inspect.lastLine());

        final Run range = journal("inspect", d, "--from", "100", "--to", "104", "--json");
        assertEquals(6, range.out.split("\n").length, "five entries and the summary object:\n" + range.out);
        assertTrue(range.out.startsWith("{\"sequence\":100,"), range.out);
        assertTrue(range.out.contains(",\"message\":{\"type\":\"SetOnHand\",\"correlationId\":101,\"quantity\":1000000,"), "each message as a JSON object:\n" + range.out);

        final Run eventsOfOneCommand = journal("inspect", d, "--events", "--from", "3000", "--to", "3000");
        assertTrue(eventsOfOneCommand.out.contains("CommandAccepted"), eventsOfOneCommand.out);

        final Run replay = journal("replay", d);
        assertEquals(0, replay.exit);
        assertEquals(String.format("%016x", hash), replay.value("state-hash"));
        assertTrue(replay.lastLine().startsWith("state-hash: "), replay.lastLine());

        final Run verify = journal("verify", d);
        assertEquals(0, verify.exit, verify.out);
        assertEquals("OK", verify.value("verify"));
        assertTrue(Long.parseLong(verify.value("events-compared")) > 6_000);
        assertEquals(verify.value("events-compared"), replay.value("events"), "replay counts the events verify compares one by one");

        final Run snapshot = journal("snapshot", d, "--json");
        assertEquals(0, snapshot.exit);
        assertTrue(snapshot.lastLine().contains(String.format("\"state-hash\":\"%016x\"", hash)), snapshot.out);

        final Run prune = journal("prune", d);
        assertEquals(0, prune.exit, prune.out);
        assertEquals("2", prune.value("files-pruned"), prune.out);
        final Run verifyPruned = journal("verify", d);
        assertEquals(0, verifyPruned.exit, verifyPruned.out);
        assertTrue(verifyPruned.value("baseline").startsWith("snapshot"), verifyPruned.out);

        // older snapshots go too when asked: the newest valid one stays, and the engine still starts from it
        final JournalDirectory files = new JournalDirectory(dir);
        final int snapshotsBefore = files.snapshotStore().list().size();
        assertTrue(snapshotsBefore >= 3, "one per session and the offline one: " + snapshotsBefore);
        final Run keepOne = journal("prune", d, "--keep-snapshots", "1");
        assertEquals(0, keepOne.exit, keepOne.out);
        assertEquals(String.valueOf(snapshotsBefore - 1), keepOne.value("files-pruned"), keepOne.out);
        assertEquals(1, files.snapshotStore().list().size());
        assertEquals(0, journal("verify", d).exit);

        // the engine still starts from the pruned directory
        try (JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults().engineConfig(CrashRecoveryTest.CONFIG),
            problem -> fail(problem)))
        {
            assertEquals(hash, engine.recovery().engine().stateHash());
        }
    }

    @Test
    void verifyFailsOnACorruptSnapshotAndOnACorruptEntry(@TempDir final Path dir) throws IOException
    {
        build(dir);
        final List<io.mete.journal.snapshot.SnapshotInfo> snapshots = new JournalDirectory(dir).snapshotStore().list();
        final io.mete.journal.snapshot.SnapshotInfo newest = snapshots.get(snapshots.size() - 1);
        RecoveryTest.flipByte(newest.path(), newest.sizeBytes() / 2);
        final Run corruptSnapshot = journal("verify", dir.toString());
        assertEquals(1, corruptSnapshot.exit, corruptSnapshot.out);
        assertEquals("FAILED", corruptSnapshot.value("verify"));

        final Path file = RecoveryTest.commandFile(dir);
        final long at = RecoveryTest.lastIndexOf(file, OrderGenerator.orderId("S2-", 1999).getBytes(StandardCharsets.US_ASCII));
        RecoveryTest.flipByte(file, at + 4);
        final Run corruptEntry = journal("verify", dir.toString(), "--json");
        assertEquals(1, corruptEntry.exit, corruptEntry.out);
        assertTrue(corruptEntry.lastLine().contains("\"verify\":\"FAILED\""), corruptEntry.out);
    }

    @Test
    void theEventSettingsBelongToTheDirectory(@TempDir final Path dir) throws IOException
    {
        final EngineConfig quiet = EngineConfig.defaults().expectedNodes(50).expectedSkus(200).expectedOrders(1 << 14).publishAvailability(false);
        final long hash;
        try (JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults().engineConfig(quiet)
            .pipelineConfig(PipelineConfig.defaults().tickIdleMillis(0).clock(new SteppingClock(1000))), problem -> fail(problem)))
        {
            engine.start();
            ReferenceNetwork.build(CrashChild.WORKLOAD, (buffer, offset, length) -> engine.submit(0, buffer, offset, length));
            final OrderGenerator orders = new OrderGenerator(CrashChild.WORKLOAD, 64, "Q-");
            for (int i = 0; i < 500; i++)
            {
                orders.next();
                engine.submit(0, orders.buffer(), orders.offset(), orders.length());
            }
            engine.close();
            hash = engine.pipeline().engine().stateHash();
        }
        assertEquals(Boolean.FALSE, EventSettings.availabilityEvents(dir));

        // the tools read the setting: replaying with AvailabilityChanged on would publish other events
        final Run verify = journal("verify", dir.toString());
        assertEquals(0, verify.exit, verify.out);
        assertEquals("OK", verify.value("verify"));
        final Run contradicted = journal("verify", dir.toString(), "--no-availability-events");
        assertEquals(0, contradicted.exit, "the flag agrees with the file: " + contradicted.out);

        // a start that asks for the other setting is refused before it touches the journal
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> JournaledEngine.open(dir,
            JournalOptions.defaults().engineConfig(EngineConfig.defaults().expectedNodes(50).expectedSkus(200).expectedOrders(1 << 14)),
            problem -> fail(problem)));
        assertTrue(refused.getMessage().contains("availabilityEvents=false"), refused.getMessage());

        // the same setting reopens and recovers to the same place
        try (JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults().engineConfig(quiet), problem -> fail(problem)))
        {
            assertEquals(hash, engine.recovery().engine().stateHash());
            assertTrue(engine.recovery().lastEventSequence() > 500, "the events of the first run are there");
        }
    }

    @Test
    void repairCutsAtTheFirstDamagedCommandAndKeepsTheOriginals(@TempDir final Path dir, @TempDir final Path expected) throws IOException
    {
        build(dir);
        // the same run with the third session ending just before the order that gets damaged
        final long prefixHash = build(expected, 1_000);
        final Path file = RecoveryTest.commandFile(dir);
        final long at = RecoveryTest.lastIndexOf(file, OrderGenerator.orderId("S2-", 1000).getBytes(StandardCharsets.US_ASCII));
        final String d = dir.toString();
        // a snapshot at the journal's end (the one the third session's close writes, or this one in its place)
        assertEquals(0, journal("snapshot", d).exit);
        RecoveryTest.flipByte(file, at + 4);
        // that snapshot still covers the damage: nothing blocks a start, nothing is cut
        final Run covered = journal("repair", d);
        assertEquals(0, covered.exit, covered.out);
        assertEquals("NOT_NEEDED", covered.value("repair"));
        // without it (say it was never written), recovery replays the third session from the second's snapshot and meets the damage
        final List<io.mete.journal.snapshot.SnapshotInfo> snapshots = new JournalDirectory(dir).snapshotStore().list();
        final io.mete.journal.snapshot.SnapshotInfo newest = snapshots.get(snapshots.size() - 1);
        RecoveryTest.flipByte(newest.path(), newest.sizeBytes() / 2);
        assertThrows(JournalCorruptException.class, () -> JournaledEngine.open(dir,
            JournalOptions.defaults().engineConfig(CrashRecoveryTest.CONFIG), problem -> { }));

        // without --yes: says what it would do, changes nothing
        final Run dryRun = journal("repair", d);
        assertEquals(1, dryRun.exit, dryRun.out);
        assertEquals("DRY_RUN", dryRun.value("repair"));
        assertEquals("1", dryRun.value("snapshots-moved"), "the damaged snapshot of the third session lies past the cut");
        assertEquals(1, journal("verify", d).exit, "still damaged");

        final Run repair = journal("repair", d, "--yes");
        assertEquals(0, repair.exit, repair.out);
        assertEquals("OK", repair.value("repair"));
        assertEquals(String.format("%016x", prefixHash), repair.value("state-hash"));
        final Path originals = Path.of(repair.value("originals"));
        assertTrue(Files.isDirectory(originals.resolve("commands")) && Files.isDirectory(originals.resolve("events")), repair.out);
        try (Stream<Path> moved = Files.list(originals.resolve("snapshots")))
        {
            assertEquals(1, moved.count());
        }

        final Run verify = journal("verify", d);
        assertEquals(0, verify.exit, verify.out);
        assertEquals(repair.value("last-sound-sequence"), verify.value("last-sequence"));
        assertEquals("0", journal("inspect", d, "--order", OrderGenerator.orderId("S2-", 1000)).value("entries-shown"));
        try (Stream<Path> cycles = Files.list(new JournalDirectory(dir).commands()))
        {
            assertEquals(3, cycles.filter(path -> path.toString().endsWith(".cq4")).count(), "the entries stay in their hourly files");
        }
        // the engine starts again where the sound journal ends, and a second repair finds nothing to do
        try (JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults().engineConfig(CrashRecoveryTest.CONFIG),
            problem -> fail(problem)))
        {
            assertEquals(prefixHash, engine.recovery().engine().stateHash());
        }
        assertEquals("NOTHING_TO_DO", journal("repair", d).value("repair"));
    }
}
