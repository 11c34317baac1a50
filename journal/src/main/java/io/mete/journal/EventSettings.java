package io.mete.journal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The switches that decide which events a data directory's engine publishes, kept in
 * {@code DIR/events.properties} by the first engine that opens the directory.
 *
 * <p>Why a file: the event journal numbers every event, recovery rebuilds missing events by
 * replaying commands, and the journal tools compare replayed events with journaled ones. All of
 * that holds only while every run over the same journal publishes the same events, so the setting
 * belongs to the directory, not to one start of the server: a later start that asks for something
 * else is refused with a message, and the tools read the file instead of needing a flag.
 */
public final class EventSettings
{
    static final String FILE = "events.properties";
    private static final String AVAILABILITY = "availabilityEvents";

    private EventSettings()
    {
    }

    /**
     * Records {@code availabilityEvents} for a directory that has none yet, or checks it against the
     * recorded one.
     *
     * @throws IllegalStateException when the directory was written with the other setting
     */
    public static void pin(final Path dir, final boolean availabilityEvents)
    {
        final Boolean recorded = availabilityEvents(dir);
        if (recorded == null)
        {
            write(dir, availabilityEvents);
        }
        else if (recorded != availabilityEvents)
        {
            throw new IllegalStateException(dir.resolve(FILE) + " says availabilityEvents=" + recorded +
                ": this journal was written with AvailabilityChanged events " + (recorded ? "on" : "off") +
                " and must be replayed the same way; start with availabilityEvents=" + recorded + " or use a new data directory");
        }
    }

    /** The recorded setting, or null when the directory has no settings file (older or new directories). */
    public static Boolean availabilityEvents(final Path dir)
    {
        final Path file = dir.resolve(FILE);
        if (!Files.exists(file))
        {
            return null;
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        final String value = properties.getProperty(AVAILABILITY);
        if (!"true".equals(value) && !"false".equals(value))
        {
            throw new IllegalStateException(file + ": " + AVAILABILITY + " must be true or false, not " + value);
        }
        return Boolean.valueOf(value);
    }

    private static void write(final Path dir, final boolean availabilityEvents)
    {
        final Path file = dir.resolve(FILE);
        final Path temporary = dir.resolve(FILE + ".tmp");
        try
        {
            Files.createDirectories(dir);
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8))
            {
                writer.write("# written by the first engine on this directory; every later run must publish the same events\n");
                writer.write(AVAILABILITY + "=" + availabilityEvents + "\n");
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
