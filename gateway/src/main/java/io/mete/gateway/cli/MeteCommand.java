package io.mete.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mete} command line: every operator and user entry point hangs off this one. */
@Command(
    name = "mete",
    mixinStandardHelpOptions = true,
    versionProvider = MeteVersion.class,
    description = "Mete: in-memory, event-sourced inventory allocation engine for order management.",
    footer = {"", "The ./mete launcher also runs, from the benchmarks module:",
        "  load         Drive a running server (open loop, --max, --sweep, --spike)",
        "  perf-report  Plots and perf-reports/summary.md from perf-reports/raw/"},
    subcommands = {ServerCommand.class, ClientCommand.class, DemoCommand.class, SecretCommand.class, io.mete.journal.cli.JournalCommand.class,
        CommandLine.HelpCommand.class})
public final class MeteCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new MeteCommand()).execute(args));
    }
}
