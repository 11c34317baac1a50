package io.mete.benchmarks.pipeline;

import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Restart time as an operator sees it: one recovery per fresh JVM (each fork has a child JVM write
 * the journal, then measures a single recovery with cold code and memory the process has never
 * touched), from
 * the newest snapshot ({@link ReplayJournal#TAIL} commands before the end) and from scratch. The
 * engine is sized for {@code expectedOrders} = 4,194,304 up front, so every restart first has the
 * kernel hand over about 1 GB of zeroed pages for the order book.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 3, jvmArgs = {"-Xmx6g"})
public class RestartBenchmark
{
    /** Orders after the reference network's 200,102 setup commands ({@code -p orderCount=9800000} for a 10 M-command journal). */
    @Param({"1000000"})
    int orderCount;

    private ReplayJournal journal;

    @Setup(Level.Trial)
    public void writeJournal() throws IOException, InterruptedException
    {
        journal = ReplayJournal.writeInChildProcess(orderCount);
    }

    @Benchmark
    public long fromSnapshot()
    {
        return journal.restartFromSnapshot();
    }

    @Benchmark
    public long fromScratch()
    {
        return journal.replayFromScratch();
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException
    {
        journal.delete();
    }
}
