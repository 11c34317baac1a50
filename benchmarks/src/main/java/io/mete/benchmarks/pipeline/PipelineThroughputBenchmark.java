package io.mete.benchmarks.pipeline;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.runtime.EngineHost;
import io.mete.engine.runtime.EnginePipeline;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.engine.runtime.WaitMode;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.journal.Durability;
import io.mete.journal.JournalOptions;
import io.mete.journal.JournaledEngine;
import io.mete.schema.CommandRejectedDecoder;
import io.mete.schema.SourcingStrategy;
import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Reference orders through the whole in-process pipeline (input ring, journal, business logic,
 * output ring, event journal, one listener), per durability: {@code none} (no journal at all),
 * {@code pagecache} and {@code sync}, with the journal on the engine thread or on one of its own. One operation is one order allocated and its result seen by
 * the listener. Checked at the end: no order rejected, every order placed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true",
    "-Ddisable.perf.info=true"})
public class PipelineThroughputBenchmark
{
    static final int BATCH = 50_000;
    static final Workload WORKLOAD = Workload.reference(SourcingStrategy.COST);

    @Param({"none", "pagecache", "sync"})
    String journal;

    @Param({"BLOCKING"})
    WaitMode waitMode;

    /** {@code engine}: stages 1 and 2 on one thread ({@code PipelineConfig.journalOnEngineThread}); {@code separate}: a journal thread. */
    @Param({"engine", "separate"})
    String journalThread;

    private Path dir;
    private EngineHost host;
    private EnginePipeline pipeline;
    private OrderGenerator orders;
    private final AtomicLong rejected = new AtomicLong();
    private long placed;
    private long target;

    @Setup(Level.Trial)
    public void start() throws IOException
    {
        final EngineConfig config = EngineConfig.defaults().expectedNodes(WORKLOAD.nodes()).expectedSkus(WORKLOAD.skus())
            .expectedOrders(1 << 24).expectedLinesPerOrder(WORKLOAD.linesPerOrder());
        final PipelineConfig pipelineConfig = PipelineConfig.defaults().waitMode(waitMode).tickIdleMillis(0)
            .journalOnEngineThread("engine".equals(journalThread));
        if ("none".equals(journal))
        {
            pipeline = EnginePipeline.builder(new AllocationEngine(config, EventSink.NONE)).config(pipelineConfig).build();
            host = pipeline;
        }
        else
        {
            dir = Files.createTempDirectory("mete-pipeline-bench");
            final JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults().engineConfig(config)
                .pipelineConfig(pipelineConfig).durability(Durability.parse(journal)).snapshots(false), System.err::println);
            pipeline = engine.pipeline();
            host = engine;
        }
        host.addListener((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) ->
        {
            if (buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) == CommandRejectedDecoder.TEMPLATE_ID)
            {
                rejected.incrementAndGet();
            }
        });
        pipeline.start();
        final int setup = ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) -> pipeline.submit(0, buffer, offset, length));
        orders = new OrderGenerator(WORKLOAD, 1 << 16, "B-");
        target = setup - 1;
        awaitApplied(pipeline, target);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long placeOrders()
    {
        final EnginePipeline pipeline = this.pipeline;
        final OrderGenerator orders = this.orders;
        for (int i = 0; i < BATCH; i++)
        {
            orders.next();
            pipeline.submit(1, orders.buffer(), orders.offset(), orders.length());
        }
        placed += BATCH;
        target += BATCH;
        return awaitApplied(pipeline, target);
    }

    /** Commands take sequences 0, 1, 2... in the order offered (one producer here): wait for the last one. */
    private static long awaitApplied(final EnginePipeline pipeline, final long target)
    {
        long applied;
        while ((applied = pipeline.lastAppliedSequence()) < target)
        {
            LockSupport.parkNanos(10_000);
        }
        return applied;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException
    {
        host.close();
        final AllocationEngine engine = pipeline.engine();
        if (rejected.get() != 0 || engine.totals().orders != placed)
        {
            throw new IllegalStateException("check failed: " + rejected.get() + " rejected, " + engine.totals().orders + " orders of " + placed);
        }
        if (dir != null)
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
}
