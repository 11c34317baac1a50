package io.mete.engine.core;

import io.mete.engine.intern.AsciiInterner;
import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.network.NodeTable;
import io.mete.engine.network.RateCard;
import io.mete.engine.order.BackorderQueue;
import io.mete.engine.order.OrderBook;
import io.mete.engine.sourcing.SourcingPlanner;
import io.mete.engine.sourcing.SourcingPolicies;
import io.mete.schema.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.mete.engine.order.OrderBook.*;
import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The deterministic allocation core. One thread calls {@link #apply} with each command in sequence
 * order; the engine validates it completely, then changes state, then publishes the command's
 * result (Accepted or Rejected) followed by its domain events. A rejected command changes nothing.
 * <p>
 * Time comes only from the commands: {@code now} is the largest timestamp seen, so replaying the
 * same commands reproduces the same state and the same event bytes. Hold expiry and the daily
 * capacity reset run when a command's timestamp passes their due time.
 */
public final class AllocationEngine
{
    public static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    // state
    private final AsciiInterner orderIds;
    private final AsciiInterner skuCodes;
    private final AsciiInterner nodeCodes;
    private final AsciiInterner channelCodes;
    private final NodeTable nodes;
    private final RateCard rateCard = new RateCard();
    private final PositionTable positions;
    private final ChannelAllocation channels;
    private final SourcingPolicies policies = new SourcingPolicies();
    private final OrderBook book;
    private final BackorderQueue backorders;
    private final HoldTimers holds = new HoldTimers();
    private final EngineTotals totals = new EngineTotals();
    private final ClientLedger ledger = new ClientLedger();
    private final CommandTime time = new CommandTime();
    private final OrderRetirement retirement;
    private long lastSequence = -1;

    // machinery: the command in hand, what happens to stock, and one handler per kind of command
    private final EngineConfig config;
    private final SourcingPlanner planner;
    private final EventPublisher events;
    private final QueryResponder queries;
    private final CommandContext ctx;
    private final Reservations reservations;
    private final OrderCommands orderCommands;
    private final InventoryCommands inventoryCommands;
    private final NetworkCommands networkCommands;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DefineNodeDecoder defineNode = new DefineNodeDecoder();
    private final SetNodeStatusDecoder setNodeStatus = new SetNodeStatusDecoder();
    private final SetNodeCutoffDecoder setNodeCutoff = new SetNodeCutoffDecoder();
    private final SetRateCardDecoder setRateCard = new SetRateCardDecoder();
    private final SetSourcingPolicyDecoder setPolicy = new SetSourcingPolicyDecoder();
    private final SetChannelCapDecoder setChannelCap = new SetChannelCapDecoder();
    private final SetChannelFenceDecoder setChannelFence = new SetChannelFenceDecoder();
    private final SetOrderRetentionDecoder setOrderRetention = new SetOrderRetentionDecoder();
    private final SetOnHandDecoder setOnHand = new SetOnHandDecoder();
    private final AdjustOnHandDecoder adjustOnHand = new AdjustOnHandDecoder();
    private final SetSafetyStockDecoder setSafety = new SetSafetyStockDecoder();
    private final PlaceOrderDecoder placeOrder = new PlaceOrderDecoder();
    private final ReleaseHoldDecoder releaseHold = new ReleaseHoldDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final CancelLineDecoder cancelLine = new CancelLineDecoder();
    private final ConfirmPickDecoder confirmPick = new ConfirmPickDecoder();
    private final RejectAllocationDecoder rejectAllocation = new RejectAllocationDecoder();
    private final ChangeDeliveryDecoder changeDelivery = new ChangeDeliveryDecoder();
    private final ConfirmShipmentDecoder confirmShipment = new ConfirmShipmentDecoder();
    private final ConfirmDeliveryDecoder confirmDelivery = new ConfirmDeliveryDecoder();
    private final ReturnItemsDecoder returnItems = new ReturnItemsDecoder();

    /** Lines the backorder queue has links for before it first grows (9 bytes each). */
    private static final int BACKORDER_LINES_UP_FRONT = 1 << 20;

    public AllocationEngine(final EngineConfig config, final EventSink sink)
    {
        this.config = config;
        orderIds = new AsciiInterner(Limits.ORDER_ID_LENGTH, config.expectedOrders(), config.expectedOrderIdLength());
        skuCodes = new AsciiInterner(Limits.SKU_LENGTH, config.expectedSkus());
        nodeCodes = new AsciiInterner(Limits.NODE_LENGTH, config.expectedNodes());
        channelCodes = new AsciiInterner(Limits.CHANNEL_LENGTH, Limits.MAX_CHANNELS);
        nodes = new NodeTable(config.expectedNodes());
        positions = new PositionTable(config.expectedSkus());
        channels = new ChannelAllocation(config.expectedSkus());
        book = new OrderBook(config.expectedOrders(), config.expectedLinesPerOrder());
        // sized for a first wave of backorders, not for every line: its links are indexed by line and
        // grow on demand, and a book that is always in stock (the usual case) should not carry them
        backorders = new BackorderQueue(config.expectedSkus(),
            (int)Math.min((long)config.expectedOrders() * config.expectedLinesPerOrder(), BACKORDER_LINES_UP_FRONT));
        planner = new SourcingPlanner(nodes, rateCard, positions, channels, policies, book);
        events = new EventPublisher(orderIds, skuCodes, nodeCodes, sink);
        ctx = new CommandContext(orderIds, skuCodes, nodeCodes, channelCodes, positions, channels, events, totals, ledger,
            config.expectedSkus());
        queries = new QueryResponder(this, events, new PromiseQuote(this, ctx, planner, events));
        retirement = new OrderRetirement(book, orderIds, events, time);
        reservations = new Reservations(book, positions, channels, nodes, planner, backorders, events, totals, config, time, retirement);
        orderCommands = new OrderCommands(this, ctx, reservations, time, planner, events, holds);
        inventoryCommands = new InventoryCommands(this, ctx, reservations);
        networkCommands = new NetworkCommands(this, ctx, reservations, planner);
    }

    public void eventSink(final EventSink sink)
    {
        events.sink(sink);
    }

    /**
     * Applies one command that no client session sent (tools, tests, replay of such commands).
     * Same as {@code apply(sequence, timestamp, 0, buffer, offset, length)}.
     */
    public void apply(final long sequence, final long timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        apply(sequence, timestamp, 0, buffer, offset, length);
    }

    /**
     * Applies one command. {@code sequence} is the global sequence given when the command entered
     * the ring; {@code timestamp} (epoch ms) is the only clock the engine reads. A non-zero
     * {@code clientId} names the sending client: its correlation id is then its client sequence,
     * and a command at or below the last one applied for that client is answered with the original
     * result instead of being applied again.
     * <p>
     * Queries (see {@link #isQuery(int)}) are answered without touching the state, the sequence or
     * the clock, so they need not be journaled.
     */
    public void apply(
        final long sequence, final long timestamp, final int clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        ctx.begin(sequence);
        final UnsafeBuffer view = ctx.view;
        if (length >= HEADER + 8)
        {
            view.wrap(buffer, offset, length);
            header.wrap(view, 0);
            ctx.templateId = header.templateId();
            ctx.correlationId = view.getLong(HEADER, java.nio.ByteOrder.LITTLE_ENDIAN);
            if (isQuery(ctx.templateId) && header.schemaId() == MessageHeaderDecoder.SCHEMA_ID &&
                header.version() <= MessageHeaderDecoder.SCHEMA_VERSION)
            {
                try
                {
                    queries.answer(ctx.templateId, view, header.blockLength(), header.version(), ctx.correlationId);
                }
                catch (final IndexOutOfBoundsException ex)
                {
                    events.rejected(ctx.correlationId, lastSequence, ctx.templateId, RejectReason.MALFORMED, Text.TRUNCATED, false);
                }
                return;
            }
        }
        this.lastSequence = sequence;
        advanceTime(timestamp);
        applyCommand(clientId, length);
        // backorders of SKUs whose ATP the command raised are served last (time's are served in advanceTime)
        if (reservations.hasFreedStock())
        {
            reservations.serveFreedBackorders();
        }
    }

    private void applyCommand(final int clientId, final int length)
    {
        if (length < HEADER + 8)
        {
            ctx.reject(RejectReason.MALFORMED, Text.TOO_SHORT);
            return;
        }
        if (clientId != 0)
        {
            if (clientId < 0 || clientId >= ClientLedger.MAX_CLIENTS)
            {
                ctx.reject(RejectReason.INVALID_VALUE, Text.CLIENT_ID);
                return;
            }
            if (ledger.isDuplicate(clientId, ctx.correlationId))
            {
                answerDuplicate(clientId);
                return;
            }
            ctx.clientId = clientId;
        }
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            ctx.reject(RejectReason.UNSUPPORTED_VERSION, Text.SCHEMA);
            return;
        }
        try
        {
            dispatch(header.templateId(), header.blockLength(), header.version());
        }
        catch (final IndexOutOfBoundsException ex)
        {
            // Parsing reads the command's bytes and finishes before accept(); every state change
            // comes after accept(). An out-of-bounds read before it is a short message, after it a bug.
            if (ctx.changingState)
            {
                throw ex;
            }
            ctx.reject(RejectReason.MALFORMED, Text.TRUNCATED);
        }
    }

    private void answerDuplicate(final int clientId)
    {
        final long correlationId = ctx.correlationId;
        final int templateId = ctx.templateId;
        final int slot = ledger.find(clientId, correlationId);
        if (slot < 0)
        {
            events.rejected(correlationId, ctx.sequence, templateId, RejectReason.DUPLICATE_REQUEST, Text.DUPLICATE_FORGOTTEN, true);
            return;
        }
        final int reason = ledger.reason(clientId, slot);
        final long original = ledger.commandSequence(clientId, slot);
        if (reason == 0)
        {
            events.accepted(correlationId, original, templateId, true);
        }
        else
        {
            events.rejected(correlationId, original, templateId, RejectReason.get(reason), Text.DUPLICATE_REPEAT, true);
        }
    }

    private void dispatch(final int templateId, final int blockLength, final int version)
    {
        switch (templateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
                if (blockLength < PlaceOrderDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onPlaceOrder(placeOrder.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case AdjustOnHandDecoder.TEMPLATE_ID:
                if (blockLength < AdjustOnHandDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                inventoryCommands.onAdjustOnHand(adjustOnHand.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetOnHandDecoder.TEMPLATE_ID:
                if (blockLength < SetOnHandDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                inventoryCommands.onSetOnHand(setOnHand.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetSafetyStockDecoder.TEMPLATE_ID:
                if (blockLength < SetSafetyStockDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                inventoryCommands.onSetSafetyStock(setSafety.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                if (blockLength < CancelOrderDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onCancelOrder(cancelOrder.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case CancelLineDecoder.TEMPLATE_ID:
                if (blockLength < CancelLineDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onCancelLine(cancelLine.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case ReleaseHoldDecoder.TEMPLATE_ID:
                if (blockLength < ReleaseHoldDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onReleaseHold(releaseHold.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case ConfirmPickDecoder.TEMPLATE_ID:
                if (blockLength < ConfirmPickDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onConfirmPick(confirmPick.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case RejectAllocationDecoder.TEMPLATE_ID:
                if (blockLength < RejectAllocationDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onRejectAllocation(rejectAllocation.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case ConfirmShipmentDecoder.TEMPLATE_ID:
                if (blockLength < ConfirmShipmentDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onConfirmShipment(confirmShipment.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case ConfirmDeliveryDecoder.TEMPLATE_ID:
                if (blockLength < ConfirmDeliveryDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onConfirmDelivery(confirmDelivery.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case ChangeDeliveryDecoder.TEMPLATE_ID:
                if (blockLength < ChangeDeliveryDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onChangeDelivery(changeDelivery.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case ReturnItemsDecoder.TEMPLATE_ID:
                if (blockLength < ReturnItemsDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                orderCommands.onReturnItems(returnItems.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case TickDecoder.TEMPLATE_ID:
                ctx.accept();
                break;
            case DefineNodeDecoder.TEMPLATE_ID:
                if (blockLength < DefineNodeDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onDefineNode(defineNode.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetNodeStatusDecoder.TEMPLATE_ID:
                if (blockLength < SetNodeStatusDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onSetNodeStatus(setNodeStatus.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetRateCardDecoder.TEMPLATE_ID:
                if (blockLength < SetRateCardDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onSetRateCard(setRateCard.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetSourcingPolicyDecoder.TEMPLATE_ID:
                if (blockLength < SetSourcingPolicyDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onSetSourcingPolicy(setPolicy.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetChannelCapDecoder.TEMPLATE_ID:
                if (blockLength < SetChannelCapDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onSetChannelCap(setChannelCap.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetChannelFenceDecoder.TEMPLATE_ID:
                if (blockLength < SetChannelFenceDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onSetChannelFence(setChannelFence.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetOrderRetentionDecoder.TEMPLATE_ID:
                if (blockLength < SetOrderRetentionDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onSetOrderRetention(setOrderRetention.wrap(ctx.view, HEADER, blockLength, version));
                break;
            case SetNodeCutoffDecoder.TEMPLATE_ID:
                if (blockLength < SetNodeCutoffDecoder.BLOCK_LENGTH) { ctx.malformed(); return; }
                networkCommands.onSetNodeCutoff(setNodeCutoff.wrap(ctx.view, HEADER, blockLength, version));
                break;
            default:
                ctx.reject(RejectReason.UNKNOWN_TEMPLATE, Text.UNKNOWN_TEMPLATE);
        }
    }

    /** True for read-only commands (queries), which need not be journaled. */
    public static boolean isQuery(final int templateId)
    {
        return templateId >= QueryOrderDecoder.TEMPLATE_ID && templateId <= ExplainOrderDecoder.TEMPLATE_ID;
    }

    /**
     * True when {@link #apply} answers this message as a query: it then touches neither state, nor
     * sequence, nor clock, so a host must not journal it or give it a sequence. Anything else,
     * malformed messages included, is a command that takes a sequence (and may be rejected).
     */
    public static boolean isQuery(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER + 8)
        {
            return false;
        }
        final java.nio.ByteOrder order = java.nio.ByteOrder.LITTLE_ENDIAN;
        return isQuery(buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), order) & 0xFFFF) &&
            (buffer.getShort(offset + MessageHeaderDecoder.schemaIdEncodingOffset(), order) & 0xFFFF) == MessageHeaderDecoder.SCHEMA_ID &&
            (buffer.getShort(offset + MessageHeaderDecoder.versionEncodingOffset(), order) & 0xFFFF) <= MessageHeaderDecoder.SCHEMA_VERSION;
    }

    // ================================================================== backorders and time

    private void advanceTime(final long timestamp)
    {
        if (timestamp <= time.now)
        {
            return;
        }
        time.now = timestamp;
        planner.timeOfDay(minuteOfDay(timestamp));
        final int day = (int)Math.floorDiv(timestamp, MILLIS_PER_DAY);
        if (day != time.today)
        {
            nodes.startDay(day - time.today);
            time.today = day;
            reservations.allStockFreed();
        }
        while (!holds.isEmpty() && holds.nextDue() <= time.now)
        {
            final long due = holds.nextDue();
            final int order = holds.pollOrder();
            if (book.state(order) == STATE_ON_HOLD && book.holdUntil(order) == due)
            {
                events.holdExpired(order);
                reservations.cancelOpenQuantities(order);
            }
        }
        retirement.retireDue();
        // Stock freed by time goes to the waiting backorders before the command itself is applied,
        // and even when the command is then rejected.
        if (reservations.hasFreedStock())
        {
            reservations.serveFreedBackorders();
        }
    }

    // ================================================================== read access (queries, tests, snapshots)

    public long lastSequence()
    {
        return lastSequence;
    }

    public long now()
    {
        return time.now;
    }

    public int today()
    {
        return time.today;
    }

    public long eventsPublished()
    {
        return events.published();
    }

    /**
     * With {@code true} the engine counts the events it would publish ({@link #eventsPublished})
     * without encoding them or calling the sink: for replaying commands whose events are already in
     * the event journal, where encoding them again is wasted work. State and counts are the same.
     */
    public void countEventsOnly(final boolean countOnly)
    {
        events.countOnly(countOnly);
    }

    public AsciiInterner orderIds()
    {
        return orderIds;
    }

    public AsciiInterner skuCodes()
    {
        return skuCodes;
    }

    /** The sourcing planner, holding the last plan made (tests compare its rules with its explanations). */
    SourcingPlanner planner()
    {
        return planner;
    }

    public AsciiInterner nodeCodes()
    {
        return nodeCodes;
    }

    public AsciiInterner channelCodes()
    {
        return channelCodes;
    }

    public NodeTable nodes()
    {
        return nodes;
    }

    public RateCard rateCard()
    {
        return rateCard;
    }

    public PositionTable positions()
    {
        return positions;
    }

    public ChannelAllocation channels()
    {
        return channels;
    }

    public SourcingPolicies policies()
    {
        return policies;
    }

    public OrderBook book()
    {
        return book;
    }

    public BackorderQueue backorders()
    {
        return backorders;
    }

    public EngineTotals totals()
    {
        return totals;
    }

    public ClientLedger ledger()
    {
        return ledger;
    }

    HoldTimers holds()
    {
        return holds;
    }

    OrderRetirement retirement()
    {
        return retirement;
    }

    /** Closed orders retired (forgotten) so far. */
    public long ordersRetired()
    {
        return retirement.retired();
    }

    /** How long closed orders are kept after their last change; negative: forever. */
    public long orderRetentionMillis()
    {
        return retirement.retentionMillis();
    }

    // ================================================================== snapshots (io.mete.engine.snapshot)

    /** Writes the retention setting and the closed orders waiting for it (snapshot format 2 on). */
    public void writeRetirementState(final java.io.DataOutput out) throws java.io.IOException
    {
        retirement.writeTo(out);
    }

    /** Restores what {@link #writeRetirementState} wrote; snapshots of format 1 have none (keep forever). */
    public void readRetirementState(final java.io.DataInput in) throws java.io.IOException
    {
        retirement.readFrom(in);
    }

    /** Writes the state no public table holds: the sequence, the clock and the hold timers. */
    public void writeCoreState(final java.io.DataOutput out) throws java.io.IOException
    {
        out.writeLong(lastSequence);
        out.writeLong(time.now);
        out.writeInt(time.today);
        holds.writeTo(out);
    }

    /**
     * Restores what {@link #writeCoreState} wrote into an engine that has applied nothing, after its
     * tables have been restored through their own {@code readFrom}; sizes the per-SKU scratch arrays
     * for the restored SKUs, which never passed through this engine's interning.
     */
    /** Minutes after midnight UTC of a command timestamp (node cutoffs). */
    private static int minuteOfDay(final long timestamp)
    {
        return (int)(Math.floorMod(timestamp, MILLIS_PER_DAY) / 60_000L);
    }

    /** After a snapshot restored the clock: the planner's time of day follows it, as it does each command's. */
    public void clockRestored()
    {
        planner.timeOfDay(minuteOfDay(time.now));
    }

    public void readCoreState(final java.io.DataInput in) throws java.io.IOException
    {
        if (lastSequence != -1 || time.now != 0 || !holds.isEmpty())
        {
            throw new IllegalStateException("state can only be restored into an engine that has applied nothing");
        }
        lastSequence = in.readLong();
        time.now = in.readLong();
        time.today = in.readInt();
        holds.readFrom(in);
        ctx.ensureSkus(skuCodes.size());
        reservations.ensureSkus(skuCodes.size());
    }

    /** A 64-bit hash of the whole state; equal states give equal hashes, and replay must reproduce it. */
    public long stateHash()
    {
        return StateHasher.hash(this);
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(US_ASCII);
    }
}
