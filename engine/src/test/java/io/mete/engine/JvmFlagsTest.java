package io.mete.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * jvm.options (read by the launcher and JMH forks) and the pom's surefire argLine must list the same
 * flags: this JVM was started by surefire, so every flag in the file must be among its arguments.
 */
class JvmFlagsTest
{
    static Path projectRoot()
    {
        final String configured = System.getProperty("mete.root");
        if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured, "jvm.options")))
        {
            return Path.of(configured);
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("jvm.options")))
            {
                return dir;
            }
        }
        throw new AssertionError("jvm.options not found from mete.root or any parent of " + System.getProperty("user.dir"));
    }

    static List<String> flags() throws IOException
    {
        return Files.readAllLines(projectRoot().resolve("jvm.options")).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    }

    @Test
    void everyFlagInJvmOptionsIsPassedToTheTestJvm() throws IOException
    {
        final List<String> flags = flags();
        assertFalse(flags.isEmpty(), "jvm.options lists no flags");
        final List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        final List<String> missing = flags.stream().filter(flag -> !arguments.contains(flag)).toList();
        assertTrue(missing.isEmpty(), "in jvm.options but not in the surefire argLine (root pom mete.jvm.flags): " + missing +
            "\nJVM arguments: " + arguments);
    }

    @Test
    void jvmOptionsHoldsOneFlagPerLine() throws IOException
    {
        for (final String flag : flags())
        {
            assertTrue(flag.startsWith("-"), "not a JVM flag: " + flag);
            assertFalse(flag.contains(" "), "two flags on one line: " + flag);
        }
    }
}
