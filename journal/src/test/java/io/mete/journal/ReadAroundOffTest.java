package io.mete.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal's mapped files are advised MADV_RANDOM, as the kernel itself reports it: the mapping
 * of the queue file carries the {@code rr} flag in {@code /proc/self/smaps}.
 */
class ReadAroundOffTest
{
    /** "start-end perms offset dev inode path" opens each mapping's block in smaps. */
    private static final Pattern MAPPING_HEADER = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    @TempDir
    Path dir;

    @Test
    void journalMappingsHaveReadAroundOff() throws IOException
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "Linux only: reads /proc/self/smaps");
        final JournalDirectory journal = new JournalDirectory(dir);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[96]);
        try (SingleChronicleQueue queue = journal.openCommands(Durability.PAGECACHE))
        {
            final ChronicleAppender appender = new ChronicleAppender(queue, Durability.PAGECACHE, false);
            for (int i = 0; i < 50_000; i++)
            {
                command.putLong(0, i);
                appender.append(i, 1_000L + i, 7, command, 0, command.capacity());
            }
            appender.endOfBatch();

            assertEquals(0, appender.readAroundOffFailures());
            assertTrue(appender.readAroundOffChunks() >= 1, "at least the chunk written into was advised");
            final List<String> flags = vmFlagsOfMappings(journal.commands());
            assertFalse(flags.isEmpty(), "the queue file is mapped");
            assertTrue(flags.stream().anyMatch(f -> f.contains(" rr")), "a mapping of the queue file is MADV_RANDOM: " + flags);
            appender.close();
        }
    }

    /** The VmFlags lines of this process's mappings of .cq4 files under {@code queueDir}. */
    private static List<String> vmFlagsOfMappings(final Path queueDir) throws IOException
    {
        final List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        final String prefix = queueDir.toRealPath().toString();
        final List<String> flags = new ArrayList<>();
        boolean inQueueFile = false;
        for (final String line : lines)
        {
            if (MAPPING_HEADER.matcher(line).lookingAt())
            {
                inQueueFile = line.contains(prefix) && line.endsWith(".cq4");
            }
            else if (inQueueFile && line.startsWith("VmFlags:"))
            {
                flags.add(line);
            }
        }
        return flags;
    }
}
