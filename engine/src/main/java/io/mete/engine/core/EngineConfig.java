package io.mete.engine.core;

/**
 * Sizes the engine's arrays up front so steady-state work never grows them, plus the few switches
 * that change what is published, never what is decided. Business configuration (nodes, rate card,
 * policies, caps) arrives as commands, so it is journaled and replayed like everything else.
 */
public final class EngineConfig
{
    private int expectedNodes = 128;
    private int expectedSkus = 16_384;
    private int expectedOrders = 1 << 16;
    private int expectedLinesPerOrder = 3;
    private int expectedOrderIdLength = 24;
    private boolean publishAvailability = true;

    public static EngineConfig defaults()
    {
        return new EngineConfig();
    }

    public EngineConfig expectedNodes(final int nodes)
    {
        this.expectedNodes = nodes;
        return this;
    }

    public EngineConfig expectedSkus(final int skus)
    {
        this.expectedSkus = skus;
        return this;
    }

    public EngineConfig expectedOrders(final int orders)
    {
        this.expectedOrders = orders;
        return this;
    }

    /** Bytes per order id the id arena holds up front (1..64): the typical length of the OMS's order numbers. */
    public EngineConfig expectedOrderIdLength(final int bytes)
    {
        if (bytes < 1 || bytes > Limits.ORDER_ID_LENGTH)
        {
            throw new IllegalArgumentException("expectedOrderIdLength must be 1.." + Limits.ORDER_ID_LENGTH + ": " + bytes);
        }
        this.expectedOrderIdLength = bytes;
        return this;
    }

    public int expectedOrderIdLength()
    {
        return expectedOrderIdLength;
    }

    public EngineConfig expectedLinesPerOrder(final int lines)
    {
        this.expectedLinesPerOrder = lines;
        return this;
    }

    /** Whether every ATP change is published as an AvailabilityChanged event (default on). */
    public EngineConfig publishAvailability(final boolean publish)
    {
        this.publishAvailability = publish;
        return this;
    }

    public int expectedNodes()
    {
        return expectedNodes;
    }

    public int expectedSkus()
    {
        return expectedSkus;
    }

    public int expectedOrders()
    {
        return expectedOrders;
    }

    public int expectedLinesPerOrder()
    {
        return expectedLinesPerOrder;
    }

    public boolean publishAvailability()
    {
        return publishAvailability;
    }
}
