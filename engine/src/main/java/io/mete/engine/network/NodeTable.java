package io.mete.engine.network;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fulfillment nodes as parallel arrays indexed by node id (the interned node code).
 * Coordinates are signed microdegrees, as the commands carry them; the sourcing planner keeps its
 * own per-node copy in radians, next to the handling figures, for the distance computation.
 */
public final class NodeTable
{
    public static final int TYPE_DC = 0;
    public static final int TYPE_STORE = 1;
    public static final int TYPE_THIRD_PARTY = 2;
    public static final int TYPE_DROPSHIP = 3;

    /** Every channel bit set: a node that names no channels serves all of them. */
    public static final int ALL_CHANNELS = -1;

    private int count;
    private byte[] type;
    private boolean[] enabled;
    private boolean[] online;
    private int[] latitudeMicros;
    private int[] longitudeMicros;
    private int[] dailyCapacity;
    /** Shipments that leave today: planned today before the node's cutoff, or yesterday after it. */
    private int[] shipmentsToday;
    /** Shipments planned today past the node's cutoff: they leave tomorrow and count against tomorrow's capacity. */
    private int[] shipmentsNextDay;
    private int[] handlingCost;
    private byte[] handlingDays;
    private int[] channelMask;
    /** Minutes after midnight UTC from which a shipment planned today leaves tomorrow; 0 = none. */
    private short[] cutoffMinute;

    public NodeTable(final int expectedNodes)
    {
        allocate(Math.max(16, expectedNodes));
    }

    private void allocate(final int capacity)
    {
        type = new byte[capacity];
        enabled = new boolean[capacity];
        online = new boolean[capacity];
        latitudeMicros = new int[capacity];
        longitudeMicros = new int[capacity];
        dailyCapacity = new int[capacity];
        shipmentsToday = new int[capacity];
        shipmentsNextDay = new int[capacity];
        handlingCost = new int[capacity];
        handlingDays = new byte[capacity];
        channelMask = new int[capacity];
        cutoffMinute = new short[capacity];
    }

    public int count()
    {
        return count;
    }

    public boolean exists(final int node)
    {
        return node >= 0 && node < count;
    }

    /** Defines node {@code node} (a new id must be {@link #count()}) or updates it in place. */
    public void define(
        final int node,
        final int nodeType,
        final boolean enabled,
        final int latitudeMicros,
        final int longitudeMicros,
        final int dailyCapacity,
        final int handlingCost,
        final int handlingDays,
        final int channelMask)
    {
        if (node == count)
        {
            if (node == type.length)
            {
                grow(node * 2);
            }
            online[node] = true;
            cutoffMinute[node] = 0;
            shipmentsToday[node] = 0;
            shipmentsNextDay[node] = 0;
            count++;
        }
        type[node] = (byte)nodeType;
        this.enabled[node] = enabled;
        this.latitudeMicros[node] = latitudeMicros;
        this.longitudeMicros[node] = longitudeMicros;
        this.dailyCapacity[node] = dailyCapacity;
        this.handlingCost[node] = handlingCost;
        this.handlingDays[node] = (byte)handlingDays;
        this.channelMask[node] = channelMask;
    }

    /** The node's daily cutoff, minutes after midnight UTC (0 = none): see SetNodeCutoff. */
    public int cutoffMinute(final int node)
    {
        return cutoffMinute[node];
    }

    public void cutoffMinute(final int node, final int minute)
    {
        cutoffMinute[node] = (short)minute;
    }

    /** Writes every node's cutoff (snapshots; a section of its own, added with snapshot format 3). */
    public void writeCutoffsTo(final DataOutput out) throws IOException
    {
        out.writeInt(count);
        for (int node = 0; node < count; node++)
        {
            out.writeShort(cutoffMinute[node]);
        }
    }

    /** Reads what {@link #writeCutoffsTo} wrote, after {@link #readFrom} restored the same nodes. */
    public void readCutoffsFrom(final DataInput in) throws IOException
    {
        expectNodeCount(in, "cutoffs");
        for (int node = 0; node < count; node++)
        {
            final int minute = in.readShort();
            if (minute < 0 || minute >= 1440)
            {
                throw new IOException("snapshot: node " + node + " has cutoff minute " + minute);
            }
            cutoffMinute[node] = (short)minute;
        }
    }

    public void online(final int node, final boolean online)
    {
        this.online[node] = online;
    }

    public boolean isOnline(final int node)
    {
        return online[node];
    }

    public boolean isEnabled(final int node)
    {
        return enabled[node];
    }

    public int type(final int node)
    {
        return type[node];
    }

    public int latitudeMicros(final int node)
    {
        return latitudeMicros[node];
    }

    public int longitudeMicros(final int node)
    {
        return longitudeMicros[node];
    }

    public int dailyCapacity(final int node)
    {
        return dailyCapacity[node];
    }

    public int shipmentsToday(final int node)
    {
        return shipmentsToday[node];
    }

    /** Shipments planned today past the node's cutoff, which leave it tomorrow. */
    public int shipmentsNextDay(final int node)
    {
        return shipmentsNextDay[node];
    }

