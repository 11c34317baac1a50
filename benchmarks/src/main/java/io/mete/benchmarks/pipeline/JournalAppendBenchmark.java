package io.mete.benchmarks.pipeline;

import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.journal.ChronicleCommandJournal;
import io.mete.journal.Durability;
import io.mete.journal.JournalDirectory;
import io.mete.schema.SourcingStrategy;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a durability mode costs the journal thread: one operation is one batch (as the ring hands
 * it over) of {@code batch} reference PlaceOrder commands appended, then the end-of-batch flush
 * ({@code sync}: msync of the mapped file up to the last entry). The time per operation is the
 * least a batch waits before its commands can be applied.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true",
    "-Ddisable.perf.info=true"})
public class JournalAppendBenchmark
{
    @Param({"PAGECACHE", "SYNC"})
    Durability durability;

    @Param({"1", "64"})
    int batch;

    private Path dir;
    private SingleChronicleQueue queue;
    private ChronicleCommandJournal journal;
    private OrderGenerator orders;
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws IOException
    {
        dir = Files.createTempDirectory("mete-append-bench");
        queue = new JournalDirectory(dir).openCommands(durability);
        journal = new ChronicleCommandJournal(queue, durability, false);
        orders = new OrderGenerator(Workload.reference(SourcingStrategy.COST), 1 << 12, "J-");
    }

    @Benchmark
    public long appendBatch()
    {
        for (int i = 0; i < batch; i++)
        {
            orders.next();
            journal.append(sequence++, 1_795_000_000_000L, 1, orders.buffer(), orders.offset(), orders.length());
        }
        journal.endOfBatch();
        return sequence;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        journal.close();
        queue.close();
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
