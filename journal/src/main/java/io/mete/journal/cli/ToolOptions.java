package io.mete.journal.cli;

import io.mete.engine.core.EngineConfig;
import io.mete.journal.EventSettings;
import io.mete.journal.JournalDirectory;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/** Options every journal tool takes. */
final class ToolOptions
{
    @Parameters(index = "0", paramLabel = "DIR", description = "journal directory (holds commands/, events/, snapshots/)")
    Path dir;

    @Option(names = "--json", description = "machine-readable output: one JSON object per line")
    boolean json;

    @Option(names = "--expected-orders", defaultValue = "1048576", description = "size the engine for this many orders (default: ${DEFAULT-VALUE})")
    int expectedOrders;

    @Option(names = "--no-availability-events",
        description = "the engine ran with AvailabilityChanged events off (read from DIR/events.properties when that exists)")
    boolean noAvailabilityEvents;

    EngineConfig engineConfig()
    {
        final Boolean recorded = EventSettings.availabilityEvents(dir);
        final boolean availability = recorded != null ? recorded : !noAvailabilityEvents;
        if (recorded != null && noAvailabilityEvents && recorded)
        {
            throw new IllegalArgumentException("--no-availability-events, but " + dir.resolve("events.properties") +
                " says the engine ran with them on");
        }
        return EngineConfig.defaults().expectedOrders(expectedOrders).publishAvailability(availability);
    }

    JournalDirectory directory()
    {
        final JournalDirectory directory = new JournalDirectory(dir);
        if (!Files.isDirectory(directory.commands()))
        {
            throw new IllegalArgumentException("no command journal at " + directory.commands());
        }
        return directory;
    }
}
