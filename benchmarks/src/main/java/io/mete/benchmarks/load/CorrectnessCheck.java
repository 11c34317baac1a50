package io.mete.benchmarks.load;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.AvailabilityDecoder;
import io.mete.schema.OrderStatusDecoder;
import io.mete.schema.TotalsDecoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Checks the server's state against what the load generator saw acknowledged. Taken before and
 * after a run (both through a query session), so other state on the server does not matter:
 * <ul>
 * <li>orders placed (QueryTotals) grew by exactly the PlaceOrders acknowledged as accepted (no
 *     order lost, none doubled: a duplicate order id is refused by the engine, so the count and
 *     the sample below together say every acknowledged order is there once);</li>
 * <li>units ordered grew by lines × orders; with ample stock every unit was reserved at placement,
 *     and the units reserved over the checked SKUs grew by exactly units placed − cancelled − shipped
 *     (reference: 3 × orders);</li>
 * <li>mixed traffic: units cancelled grew by the lines of every accepted cancel, units shipped by the
 *     units of every accepted confirmation;</li>
 * <li>a sample of acknowledged orders (QueryOrder): each is there, with its lines, and every line's
 *     quantity = allocated + backordered + shipped + cancelled;</li>
 * <li>no position oversold: reserved ≤ on-hand and ATP ≥ 0 at every node of every checked SKU
 *     (QueryAvailability; all SKUs up to a limit, then an evenly spread sample).</li>
 * </ul>
 */
public final class CorrectnessCheck
{
    /** Server state at one point. */
    public static final class State
    {
        long orders;
        long unitsOrdered;
        long unitsAllocatedAtPlacement;
        long unitsShipped;
        long unitsCancelled;
        long reserved;
        long oversold;
        String firstOversold;
        boolean allSkus;
    }

    private final String host;
    private final int port;
    private final ClientRegistry.Client client;
    private final Workload workload;
    private final int skuLimit;
    private final CommandWriter writer = new CommandWriter();

    public CorrectnessCheck(final String host, final int port, final ClientRegistry.Client client, final Workload workload, final int skuLimit)
    {
        this.host = host;
        this.port = port;
        this.client = client;
        this.workload = workload;
        this.skuLimit = skuLimit;
    }

    private MeteClient connect() throws IOException
    {
        final MeteClient.Options options = new MeteClient.Options(host, port, client.id(), client.secret());
        options.autoFlush = false;
        options.requestTimeoutMs = 120_000;
        return MeteClient.connect(options);
    }

    /** SKUs checked: all when there are at most {@code skuLimit}, else an evenly spread sample (hot SKUs always). */
    int[] checkedSkus()
    {
        if (workload.skus() <= skuLimit)
        {
            final int[] all = new int[workload.skus()];
            for (int i = 0; i < all.length; i++)
            {
                all[i] = i;
            }
            return all;
        }
        final int[] sample = new int[skuLimit];
        final int step = workload.skus() / skuLimit;
        for (int i = 0; i < skuLimit; i++)
        {
            sample[i] = i * step;
        }
        return sample;
    }

    public State capture() throws IOException
    {
        try (MeteClient c = connect())
        {
            final State s = new State();
            final Reply totalsReply = c.await(flushed(c, c.send((b, o, id) -> writer.queryTotals(b, o, id))));
            final TotalsDecoder totals = totalsReply.wrap(new TotalsDecoder());
            s.orders = totals.orders();
            s.unitsOrdered = totals.unitsOrdered();
            s.unitsAllocatedAtPlacement = totals.unitsAllocatedAtPlacement();
            s.unitsShipped = totals.unitsShipped();
            s.unitsCancelled = totals.unitsCancelled();
            final int[] skus = checkedSkus();
            s.allSkus = skus.length == workload.skus();
            final List<CompletableFuture<Reply>> batch = new ArrayList<>();
            for (int i = 0; i < skus.length; i++)
            {
                final String sku = Workload.skuCode(skus[i]);
                batch.add(c.send((b, o, id) -> writer.queryAvailability(b, o, id, sku)));
                if (batch.size() == 512 || i == skus.length - 1)
                {
                    c.flush();
                    for (final CompletableFuture<Reply> f : batch)
                    {
                        availability(s, c.await(f));
                    }
                    batch.clear();
                }
            }
            return s;
        }
    }

    private static CompletableFuture<Reply> flushed(final MeteClient c, final CompletableFuture<Reply> f)
    {
        c.flush();
        return f;
    }

