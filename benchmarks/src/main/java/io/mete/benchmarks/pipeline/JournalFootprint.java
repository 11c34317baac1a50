package io.mete.benchmarks.pipeline;

import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.journal.ChronicleCommandJournal;
import io.mete.journal.Durability;
import io.mete.journal.JournalDirectory;
import io.mete.schema.SourcingStrategy;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Journal bytes per command: appends reference PlaceOrder commands to a command journal and
 * reports the message size, the entry size (message + Mete's 28-byte entry header + Chronicle's
 * 4-byte document header) and the disk blocks the cycle file really uses (the file is sparse), per
 * command. Run: {@code java <flags> -cp benchmarks/target/benchmarks.jar io.mete.benchmarks.pipeline.JournalFootprint [commands]}.
 */
public final class JournalFootprint
{
    private JournalFootprint()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final Path dir = Files.createTempDirectory("mete-footprint");
        final Workload workload = Workload.reference(SourcingStrategy.COST);
        final OrderGenerator orders = new OrderGenerator(workload, 1 << 16, "F-");
        long messageBytes = 0;
        final JournalDirectory files = new JournalDirectory(dir);
        try (SingleChronicleQueue queue = files.openCommands(Durability.PAGECACHE);
             ChronicleCommandJournal journal = new ChronicleCommandJournal(queue, Durability.PAGECACHE, false))
        {
            for (int i = 0; i < count; i++)
            {
                orders.next();
                messageBytes += orders.length();
                journal.append(i, 1_795_000_000_000L + i, 1, orders.buffer(), orders.offset(), orders.length());
            }
            journal.endOfBatch();
        }
        final long used = diskUsage(files.commands());
        System.out.printf("commands:                  %,d reference PlaceOrder (3 lines)%n", count);
        System.out.printf("message bytes/command:     %.1f%n", (double)messageBytes / count);
        System.out.printf("entry bytes/command:       %.1f (message + 28 entry header + 4 document header)%n",
            (double)messageBytes / count + 32);
        System.out.printf("disk bytes/command:        %.1f (blocks allocated, index included)%n", (double)used / count);
        delete(dir);
    }

    private static long diskUsage(final Path dir) throws IOException, InterruptedException
    {
        final Process du = new ProcessBuilder("du", "-s", "-B1", dir.toString()).start();
        final String out = new String(du.getInputStream().readAllBytes()).trim();
        du.waitFor();
        return Long.parseLong(out.split("\\s+")[0]);
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
