package io.mete.journal.cli;

import io.mete.engine.core.AllocationEngine;
import io.mete.journal.JournalDirectory;
import io.mete.journal.Recovery;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** Rebuilds the state offline and prints what it holds. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Rebuild the state offline from the journal (from scratch, or from the newest snapshot) and print its hash.")
final class ReplayCommand implements Callable<Integer>
{
    @Mixin
    ToolOptions options;

    @Option(names = "--from-snapshot", description = "start from the newest valid snapshot instead of an empty state")
    boolean fromSnapshot;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        final JournalDirectory directory = options.directory();
        final Progress progress = new Progress("replayed", 0);
        final Recovery.Result result;
        try (SingleChronicleQueue commands = directory.openCommandsReadOnly())
        {
            result = Recovery.recover(commands, null, null, fromSnapshot ? directory.snapshotStore() : null, options.engineConfig(),
                new Recovery.Listener()
                {
                    private long replayed;

                    @Override
                    public void onCommand(final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer,
                        final int offset, final int length)
                    {
                        progress.update(++replayed);
                    }

                    @Override
                    public boolean wantsEvents()
                    {
                        // counted, not encoded: the result's event sequence says how many the replay made
                        return false;
                    }
                }, problem -> System.err.println("snapshot skipped: " + problem));
        }
        progress.done();
        final AllocationEngine engine = result.engine();
        new Summary()
            .put("snapshot-sequence", result.snapshotSequence())
            .put("commands", result.commandsReplayed())
            .put("events", result.lastEventSequence())
            .put("commands-rejected", engine.totals().commandsRejected)
            .put("orders", engine.totals().orders)
            .put("last-sequence", result.lastSequence())
            .put("seconds", String.format("%.3f", result.nanos() / 1e9))
            .put("commands-per-second", Math.round(result.commandsPerSecond()))
            .put("state-hash", String.format("%016x", engine.stateHash()))
            .print(out, options.json);
        return 0;
    }
}
