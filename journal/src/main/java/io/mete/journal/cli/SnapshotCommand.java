package io.mete.journal.cli;

import io.mete.journal.JournalDirectory;
import io.mete.journal.Recovery;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes a snapshot offline: newest snapshot + journal replay, written as a new snapshot. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Rebuild the state (newest snapshot + journal) and write it as a new snapshot at the journal's last sequence.")
final class SnapshotCommand implements Callable<Integer>
{
    @Mixin
    ToolOptions options;

    @Override
    public Integer call() throws Exception
    {
        final JournalDirectory directory = options.directory();
        final Recovery.Result result;
        try (SingleChronicleQueue commands = directory.openCommandsReadOnly();
             SingleChronicleQueue events = directory.hasEvents() ? directory.openEventsReadOnly() : null)
        {
            result = Recovery.recover(commands, events, null, directory.snapshotStore(), options.engineConfig(), Recovery.NO_LISTENER,
                problem -> System.err.println("snapshot skipped: " + problem));
        }
        final long start = System.nanoTime();
        final Path path = directory.snapshotStore().write(result.engine());
        new Summary()
            .put("from-snapshot", result.snapshotSequence())
            .put("commands-replayed", result.commandsReplayed())
            .put("snapshot", path.toString())
            .put("bytes", Files.size(path))
            .put("write-seconds", String.format("%.3f", (System.nanoTime() - start) / 1e9))
            .put("state-hash", String.format("%016x", result.engine().stateHash()))
            .put("sequence", result.lastSequence())
            .print(System.out, options.json);
        return 0;
    }
}
