package io.mete.benchmarks.memory;

import io.mete.benchmarks.support.EngineFixture;
import io.mete.benchmarks.support.NetworkImage;
import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Memory held by stock positions: loads 1,000 nodes × 50,000 SKUs × 20 nodes per SKU = 1,000,000
 * positions into an engine through SetOnHand commands and reports
 * <ul>
 *   <li>{@code PositionTable.footprintBytes()}, the table's own account of its arrays;</li>
 *   <li>heap used after a full GC (MemoryMXBean), before and after the stock commands, so the
 *       difference is everything the positions cost the engine (blocks, SKU interning, per-SKU
 *       channel rows), and the whole engine's heap with its network and stock.</li>
 * </ul>
 * The engine is pre-sized for the nodes and SKUs and for only 16 orders, so the order book does
 * not count. Target: 1,000,000 positions in at most 32 MiB.
 * <p>
 * Usage: {@code PositionMemory [--json FILE] [--nodes N] [--skus N] [--per-sku N]}; run it with
 * the flags of jvm.options (perf-reports/run-core.sh does).
 */
public final class PositionMemory
{
    public static final long TARGET_BYTES = 32L << 20;

    private PositionMemory()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        int nodes = 1_000;
        int skus = 50_000;
        int perSku = 20;
        Path json = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--json": json = Path.of(args[++i]); break;
                case "--nodes": nodes = Integer.parseInt(args[++i]); break;
                case "--skus": skus = Integer.parseInt(args[++i]); break;
                case "--per-sku": perSku = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        final Workload workload = new Workload("memory", nodes, skus, perSku, 1_000_000, 3, 0.0, 0, 0, SourcingStrategy.COST, Workload.SEED);
        final NetworkImage image = NetworkImage.of(workload);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        final long empty = usedAfterGc(memory);
        final long emptyDirect = directAfterGc();
        final AllocationEngine engine = new AllocationEngine(
            EngineConfig.defaults().expectedNodes(nodes).expectedSkus(skus).expectedOrders(16).expectedLinesPerOrder(3), EventSink.NONE);
        long sequence = image.replay(engine, 0, EngineFixture.EPOCH, 0, image.networkCommands());
        final long network = usedAfterGc(memory);
        sequence = image.replay(engine, sequence, EngineFixture.EPOCH, image.networkCommands(), image.commands());
        final long stocked = usedAfterGc(memory);

        final PositionTable positions = engine.positions();
        final long count = positions.positions();
        final long footprint = positions.footprintBytes();
        final long stockHeap = stocked - network;
        final long engineHeap = stocked - empty;
        // the order book's columns live outside the heap (direct buffers)
        final long engineDirect = directAfterGc() - emptyDirect;
        final String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");

        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "positions: %,d (%,d nodes x %,d SKUs x %d nodes per SKU), %,d commands%n",
            count, nodes, skus, perSku, sequence));
        text.append(String.format(Locale.ROOT, "PositionTable.footprintBytes: %,d bytes = %.2f MiB, %.1f bytes/position%n",
            footprint, footprint / 1048576.0, (double)footprint / count));
        text.append(String.format(Locale.ROOT, "heap after GC for the stock: %,d bytes = %.2f MiB, %.1f bytes/position%n",
            stockHeap, stockHeap / 1048576.0, (double)stockHeap / count));
        text.append(String.format(Locale.ROOT, "heap after GC for the whole engine (network + stock): %,d bytes = %.2f MiB%n",
            engineHeap, engineHeap / 1048576.0));
        text.append(String.format(Locale.ROOT, "direct memory for the whole engine (the order book's pages, 16-order book): %,d bytes = %.2f MiB%n",
            engineDirect, engineDirect / 1048576.0));
        text.append(String.format(Locale.ROOT, "target: <= %d MiB for %,d positions: %s%n", TARGET_BYTES >> 20, count,
            Math.max(footprint, stockHeap) <= TARGET_BYTES * count / 1_000_000 ? "met" : "NOT met"));
        System.out.print(text);

        if (json != null)
        {
            final String body = String.format(Locale.ROOT,
                "{%n  \"nodes\": %d,%n  \"skus\": %d,%n  \"nodesPerSku\": %d,%n  \"positions\": %d,%n" +
                "  \"footprintBytes\": %d,%n  \"stockHeapBytes\": %d,%n  \"engineHeapBytes\": %d,%n  \"engineDirectBytes\": %d,%n  \"targetBytes\": %d,%n" +
                "  \"jvm\": \"%s\",%n  \"maxHeapBytes\": %d%n}%n",
                nodes, skus, perSku, count, footprint, stockHeap, engineHeap, engineDirect, TARGET_BYTES, jvm.replace("\"", "'"),
                Runtime.getRuntime().maxMemory());
            if (json.getParent() != null)
            {
                Files.createDirectories(json.getParent());
            }
            Files.writeString(json, body, StandardCharsets.UTF_8);
        }
        java.lang.ref.Reference.reachabilityFence(engine);
        java.lang.ref.Reference.reachabilityFence(image);
    }

    private static long directAfterGc()
    {
        System.gc();
        long used = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

    private static long usedAfterGc(final MemoryMXBean memory)
    {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
