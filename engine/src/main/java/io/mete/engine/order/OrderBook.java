package io.mete.engine.order;

import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Orders, their lines and their allocations, as parallel primitive arrays.
 * <ul>
 *   <li>Orders are indexed by order id (the interned order number).</li>
 *   <li>Lines of an order are contiguous: {@code firstLine(order) .. firstLine + lineCount - 1}.</li>
 *   <li>Allocations (a reservation of a quantity of one line at one node) form a singly linked list
 *       per order, newest first. All open allocations of an order at one node are one shipment.
 *       The open ones are also listed per SKU, highest id first ({@link #firstOpenAllocation}).</li>
 * </ul>
 * Per line the book keeps {@code quantity = allocated + backordered + shipped + cancelled}, where
 * allocated is reserved and not yet shipped.
 * <p>
 * A closed order can be {@linkplain #retire retired}: its slot is marked {@link #STATE_RETIRED} for
 * the next order to take its id, and its block of lines, its allocations and its exclusions go on
 * free lists (lines by block length), taken first by later orders. The free lists live in the same
 * arrays (a free line block's first {@code lineOrder} and a free allocation's or exclusion's
 * {@code next} link to the next free one), so snapshots and the state hash cover them with the rest.
 */
public final class OrderBook
{
    public static final int STATE_OPEN = 0;
    public static final int STATE_ON_HOLD = 1;
    public static final int STATE_COMPLETED = 2;
    public static final int STATE_CANCELLED = 3;
    /** The slot of a retired order, free for the next new order id. */
    public static final int STATE_RETIRED = 4;

    public static final int ALLOC_RESERVED = 0;
    public static final int ALLOC_RELEASED = 1;
    public static final int ALLOC_PICKED = 2;
    public static final int ALLOC_SHIPPED = 3;
    public static final int ALLOC_DELIVERED = 4;

    public static final int NONE = -1;

    // orders
    private int orderCount;
    private int[] channel;
    private byte[] priority;
    private byte[] service;
    private int[] latitudeMicros;
    private int[] longitudeMicros;
    private int[] latestDay;
    private long[] holdUntil;
    private byte[] state;
    private int[] firstLine;
    private byte[] lineCount;
    private long[] arrival;
    private int[] allocationHead;
    private int[] exclusionHead;
    private long[] closedAt;

    // lines
    private int lineTotal;
    private int[] lineOrder;
    private int[] lineSku;
    private int[] lineQuantity;
    private int[] lineAllocated;
    private int[] lineBackordered;
    private int[] lineShipped;
    private int[] lineCancelled;
    private int[] lineReturned;

    // allocations
    private int allocationTotal;
    private int[] allocationLine;
    private int[] allocationNode;
    private int[] allocationQuantity;
    private byte[] allocationState;
    private int[] allocationNext;
    private final OpenAllocationIndex open;

    // nodes excluded per order (a node that rejected its allocation)
    private int exclusionTotal;
    private int[] exclusionNode = new int[16];
    private int[] exclusionNext = new int[16];

    // free lists of retired orders' storage; lines by block length (a byte: at most 255 lines)
    private final int[] freeLineBlock = new int[256];
    private int freeAllocation = NONE;
    private int freeExclusion = NONE;
    private int nextLine;

    public OrderBook(final int expectedOrders, final int expectedLinesPerOrder)
    {
        final int orders = Math.max(16, expectedOrders);
        final int lines = Math.max(16, orders * Math.max(1, expectedLinesPerOrder));
        channel = new int[orders];
        priority = new byte[orders];
        service = new byte[orders];
        latitudeMicros = new int[orders];
        longitudeMicros = new int[orders];
        latestDay = new int[orders];
        holdUntil = new long[orders];
        state = new byte[orders];
        firstLine = new int[orders];
        lineCount = new byte[orders];
        arrival = new long[orders];
        allocationHead = new int[orders];
        exclusionHead = new int[orders];
        closedAt = new long[orders];
        Arrays.fill(freeLineBlock, NONE);

        lineOrder = new int[lines];
        lineSku = new int[lines];
        lineQuantity = new int[lines];
        lineAllocated = new int[lines];
        lineBackordered = new int[lines];
        lineShipped = new int[lines];
        lineCancelled = new int[lines];
        lineReturned = new int[lines];

        allocationLine = new int[lines];
        allocationNode = new int[lines];
        allocationQuantity = new int[lines];
        allocationState = new byte[lines];
        allocationNext = new int[lines];
        open = new OpenAllocationIndex(lines);
    }

    // ------------------------------------------------------------------ orders

    public int orderCount()
    {
        return orderCount;
    }

    public boolean exists(final int order)
    {
        return order >= 0 && order < orderCount && state[order] != STATE_RETIRED;
    }

    /**
     * Adds order {@code order}, which must be the next id ({@link #orderCount()}) or a retired
     * order's, with room for its lines: a free block of that length if there is one, else new lines.
     */
    public void addOrder(
        final int order,
        final int channel,
        final int priority,
        final int service,
        final int latitudeMicros,
        final int longitudeMicros,
        final int latestDay,
        final long holdUntil,
        final int state,
        final long arrival,
        final int lines)
    {
        if (order != orderCount && (order > orderCount || this.state[order] != STATE_RETIRED))
        {
            throw new IllegalStateException("order ids are dense: expected " + orderCount + " or a retired id, got " + order);
        }
        if (order == this.channel.length)
        {
            growOrders(order * 2);
        }
        final int block = freeLineBlock[lines];
        if (block != NONE)
        {
            freeLineBlock[lines] = lineOrder[block];
            nextLine = block;
        }
        else
        {
            ensureLines(lineTotal + lines);
            nextLine = lineTotal;
            lineTotal += lines;
        }
        this.channel[order] = channel;
        this.priority[order] = (byte)priority;
        this.service[order] = (byte)service;
        this.latitudeMicros[order] = latitudeMicros;
        this.longitudeMicros[order] = longitudeMicros;
        this.latestDay[order] = latestDay;
        this.holdUntil[order] = holdUntil;
        this.state[order] = (byte)state;
        this.firstLine[order] = nextLine;
        this.lineCount[order] = (byte)lines;
        this.arrival[order] = arrival;
        this.allocationHead[order] = NONE;
        this.exclusionHead[order] = NONE;
        this.closedAt[order] = 0;
        orderCount = Math.max(orderCount, order + 1);
    }

    /** Fills the next line of the order added last. */
    public int addLine(final int order, final int sku, final int quantity)
    {
        final int line = nextLine++;
        lineOrder[line] = order;
        lineSku[line] = sku;
        lineQuantity[line] = quantity;
        lineAllocated[line] = 0;
        lineBackordered[line] = 0;
        lineShipped[line] = 0;
        lineCancelled[line] = 0;
        lineReturned[line] = 0;
        return line;
    }

    public int channel(final int order)
    {
        return channel[order];
    }

    public int priority(final int order)
    {
        return priority[order] & 0xFF;
    }

    public int service(final int order)
    {
        return service[order];
    }

    public int latitudeMicros(final int order)
    {
        return latitudeMicros[order];
    }

    public int longitudeMicros(final int order)
    {
        return longitudeMicros[order];
    }

    public int latestDay(final int order)
    {
        return latestDay[order];
    }

    public long holdUntil(final int order)
    {
        return holdUntil[order];
    }

    public int state(final int order)
    {
        return state[order];
    }

    public void state(final int order, final int state)
    {
        this.state[order] = (byte)state;
    }

    /** Command time of the order's last change while closed; 0 while open. */
    public long closedAt(final int order)
    {
        return closedAt[order];
    }

    public void closedAt(final int order, final long time)
    {
        closedAt[order] = time;
    }

    /**
     * Forgets a closed order: its id, lines, allocations and exclusions become free for later orders.
     * The caller has taken its lines off the backorder queues (a closed order has none waiting).
     */
    public void retire(final int order)
    {
        final int lines = lineCount[order];
        final int first = firstLine[order];
        lineOrder[first] = freeLineBlock[lines];
        freeLineBlock[lines] = first;
        final int allocations = allocationHead[order];
        if (allocations != NONE)
        {
            int last = allocations;
            closeAllocation(last);
            while (allocationNext[last] != NONE)
            {
                last = allocationNext[last];
                closeAllocation(last);
            }
            allocationNext[last] = freeAllocation;
            freeAllocation = allocations;
        }
        final int exclusions = exclusionHead[order];
        if (exclusions != NONE)
        {
            int last = exclusions;
            while (exclusionNext[last] != NONE)
            {
                last = exclusionNext[last];
            }
            exclusionNext[last] = freeExclusion;
            freeExclusion = exclusions;
        }
        allocationHead[order] = NONE;
        exclusionHead[order] = NONE;
        state[order] = STATE_RETIRED;
    }

    /** First line of the free block of {@code lines} lines taken next, or {@link #NONE}. */
    public int freeLineBlock(final int lines)
    {
        return freeLineBlock[lines];
    }

    public int freeAllocation()
    {
        return freeAllocation;
    }

    public int freeExclusion()
    {
        return freeExclusion;
    }

    public boolean isClosed(final int order)
    {
        final int s = state[order];
        return s == STATE_COMPLETED || s == STATE_CANCELLED || s == STATE_RETIRED;
    }

    public int firstLine(final int order)
    {
        return firstLine[order];
    }

    public int lineCount(final int order)
    {
        return lineCount[order];
    }

    public long arrival(final int order)
    {
        return arrival[order];
    }

    public int allocationHead(final int order)
    {
        return allocationHead[order];
    }

    // ------------------------------------------------------------------ exclusions

    public void exclude(final int order, final int node)
    {
        if (isExcluded(order, node))
        {
            return;
        }
        final int entry;
        if (freeExclusion != NONE)
        {
            entry = freeExclusion;
            freeExclusion = exclusionNext[entry];
        }
        else
        {
            if (exclusionTotal == exclusionNode.length)
            {
                exclusionNode = Arrays.copyOf(exclusionNode, exclusionTotal * 2);
                exclusionNext = Arrays.copyOf(exclusionNext, exclusionTotal * 2);
            }
            entry = exclusionTotal++;
        }
        exclusionNode[entry] = node;
        exclusionNext[entry] = exclusionHead[order];
        exclusionHead[order] = entry;
    }

    public boolean isExcluded(final int order, final int node)
    {
        for (int entry = exclusionHead[order]; entry != NONE; entry = exclusionNext[entry])
        {
            if (exclusionNode[entry] == node)
            {
                return true;
            }
        }
        return false;
    }

    public boolean hasExclusions(final int order)
    {
        return exclusionHead[order] != NONE;
    }

    public int exclusionHead(final int order)
    {
        return exclusionHead[order];
    }

    public int exclusionNode(final int entry)
    {
        return exclusionNode[entry];
    }

    public int exclusionNext(final int entry)
    {
        return exclusionNext[entry];
    }

    // ------------------------------------------------------------------ lines

    public int lineTotal()
    {
        return lineTotal;
    }

    public int lineOrder(final int line)
    {
        return lineOrder[line];
    }

    public int lineSku(final int line)
    {
        return lineSku[line];
    }

    public int lineQuantity(final int line)
    {
        return lineQuantity[line];
    }

    public int lineAllocated(final int line)
    {
        return lineAllocated[line];
    }

    public int lineBackordered(final int line)
    {
        return lineBackordered[line];
    }

    public int lineShipped(final int line)
    {
        return lineShipped[line];
    }

    public int lineCancelled(final int line)
    {
        return lineCancelled[line];
    }

    public int lineReturned(final int line)
    {
        return lineReturned[line];
    }

    /** Quantity neither shipped nor cancelled: allocated or backordered. */
    public int lineOpen(final int line)
    {
        return lineAllocated[line] + lineBackordered[line];
    }

    public void addBackordered(final int line, final int delta)
    {
        lineBackordered[line] += delta;
    }

    public void addCancelled(final int line, final int delta)
    {
        lineCancelled[line] += delta;
    }

    public void addReturned(final int line, final int delta)
    {
        lineReturned[line] += delta;
    }

    /** True when no line of the order has quantity allocated or backordered. */
    public boolean isFinished(final int order)
    {
        for (int line = firstLine[order], end = line + lineCount[order]; line < end; line++)
        {
            if (lineAllocated[line] != 0 || lineBackordered[line] != 0)
            {
                return false;
            }
        }
        return true;
    }

    public boolean hasShipped(final int order)
    {
        for (int line = firstLine[order], end = line + lineCount[order]; line < end; line++)
        {
            if (lineShipped[line] != 0)
            {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ allocations

    public int allocationTotal()
    {
        return allocationTotal;
    }

    /** Records a reservation of {@code quantity} of {@code line} at {@code node}; the line's allocated rises. */
    public int allocate(final int order, final int line, final int node, final int quantity, final int state)
    {
        final int allocation;
        if (freeAllocation != NONE)
        {
            allocation = freeAllocation;
            freeAllocation = allocationNext[allocation];
        }
        else
        {
            if (allocationTotal == allocationLine.length)
            {
                growAllocations(allocationTotal * 2);
            }
            allocation = allocationTotal++;
        }
        allocationLine[allocation] = line;
        allocationNode[allocation] = node;
        allocationQuantity[allocation] = quantity;
        allocationState[allocation] = (byte)state;
        allocationNext[allocation] = allocationHead[order];
        allocationHead[order] = allocation;
        lineAllocated[line] += quantity;
        if (quantity > 0 && isOpen(state))
        {
            open.add(lineSku[line], allocation);
        }
        return allocation;
    }

    /**
     * The open allocation (reserved, released or picked, quantity above 0) of the SKU with the
     * highest allocation id, or {@link #NONE}; {@link #nextOpenAllocation} goes on down.
     */
    public int firstOpenAllocation(final int sku)
    {
        return open.first(sku);
    }

    /** The open allocation of the same SKU with the next lower id, or {@link #NONE}. */
    public int nextOpenAllocation(final int allocation)
    {
        return open.next(allocation);
    }

    /** Takes an allocation that is no longer open (or has nothing left) out of its SKU's list. */
    private void closeAllocation(final int allocation)
    {
        if (open.contains(allocation))
        {
            open.remove(lineSku[allocationLine[allocation]], allocation);
        }
    }

    public int allocationLine(final int allocation)
    {
        return allocationLine[allocation];
    }

    public int allocationNode(final int allocation)
    {
        return allocationNode[allocation];
    }

    public int allocationQuantity(final int allocation)
    {
        return allocationQuantity[allocation];
    }

    public int allocationState(final int allocation)
    {
        return allocationState[allocation];
    }

    public int allocationNext(final int allocation)
    {
        return allocationNext[allocation];
    }

    public void allocationState(final int allocation, final int state)
    {
        allocationState[allocation] = (byte)state;
        if (!isOpen(state))
        {
            closeAllocation(allocation);
        }
    }

    /** Takes {@code quantity} back from an open allocation (cancel, short pick, rejection). */
    public void reduceAllocation(final int allocation, final int quantity)
    {
        allocationQuantity[allocation] -= quantity;
        lineAllocated[allocationLine[allocation]] -= quantity;
        if (allocationQuantity[allocation] == 0)
        {
            closeAllocation(allocation);
        }
    }

    /** The allocation leaves its node: allocated turns into shipped. */
    public void shipAllocation(final int allocation)
    {
        final int line = allocationLine[allocation];
        final int quantity = allocationQuantity[allocation];
        closeAllocation(allocation);
        allocationState[allocation] = (byte)ALLOC_SHIPPED;
        lineAllocated[line] -= quantity;
        lineShipped[line] += quantity;
    }

    public static boolean isOpen(final int allocationState)
    {
        return allocationState <= ALLOC_PICKED;
    }

    /** True when the order has an open (not shipped) allocation at the node: a shipment already counted today. */
    public boolean hasOpenShipmentAt(final int order, final int node)
    {
        for (int a = allocationHead[order]; a != NONE; a = allocationNext[a])
        {
            if (allocationNode[a] == node && allocationQuantity[a] > 0 && allocationState[a] <= ALLOC_PICKED)
            {
                return true;
            }
        }
        return false;
    }

    public void clear()
    {
        orderCount = 0;
        lineTotal = 0;
        open.clear();
        allocationTotal = 0;
        exclusionTotal = 0;
        Arrays.fill(freeLineBlock, NONE);
        freeAllocation = NONE;
        freeExclusion = NONE;
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Writes orders, lines, allocations and exclusions as they are stored (snapshots), so every
     * id and every list keeps its order.
     */
    public void writeTo(final DataOutput out) throws IOException
    {
        final int orders = orderCount;
        out.writeInt(orders);
        SnapshotIo.writeInts(out, channel, 0, orders);
        out.write(priority, 0, orders);
        out.write(service, 0, orders);
        SnapshotIo.writeInts(out, latitudeMicros, 0, orders);
        SnapshotIo.writeInts(out, longitudeMicros, 0, orders);
        SnapshotIo.writeInts(out, latestDay, 0, orders);
        SnapshotIo.writeLongs(out, holdUntil, 0, orders);
        out.write(state, 0, orders);
        SnapshotIo.writeInts(out, firstLine, 0, orders);
        out.write(lineCount, 0, orders);
        SnapshotIo.writeLongs(out, arrival, 0, orders);
        SnapshotIo.writeInts(out, allocationHead, 0, orders);
        SnapshotIo.writeInts(out, exclusionHead, 0, orders);

        final int lines = lineTotal;
        out.writeInt(lines);
        SnapshotIo.writeInts(out, lineOrder, 0, lines);
        SnapshotIo.writeInts(out, lineSku, 0, lines);
        SnapshotIo.writeInts(out, lineQuantity, 0, lines);
        SnapshotIo.writeInts(out, lineAllocated, 0, lines);
        SnapshotIo.writeInts(out, lineBackordered, 0, lines);
        SnapshotIo.writeInts(out, lineShipped, 0, lines);
        SnapshotIo.writeInts(out, lineCancelled, 0, lines);
        SnapshotIo.writeInts(out, lineReturned, 0, lines);

        final int allocations = allocationTotal;
        out.writeInt(allocations);
        SnapshotIo.writeInts(out, allocationLine, 0, allocations);
        SnapshotIo.writeInts(out, allocationNode, 0, allocations);
        SnapshotIo.writeInts(out, allocationQuantity, 0, allocations);
        out.write(allocationState, 0, allocations);
        SnapshotIo.writeInts(out, allocationNext, 0, allocations);

        final int exclusions = exclusionTotal;
        out.writeInt(exclusions);
        SnapshotIo.writeInts(out, exclusionNode, 0, exclusions);
        SnapshotIo.writeInts(out, exclusionNext, 0, exclusions);

        SnapshotIo.writeLongs(out, closedAt, 0, orders);
        SnapshotIo.writeInts(out, freeLineBlock, 0, freeLineBlock.length);
        out.writeInt(freeAllocation);
        out.writeInt(freeExclusion);
    }

    /**
     * Replaces the book with the one {@link #writeTo} wrote, growing the arrays where it is larger.
     *
     * @param withRetirement false for the first snapshot format, written before orders could retire
     */
    public void readFrom(final DataInput in, final boolean withRetirement) throws IOException
    {
        clear();
        final int orders = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "order");
        if (orders > channel.length)
        {
            growOrders(orders);
        }
        SnapshotIo.readInts(in, channel, 0, orders);
        in.readFully(priority, 0, orders);
        in.readFully(service, 0, orders);
        SnapshotIo.readInts(in, latitudeMicros, 0, orders);
        SnapshotIo.readInts(in, longitudeMicros, 0, orders);
        SnapshotIo.readInts(in, latestDay, 0, orders);
        SnapshotIo.readLongs(in, holdUntil, 0, orders);
        in.readFully(state, 0, orders);
        SnapshotIo.readInts(in, firstLine, 0, orders);
        in.readFully(lineCount, 0, orders);
        SnapshotIo.readLongs(in, arrival, 0, orders);
        SnapshotIo.readInts(in, allocationHead, 0, orders);
        SnapshotIo.readInts(in, exclusionHead, 0, orders);

        final int lines = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "line");
        ensureLines(lines);
        SnapshotIo.readInts(in, lineOrder, 0, lines);
        SnapshotIo.readInts(in, lineSku, 0, lines);
        SnapshotIo.readInts(in, lineQuantity, 0, lines);
        SnapshotIo.readInts(in, lineAllocated, 0, lines);
        SnapshotIo.readInts(in, lineBackordered, 0, lines);
        SnapshotIo.readInts(in, lineShipped, 0, lines);
        SnapshotIo.readInts(in, lineCancelled, 0, lines);
        SnapshotIo.readInts(in, lineReturned, 0, lines);

        final int allocations = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "allocation");
        if (allocations > allocationLine.length)
        {
            growAllocations(allocations);
        }
        SnapshotIo.readInts(in, allocationLine, 0, allocations);
        SnapshotIo.readInts(in, allocationNode, 0, allocations);
        SnapshotIo.readInts(in, allocationQuantity, 0, allocations);
        in.readFully(allocationState, 0, allocations);
        SnapshotIo.readInts(in, allocationNext, 0, allocations);

        final int exclusions = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "exclusion");
        if (exclusions > exclusionNode.length)
        {
            exclusionNode = Arrays.copyOf(exclusionNode, exclusions);
            exclusionNext = Arrays.copyOf(exclusionNext, exclusions);
        }
        SnapshotIo.readInts(in, exclusionNode, 0, exclusions);
        SnapshotIo.readInts(in, exclusionNext, 0, exclusions);

        if (withRetirement)
        {
            SnapshotIo.readLongs(in, closedAt, 0, orders);
            SnapshotIo.readInts(in, freeLineBlock, 0, freeLineBlock.length);
            freeAllocation = in.readInt();
            freeExclusion = in.readInt();
            checkFreeLists(orders, lines, allocations, exclusions);
        }
        else
        {
            Arrays.fill(closedAt, 0, orders, 0L);
        }

        orderCount = orders;
        lineTotal = lines;
        allocationTotal = allocations;
        exclusionTotal = exclusions;
        indexOpenAllocations();
    }

    /** Rebuilds the open allocations per SKU after a load: ascending ids, each to the front of its list. */
    private void indexOpenAllocations()
    {
        final boolean[] free = new boolean[allocationTotal];
        for (int a = freeAllocation; a != NONE; a = allocationNext[a])
        {
            free[a] = true;
        }
        for (int a = 0; a < allocationTotal; a++)
        {
            if (!free[a] && allocationQuantity[a] > 0 && isOpen(allocationState[a]))
            {
                open.add(lineSku[allocationLine[a]], a);
            }
        }
    }

    // ------------------------------------------------------------------ growth

    private void growOrders(final int capacity)
    {
        channel = Arrays.copyOf(channel, capacity);
        priority = Arrays.copyOf(priority, capacity);
        service = Arrays.copyOf(service, capacity);
        latitudeMicros = Arrays.copyOf(latitudeMicros, capacity);
        longitudeMicros = Arrays.copyOf(longitudeMicros, capacity);
        latestDay = Arrays.copyOf(latestDay, capacity);
        holdUntil = Arrays.copyOf(holdUntil, capacity);
        state = Arrays.copyOf(state, capacity);
        firstLine = Arrays.copyOf(firstLine, capacity);
        lineCount = Arrays.copyOf(lineCount, capacity);
        arrival = Arrays.copyOf(arrival, capacity);
        allocationHead = Arrays.copyOf(allocationHead, capacity);
        exclusionHead = Arrays.copyOf(exclusionHead, capacity);
        closedAt = Arrays.copyOf(closedAt, capacity);
    }

    private void checkFreeLists(final int orders, final int lines, final int allocations, final int exclusions) throws IOException
    {
        for (int count = 0; count < freeLineBlock.length; count++)
        {
            int steps = 0;
            for (int block = freeLineBlock[count]; block != NONE; block = lineOrder[block])
            {
                if (block < 0 || block + count > lines || ++steps > lines)
                {
                    throw new IOException("snapshot: broken free list of " + count + "-line blocks at line " + block);
                }
            }
        }
        int steps = 0;
        for (int a = freeAllocation; a != NONE; a = allocationNext[a])
        {
            if (a < 0 || a >= allocations || ++steps > allocations)
            {
                throw new IOException("snapshot: broken free allocation list at " + a);
            }
        }
        steps = 0;
        for (int e = freeExclusion; e != NONE; e = exclusionNext[e])
        {
            if (e < 0 || e >= exclusions || ++steps > exclusions)
            {
                throw new IOException("snapshot: broken free exclusion list at " + e);
            }
        }
    }

    private void ensureLines(final int lines)
    {
        if (lines <= lineOrder.length)
        {
            return;
        }
        final int capacity = Math.max(lines, lineOrder.length * 2);
        lineOrder = Arrays.copyOf(lineOrder, capacity);
        lineSku = Arrays.copyOf(lineSku, capacity);
        lineQuantity = Arrays.copyOf(lineQuantity, capacity);
        lineAllocated = Arrays.copyOf(lineAllocated, capacity);
        lineBackordered = Arrays.copyOf(lineBackordered, capacity);
        lineShipped = Arrays.copyOf(lineShipped, capacity);
        lineCancelled = Arrays.copyOf(lineCancelled, capacity);
        lineReturned = Arrays.copyOf(lineReturned, capacity);
    }

    private void growAllocations(final int capacity)
    {
        allocationLine = Arrays.copyOf(allocationLine, capacity);
        allocationNode = Arrays.copyOf(allocationNode, capacity);
        allocationQuantity = Arrays.copyOf(allocationQuantity, capacity);
        allocationState = Arrays.copyOf(allocationState, capacity);
        allocationNext = Arrays.copyOf(allocationNext, capacity);
        open.ensureAllocations(capacity);
    }
}
