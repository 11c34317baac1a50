package io.mete.engine.order;

import io.mete.engine.column.ByteColumn;
import io.mete.engine.column.IntColumn;
import io.mete.engine.column.LongColumn;
import io.mete.engine.snapshot.SnapshotIo;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Orders, their lines and their allocations, as parallel primitive columns (paged, so the book
 * grows without copying).
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
    private final IntColumn channel;
    private final ByteColumn priority;
    private final ByteColumn service;
    private final IntColumn latitudeMicros;
    private final IntColumn longitudeMicros;
    private final IntColumn latestDay;
    private final LongColumn holdUntil;
    private final ByteColumn state;
    private final IntColumn firstLine;
    private final ByteColumn lineCount;
    private final LongColumn arrival;
    private final IntColumn allocationHead;
    private final IntColumn exclusionHead;
    private final LongColumn closedAt;

    // lines
    private int lineTotal;
    private final IntColumn lineOrder;
    private final IntColumn lineSku;
    private final IntColumn lineQuantity;
    private final IntColumn lineAllocated;
    private final IntColumn lineBackordered;
    private final IntColumn lineShipped;
    private final IntColumn lineCancelled;
    private final IntColumn lineReturned;

    // allocations
    private int allocationTotal;
    private final IntColumn allocationLine;
    private final IntColumn allocationNode;
    private final IntColumn allocationQuantity;
    private final ByteColumn allocationState;
    private final IntColumn allocationNext;
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
        channel = new IntColumn(orders, 0);
        priority = new ByteColumn(orders);
        service = new ByteColumn(orders);
        latitudeMicros = new IntColumn(orders, 0);
        longitudeMicros = new IntColumn(orders, 0);
        latestDay = new IntColumn(orders, 0);
        holdUntil = new LongColumn(orders);
        state = new ByteColumn(orders);
        firstLine = new IntColumn(orders, 0);
        lineCount = new ByteColumn(orders);
        arrival = new LongColumn(orders);
        allocationHead = new IntColumn(orders, 0);
        exclusionHead = new IntColumn(orders, 0);
        closedAt = new LongColumn(orders);
        Arrays.fill(freeLineBlock, NONE);

        lineOrder = new IntColumn(lines, 0);
        lineSku = new IntColumn(lines, 0);
        lineQuantity = new IntColumn(lines, 0);
        lineAllocated = new IntColumn(lines, 0);
        lineBackordered = new IntColumn(lines, 0);
        lineShipped = new IntColumn(lines, 0);
        lineCancelled = new IntColumn(lines, 0);
        lineReturned = new IntColumn(lines, 0);

        allocationLine = new IntColumn(lines, 0);
        allocationNode = new IntColumn(lines, 0);
        allocationQuantity = new IntColumn(lines, 0);
        allocationState = new ByteColumn(lines);
        allocationNext = new IntColumn(lines, 0);
        open = new OpenAllocationIndex(lines);
    }

    // ------------------------------------------------------------------ orders

    public int orderCount()
    {
        return orderCount;
    }

    public boolean exists(final int order)
    {
        return order >= 0 && order < orderCount && state.get(order) != STATE_RETIRED;
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
        if (order != orderCount && (order > orderCount || this.state.get(order) != STATE_RETIRED))
        {
            throw new IllegalStateException("order ids are dense: expected " + orderCount + " or a retired id, got " + order);
        }
        if (order == this.channel.capacity())
        {
            growOrders(order + 1);
        }
        final int block = freeLineBlock[lines];
        if (block != NONE)
        {
            freeLineBlock[lines] = lineOrder.get(block);
            nextLine = block;
        }
        else
        {
            ensureLines(lineTotal + lines);
            nextLine = lineTotal;
            lineTotal += lines;
        }
        this.channel.set(order, channel);
        this.priority.set(order, (byte)priority);
        this.service.set(order, (byte)service);
        this.latitudeMicros.set(order, latitudeMicros);
        this.longitudeMicros.set(order, longitudeMicros);
        this.latestDay.set(order, latestDay);
        this.holdUntil.set(order, holdUntil);
        this.state.set(order, (byte)state);
        this.firstLine.set(order, nextLine);
        this.lineCount.set(order, (byte)lines);
        this.arrival.set(order, arrival);
        this.allocationHead.set(order, NONE);
        this.exclusionHead.set(order, NONE);
        this.closedAt.set(order, 0);
        orderCount = Math.max(orderCount, order + 1);
    }

    /** Fills the next line of the order added last. */
    public int addLine(final int order, final int sku, final int quantity)
    {
        final int line = nextLine++;
        lineOrder.set(line, order);
        lineSku.set(line, sku);
        lineQuantity.set(line, quantity);
        lineAllocated.set(line, 0);
        lineBackordered.set(line, 0);
        lineShipped.set(line, 0);
        lineCancelled.set(line, 0);
        lineReturned.set(line, 0);
        return line;
    }

    public int channel(final int order)
    {
        return channel.get(order);
    }

    public int priority(final int order)
    {
        return priority.get(order) & 0xFF;
    }

    public int service(final int order)
    {
        return service.get(order);
    }

    public int latitudeMicros(final int order)
    {
        return latitudeMicros.get(order);
    }

    public int longitudeMicros(final int order)
    {
        return longitudeMicros.get(order);
    }

    public int latestDay(final int order)
    {
        return latestDay.get(order);
    }

    /** A new destination, service level and latest delivery day (ChangeDelivery). */
    public void delivery(final int order, final int service, final int latitudeMicros, final int longitudeMicros, final int latestDay)
    {
        this.service.set(order, (byte)service);
        this.latitudeMicros.set(order, latitudeMicros);
        this.longitudeMicros.set(order, longitudeMicros);
        this.latestDay.set(order, latestDay);
    }

    public long holdUntil(final int order)
    {
        return holdUntil.get(order);
    }

    public int state(final int order)
    {
        return state.get(order);
    }

    public void state(final int order, final int state)
    {
        this.state.set(order, (byte)state);
    }

    /** Command time of the order's last change while closed; 0 while open. */
    public long closedAt(final int order)
    {
        return closedAt.get(order);
    }

    public void closedAt(final int order, final long time)
    {
        closedAt.set(order, time);
    }

    /**
     * Forgets a closed order: its id, lines, allocations and exclusions become free for later orders.
     * The caller has taken its lines off the backorder queues (a closed order has none waiting).
     */
    public void retire(final int order)
    {
        final int lines = lineCount.get(order);
        final int first = firstLine.get(order);
        lineOrder.set(first, freeLineBlock[lines]);
        freeLineBlock[lines] = first;
        final int allocations = allocationHead.get(order);
        if (allocations != NONE)
        {
            int last = allocations;
            closeAllocation(last);
            while (allocationNext.get(last) != NONE)
            {
                last = allocationNext.get(last);
                closeAllocation(last);
            }
            allocationNext.set(last, freeAllocation);
            freeAllocation = allocations;
        }
        final int exclusions = exclusionHead.get(order);
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
        allocationHead.set(order, NONE);
        exclusionHead.set(order, NONE);
        state.set(order, (byte)STATE_RETIRED);
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
        final int s = state.get(order);
        return s == STATE_COMPLETED || s == STATE_CANCELLED || s == STATE_RETIRED;
    }

    public int firstLine(final int order)
    {
        return firstLine.get(order);
    }

    public int lineCount(final int order)
    {
        return lineCount.get(order);
    }

    public long arrival(final int order)
    {
        return arrival.get(order);
    }

    public int allocationHead(final int order)
    {
        return allocationHead.get(order);
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
        exclusionNext[entry] = exclusionHead.get(order);
        exclusionHead.set(order, entry);
    }

    public boolean isExcluded(final int order, final int node)
    {
        for (int entry = exclusionHead.get(order); entry != NONE; entry = exclusionNext[entry])
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
        return exclusionHead.get(order) != NONE;
    }

    public int exclusionHead(final int order)
    {
        return exclusionHead.get(order);
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
        return lineOrder.get(line);
    }

    public int lineSku(final int line)
    {
        return lineSku.get(line);
    }

    public int lineQuantity(final int line)
    {
        return lineQuantity.get(line);
    }

    public int lineAllocated(final int line)
    {
        return lineAllocated.get(line);
    }

    public int lineBackordered(final int line)
    {
        return lineBackordered.get(line);
    }

    public int lineShipped(final int line)
    {
        return lineShipped.get(line);
    }

    public int lineCancelled(final int line)
    {
        return lineCancelled.get(line);
    }

    public int lineReturned(final int line)
    {
        return lineReturned.get(line);
    }

    /** Quantity neither shipped nor cancelled: allocated or backordered. */
    public int lineOpen(final int line)
    {
        return lineAllocated.get(line) + lineBackordered.get(line);
    }

    public void addBackordered(final int line, final int delta)
    {
        lineBackordered.add(line, delta);
    }

    public void addCancelled(final int line, final int delta)
    {
        lineCancelled.add(line, delta);
    }

    public void addReturned(final int line, final int delta)
    {
        lineReturned.add(line, delta);
    }

    /** True when no line of the order has quantity allocated or backordered. */
    public boolean isFinished(final int order)
    {
        for (int line = firstLine.get(order), end = line + lineCount.get(order); line < end; line++)
        {
            if (lineAllocated.get(line) != 0 || lineBackordered.get(line) != 0)
            {
                return false;
            }
        }
        return true;
    }

    public boolean hasShipped(final int order)
    {
        for (int line = firstLine.get(order), end = line + lineCount.get(order); line < end; line++)
        {
            if (lineShipped.get(line) != 0)
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
            freeAllocation = allocationNext.get(allocation);
        }
        else
        {
            if (allocationTotal == allocationLine.capacity())
            {
                growAllocations(allocationTotal + 1);
            }
            allocation = allocationTotal++;
        }
        allocationLine.set(allocation, line);
        allocationNode.set(allocation, node);
        allocationQuantity.set(allocation, quantity);
        allocationState.set(allocation, (byte)state);
        allocationNext.set(allocation, allocationHead.get(order));
        allocationHead.set(order, allocation);
        lineAllocated.add(line, quantity);
        if (quantity > 0 && isOpen(state))
        {
            open.add(lineSku.get(line), allocation);
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
            open.remove(lineSku.get(allocationLine.get(allocation)), allocation);
        }
    }

    public int allocationLine(final int allocation)
    {
        return allocationLine.get(allocation);
    }

    public int allocationNode(final int allocation)
    {
        return allocationNode.get(allocation);
    }

    public int allocationQuantity(final int allocation)
    {
        return allocationQuantity.get(allocation);
    }

    public int allocationState(final int allocation)
    {
        return allocationState.get(allocation);
    }

    public int allocationNext(final int allocation)
    {
        return allocationNext.get(allocation);
    }

    public void allocationState(final int allocation, final int state)
    {
        allocationState.set(allocation, (byte)state);
        if (!isOpen(state))
        {
            closeAllocation(allocation);
        }
    }

    /** Takes {@code quantity} back from an open allocation (cancel, short pick, rejection). */
    public void reduceAllocation(final int allocation, final int quantity)
    {
        allocationQuantity.add(allocation, -quantity);
        lineAllocated.add(allocationLine.get(allocation), -quantity);
        if (allocationQuantity.get(allocation) == 0)
        {
            closeAllocation(allocation);
        }
    }

    /**
     * Frees the order's allocations that were taken back in full before they shipped (quantity 0,
     * not shipped): nothing reads them any more, and an order whose delivery changes again and again
     * would otherwise collect one per line and change. Returns how many were freed.
     */
    public int freeEmptyAllocations(final int order)
    {
        int freed = 0;
        int previous = NONE;
        int a = allocationHead.get(order);
        while (a != NONE)
        {
            final int next = allocationNext.get(a);
            if (allocationQuantity.get(a) == 0 && allocationState.get(a) <= ALLOC_PICKED)
            {
                if (previous == NONE)
                {
                    allocationHead.set(order, next);
                }
                else
                {
                    allocationNext.set(previous, next);
                }
                allocationNext.set(a, freeAllocation);
                freeAllocation = a;
                freed++;
            }
            else
            {
                previous = a;
            }
            a = next;
        }
        return freed;
    }

    /** The allocation leaves its node: allocated turns into shipped. */
    public void shipAllocation(final int allocation)
    {
        final int line = allocationLine.get(allocation);
        final int quantity = allocationQuantity.get(allocation);
        closeAllocation(allocation);
        allocationState.set(allocation, (byte)ALLOC_SHIPPED);
        lineAllocated.add(line, -quantity);
        lineShipped.add(line, quantity);
    }

    public static boolean isOpen(final int allocationState)
    {
        return allocationState <= ALLOC_PICKED;
    }

    /** True when the order has an open (not shipped) allocation at the node: a shipment already counted today. */
    public boolean hasOpenShipmentAt(final int order, final int node)
    {
        for (int a = allocationHead.get(order); a != NONE; a = allocationNext.get(a))
        {
            if (allocationNode.get(a) == node && allocationQuantity.get(a) > 0 && allocationState.get(a) <= ALLOC_PICKED)
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
        channel.write(out, orders);
        priority.write(out, orders);
        service.write(out, orders);
        latitudeMicros.write(out, orders);
        longitudeMicros.write(out, orders);
        latestDay.write(out, orders);
        holdUntil.write(out, orders);
        state.write(out, orders);
        firstLine.write(out, orders);
        lineCount.write(out, orders);
        arrival.write(out, orders);
        allocationHead.write(out, orders);
        exclusionHead.write(out, orders);

        final int lines = lineTotal;
        out.writeInt(lines);
        lineOrder.write(out, lines);
        lineSku.write(out, lines);
        lineQuantity.write(out, lines);
        lineAllocated.write(out, lines);
        lineBackordered.write(out, lines);
        lineShipped.write(out, lines);
        lineCancelled.write(out, lines);
        lineReturned.write(out, lines);

        final int allocations = allocationTotal;
        out.writeInt(allocations);
        allocationLine.write(out, allocations);
        allocationNode.write(out, allocations);
        allocationQuantity.write(out, allocations);
        allocationState.write(out, allocations);
        allocationNext.write(out, allocations);

        final int exclusions = exclusionTotal;
        out.writeInt(exclusions);
        SnapshotIo.writeInts(out, exclusionNode, 0, exclusions);
        SnapshotIo.writeInts(out, exclusionNext, 0, exclusions);

        closedAt.write(out, orders);
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
        growOrders(orders);
        channel.read(in, orders);
        priority.read(in, orders);
        service.read(in, orders);
        latitudeMicros.read(in, orders);
        longitudeMicros.read(in, orders);
        latestDay.read(in, orders);
        holdUntil.read(in, orders);
        state.read(in, orders);
        firstLine.read(in, orders);
        lineCount.read(in, orders);
        arrival.read(in, orders);
        allocationHead.read(in, orders);
        exclusionHead.read(in, orders);

        final int lines = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "line");
        ensureLines(lines);
        lineOrder.read(in, lines);
        lineSku.read(in, lines);
        lineQuantity.read(in, lines);
        lineAllocated.read(in, lines);
        lineBackordered.read(in, lines);
        lineShipped.read(in, lines);
        lineCancelled.read(in, lines);
        lineReturned.read(in, lines);

        final int allocations = SnapshotIo.readCount(in, Integer.MAX_VALUE / 2, "allocation");
        growAllocations(allocations);
        allocationLine.read(in, allocations);
        allocationNode.read(in, allocations);
        allocationQuantity.read(in, allocations);
        allocationState.read(in, allocations);
        allocationNext.read(in, allocations);

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
            closedAt.read(in, orders);
            SnapshotIo.readInts(in, freeLineBlock, 0, freeLineBlock.length);
            freeAllocation = in.readInt();
            freeExclusion = in.readInt();
            checkFreeLists(orders, lines, allocations, exclusions);
        }
        else
        {
            closedAt.fill(0, orders, 0L);
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
        for (int a = freeAllocation; a != NONE; a = allocationNext.get(a))
        {
            free[a] = true;
        }
        for (int a = 0; a < allocationTotal; a++)
        {
            if (!free[a] && allocationQuantity.get(a) > 0 && isOpen(allocationState.get(a)))
            {
                open.add(lineSku.get(allocationLine.get(a)), a);
            }
        }
    }

    // ------------------------------------------------------------------ growth

    // columns grow a page at a time (see io.mete.engine.column): past the expected size, an order
    // costs a few new pages now and then, never a copy of everything held

    private void growOrders(final int capacity)
    {
        channel.ensureCapacity(capacity);
        priority.ensureCapacity(capacity);
        service.ensureCapacity(capacity);
        latitudeMicros.ensureCapacity(capacity);
        longitudeMicros.ensureCapacity(capacity);
        latestDay.ensureCapacity(capacity);
        holdUntil.ensureCapacity(capacity);
        state.ensureCapacity(capacity);
        firstLine.ensureCapacity(capacity);
        lineCount.ensureCapacity(capacity);
        arrival.ensureCapacity(capacity);
        allocationHead.ensureCapacity(capacity);
        exclusionHead.ensureCapacity(capacity);
        closedAt.ensureCapacity(capacity);
    }

    private void checkFreeLists(final int orders, final int lines, final int allocations, final int exclusions) throws IOException
    {
        for (int count = 0; count < freeLineBlock.length; count++)
        {
            int steps = 0;
            for (int block = freeLineBlock[count]; block != NONE; block = lineOrder.get(block))
            {
                if (block < 0 || block + count > lines || ++steps > lines)
                {
                    throw new IOException("snapshot: broken free list of " + count + "-line blocks at line " + block);
                }
            }
        }
        int steps = 0;
        for (int a = freeAllocation; a != NONE; a = allocationNext.get(a))
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
        if (lines <= lineOrder.capacity())
        {
            return;
        }
        lineOrder.ensureCapacity(lines);
        lineSku.ensureCapacity(lines);
        lineQuantity.ensureCapacity(lines);
        lineAllocated.ensureCapacity(lines);
        lineBackordered.ensureCapacity(lines);
        lineShipped.ensureCapacity(lines);
        lineCancelled.ensureCapacity(lines);
        lineReturned.ensureCapacity(lines);
    }

    private void growAllocations(final int capacity)
    {
        allocationLine.ensureCapacity(capacity);
        allocationNode.ensureCapacity(capacity);
        allocationQuantity.ensureCapacity(capacity);
        allocationState.ensureCapacity(capacity);
        allocationNext.ensureCapacity(capacity);
        open.ensureAllocations(allocationLine.capacity());
    }
}
