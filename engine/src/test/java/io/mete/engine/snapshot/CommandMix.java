package io.mete.engine.snapshot;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.core.AllocationEngine;
import io.mete.engine.order.OrderBook;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.schema.AdjustReason;
import io.mete.schema.NodeType;
import io.mete.schema.ServiceLevel;
import io.mete.schema.ShortfallAction;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded stream of commands of every kind, aimed at the state of a given engine: it picks orders,
 * nodes and allocations that exist (reading the engine, never changing it), so most commands are
 * accepted and reach holds, backorders, exclusions, caps, picks, shipments and returns. Some are
 * deliberately wrong or resent, which exercises rejections and the client ledger.
 */
final class CommandMix
{
    static final long EPOCH = 1_795_000_000_000L;
    static final String[] CHANNELS = {"web", "mkt", "b2b"};

    private final SplittableRandom random;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
    private final long[] clientSequence = new long[4];
    private long correlation = 1_000_000;
    private long timestamp = EPOCH;
    private int newOrders;
    private int length;
    private int clientId;

    CommandMix(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    int length()
    {
        return length;
    }

    long timestamp()
    {
        return timestamp;
    }

    int clientId()
    {
        return clientId;
    }

    /** The setup of a small network that runs short of stock: {@code index} from 0 to {@link #setupCommands()} - 1. */
    static int setupCommands()
    {
        return 3 + 10 + 1 + 40 * 3 + 5;
    }

    void setup(final int index)
    {
        clientId = 0;
        int i = index;
        if (i < 3)
        {
            final boolean firstFit = i == 1;
            length = writer.setSourcingPolicy(buffer, 0, correlation++, CHANNELS[i],
                firstFit ? SourcingStrategy.FIRST_FIT : SourcingStrategy.COST, 300 + 100 * i, 2 + i, i != 2, i != 1,
                i == 2 ? ShortfallAction.REJECT : ShortfallAction.BACKORDER);
            return;
        }
        i -= 3;
        if (i < 10)
        {
            final double[] at = ReferenceNetwork.location(io.mete.engine.workload.Workload.reference(SourcingStrategy.COST), i);
            final String[] channels = i % 4 == 3 ? new String[] {"web", "b2b"} : new String[0];
            length = writer.defineNode(buffer, 0, correlation++, node(i), i % 5 == 4 ? NodeType.STORE : NodeType.DC, true,
                at[0], at[1], i == 2 ? 6 : 0, 200 + 10 * i, i % 3, channels);
            return;
        }
        i -= 10;
        if (i < 1)
        {
            length = writer.setRateCard(buffer, 0, correlation++, ReferenceNetwork.BANDS_KM, ReferenceNetwork.rates());
            return;
        }
        i -= 1;
        if (i < 120)
        {
            final int sku = i / 3;
            final int node = (sku * 7 + (i % 3) * 3) % 10;
            length = writer.setOnHand(buffer, 0, correlation++, node(node), sku(sku), 2 + (sku * 5 + i) % 9);
            return;
        }
        i -= 120;
        switch (i)
        {
            case 0: length = writer.setChannelCap(buffer, 0, correlation++, "mkt", sku(1), 3); break;
            case 1: length = writer.setChannelCap(buffer, 0, correlation++, "web", sku(2), 5); break;
            case 2: length = writer.setChannelFence(buffer, 0, correlation++, "mkt", sku(3), 4); break;
            case 3: length = writer.setSafetyStock(buffer, 0, correlation++, node(7), sku(1), 2); break;
            default: length = writer.setNodeStatus(buffer, 0, correlation++, node(5), false); break;
        }
    }

    /** Encodes the next command for {@code engine}'s current state and advances the clock now and then. */
    void next(final AllocationEngine engine)
    {
        if (random.nextInt(8) == 0)
        {
            // across a day boundary now and then: daily capacity reset and hold expiry
            timestamp += random.nextInt(20) == 0 ? AllocationEngine.MILLIS_PER_DAY / 2 : random.nextInt(120_000);
        }
        clientId = random.nextInt(4);
        final long id;
        if (clientId == 0)
        {
            id = correlation++;
        }
        else if (clientSequence[clientId] > 3 && random.nextInt(25) == 0)
        {
            id = clientSequence[clientId] - random.nextInt(3);
        }
        else
        {
            id = ++clientSequence[clientId];
        }
        final OrderBook book = engine.book();
        final int orders = book.orderCount();
        final int roll = random.nextInt(100);
        if (roll < 35 || orders == 0)
        {
            placeOrder(engine, id);
            return;
        }
        final int order = orders - 1 - Math.min(orders - 1, random.nextInt(Math.min(orders, 200)));
        final String orderId = engine.orderIds().toString(order);
        final int allocation = pickAllocation(book, order);
        final String atNode = allocation == OrderBook.NONE ?
            nodeCode(engine, random.nextInt(Math.max(1, engine.nodeCodes().size()))) :
            nodeCode(engine, book.allocationNode(allocation));
        final int lineNumber = allocation == OrderBook.NONE ?
            random.nextInt(Math.max(1, book.lineCount(order))) : book.allocationLine(allocation) - book.firstLine(order);
        if (roll < 42)
        {
            length = writer.releaseHold(buffer, 0, id, orderId);
        }
        else if (roll < 46)
        {
            length = writer.cancelOrder(buffer, 0, id, orderId);
        }
        else if (roll < 51)
        {
            length = writer.cancelLine(buffer, 0, id, orderId, lineNumber, 1 + random.nextInt(2));
        }
        else if (roll < 60)
        {
            final int quantity = allocation == OrderBook.NONE ? 1 : book.allocationQuantity(allocation) - random.nextInt(2);
            length = writer.confirmPick(buffer, 0, id, orderId, atNode, new int[] {lineNumber}, new int[] {Math.max(0, quantity)});
        }
        else if (roll < 64)
        {
            length = writer.rejectAllocation(buffer, 0, id, orderId, atNode);
        }
        else if (roll < 73)
        {
            length = writer.confirmShipment(buffer, 0, id, orderId, atNode, "TRK" + id);
        }
        else if (roll < 76)
        {
            length = writer.confirmDelivery(buffer, 0, id, orderId, atNode);
        }
        else if (roll < 80)
        {
            length = writer.returnItems(buffer, 0, id, orderId, atNode, new int[] {lineNumber}, new int[] {1},
                new boolean[] {random.nextBoolean()});
        }
        else if (roll < 88)
        {
            length = writer.adjustOnHand(buffer, 0, id, nodeCode(engine, random.nextInt(engine.nodeCodes().size())),
                skuCode(engine), random.nextInt(12) - 3, AdjustReason.RECEIPT);
        }
        else if (roll < 91)
        {
            length = writer.setOnHand(buffer, 0, id, nodeCode(engine, random.nextInt(engine.nodeCodes().size())),
                random.nextInt(10) == 0 ? sku(engine.skuCodes().size() + random.nextInt(3)) : skuCode(engine), random.nextInt(15));
        }
        else if (roll < 93)
        {
            length = writer.setSafetyStock(buffer, 0, id, nodeCode(engine, random.nextInt(engine.nodeCodes().size())),
                skuCode(engine), random.nextInt(3));
        }
        else if (roll < 95)
        {
            final String channel = CHANNELS[random.nextInt(CHANNELS.length)];
            length = random.nextInt(3) == 0
                ? writer.setChannelFence(buffer, 0, id, channel, skuCode(engine), random.nextInt(8) - 1)
                : writer.setChannelCap(buffer, 0, id, channel, skuCode(engine), random.nextInt(6) - 1);
        }
        else if (roll < 97)
        {
            length = writer.setNodeStatus(buffer, 0, id, nodeCode(engine, random.nextInt(engine.nodeCodes().size())),
                random.nextInt(3) != 0);
        }
        else if (roll < 98)
        {
            final int node = engine.nodeCodes().size() + (random.nextInt(3) == 0 ? 0 : -1 - random.nextInt(engine.nodeCodes().size()));
            length = writer.defineNode(buffer, 0, id, node(node), NodeType.DC, true, 30 + random.nextInt(15), -120 + random.nextInt(40),
                random.nextInt(2) == 0 ? 0 : 4, 150 + random.nextInt(200), random.nextInt(3));
        }
        else if (roll < 99)
        {
            length = writer.setSourcingPolicy(buffer, 0, id, CHANNELS[random.nextInt(CHANNELS.length)],
                random.nextBoolean() ? SourcingStrategy.COST : SourcingStrategy.FIRST_FIT, random.nextInt(800), 1 + random.nextInt(4),
                random.nextBoolean(), random.nextBoolean(), random.nextInt(4) == 0 ? ShortfallAction.REJECT : ShortfallAction.BACKORDER);
        }
        else
        {
            length = writer.tick(buffer, 0, id);
        }
    }

    private void placeOrder(final AllocationEngine engine, final long id)
    {
        final int skus = engine.skuCodes().size();
        final int lines = 1 + random.nextInt(3);
        final String[] codes = new String[lines];
        final int[] quantities = new int[lines];
        final int[] chosen = new int[lines];
        Arrays.fill(chosen, -1);
        for (int l = 0; l < lines; l++)
        {
            int sku;
            boolean repeated;
            do
            {
                sku = random.nextInt(Math.max(1, skus));
                repeated = false;
                for (int k = 0; k < l; k++)
                {
                    repeated |= chosen[k] == sku;
                }
            }
            while (repeated && skus > lines);
            chosen[l] = sku;
            codes[l] = skus == 0 ? sku(0) : engine.skuCodes().toString(sku);
            quantities[l] = 1 + random.nextInt(3);
        }
        final boolean hold = random.nextInt(5) == 0;
        final long holdUntil = hold ? timestamp + 1 + random.nextInt(600_000) : 0;
        final int latestDay = random.nextInt(6) == 0 ? (int)(timestamp / AllocationEngine.MILLIS_PER_DAY) + 1 + random.nextInt(4) : 0;
        final String orderId = "ORD-" + random.nextInt(1000) + "-" + newOrders++;
        length = writer.placeOrder(buffer, 0, id, orderId, CHANNELS[random.nextInt(CHANNELS.length)], random.nextInt(10),
            ServiceLevel.get((short)random.nextInt(3)), 26 + random.nextDouble() * 22, -123 + random.nextDouble() * 55, latestDay,
            holdUntil, codes, quantities);
    }

    /** A random allocation of the order, preferring open ones. */
    private int pickAllocation(final OrderBook book, final int order)
    {
        int chosen = OrderBook.NONE;
        int seen = 0;
        for (int a = book.allocationHead(order); a != OrderBook.NONE; a = book.allocationNext(a))
        {
            final boolean open = book.allocationQuantity(a) > 0 && OrderBook.isOpen(book.allocationState(a));
            if ((open || random.nextInt(4) == 0) && random.nextInt(++seen) == 0)
            {
                chosen = a;
            }
        }
        return chosen;
    }

    private String skuCode(final AllocationEngine engine)
    {
        return engine.skuCodes().toString(random.nextInt(engine.skuCodes().size()));
    }

    private static String nodeCode(final AllocationEngine engine, final int node)
    {
        return node < engine.nodeCodes().size() ? engine.nodeCodes().toString(node) : node(node);
    }

    static String node(final int node)
    {
        return String.format("N%03d", node);
    }

    static String sku(final int sku)
    {
        return String.format("SKU%05d", sku);
    }
}
