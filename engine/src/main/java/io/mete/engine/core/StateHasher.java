package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.network.NodeTable;
import io.mete.engine.network.RateCard;
import io.mete.engine.order.BackorderQueue;
import io.mete.engine.order.OrderBook;
import io.mete.engine.sourcing.SourcingPolicies;
import org.agrona.DirectBuffer;

/**
 * Folds the whole engine state into 64 bits, walking every table in id order (never hash order),
 * so two engines fed the same commands hash equal and any difference in any field shows.
 */
final class StateHasher
{
    /** Marks a SKU's channel fences in the stream. */
    private static final long FENCES = 0x46454E4345L;
    /** Marks a node's shipments leaving tomorrow in the stream. */
    private static final long NEXT_DAY = 0x4E45585444L;

    private long h = 0x9E3779B97F4A7C15L;

    private void add(final long value)
    {
        long x = h ^ value;
        x *= 0xbf58476d1ce4e5b9L;
        x ^= x >>> 31;
        x *= 0x94d049bb133111ebL;
        h = x ^ (x >>> 29);
    }

    static long hash(final AllocationEngine engine)
    {
        final StateHasher s = new StateHasher();
        s.add(engine.lastSequence());
        s.add(engine.now());
        s.add(engine.today());
        s.interner(engine.orderIds());
        s.interner(engine.skuCodes());
        s.interner(engine.nodeCodes());
        s.interner(engine.channelCodes());

        final NodeTable nodes = engine.nodes();
        s.add(nodes.count());
        for (int n = 0; n < nodes.count(); n++)
        {
            s.add(nodes.type(n));
            s.add(nodes.isEnabled(n) ? 1 : 0);
            s.add(nodes.isOnline(n) ? 1 : 0);
            s.add(nodes.latitudeMicros(n));
            s.add(nodes.longitudeMicros(n));
            s.add(nodes.dailyCapacity(n));
            s.add(nodes.shipmentsToday(n));
            s.add(nodes.handlingCost(n));
            s.add(nodes.handlingDays(n));
            s.add(nodes.channelMask(n));
        }
        // cutoffs came later: only nodes that have one add to the hash, so states without any hash as before
        for (int n = 0; n < nodes.count(); n++)
        {
            if (nodes.cutoffMinute(n) != 0)
            {
                s.add(n);
                s.add(nodes.cutoffMinute(n));
            }
            // so did shipments counted against tomorrow's capacity: only where there are some
            if (nodes.shipmentsNextDay(n) != 0)
            {
                s.add(NEXT_DAY);
                s.add(n);
                s.add(nodes.shipmentsNextDay(n));
            }
        }

        final RateCard rates = engine.rateCard();
        s.add(rates.isSet() ? 1 : 0);
        s.add(rates.bandCount());
        for (int b = 0; b < rates.bandCount(); b++)
        {
            s.add(rates.bandKm(b));
        }
        for (int service = 0; service < RateCard.SERVICES; service++)
        {
            for (int zone = 0; zone < RateCard.MAX_ZONES; zone++)
            {
                s.add(rates.cost(service, zone));
                s.add(rates.transitDays(service, zone));
            }
        }

        final SourcingPolicies policies = engine.policies();
        final ChannelAllocation channels = engine.channels();
        final int channelCount = engine.channelCodes().size();
        for (int c = 0; c < channelCount; c++)
        {
            s.add(policies.strategy(c));
            s.add(policies.splitPenalty(c));
            s.add(policies.maxShipments(c));
            s.add(policies.allowLineSplit(c) ? 1 : 0);
            s.add(policies.storesEligible(c) ? 1 : 0);
            s.add(policies.rejectShortfall(c) ? 1 : 0);
        }

        final PositionTable positions = engine.positions();
        final BackorderQueue backorders = engine.backorders();
        final OrderBook book = engine.book();
        s.add(positions.skuCount());
        for (int sku = 0; sku < positions.skuCount(); sku++)
        {
            final int count = positions.count(sku);
            s.add(count);
            for (int slot = 0; slot < count; slot++)
            {
                s.add(positions.node(sku, slot));
                s.add(positions.onHand(sku, slot));
                s.add(positions.reserved(sku, slot));
                s.add(positions.safety(sku, slot));
                s.add(positions.atp(sku, slot));
            }
            for (int c = 0; c < channelCount; c++)
            {
                s.add(channels.cap(c, sku));
                s.add(channels.reserved(c, sku));
            }
            if (channels.isFenced(sku))
            {
                // fences came later: only SKUs that have one add them, so states without any hash as before
                s.add(FENCES);
                for (int c = 0; c < channelCount; c++)
                {
                    s.add(channels.fence(c, sku));
                }
            }
            for (int line = backorders.head(sku); line != OrderBook.NONE; line = backorders.next(line))
            {
                s.add(line);
            }
        }

        s.add(book.orderCount());
        for (int order = 0; order < book.orderCount(); order++)
        {
            s.add(book.channel(order));
            s.add(book.priority(order));
            s.add(book.service(order));
            s.add(book.latitudeMicros(order));
            s.add(book.longitudeMicros(order));
            s.add(book.latestDay(order));
            s.add(book.holdUntil(order));
            s.add(book.state(order));
            s.add(book.firstLine(order));
            s.add(book.lineCount(order));
            s.add(book.arrival(order));
            s.add(book.closedAt(order));
            for (int a = book.allocationHead(order); a != OrderBook.NONE; a = book.allocationNext(a))
            {
                s.add(a);
                s.add(book.allocationLine(a));
                s.add(book.allocationNode(a));
                s.add(book.allocationQuantity(a));
                s.add(book.allocationState(a));
            }
            for (int e = book.exclusionHead(order); e != OrderBook.NONE; e = book.exclusionNext(e))
            {
                s.add(book.exclusionNode(e));
            }
        }
        for (int line = 0; line < book.lineTotal(); line++)
        {
            s.add(book.lineOrder(line));
            s.add(book.lineSku(line));
            s.add(book.lineQuantity(line));
            s.add(book.lineAllocated(line));
            s.add(book.lineBackordered(line));
            s.add(book.lineShipped(line));
            s.add(book.lineCancelled(line));
            s.add(book.lineReturned(line));
        }

        for (int lines = 0; lines < 256; lines++)
        {
            s.add(book.freeLineBlock(lines));
        }
        s.add(book.freeAllocation());
        s.add(book.freeExclusion());
        for (int a = book.freeAllocation(); a != OrderBook.NONE; a = book.allocationNext(a))
        {
            s.add(a);
        }
        for (int e = book.freeExclusion(); e != OrderBook.NONE; e = book.exclusionNext(e))
        {
            s.add(e);
        }

        final OrderRetirement retirement = engine.retirement();
        s.add(retirement.retentionMillis());
        s.add(retirement.retired());
        s.add(retirement.pending());
        for (int i = 0; i < retirement.pending(); i++)
        {
            s.add(retirement.pendingTime(i));
            s.add(retirement.pendingOrder(i));
        }

        final HoldTimers holds = engine.holds();
        s.add(holds.size());
        for (int i = 0; i < holds.size(); i++)
        {
            s.add(holds.dueAt(i));
            s.add(holds.orderAt(i));
        }

        final ClientLedger ledger = engine.ledger();
        for (int client = 0; client < ledger.clientCapacity(); client++)
        {
            final long[] clientSequences = ledger.windowClientSequences(client);
            if (clientSequences == null)
            {
                continue;
            }
            s.add(client);
            s.add(ledger.lastApplied(client));
            final long[] commandSequences = ledger.windowCommandSequences(client);
            final short[] reasons = ledger.windowReasons(client);
            for (int i = 0; i < ClientLedger.WINDOW; i++)
            {
                s.add(clientSequences[i]);
                s.add(commandSequences[i]);
                s.add(reasons[i]);
            }
        }

        final EngineTotals t = engine.totals();
        s.add(t.orders);
        s.add(t.lines);
        s.add(t.unitsOrdered);
        s.add(t.unitsAllocatedAtPlacement);
        s.add(t.unitsReservedEver);
        s.add(t.ordersSplit);
        s.add(t.shipments);
        s.add(t.totalCost);
        s.add(t.unitsBackordered);
        s.add(t.unitsShipped);
        s.add(t.unitsCancelled);
        s.add(t.commandsAccepted);
        s.add(t.commandsRejected);
        return s.h;
    }

    private void interner(final AsciiInterner interner)
    {
        add(interner.size());
        for (int id = 0; id < interner.size(); id++)
        {
            final int length = interner.length(id);
            add(length);
            if (length > 0)
            {
                final DirectBuffer key = interner.key(id);
                for (int i = 0; i < length; i++)
                {
                    add(key.getByte(i));
                }
            }
        }
        add(interner.freeCount());
        for (int i = 0; i < interner.freeCount(); i++)
        {
            add(interner.freeId(i));
        }
    }
}
