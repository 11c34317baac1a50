package io.mete.engine.runtime;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineTotals;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The engine's running totals as another thread may read them: the business-logic thread copies
 * them here at the end of every batch, and monitoring (the server's metrics and stats lines) reads
 * a consistent copy from any thread without going through the ring.
 * <p>
 * The engine's own counters belong to its thread alone; reading them from elsewhere could see an
 * order counted and its lines not yet. This is a sequence lock: the writer makes the version odd,
 * copies, and makes it even again; a reader copies between two reads of an equal, even version
 * and tries again otherwise. The writer never waits, and a copy costs a few nanoseconds per batch.
 */
public final class EngineGauges
{
    public static final int APPLIED_SEQUENCE = 0;
    public static final int ORDERS = 1;
    public static final int LINES = 2;
    public static final int UNITS_ORDERED = 3;
    public static final int UNITS_ALLOCATED_AT_PLACEMENT = 4;
    public static final int UNITS_RESERVED_EVER = 5;
    public static final int ORDERS_SPLIT = 6;
    public static final int SHIPMENTS = 7;
    public static final int TOTAL_COST = 8;
    public static final int UNITS_BACKORDERED = 9;
    public static final int UNITS_SHIPPED = 10;
    public static final int UNITS_CANCELLED = 11;
    public static final int COMMANDS_ACCEPTED = 12;
    public static final int COMMANDS_REJECTED = 13;
    public static final int ORDERS_IN_MEMORY = 14;
    public static final int FIELDS = 15;

    private static final VarHandle VERSION;
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    static
    {
        try
        {
            VERSION = MethodHandles.lookup().findVarHandle(EngineGauges.class, "version", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] values = new long[FIELDS];
    @SuppressWarnings("unused") // through VERSION
    private volatile long version;

    /** Copies the engine's totals; only the thread that owns the engine calls this. */
    void publish(final AllocationEngine engine, final long appliedSequence)
    {
        final EngineTotals totals = engine.totals();
        final long start = (long)VERSION.getOpaque(this) + 1;
        VERSION.setOpaque(this, start);
        VarHandle.storeStoreFence();
        set(APPLIED_SEQUENCE, appliedSequence);
        set(ORDERS, totals.orders);
        set(LINES, totals.lines);
        set(UNITS_ORDERED, totals.unitsOrdered);
        set(UNITS_ALLOCATED_AT_PLACEMENT, totals.unitsAllocatedAtPlacement);
        set(UNITS_RESERVED_EVER, totals.unitsReservedEver);
        set(ORDERS_SPLIT, totals.ordersSplit);
        set(SHIPMENTS, totals.shipments);
        set(TOTAL_COST, totals.totalCost);
        set(UNITS_BACKORDERED, totals.unitsBackordered);
        set(UNITS_SHIPPED, totals.unitsShipped);
        set(UNITS_CANCELLED, totals.unitsCancelled);
        set(COMMANDS_ACCEPTED, totals.commandsAccepted);
        set(COMMANDS_REJECTED, totals.commandsRejected);
        set(ORDERS_IN_MEMORY, engine.orderIds().liveCount());
        VERSION.setRelease(this, start + 1);
    }

    /**
     * Copies every field into {@code into} (at least {@link #FIELDS} long) as of the end of one
     * batch; indexes are the constants of this class.
     */
    public void read(final long[] into)
    {
        while (true)
        {
            final long before = (long)VERSION.getAcquire(this);
            if ((before & 1) == 0)
            {
                for (int i = 0; i < FIELDS; i++)
                {
                    into[i] = (long)VALUES.getOpaque(values, i);
                }
                VarHandle.loadLoadFence();
                if ((long)VERSION.getOpaque(this) == before)
                {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }

    private void set(final int field, final long value)
    {
        VALUES.setOpaque(values, field, value);
    }
}
