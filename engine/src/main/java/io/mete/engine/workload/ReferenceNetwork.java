package io.mete.engine.workload;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.core.Limits;
import io.mete.schema.NodeType;
import io.mete.schema.ShortfallAction;
import io.mete.schema.ServiceLevel;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * Builds a workload's network as commands: nodes at seeded locations over a continental-US-sized
 * box, one rate card with distance zones, the {@code web} channel policy, and the stock.
 */
public final class ReferenceNetwork
{
    /** Area orders ship to and nodes sit in: latitude 25..49 N, longitude 124..67 W. */
    public static final double MIN_LATITUDE = 25.0;
    public static final double MAX_LATITUDE = 49.0;
    public static final double MIN_LONGITUDE = -124.0;
    public static final double MAX_LONGITUDE = -67.0;

    /** Zone limits in km: zone i holds distances up to BANDS_KM[i]. */
    public static final int[] BANDS_KM = {150, 300, 600, 1000, 1400, 1800, 2400, 5000};

    public static final String CHANNEL = "web";

    /** Receives each command; the buffer is reused after the call. */
    @FunctionalInterface
    public interface CommandSink
    {
        void accept(MutableDirectBuffer buffer, int offset, int length);
    }

    private ReferenceNetwork()
    {
    }

    /** Standard, expedited and next-day rates per zone: {service, zone, cost cents, transit days}. */
    public static int[][] rates()
    {
        final int zones = BANDS_KM.length;
        final int[][] rates = new int[zones * 3][];
        for (int zone = 0; zone < zones; zone++)
        {
            rates[zone] = new int[] {ServiceLevel.STANDARD.value(), zone, 550 + 90 * zone, 1 + zone / 2};
            rates[zones + zone] = new int[] {ServiceLevel.EXPEDITED.value(), zone, 900 + 160 * zone, 1 + zone / 4};
            rates[2 * zones + zone] = new int[] {ServiceLevel.NEXT_DAY.value(), zone, 1800 + 350 * zone, 1};
        }
        return rates;
    }

    public static double nodeLatitude(final Workload workload, final int node)
    {
        return location(workload, node)[0];
    }

    /** Node locations come from their own seeded stream, so they do not depend on anything else. */
    public static double[] location(final Workload workload, final int node)
    {
        final SplittableRandom random = new SplittableRandom(workload.seed() * 31 + node);
        return new double[] {
            MIN_LATITUDE + random.nextDouble() * (MAX_LATITUDE - MIN_LATITUDE),
            MIN_LONGITUDE + random.nextDouble() * (MAX_LONGITUDE - MIN_LONGITUDE)};
    }

    /** Emits every setup command in order; returns how many. */
    public static int build(final Workload workload, final CommandSink sink)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final CommandWriter writer = new CommandWriter();
        long correlation = 1;
        int commands = 0;

        sink.accept(buffer, 0, writer.setSourcingPolicy(buffer, 0, correlation++, CHANNEL, workload.strategy(), 500, Limits.MAX_SHIPMENTS, true, true,
            ShortfallAction.BACKORDER));
        commands++;
        sink.accept(buffer, 0, writer.setRateCard(buffer, 0, correlation++, BANDS_KM, rates()));
        commands++;
        for (int node = 0; node < workload.nodes(); node++)
        {
            final double[] at = location(workload, node);
            // every tenth node is a store: cheaper handling, more handling days
            final boolean store = node % 10 == 9;
            sink.accept(buffer, 0, writer.defineNode(buffer, 0, correlation++, workload.nodeCode(node),
                store ? NodeType.STORE : NodeType.DC, true, at[0], at[1], 0, store ? 150 : 250, store ? 1 : 0));
            commands++;
        }
        for (int sku = 0; sku < workload.skus(); sku++)
        {
            final String code = Workload.skuCode(sku);
            final int onHand = workload.isHot(sku) ? workload.hotOnHand() : workload.onHand();
            int previous = -1;
            for (int k = 0; k < workload.nodesPerSku(); k++)
            {
                final int node = workload.stockingNode(sku, k);
                if (node == previous)
                {
                    continue;
                }
                previous = node;
                sink.accept(buffer, 0, writer.setOnHand(buffer, 0, correlation++, workload.nodeCode(node), code, onHand));
                commands++;
            }
        }
        return commands;
    }
}
