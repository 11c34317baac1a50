package io.mete.benchmarks.pipeline;

import io.mete.engine.core.EngineConfig;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.journal.JournalDirectory;
import io.mete.journal.JournalOptions;
import io.mete.journal.JournaledEngine;
import io.mete.journal.Recovery;
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
 * Replay speed: a journal of the reference network and {@link #ORDERS} orders is written once, then
 * rebuilt offline from scratch (operations = commands replayed). {@code restart} measures a whole
 * start-up instead: snapshot load plus replay of the journal after it, with the snapshot written
 * {@link #TAIL} commands before the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true",
    "-Ddisable.perf.info=true"})
public class ReplayBenchmark
{
    static final int ORDERS = 1_000_000;
    static final int TAIL = 100_000;
    static final Workload WORKLOAD = Workload.reference(SourcingStrategy.COST);
    static final EngineConfig CONFIG = EngineConfig.defaults().expectedNodes(WORKLOAD.nodes()).expectedSkus(WORKLOAD.skus())
        .expectedOrders(1 << 22).expectedLinesPerOrder(WORKLOAD.linesPerOrder());

    private Path dir;
    private long commands;

    @Setup(Level.Trial)
    public void writeJournal() throws IOException
    {
        dir = Files.createTempDirectory("mete-replay-bench");
        final int setup;
        try (JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults().engineConfig(CONFIG)
            .pipelineConfig(PipelineConfig.defaults().tickIdleMillis(0)), System.err::println))
        {
            engine.start();
            setup = ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) -> engine.submit(0, buffer, offset, length));
            final OrderGenerator orders = new OrderGenerator(WORKLOAD, 1 << 16, "R-");
            for (int i = 0; i < ORDERS; i++)
            {
                orders.next();
                engine.submit(1, orders.buffer(), orders.offset(), orders.length());
                if (i == ORDERS - TAIL)
                {
                    engine.requestSnapshot();
                }
            }
        }
        commands = setup + ORDERS;
        // keep only the snapshot TAIL commands before the end (close wrote one at the end too)
        final var store = new JournalDirectory(dir).snapshotStore();
        final var snapshots = store.list(); // oldest first
        store.delete(snapshots.get(snapshots.size() - 1));
    }

    /** Replays every command from an empty state. */
    @Benchmark
    public long replayFromScratch()
    {
        final JournalDirectory files = new JournalDirectory(dir);
        try (SingleChronicleQueue queue = files.openCommandsReadOnly())
        {
            final Recovery.Result result = Recovery.recover(queue, null, null, null, CONFIG, Recovery.NO_LISTENER, System.err::println);
            if (result.lastSequence() != commands - 1)
            {
                throw new IllegalStateException("replayed to " + result.lastSequence() + " of " + (commands - 1));
            }
            return result.engine().stateHash();
        }
    }

    /** Start-up as the server does it: newest snapshot, then the journal after it. */
    @Benchmark
    public long restartFromSnapshot()
    {
        final JournalDirectory files = new JournalDirectory(dir);
        try (SingleChronicleQueue queue = files.openCommandsReadOnly(); SingleChronicleQueue events = files.openEventsReadOnly())
        {
            final Recovery.Result result = Recovery.recover(queue, events, null, files.snapshotStore(), CONFIG, Recovery.NO_LISTENER,
                System.err::println);
            if (result.snapshotSequence() < 0 || result.lastSequence() != commands - 1)
            {
                throw new IllegalStateException("snapshot " + result.snapshotSequence() + ", replayed to " + result.lastSequence());
            }
            return result.engine().stateHash();
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException
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
