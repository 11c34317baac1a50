package io.mete.engine.harness;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineTotals;
import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.order.BackorderQueue;
import io.mete.engine.order.OrderBook;

import java.util.ArrayList;
import java.util.List;

import static io.mete.engine.order.OrderBook.*;

/**
 * The invariants any sequence of commands must keep, checked from the engine's tables by plain
 * recomputation. {@link #check} returns every violation found (empty when all hold).
 */
public final class InvariantChecker
{
    private final AllocationEngine engine;
    private int[][] channelReservedBefore = new int[0][];

    public InvariantChecker(final AllocationEngine engine)
    {
        this.engine = engine;
        remember();
    }

    /** Records the channels' reservations so the next check can tell which ones a command raised. */
    public void remember()
    {
        final int channels = engine.channelCodes().size();
        final int skus = engine.positions().skuCount();
        channelReservedBefore = new int[channels][skus];
        for (int c = 0; c < channels; c++)
        {
            for (int s = 0; s < skus; s++)
            {
                channelReservedBefore[c][s] = engine.channels().reserved(c, s);
            }
        }
    }

    /** Checks everything, then remembers the state for the next command's cap check. */
    public List<String> check()
    {
        final List<String> errors = new ArrayList<>();
        final PositionTable positions = engine.positions();
        final OrderBook book = engine.book();
        final ChannelAllocation channels = engine.channels();
        final BackorderQueue backorders = engine.backorders();
        final int skus = positions.skuCount();
        final int nodes = engine.nodes().count();
        final int channelCount = engine.channelCodes().size();

        // positions
        for (int sku = 0; sku < skus; sku++)
        {
            for (int slot = 0; slot < positions.count(sku); slot++)
            {
                final int onHand = positions.onHand(sku, slot);
                final int reserved = positions.reserved(sku, slot);
                final int safety = positions.safety(sku, slot);
                final int atp = positions.atp(sku, slot);
                final String where = name(sku, positions.node(sku, slot));
                if (reserved > onHand)
                {
                    errors.add(where + ": reserved " + reserved + " > on-hand " + onHand);
                }
                if (reserved < 0 || onHand < 0 || safety < 0)
                {
                    errors.add(where + ": negative on-hand/reserved/safety " + onHand + "/" + reserved + "/" + safety);
                }
                if (atp < 0 || atp != Math.max(0, onHand - reserved - safety))
                {
                    errors.add(where + ": ATP " + atp + " != max(0, " + onHand + " - " + reserved + " - " + safety + ")");
                }
                if (slot > 0 && positions.node(sku, slot - 1) >= positions.node(sku, slot))
                {
                    errors.add(where + ": positions not in ascending node order");
                }
            }
        }

        // allocations against positions, lines and channels
        final long[][] openAt = new long[skus][nodes];
        final long[][] openByChannel = new long[channelCount][skus];
        final long[] openByLine = new long[book.lineTotal()];
        final long[] shippedByLine = new long[book.lineTotal()];
        for (int order = 0; order < book.orderCount(); order++)
        {
            final int state = book.state(order);
            if (engine.orderIds().isLive(order) != book.exists(order))
            {
                errors.add("order " + order + ": kept=" + book.exists(order) + " but its id live=" + engine.orderIds().isLive(order));
            }
            if (state == OrderBook.STATE_RETIRED)
            {
                if (book.allocationHead(order) != NONE || book.exclusionHead(order) != NONE)
                {
                    errors.add("retired order " + order + " still holds allocations or exclusions");
                }
                continue;
            }
            boolean openAllocation = false;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                final int line = book.allocationLine(a);
                final int quantity = book.allocationQuantity(a);
                final int allocationState = book.allocationState(a);
                final int node = book.allocationNode(a);
                if (book.lineOrder(line) != order)
                {
                    errors.add(orderName(order) + ": allocation " + a + " belongs to another order's line");
                }
                if (quantity < 0)
                {
                    errors.add(orderName(order) + ": allocation " + a + " has negative quantity " + quantity);
                }
                if (isOpen(allocationState))
                {
                    openAt[book.lineSku(line)][node] += quantity;
                    openByChannel[book.channel(order)][book.lineSku(line)] += quantity;
                    openByLine[line] += quantity;
                    if (quantity > 0)
                    {
                        openAllocation = true;
                        if (state == STATE_ON_HOLD && allocationState != ALLOC_RESERVED)
                        {
                            errors.add(orderName(order) + ": on hold but allocation at " + nodeName(node) + " is past RESERVED");
                        }
                        if (state != STATE_ON_HOLD && allocationState == ALLOC_RESERVED)
                        {
                            errors.add(orderName(order) + ": not on hold but allocation at " + nodeName(node) + " is only RESERVED");
                        }
                        if (allocationState <= ALLOC_RELEASED && book.isExcluded(order, node))
                        {
                            errors.add(orderName(order) + ": unpicked allocation at excluded node " + nodeName(node));
                        }
                        if (positions.slotOf(book.lineSku(line), node) < 0)
                        {
                            errors.add(orderName(order) + ": allocation at " + nodeName(node) + " without a position");
                        }
                    }
                }
                else
                {
                    shippedByLine[line] += quantity;
                }
            }
            int backordered = 0;
            for (int line = book.firstLine(order), end = line + book.lineCount(order); line < end; line++)
            {
                backordered += book.lineBackordered(line);
            }
            if (book.isClosed(order) && (openAllocation || backordered > 0))
            {
                errors.add(orderName(order) + ": closed (state " + state + ") with open quantity");
            }
            if (!book.isClosed(order) && !openAllocation && backordered == 0)
            {
                errors.add(orderName(order) + ": state " + state + " but nothing is open");
            }
        }
        for (int sku = 0; sku < skus; sku++)
        {
            for (int node = 0; node < nodes; node++)
            {
                final int slot = positions.slotOf(sku, node);
                final long reserved = slot < 0 ? 0 : positions.reserved(sku, slot);
                if (openAt[sku][node] != reserved)
                {
                    errors.add(name(sku, node) + ": open allocations " + openAt[sku][node] + " != reserved " + reserved);
                }
            }
            for (int c = 0; c < channelCount; c++)
            {
                final int reserved = channels.reserved(c, sku);
                if (openByChannel[c][sku] != reserved)
                {
                    errors.add(channelName(c) + "/" + skuName(sku) + ": open allocations " + openByChannel[c][sku] + " != channel reserved " +
                        reserved);
                }
                final int cap = channels.cap(c, sku);
                final int before = c < channelReservedBefore.length && sku < channelReservedBefore[c].length ? channelReservedBefore[c][sku] : 0;
                if (cap != ChannelAllocation.NO_CAP && reserved > before && reserved > cap)
                {
                    errors.add(channelName(c) + "/" + skuName(sku) + ": reservations rose from " + before + " to " + reserved +
                        " above the cap " + cap);
                }
            }
        }