    private static void availability(final State s, final Reply reply)
    {
        if (reply.templateId() != AvailabilityDecoder.TEMPLATE_ID)
        {
            // an unknown SKU (network not loaded) holds nothing
            return;
        }
        final AvailabilityDecoder a = reply.wrap(new AvailabilityDecoder());
        s.reserved += a.totalReserved();
        final AvailabilityDecoder.NodesDecoder nodes = a.nodes();
        while (nodes.hasNext())
        {
            nodes.next();
            final int onHand = nodes.onHand();
            final int reserved = nodes.reserved();
            final int atp = nodes.atp();
            final String node = nodes.node();
            if (reserved > onHand || atp < 0 || reserved < 0)
            {
                s.oversold++;
                if (s.firstOversold == null)
                {
                    s.firstOversold = node + " on-hand " + onHand + " reserved " + reserved + " atp " + atp;
                }
            }
        }
    }

    /** Sample of acknowledged orders: every one is there once, with consistent lines. Returns problems found. */
    public List<String> checkOrders(final String[] orderIds, final int linesPerOrder) throws IOException
    {
        final List<String> problems = new ArrayList<>();
        try (MeteClient c = connect())
        {
            final List<CompletableFuture<Reply>> futures = new ArrayList<>();
            for (final String id : orderIds)
            {
                futures.add(c.send((b, o, corr) -> writer.queryOrder(b, o, corr, id)));
            }
            c.flush();
            for (int i = 0; i < orderIds.length; i++)
            {
                final Reply reply = c.await(futures.get(i));
                if (reply.templateId() != OrderStatusDecoder.TEMPLATE_ID)
                {
                    problems.add("order " + orderIds[i] + " acknowledged but not found: " + reply);
                    continue;
                }
                final OrderStatusDecoder status = reply.wrap(new OrderStatusDecoder());
                final OrderStatusDecoder.LinesDecoder lines = status.lines();
                if (lines.count() != linesPerOrder)
                {
                    problems.add("order " + orderIds[i] + " has " + lines.count() + " lines, placed with " + linesPerOrder);
                }
                while (lines.hasNext())
                {
                    lines.next();
                    final int sum = lines.allocated() + lines.backordered() + lines.shipped() + lines.cancelled();
                    if (sum != lines.quantity())
                    {
                        problems.add("order " + orderIds[i] + " line " + lines.lineNumber() + ": quantity " + lines.quantity() +
                            " but allocated+backordered+shipped+cancelled = " + sum);
                    }
                    lines.skipSku();
                }
                final OrderStatusDecoder.AllocationsDecoder allocations = status.allocations();
                while (allocations.hasNext())
                {
                    allocations.next().skipNode();
                }
                final String id = status.orderId();
                if (!id.equals(orderIds[i]))
                {
                    problems.add("asked for order " + orderIds[i] + ", got " + id);
                }
            }
        }
        return problems;
    }

    /** Compares the change between two states with what the run saw acknowledged. */
    public static List<String> compare(final State before, final State after, final LoadResult run, final Workload workload, final boolean ampleStock)
    {
        final List<String> problems = new ArrayList<>();
        final long lines = workload.linesPerOrder();
        final long orders = after.orders - before.orders;
        final long placed = run.acceptedPlaces;
        if (run.unanswered == 0 ? orders != placed : orders < placed || orders > placed + run.unanswered)
        {
            problems.add("orders on the server grew by " + orders + ", acknowledged accepted PlaceOrders: " + placed +
                (run.unanswered > 0 ? " (+ " + run.unanswered + " unanswered)" : ""));
        }
        final long unitsOrdered = after.unitsOrdered - before.unitsOrdered;
        if (unitsOrdered != lines * orders)
        {
            problems.add("units ordered grew by " + unitsOrdered + ", expected " + lines + " × " + orders);
        }
        final long cancelled = after.unitsCancelled - before.unitsCancelled;
        final long shipped = after.unitsShipped - before.unitsShipped;
        if (cancelled != lines * run.acceptedCancels)
        {
            problems.add("units cancelled grew by " + cancelled + ", expected " + lines + " × " + run.acceptedCancels + " accepted cancels");
        }
        if (shipped != run.expectedShippedUnits)
        {
            problems.add("units shipped grew by " + shipped + ", the accepted confirmations covered " + run.expectedShippedUnits);
        }
        if (ampleStock)
        {
            final long allocated = after.unitsAllocatedAtPlacement - before.unitsAllocatedAtPlacement;
            if (allocated != unitsOrdered)
            {
                problems.add("units reserved at placement grew by " + allocated + " of " + unitsOrdered + " ordered (stock is ample)");
            }
            final long reserved = after.reserved - before.reserved;
            if (after.allSkus && before.allSkus && reserved != unitsOrdered - cancelled - shipped)
            {
                problems.add("units reserved over the checked SKUs grew by " + reserved + ", expected " + (unitsOrdered - cancelled - shipped) +
                    " (ordered − cancelled − shipped)");
            }
        }
        if (after.oversold > 0)
        {
            problems.add(after.oversold + " positions oversold, first: " + after.firstOversold);
        }
        return problems;
    }
}