    public int handlingCost(final int node)
    {
        return handlingCost[node];
    }

    public int handlingDays(final int node)
    {
        return handlingDays[node];
    }

    public int channelMask(final int node)
    {
        return channelMask[node];
    }

    public boolean serves(final int node, final int channel)
    {
        return (channelMask[node] & (1 << channel)) != 0;
    }

    /**
     * True when the node may take one more shipment leaving it today, or with {@code nextDay} (planned
     * past its cutoff) one more leaving tomorrow: daily capacity counts shipments per day they leave.
     */
    public boolean hasCapacity(final int node, final boolean nextDay)
    {
        final int capacity = dailyCapacity[node];
        return capacity == 0 || (nextDay ? shipmentsNextDay[node] : shipmentsToday[node]) < capacity;
    }

    /** Counts a new shipment against the day it leaves: today, or with {@code nextDay} tomorrow. */
    public void countShipment(final int node, final boolean nextDay)
    {
        if (nextDay)
        {
            shipmentsNextDay[node]++;
        }
        else
        {
            shipmentsToday[node]++;
        }
    }

    /**
     * The clock moved {@code days} (at least 1) days on: what was planned for the day after the old
     * day leaves today, if today is that day.
     */
    public void startDay(final int days)
    {
        for (int node = 0; node < count; node++)
        {
            shipmentsToday[node] = days == 1 ? shipmentsNextDay[node] : 0;
            shipmentsNextDay[node] = 0;
        }
    }

    /** Writes every node's shipments leaving tomorrow (snapshots; a section of its own, added with snapshot format 5). */
    public void writeNextDayShipmentsTo(final DataOutput out) throws IOException
    {
        out.writeInt(count);
        for (int node = 0; node < count; node++)
        {
            out.writeInt(shipmentsNextDay[node]);
        }
    }

    /** Reads what {@link #writeNextDayShipmentsTo} wrote, after {@link #readFrom} restored the same nodes. */
    public void readNextDayShipmentsFrom(final DataInput in) throws IOException
    {
        expectNodeCount(in, "next-day shipments");
        for (int node = 0; node < count; node++)
        {
            final int shipments = in.readInt();
            if (shipments < 0)
            {
                throw new IOException("snapshot: node " + node + " has " + shipments + " shipments for tomorrow");
            }
            shipmentsNextDay[node] = shipments;
        }
    }

    /** Reads the node count a per-node snapshot section starts with: the nodes {@link #readFrom} restored. */
    private void expectNodeCount(final DataInput in, final String section) throws IOException
    {
        final int nodes = in.readInt();
        if (nodes != count)
        {
            throw new IOException("snapshot: " + section + " for " + nodes + " nodes, but " + count + " nodes");
        }
    }

    public static final double EARTH_RADIUS_KM = 6371.0;

    /** Writes every node (snapshots), including what commands change later: online and today's shipments. */
    public void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(count);
        for (int node = 0; node < count; node++)
        {
            out.writeByte(type[node]);
            out.writeBoolean(enabled[node]);
            out.writeBoolean(online[node]);
            out.writeInt(latitudeMicros[node]);
            out.writeInt(longitudeMicros[node]);
            out.writeInt(dailyCapacity[node]);
            out.writeInt(shipmentsToday[node]);
            out.writeInt(handlingCost[node]);
            out.writeByte(handlingDays[node]);
            out.writeInt(channelMask[node]);
        }
    }

    /** Replaces every node with those {@link #writeTo} wrote. */
    public void readFrom(final DataInput in) throws IOException
    {
        final int nodes = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "node");
        clear();
        for (int node = 0; node < nodes; node++)
        {
            final int nodeType = in.readByte();
            final boolean isEnabled = in.readBoolean();
            final boolean isOnline = in.readBoolean();
            final int latitude = in.readInt();
            final int longitude = in.readInt();
            final int capacity = in.readInt();
            final int shipments = in.readInt();
            final int cost = in.readInt();
            final int days = in.readByte();
            final int mask = in.readInt();
            define(node, nodeType, isEnabled, latitude, longitude, capacity, cost, days, mask);
            online[node] = isOnline;
            shipmentsToday[node] = shipments;
        }
    }

    public void clear()
    {
        count = 0;
    }

    private void grow(final int capacity)
    {
        type = Arrays.copyOf(type, capacity);
        enabled = Arrays.copyOf(enabled, capacity);
        online = Arrays.copyOf(online, capacity);
        latitudeMicros = Arrays.copyOf(latitudeMicros, capacity);
        longitudeMicros = Arrays.copyOf(longitudeMicros, capacity);
        dailyCapacity = Arrays.copyOf(dailyCapacity, capacity);
        shipmentsToday = Arrays.copyOf(shipmentsToday, capacity);
        shipmentsNextDay = Arrays.copyOf(shipmentsNextDay, capacity);
        handlingCost = Arrays.copyOf(handlingCost, capacity);
        handlingDays = Arrays.copyOf(handlingDays, capacity);
        channelMask = Arrays.copyOf(channelMask, capacity);
        cutoffMinute = Arrays.copyOf(cutoffMinute, capacity);
    }
}
