package io.mete.engine.workload;

import io.mete.schema.SourcingStrategy;

/**
 * The reference workload (shared WORKLOAD.md) and its variants, as parameters. Every benchmark,
 * the demo and the load generator build their network and orders from one of these, so their
 * figures compare.
 */
public record Workload(
    String name,
    int nodes,
    int skus,
    int nodesPerSku,
    int onHand,
    int linesPerOrder,
    double hotLineShare,
    int hotSkus,
    int hotOnHand,
    SourcingStrategy strategy,
    long seed)
{
    public static final long SEED = 20261122L;

    /** 100 nodes, 10,000 SKUs at 20 nodes each with 1,000,000 on hand, 3-line orders of 1 unit. */
    public static Workload reference(final SourcingStrategy strategy)
    {
        return new Workload("reference", 100, 10_000, 20, 1_000_000, 3, 0.0, 0, 0, strategy, SEED);
    }

    /** 1,000 nodes and 100,000 SKUs. */
    public static Workload scale(final SourcingStrategy strategy)
    {
        return new Workload("scale", 1_000, 100_000, 20, 1_000_000, 3, 0.0, 0, 0, strategy, SEED);
    }

    /** 10-line orders. */
    public static Workload wide(final SourcingStrategy strategy)
    {
        return new Workload("wide", 100, 10_000, 20, 1_000_000, 10, 0.0, 0, 0, strategy, SEED);
    }

    /** 10% of lines hit 10 SKUs that have little stock: contention and backorders. */
    public static Workload hotSku(final SourcingStrategy strategy)
    {
        return new Workload("hot-sku", 100, 10_000, 20, 1_000_000, 3, 0.10, 10, 50, strategy, SEED);
    }

    public static Workload named(final String name, final SourcingStrategy strategy)
    {
        switch (name)
        {
            case "reference": return reference(strategy);
            case "scale": return scale(strategy);
            case "wide": return wide(strategy);
            case "hot-sku": return hotSku(strategy);
            default: throw new IllegalArgumentException("unknown workload: " + name + " (reference, scale, wide, hot-sku)");
        }
    }

    public Workload withNodes(final int nodes)
    {
        return new Workload(name, nodes, skus, Math.min(nodesPerSku, nodes), onHand, linesPerOrder, hotLineShare, hotSkus, hotOnHand,
            strategy, seed);
    }

    public Workload withSkus(final int skus)
    {
        return new Workload(name, nodes, skus, nodesPerSku, onHand, linesPerOrder, hotLineShare, hotSkus, hotOnHand, strategy, seed);
    }

    public Workload withLinesPerOrder(final int lines)
    {
        return new Workload(name, nodes, skus, nodesPerSku, onHand, lines, hotLineShare, hotSkus, hotOnHand, strategy, seed);
    }

    public String nodeCode(final int node)
    {
        return nodes <= 100 ? String.format("N%03d", node) : String.format("N%04d", node);
    }

    public static String skuCode(final int sku)
    {
        return String.format("SKU%05d", sku);
    }

    /** The k-th node stocking SKU {@code s}: {@code (s*7 + k*13) mod nodes}. */
    public int stockingNode(final int sku, final int k)
    {
        return (int)(((long)sku * 7 + (long)k * 13) % nodes);
    }

    public boolean isHot(final int sku)
    {
        return sku < hotSkus;
    }
}
