package io.mete.journal.cli;

import io.mete.journal.JournalCorruptException;
import io.mete.journal.JournalDirectory;
import io.mete.journal.JournalReader;
import io.mete.journal.Recovery;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.mete.journal.snapshot.SnapshotInfo;
import io.mete.journal.snapshot.SnapshotStore;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Replays from scratch (checking every event it produces against the event journal) and from the
 * newest snapshot, and checks both give the same state. Exit status 1 on any difference, snapshot
 * checksum failure or corrupt entry.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Replay from scratch and from the newest snapshot; compare state hashes and events. Exit 1 on any problem.")
final class VerifyCommand implements Callable<Integer>
{
    @Mixin
    ToolOptions options;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        final JournalDirectory directory = options.directory();
        final Summary summary = new Summary();
        final List<String> problems = new ArrayList<>();
        try (SingleChronicleQueue commands = directory.openCommandsReadOnly();
             SingleChronicleQueue events = directory.hasEvents() ? directory.openEventsReadOnly() : null)
        {
            final EventComparison comparison = new EventComparison(events);
            final Progress progress = new Progress("replayed", 0);
            final SnapshotStore baseline = baseline(commands, directory, problems);
            final Recovery.Result full = Recovery.recover(commands, events, null, baseline, options.engineConfig(), new Recovery.Listener()
            {
                private long replayed;

                @Override
                public void onCommand(final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer,
                    final int offset, final int length)
                {
                    progress.update(++replayed);
                }

                @Override
                public void onEvent(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer,
                    final int offset, final int length)
                {
                    comparison.compare(eventSequence, clientId, commandSequence, buffer, offset, length, problems);
                }
            }, problems::add);
            progress.done();
            comparison.close();

            final List<String> snapshotProblems = new ArrayList<>();
            final Recovery.Result fromSnapshot = Recovery.recover(commands, events, null, directory.snapshotStore(),
                options.engineConfig(), Recovery.NO_LISTENER, snapshotProblems::add);
            for (final String problem : snapshotProblems)
            {
                // a temporary file left by a write that a crash interrupted is not damage: report it, do not fail
                if (problem.contains("temporary file"))
                {
                    System.err.println("note: " + problem);
                }
                else
                {
                    problems.add("snapshot: " + problem);
                }
            }
            final long fullHash = full.engine().stateHash();
            final long snapshotHash = fromSnapshot.engine().stateHash();
            if (fullHash != snapshotHash)
            {
                problems.add(String.format("state hash from scratch %016x differs from snapshot %d + journal %016x",
                    fullHash, fromSnapshot.snapshotSequence(), snapshotHash));
            }
            if (full.lastEventSequence() != fromSnapshot.lastEventSequence())
            {
                problems.add("last event sequence from scratch " + full.lastEventSequence() + " differs from snapshot + journal " +
                    fromSnapshot.lastEventSequence());
            }
            summary.put("baseline", baseline == null ? "empty state" : "snapshot " + full.snapshotSequence() + " (journal pruned before it)")
                .put("commands", full.commandsReplayed())
                .put("last-sequence", full.lastSequence())
                .put("events-compared", comparison.compared)
                .put("snapshot-sequence", fromSnapshot.snapshotSequence())
                .put("replayed-after-snapshot", fromSnapshot.commandsReplayed())
                .put("hash-from-scratch", String.format("%016x", fullHash))
                .put("hash-from-snapshot", String.format("%016x", snapshotHash));
        }
        catch (final JournalCorruptException ex)
        {
            problems.add("corrupt: " + ex.getMessage());
        }
        for (final String problem : problems)
        {
            System.err.println("problem: " + problem);
        }
        summary.put("problems", problems.size()).put("verify", problems.isEmpty() ? "OK" : "FAILED").print(out, options.json);
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * What the long replay starts from: an empty state when the journal starts at sequence 0, else
     * (the journal was pruned) the oldest snapshot the journal continues, in a store of its own.
     */
    private static SnapshotStore baseline(final SingleChronicleQueue commands, final JournalDirectory directory, final List<String> problems)
    {
        final long first;
        try (JournalReader reader = new JournalReader(commands, "command"))
        {
            first = reader.readFirst() ? reader.first() : 0;
        }
        if (first <= 0)
        {
            return null;
        }
        try
        {
            // oldest first: the longest replay that the journal still allows
            for (final SnapshotInfo info : directory.snapshotStore().list())
            {
                if (info.sequence() < first - 1)
                {
                    continue;
                }
                final Path dir = Files.createTempDirectory("mete-verify");
                dir.toFile().deleteOnExit();
                final Path link = dir.resolve(info.path().getFileName());
                try
                {
                    Files.createLink(link, info.path());
                }
                catch (final IOException | UnsupportedOperationException ex)
                {
                    Files.copy(info.path(), link);
                }
                link.toFile().deleteOnExit();
                return new SnapshotStore(dir);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        problems.add("the command journal starts at sequence " + first + " and no snapshot reaches back to it");
        return null;
    }

    /** Reads the event journal alongside the replay and compares event by event. */
    private static final class EventComparison
    {
        private static final int MAX_REPORTED = 10;
        private final JournalReader reader;
        private final long firstJournaled;
        long compared;
        long mismatches;
        private boolean positioned;
        private boolean exhausted;
        private long journaledSequence;
        private int journaledClient;
        private long journaledCommand;
        private byte[] journaledBytes = new byte[0];

        EventComparison(final SingleChronicleQueue events)
        {
            reader = events == null ? null : new JournalReader(events, "event");
            firstJournaled = reader != null && reader.readFirst() ? reader.first() : Long.MAX_VALUE;
        }

        void compare(final long eventSequence, final int clientId, final long commandSequence, final DirectBuffer buffer, final int offset,
            final int length, final List<String> problems)
        {
            if (reader == null || eventSequence < firstJournaled || exhausted)
            {
                return; // pruned from the event journal, or none kept
            }
            if (!positioned)
            {
                positioned = true;
                if (!reader.seek(eventSequence))
                {
                    exhausted = true;
                    return;
                }
            }
            if (!reader.next((a, b, client, bytes, at, size) ->
            {
                journaledSequence = a;
                journaledCommand = b;
                journaledClient = client;
                journaledBytes = new byte[size];
                bytes.getBytes(at, journaledBytes);
            }))
            {
                exhausted = true;
                return; // the event journal ends here (events restored at the next start)
            }
            compared++;
            boolean same = journaledSequence == eventSequence && journaledCommand == commandSequence && journaledClient == clientId &&
                journaledBytes.length == length;
            for (int i = 0; same && i < length; i++)
            {
                same = journaledBytes[i] == buffer.getByte(offset + i);
            }
            if (!same && mismatches++ < MAX_REPORTED)
            {
                problems.add("event " + eventSequence + " of command " + commandSequence +
                    " differs between replay and the event journal (journal has event " + journaledSequence + " of command " +
                    journaledCommand + ")");
            }
        }

        void close()
        {
            if (reader != null)
            {
                reader.close();
            }
        }
    }
}
