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

import java.io.File;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The journal the replay and restart benchmarks read: the reference network and {@code orderCount}
 * reference orders, with one snapshot {@link #TAIL} commands before the end.
 */
final class ReplayJournal
{
    static final int TAIL = 100_000;
    static final Workload WORKLOAD = Workload.reference(SourcingStrategy.COST);
    static final EngineConfig CONFIG = EngineConfig.defaults().expectedNodes(WORKLOAD.nodes()).expectedSkus(WORKLOAD.skus())
        .expectedOrders(1 << 22).expectedLinesPerOrder(WORKLOAD.linesPerOrder());

    final Path dir;
    final long commands;

    private ReplayJournal(final Path dir, final long commands)
    {
        this.dir = dir;
        this.commands = commands;
    }

    /**
     * Writes the journal in a child JVM with this JVM's options, so that the memory the writing
     * engine touched is not this process's to reuse: a recovery measured here then takes fresh
     * pages from the kernel, as a server restarting does.
     */
    static ReplayJournal writeInChildProcess(final int orderCount) throws IOException, InterruptedException
    {
        final Path dir = Files.createTempDirectory("mete-replay-bench");
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
            System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ReplayJournal.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(orderCount));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (child.waitFor() != 0)
        {
            throw new IllegalStateException("journal writer failed: " + output);
        }
        final String[] lines = output.split("\\R");
        return new ReplayJournal(dir, Long.parseLong(lines[lines.length - 1].trim()));
    }

    /** Child process: writes the journal into args[0] with args[1] orders and prints the command count last. */
    public static void main(final String[] args) throws IOException
    {
        System.out.println(writeTo(Path.of(args[0]), Integer.parseInt(args[1])));
    }

    private static long writeTo(final Path dir, final int orderCount) throws IOException
    {
        final int setup;
        try (JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults().engineConfig(CONFIG)
            .pipelineConfig(PipelineConfig.defaults().tickIdleMillis(0)), System.err::println))
        {
            engine.start();
            setup = ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) -> engine.submit(0, buffer, offset, length));
            final OrderGenerator orders = new OrderGenerator(WORKLOAD, 1 << 16, "R-");
            for (int i = 0; i < orderCount; i++)
            {
                orders.next();
                engine.submit(1, orders.buffer(), orders.offset(), orders.length());
                if (i == orderCount - TAIL)
                {
                    engine.requestSnapshot();
                }
            }
        }
        // keep only the snapshot TAIL commands before the end (close wrote one at the end too)
        final var store = new JournalDirectory(dir).snapshotStore();
        final var snapshots = store.list(); // oldest first
        store.delete(snapshots.get(snapshots.size() - 1));
        return setup + (long)orderCount;
    }

    /**
     * Replays every command from an empty state; returns the last sequence. The state hash is left
     * out of the measurement: a server starting up does not compute one (for a 9.8-million-order
     * state it took about as long as loading the snapshot).
     */
    long replayFromScratch()
    {
        final JournalDirectory files = new JournalDirectory(dir);
        try (SingleChronicleQueue queue = files.openCommandsReadOnly())
        {
            final Recovery.Result result = Recovery.recover(queue, null, null, null, CONFIG, Recovery.NO_LISTENER, System.err::println);
            if (result.lastSequence() != commands - 1)
            {
                throw new IllegalStateException("replayed to " + result.lastSequence() + " of " + (commands - 1));
            }
            return result.lastSequence();
        }
    }

    /** Start-up as the server does it: newest snapshot, then the journal after it; returns the last sequence. */
    long restartFromSnapshot()
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
            return result.lastSequence();
        }
    }

    /**
     * Lets the collector free the engines of earlier iterations: their order books are direct
     * memory, which goes back only when the collector finds the buffers unreachable, so without it
     * each iteration would take fresh memory until the direct-memory limit forces collections in the
     * middle of a measurement.
     */
    static void releaseEngines() throws InterruptedException
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        do
        {
            System.gc();
            Thread.sleep(100);
        }
        while (directMemoryUsed() > 64L << 20 && System.nanoTime() < deadline);
    }

    static long directMemoryUsed()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if (pool.getName().equals("direct"))
            {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    void delete() throws IOException
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
