package io.mete.engine.core;


import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
/** Running counters behind the Totals query and the demo summary; part of the state hash. */
public final class EngineTotals
{
    public long orders;
    public long lines;
    public long unitsOrdered;
    public long unitsAllocatedAtPlacement;
    public long unitsReservedEver;
    public long ordersSplit;
    public long shipments;
    public long totalCost;
    public long unitsBackordered;
    public long unitsShipped;
    public long unitsCancelled;
    public long commandsAccepted;
    public long commandsRejected;

    /** Share of ordered units reserved when the order was placed. */
    public double fillRate()
    {
        return unitsOrdered == 0 ? 0.0 : (double)unitsAllocatedAtPlacement / unitsOrdered;
    }

    /** Share of orders placed into more than one shipment. */
    public double splitRate()
    {
        return orders == 0 ? 0.0 : (double)ordersSplit / orders;
    }

    /** Average cost per order in cents: every shipment's rate plus handling over orders placed. */
    public double averageCostPerOrder()
    {
        return orders == 0 ? 0.0 : (double)totalCost / orders;
    }

    /** Writes every counter (snapshots). */
    public void writeTo(final DataOutput out) throws IOException
    {
        for (final long value : new long[] {
            orders, lines, unitsOrdered, unitsAllocatedAtPlacement, unitsReservedEver, ordersSplit, shipments, totalCost,
            unitsBackordered, unitsShipped, unitsCancelled, commandsAccepted, commandsRejected})
        {
            out.writeLong(value);
        }
    }

    /** Replaces every counter with those {@link #writeTo} wrote. */
    public void readFrom(final DataInput in) throws IOException
    {
        orders = in.readLong();
        lines = in.readLong();
        unitsOrdered = in.readLong();
        unitsAllocatedAtPlacement = in.readLong();
        unitsReservedEver = in.readLong();
        ordersSplit = in.readLong();
        shipments = in.readLong();
        totalCost = in.readLong();
        unitsBackordered = in.readLong();
        unitsShipped = in.readLong();
        unitsCancelled = in.readLong();
        commandsAccepted = in.readLong();
        commandsRejected = in.readLong();
    }

    void clear()
    {
        orders = lines = unitsOrdered = unitsAllocatedAtPlacement = unitsReservedEver = 0;
        ordersSplit = shipments = totalCost = unitsBackordered = unitsShipped = unitsCancelled = 0;
        commandsAccepted = commandsRejected = 0;
    }
}
