package io.mete.journal.snapshot;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.snapshot.EngineSnapshot;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures snapshot write and load on the reference network with many orders placed (a benchmark,
 * not a test): {@code java -Xmx3g -cp ... io.mete.journal.snapshot.SnapshotSpeed [orders] [directory]}.
 */
public final class SnapshotSpeed
{
    private SnapshotSpeed()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int orders = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final Path directory = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("mete-snapshot-speed");
        final Workload workload = Workload.reference(SourcingStrategy.COST);
        final EngineConfig config = EngineConfig.defaults().expectedNodes(workload.nodes()).expectedSkus(workload.skus())
            .expectedOrders(orders + 16).expectedLinesPerOrder(workload.linesPerOrder());
        final AllocationEngine engine = new AllocationEngine(config, EventSink.NONE);
        final long epoch = 1_795_000_000_000L;
        final long[] sequence = {0};
        ReferenceNetwork.build(workload, (buffer, offset, length) -> engine.apply(sequence[0]++, epoch, buffer, offset, length));
        final OrderGenerator generator = new OrderGenerator(workload, 1 << 16, "SPEED-");
        final long placeStart = System.nanoTime();
        for (int i = 0; i < orders; i++)
        {
            generator.next();
            engine.apply(sequence[0]++, epoch + i / 1000, generator.buffer(), generator.offset(), generator.length());
        }
        System.out.printf("state: %,d orders, %,d lines, %,d allocations, %,d positions (placed in %.1f s)%n",
            engine.book().orderCount(), engine.book().lineTotal(), engine.book().allocationTotal(), engine.positions().positions(),
            (System.nanoTime() - placeStart) / 1e9);
        final long hash = engine.stateHash();

        for (int round = 0; round < 3; round++)
        {
            final Counting counting = new Counting();
            long start = System.nanoTime();
            EngineSnapshot.write(engine, new DataOutputStream(counting));
            final double encodeSeconds = (System.nanoTime() - start) / 1e9;

            final SnapshotStore store = new SnapshotStore(directory);
            start = System.nanoTime();
            final Path file = store.write(engine);
            final double writeSeconds = (System.nanoTime() - start) / 1e9;
            final long size = Files.size(file);

            start = System.nanoTime();
            final LoadedSnapshot loaded = store.loadNewestValid(config, EventSink.NONE, System.out::println).orElseThrow();
            final double loadSeconds = (System.nanoTime() - start) / 1e9;
            if (loaded.engine().stateHash() != hash)
            {
                throw new IllegalStateException("hash differs after load");
            }
            System.out.printf(
                "round %d: %,d bytes (%.1f MB, %.0f B/order); encode only %.2f s; write+fsync %.2f s (%.0f MB/s); load+verify %.2f s (%.0f MB/s)%n",
                round, size, size / 1e6, (double)size / orders, encodeSeconds, writeSeconds, size / 1e6 / writeSeconds, loadSeconds,
                size / 1e6 / loadSeconds);
            Files.delete(file);
        }
    }

    private static final class Counting extends OutputStream
    {
        long bytes;

        @Override
        public void write(final int b)
        {
            bytes++;
        }

        @Override
        public void write(final byte[] b, final int off, final int len)
        {
            bytes += len;
        }
    }
}
