package io.mete.benchmarks.pipeline;

import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Replay speed: a journal of the reference network and {@code orderCount} orders is written once, then
 * rebuilt offline from scratch (operations = commands replayed), in a JVM that has replayed it before
 * (warm code). The engines of earlier iterations are freed before each one. A restart of the server
 * (a fresh JVM) is {@link RestartBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx6g"})
public class ReplayBenchmark
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

    @Setup(Level.Iteration)
    public void releaseEngines() throws InterruptedException
    {
        ReplayJournal.releaseEngines();
    }

    /** Replays every command from an empty state. */
    @Benchmark
    public long replayFromScratch()
    {
        return journal.replayFromScratch();
    }

    /** Start-up as the server does it, in a warm JVM: newest snapshot, then the journal after it. */
    @Benchmark
    public long restartFromSnapshot()
    {
        return journal.restartFromSnapshot();
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException
    {
        journal.delete();
    }
}
