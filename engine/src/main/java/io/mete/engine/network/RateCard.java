package io.mete.engine.network;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Carrier rate card: distance bands map a node-to-destination distance to a zone, and each
 * (service level, zone) has a cost and transit days. With no card set every distance is zone 0
 * at cost 0 and 0 transit days, so only handling cost and days count.
 */
public final class RateCard
{
    public static final int SERVICES = 3;
    public static final int MAX_ZONES = 32;
    /** Cost marker of a (service, zone) with no rate: nodes in that zone cannot ship that service. */
    public static final int NO_RATE = -1;

    private int bandCount;
    private final int[] bandKm = new int[MAX_ZONES];
    private final double[] bandKmSquared = new double[MAX_ZONES];
    private final int[] cost = new int[SERVICES * MAX_ZONES];
    private final int[] transitDays = new int[SERVICES * MAX_ZONES];
    private boolean set;

    /**
     * The zone of each of {@link #ZONE_SLICES} equal slices of [0, last band²], or
     * {@link #NEAR_BAND} for a slice within two slices of a band's edge. Sourcing asks for the zone
     * of every candidate node of every order; a slice's entry answers with one load instead of a
     * comparison per band, and a distance near an edge (where rounding could put it in the slice
     * next door) is counted against the bands as before, so both give the same zone.
     */
    private final byte[] zoneBySlice = new byte[ZONE_SLICES];
    private double slicesPerKmSquared;
    private static final int ZONE_SLICES = 8192;
    private static final byte NEAR_BAND = -2;

    public RateCard()
    {
        clear();
    }

    public void clear()
    {
        set = false;
        bandCount = 0;
        forgetSlices();
        Arrays.fill(cost, 0);
        Arrays.fill(transitDays, 0);
    }

    public void beginReplace()
    {
        set = true;
        bandCount = 0;
        forgetSlices();
        Arrays.fill(cost, NO_RATE);
        Arrays.fill(transitDays, 0);
    }

    public void addBand(final int maxDistanceKm)
    {
        bandKm[bandCount] = maxDistanceKm;
        bandKmSquared[bandCount] = (double)maxDistanceKm * maxDistanceKm;
        bandCount++;
        sliceZones();
    }

    /** Every distance counted against the bands until {@link #sliceZones} fills the table again. */
    private void forgetSlices()
    {
        slicesPerKmSquared = 0;
        Arrays.fill(zoneBySlice, NEAR_BAND);
    }

    /** Fills {@link #zoneBySlice} for the bands added so far (bands ascend: the command checks it). */
    private void sliceZones()
    {
        final double last = bandKmSquared[bandCount - 1];
        if (!(last > 0))
        {
            // a single band of 0 km: every distance is counted against the bands
            forgetSlices();
            return;
        }
        slicesPerKmSquared = ZONE_SLICES / last;
        // slice midpoints ascend, so the zone only moves up: one sweep, not the bands per slice
        int zone = 0;
        for (int slice = 0; slice < ZONE_SLICES; slice++)
        {
            final double mid = (slice + 0.5) / slicesPerKmSquared;
            while (zone < bandCount && mid > bandKmSquared[zone])
            {
                zone++;
            }
            zoneBySlice[slice] = (byte)(zone == bandCount ? -1 : zone);
        }
        for (int b = 0; b < bandCount; b++)
        {
            final int edge = (int)(bandKmSquared[b] * slicesPerKmSquared);
            for (int slice = Math.max(0, edge - 2); slice <= Math.min(ZONE_SLICES - 1, edge + 2); slice++)
            {
                zoneBySlice[slice] = NEAR_BAND;
            }
        }
    }

    public void rate(final int service, final int zone, final int cost, final int transitDays)
    {
        this.cost[service * MAX_ZONES + zone] = cost;
        this.transitDays[service * MAX_ZONES + zone] = transitDays;
    }

    /** Writes the card (snapshots): whether it is set, the bands, and every (service, zone) rate. */
    public void writeTo(final DataOutput out) throws IOException
    {
        out.writeBoolean(set);
        out.writeInt(bandCount);
        SnapshotIo.writeInts(out, bandKm, 0, bandCount);
        SnapshotIo.writeInts(out, cost, 0, cost.length);
        SnapshotIo.writeInts(out, transitDays, 0, transitDays.length);
    }

    /** Replaces the card with the one {@link #writeTo} wrote. */
    public void readFrom(final DataInput in) throws IOException
    {
        final boolean isSet = in.readBoolean();
        final int bands = SnapshotIo.readCount(in, MAX_ZONES, "rate band");
        final int[] km = new int[bands];
        SnapshotIo.readInts(in, km, 0, bands);
        clear();
        set = isSet;
        for (final int maxDistanceKm : km)
        {
            addBand(maxDistanceKm);
        }
        SnapshotIo.readInts(in, cost, 0, cost.length);
        SnapshotIo.readInts(in, transitDays, 0, transitDays.length);
    }

    public boolean isSet()
    {
        return set;
    }

    public int bandCount()
    {
        return bandCount;
    }

    public int bandKm(final int band)
    {
        return bandKm[band];
    }

    /** Zone for a squared distance, or -1 when it lies beyond the last band: its slice's zone, or near an edge the bands' answer. */
    public int zone(final double distanceSquaredKm)
    {
        if (!set)
        {
            return 0;
        }
        final int slice = (int)(distanceSquaredKm * slicesPerKmSquared);
        if (slice < ZONE_SLICES)
        {
            final int zone = zoneBySlice[slice];
            if (zone != NEAR_BAND)
            {
                return zone;
            }
        }
        return zoneByBands(distanceSquaredKm);
    }

    /**
     * Counts the bands the distance exceeds instead of stopping at the first that fits: random
     * destinations make an early exit a branch the CPU mispredicts on most calls.
     */
    private int zoneByBands(final double distanceSquaredKm)
    {
        final double[] bands = bandKmSquared;
        final int n = bandCount;
        int zone = 0;
        for (int i = 0; i < n; i++)
        {
            zone += distanceSquaredKm > bands[i] ? 1 : 0;
        }
        return zone == n ? -1 : zone;
    }

    public int cost(final int service, final int zone)
    {
        return cost[service * MAX_ZONES + zone];
    }

    public int transitDays(final int service, final int zone)
    {
        return transitDays[service * MAX_ZONES + zone];
    }
}
