package io.mete.journal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mete journal ...}: look into, replay, verify, snapshot and prune an engine's journal directory. */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Inspect, replay, verify, snapshot, prune and repair a journal directory (DIR/commands, DIR/events, DIR/snapshots).",
    subcommands = {InspectCommand.class, ReplayCommand.class, VerifyCommand.class, SnapshotCommand.class, PruneCommand.class,
        RepairCommand.class})
public final class JournalCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** Runs a journal tool on its own (the {@code mete} launcher reaches the same commands through {@code mete journal}). */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new JournalCommand()).execute(args));
    }
}