        // lines and the backorder queues
        long waiting = 0;
        final boolean[] freeLine = new boolean[book.lineTotal()];
        for (int count = 1; count < 256; count++)
        {
            for (int block = book.freeLineBlock(count); block != NONE; block = book.lineOrder(block))
            {
                for (int line = block; line < block + count; line++)
                {
                    if (freeLine[line])
                    {
                        errors.add("line " + line + " is on two free blocks");
                    }
                    freeLine[line] = true;
                }
            }
        }
        for (int line = 0; line < book.lineTotal(); line++)
        {
            if (freeLine[line])
            {
                if (backorders.isQueued(line))
                {
                    errors.add("free line " + line + " is on a backorder queue");
                }
                continue;
            }
            if (!book.exists(book.lineOrder(line)))
            {
                errors.add("line " + line + " belongs to retired order " + book.lineOrder(line) + " but is not free");
                continue;
            }
            final int quantity = book.lineQuantity(line);
            final int allocated = book.lineAllocated(line);
            final int backordered = book.lineBackordered(line);
            final int shipped = book.lineShipped(line);
            final int cancelled = book.lineCancelled(line);
            final String where = orderName(book.lineOrder(line)) + " line " + (line - book.firstLine(book.lineOrder(line)));
            if (quantity != allocated + backordered + shipped + cancelled)
            {
                errors.add(where + ": quantity " + quantity + " != allocated " + allocated + " + backordered " + backordered + " + shipped " +
                    shipped + " + cancelled " + cancelled);
            }
            if (allocated < 0 || backordered < 0 || shipped < 0 || cancelled < 0)
            {
                errors.add(where + ": negative part");
            }
            if (book.lineReturned(line) > shipped || book.lineReturned(line) < 0)
            {
                errors.add(where + ": returned " + book.lineReturned(line) + " outside 0.." + shipped);
            }
            if (openByLine[line] != allocated)
            {
                errors.add(where + ": open allocations " + openByLine[line] + " != allocated " + allocated);
            }
            if (shippedByLine[line] != shipped)
            {
                errors.add(where + ": shipped allocations " + shippedByLine[line] + " != shipped " + shipped);
            }
            if ((backordered > 0) != backorders.isQueued(line))
            {
                errors.add(where + ": backordered " + backordered + " but queued=" + backorders.isQueued(line));
            }
            waiting += backordered;
        }
        for (int sku = 0; sku < skus; sku++)
        {
            int count = 0;
            int previous = NONE;
            for (int line = backorders.head(sku); line != NONE; line = backorders.next(line))
            {
                count++;
                if (count > book.lineTotal())
                {
                    errors.add(skuName(sku) + ": backorder queue loops");
                    break;
                }
                if (book.lineSku(line) != sku)
                {
                    errors.add(skuName(sku) + ": queue holds a line of another SKU");
                }
                if (previous != NONE)
                {
                    final int p = book.lineOrder(previous);
                    final int o = book.lineOrder(line);
                    if (book.priority(p) > book.priority(o) || (book.priority(p) == book.priority(o) && book.arrival(p) > book.arrival(o)))
                    {
                        errors.add(skuName(sku) + ": queue out of (priority, arrival) order at " + orderName(o));
                    }
                }
                previous = line;
            }
            if (count != backorders.size(sku))
            {
                errors.add(skuName(sku) + ": queue size " + backorders.size(sku) + " but " + count + " entries");
            }
        }
        checkOpenAllocationLists(book, skus, errors);
        final EngineTotals totals = engine.totals();
        if (totals.unitsBackordered != waiting)
        {
            errors.add("totals: units backordered " + totals.unitsBackordered + " != " + waiting + " on lines");
        }
        remember();
        return errors;
    }

    /**
     * Each SKU's list of open allocations holds exactly the live allocations of that SKU that are
     * open with a quantity left, highest id first (what coverage enforcement used to find by scanning
     * every allocation).
     */
    private static void checkOpenAllocationLists(final OrderBook book, final int skus, final List<String> errors)
    {
        final boolean[] free = new boolean[book.allocationTotal()];
        for (int a = book.freeAllocation(); a != NONE; a = book.allocationNext(a))
        {
            free[a] = true;
        }
        for (int sku = 0; sku < skus; sku++)
        {
            final List<Integer> expected = new ArrayList<>();
            for (int a = book.allocationTotal() - 1; a >= 0; a--)
            {
                if (!free[a] && book.allocationQuantity(a) > 0 && isOpen(book.allocationState(a)) &&
                    book.lineSku(book.allocationLine(a)) == sku)
                {
                    expected.add(a);
                }
            }
            final List<Integer> listed = new ArrayList<>();
            for (int a = book.firstOpenAllocation(sku); a != NONE && listed.size() <= expected.size(); a = book.nextOpenAllocation(a))
            {
                listed.add(a);
            }
            if (!listed.equals(expected))
            {
                errors.add("SKU " + sku + ": open allocations listed " + listed + " but the book has " + expected);
            }
        }
    }

    /** Throws with every violation and the command that caused them. */
    public void assertHolds(final Object after)
    {
        final List<String> errors = check();
        if (!errors.isEmpty())
        {
            throw new AssertionError("invariants broken after " + after + ":\n  " + String.join("\n  ", errors));
        }
    }

    private String name(final int sku, final int node)
    {
        return skuName(sku) + "@" + nodeName(node);
    }

    private String skuName(final int sku)
    {
        return engine.skuCodes().toString(sku);
    }

    private String nodeName(final int node)
    {
        return engine.nodeCodes().toString(node);
    }

    private String channelName(final int channel)
    {
        return engine.channelCodes().toString(channel);
    }

    private String orderName(final int order)
    {
        return engine.orderIds().toString(order);
    }
}
