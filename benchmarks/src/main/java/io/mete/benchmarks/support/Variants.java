package io.mete.benchmarks.support;

import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;

/**
 * The workload variants the benchmarks take as one {@code variant} parameter, each changing one
 * thing from the reference workload (shared WORKLOAD.md), so a run covers every variant without the
 * full cross product of nodes × lines × workload.
 */
public final class Variants
{
    /** Values for {@code -p variant=...}. */
    public static final String REFERENCE = "reference";

    private Variants()
    {
    }

    /**
     * {@code reference}: 100 nodes, 10,000 SKUs at 20 nodes, 3-line orders;
     * {@code nodes-N}: the reference with N nodes (SKUs at min(20, N) nodes);
     * {@code lines-N}: the reference with N-line orders;
     * {@code skus-N}: the reference with N SKUs (with few, every SKU's records stay in the cache:
     * the difference to the reference is what fetching them costs);
     * {@code hot-sku}: 10% of lines hit 10 SKUs with 50 units per position (contention, backorders);
     * {@code scale}: 1,000 nodes and 100,000 SKUs.
     */
    public static Workload workload(final String variant, final SourcingStrategy strategy)
    {
        if (variant.startsWith("nodes-"))
        {
            return Workload.reference(strategy).withNodes(Integer.parseInt(variant.substring("nodes-".length())));
        }
        if (variant.startsWith("lines-"))
        {
            return Workload.reference(strategy).withLinesPerOrder(Integer.parseInt(variant.substring("lines-".length())));
        }
        if (variant.startsWith("skus-"))
        {
            return Workload.reference(strategy).withSkus(Integer.parseInt(variant.substring("skus-".length())));
        }
        return Workload.named(variant, strategy);
    }
}
