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
    private long now;
    private int today;
    private long lastSequence = -1;

    // machinery
    private final EngineConfig config;
    private final SourcingPlanner planner;
    private final EventPublisher events;
    private final QueryResponder queries;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DefineNodeDecoder defineNode = new DefineNodeDecoder();
    private final SetNodeStatusDecoder setNodeStatus = new SetNodeStatusDecoder();
    private final SetRateCardDecoder setRateCard = new SetRateCardDecoder();
    private final SetSourcingPolicyDecoder setPolicy = new SetSourcingPolicyDecoder();
    private final SetChannelCapDecoder setChannelCap = new SetChannelCapDecoder();
    private final SetOnHandDecoder setOnHand = new SetOnHandDecoder();
    private final AdjustOnHandDecoder adjustOnHand = new AdjustOnHandDecoder();
    private final SetSafetyStockDecoder setSafety = new SetSafetyStockDecoder();
    private final PlaceOrderDecoder placeOrder = new PlaceOrderDecoder();
    private final ReleaseHoldDecoder releaseHold = new ReleaseHoldDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final CancelLineDecoder cancelLine = new CancelLineDecoder();
    private final ConfirmPickDecoder confirmPick = new ConfirmPickDecoder();
    private final RejectAllocationDecoder rejectAllocation = new RejectAllocationDecoder();
    private final ConfirmShipmentDecoder confirmShipment = new ConfirmShipmentDecoder();
    private final ConfirmDeliveryDecoder confirmDelivery = new ConfirmDeliveryDecoder();
    private final ReturnItemsDecoder returnItems = new ReturnItemsDecoder();

    // the command being applied
    private long sequence;
    private long correlationId;
    private int clientId;
    private int templateId;
    private RejectReason rejectReason;
    private byte[] rejectText;

    // scratch for parsing before any state changes
    private final int[] scratchSku = new int[Limits.MAX_LINES];
    private final int[] scratchQuantity = new int[Limits.MAX_LINES];
    private final int[] scratchLine = new int[Limits.MAX_LINES];
    private final int[] scratchFlag = new int[Limits.MAX_LINES];
    private final int[] requestLine = new int[SourcingPlanner.MAX_REQUESTS];
    private int[] skuStamp = new int[16];
    private int stamp;
    private int stringOffset;
    private int stringLength;

    // SKUs whose ATP rose during the command: their backorders are served after it
    private int[] freedSkus = new int[64];
    private int freedCount;
    private int[] freedStamp = new int[16];
    private int freedEpoch = 1;

    public AllocationEngine(final EngineConfig config, final EventSink sink)
    {
        this.config = config;
        orderIds = new AsciiInterner(Limits.ORDER_ID_LENGTH, config.expectedOrders());
        skuCodes = new AsciiInterner(Limits.SKU_LENGTH, config.expectedSkus());
        nodeCodes = new AsciiInterner(Limits.NODE_LENGTH, config.expectedNodes());
        channelCodes = new AsciiInterner(Limits.CHANNEL_LENGTH, Limits.MAX_CHANNELS);
        nodes = new NodeTable(config.expectedNodes());
        positions = new PositionTable(config.expectedSkus());
        channels = new ChannelAllocation(config.expectedSkus());
        book = new OrderBook(config.expectedOrders(), config.expectedLinesPerOrder());
        backorders = new BackorderQueue(config.expectedSkus(), config.expectedOrders() * config.expectedLinesPerOrder());
        planner = new SourcingPlanner(nodes, rateCard, positions, channels, policies, book);
        events = new EventPublisher(orderIds, skuCodes, nodeCodes, sink);
        queries = new QueryResponder(this, events);
        skuStamp = new int[Math.max(16, config.expectedSkus())];
        freedStamp = new int[skuStamp.length];
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
        this.correlationId = 0;
        this.templateId = 0;
        this.clientId = 0;
        this.rejectReason = null;
        if (length >= HEADER + 8)
        {
            view.wrap(buffer, offset, length);
            header.wrap(view, 0);
            templateId = header.templateId();
            correlationId = view.getLong(HEADER, java.nio.ByteOrder.LITTLE_ENDIAN);
            if (isQuery(templateId) && header.schemaId() == MessageHeaderDecoder.SCHEMA_ID &&
                header.version() <= MessageHeaderDecoder.SCHEMA_VERSION)
            {
                try
                {
                    queries.answer(templateId, view, header.blockLength(), header.version(), correlationId);
                }
                catch (final IndexOutOfBoundsException ex)
                {
                    events.rejected(correlationId, lastSequence, templateId, RejectReason.MALFORMED, Text.TRUNCATED, false);
                }
                return;
            }
        }
        this.sequence = sequence;
        this.lastSequence = sequence;
        advanceTime(timestamp);
        applyCommand(clientId, length);
        // backorders of SKUs whose ATP rose (by the command or by expired holds) are served last
        if (freedCount > 0)
        {
            serveFreedBackorders();
        }
    }

    private void applyCommand(final int clientId, final int length)
    {
        if (length < HEADER + 8)
        {
            reject(RejectReason.MALFORMED, Text.TOO_SHORT);
            return;
        }
        if (clientId != 0)
        {
            if (clientId < 0 || clientId >= ClientLedger.MAX_CLIENTS)
            {
                reject(RejectReason.INVALID_VALUE, Text.CLIENT_ID);
                return;
            }
            if (ledger.isDuplicate(clientId, correlationId))
            {
                answerDuplicate(clientId);
                return;
            }
            this.clientId = clientId;
        }
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            reject(RejectReason.UNSUPPORTED_VERSION, Text.SCHEMA);
            return;
        }
        try
        {
            dispatch(header.templateId(), header.blockLength(), header.version());
        }
        catch (final IndexOutOfBoundsException ex)
        {
            // Only parsing reads the command's bytes, and parsing finishes before any state changes.
            reject(RejectReason.MALFORMED, Text.TRUNCATED);
        }
    }

    private void answerDuplicate(final int clientId)
    {
        final int slot = ledger.find(clientId, correlationId);
        if (slot < 0)
        {
            events.rejected(correlationId, sequence, templateId, RejectReason.DUPLICATE_REQUEST, Text.DUPLICATE_FORGOTTEN, true);
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
                if (blockLength < PlaceOrderDecoder.BLOCK_LENGTH) { malformed(); return; }
                onPlaceOrder(placeOrder.wrap(view, HEADER, blockLength, version));
                break;
            case AdjustOnHandDecoder.TEMPLATE_ID:
                if (blockLength < AdjustOnHandDecoder.BLOCK_LENGTH) { malformed(); return; }
                onAdjustOnHand(adjustOnHand.wrap(view, HEADER, blockLength, version));
                break;
            case SetOnHandDecoder.TEMPLATE_ID:
                if (blockLength < SetOnHandDecoder.BLOCK_LENGTH) { malformed(); return; }
                onSetOnHand(setOnHand.wrap(view, HEADER, blockLength, version));
                break;
            case SetSafetyStockDecoder.TEMPLATE_ID:
                if (blockLength < SetSafetyStockDecoder.BLOCK_LENGTH) { malformed(); return; }
                onSetSafetyStock(setSafety.wrap(view, HEADER, blockLength, version));
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                if (blockLength < CancelOrderDecoder.BLOCK_LENGTH) { malformed(); return; }
                onCancelOrder(cancelOrder.wrap(view, HEADER, blockLength, version));
                break;
            case CancelLineDecoder.TEMPLATE_ID:
                if (blockLength < CancelLineDecoder.BLOCK_LENGTH) { malformed(); return; }
                onCancelLine(cancelLine.wrap(view, HEADER, blockLength, version));
                break;
            case ReleaseHoldDecoder.TEMPLATE_ID:
                if (blockLength < ReleaseHoldDecoder.BLOCK_LENGTH) { malformed(); return; }
                onReleaseHold(releaseHold.wrap(view, HEADER, blockLength, version));
                break;
            case ConfirmPickDecoder.TEMPLATE_ID:
                if (blockLength < ConfirmPickDecoder.BLOCK_LENGTH) { malformed(); return; }
                onConfirmPick(confirmPick.wrap(view, HEADER, blockLength, version));
                break;
            case RejectAllocationDecoder.TEMPLATE_ID:
                if (blockLength < RejectAllocationDecoder.BLOCK_LENGTH) { malformed(); return; }
                onRejectAllocation(rejectAllocation.wrap(view, HEADER, blockLength, version));
                break;
            case ConfirmShipmentDecoder.TEMPLATE_ID:
                if (blockLength < ConfirmShipmentDecoder.BLOCK_LENGTH) { malformed(); return; }
                onConfirmShipment(confirmShipment.wrap(view, HEADER, blockLength, version));
                break;
            case ConfirmDeliveryDecoder.TEMPLATE_ID:
                if (blockLength < ConfirmDeliveryDecoder.BLOCK_LENGTH) { malformed(); return; }
                onConfirmDelivery(confirmDelivery.wrap(view, HEADER, blockLength, version));
                break;
            case ReturnItemsDecoder.TEMPLATE_ID:
                if (blockLength < ReturnItemsDecoder.BLOCK_LENGTH) { malformed(); return; }
                onReturnItems(returnItems.wrap(view, HEADER, blockLength, version));
                break;
            case TickDecoder.TEMPLATE_ID:
                accept();
                break;
            case DefineNodeDecoder.TEMPLATE_ID:
                if (blockLength < DefineNodeDecoder.BLOCK_LENGTH) { malformed(); return; }
                onDefineNode(defineNode.wrap(view, HEADER, blockLength, version));
                break;
            case SetNodeStatusDecoder.TEMPLATE_ID:
                if (blockLength < SetNodeStatusDecoder.BLOCK_LENGTH) { malformed(); return; }
                onSetNodeStatus(setNodeStatus.wrap(view, HEADER, blockLength, version));
                break;
            case SetRateCardDecoder.TEMPLATE_ID:
                if (blockLength < SetRateCardDecoder.BLOCK_LENGTH) { malformed(); return; }
                onSetRateCard(setRateCard.wrap(view, HEADER, blockLength, version));
                break;
            case SetSourcingPolicyDecoder.TEMPLATE_ID:
                if (blockLength < SetSourcingPolicyDecoder.BLOCK_LENGTH) { malformed(); return; }
                onSetSourcingPolicy(setPolicy.wrap(view, HEADER, blockLength, version));
                break;
            case SetChannelCapDecoder.TEMPLATE_ID:
                if (blockLength < SetChannelCapDecoder.BLOCK_LENGTH) { malformed(); return; }
                onSetChannelCap(setChannelCap.wrap(view, HEADER, blockLength, version));
                break;
            default:
                reject(RejectReason.UNKNOWN_TEMPLATE, Text.UNKNOWN_TEMPLATE);
        }
    }

    /** True for read-only commands (queries), which need not be journaled. */
    public static boolean isQuery(final int templateId)
    {
        return templateId >= QueryOrderDecoder.TEMPLATE_ID && templateId <= QueryClientDecoder.TEMPLATE_ID;
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

    // ================================================================== orders

    private void onPlaceOrder(final PlaceOrderDecoder d)
    {
        final int priority = d.priority();
        final int service = d.serviceRaw();
        final int latitude = d.latitude();
        final int longitude = d.longitude();
        final int latestDay = d.latestDeliveryDay();
        final long holdUntil = d.holdUntil();
        final PlaceOrderDecoder.LinesDecoder lines = d.lines();
        if (lines.actingBlockLength() < PlaceOrderDecoder.LinesDecoder.sbeBlockLength())
        {
            malformed();
            return;
        }
        final int lineCount = lines.count();
        if (lineCount > Limits.MAX_LINES)
        {
            reject(RejectReason.TOO_MANY_LINES, Text.TOO_MANY_LINES);
            return;
        }
        final int stamp = nextStamp();
        RejectReason lineError = null;
        byte[] lineText = null;
        for (int i = 0; i < lineCount; i++)
        {
            lines.next();
            final int quantity = lines.quantity();
            final int length = lines.skuLength();
            final int offset = d.limit() + 1;
            lines.skipSku();
            if (lineError != null)
            {
                continue;
            }
            if (!checkString(offset, length, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
            {
                lineError = rejectReason;
                lineText = rejectText;
                continue;
            }
            final int sku = skuCodes.find(view, offset, length);
            if (sku == AsciiInterner.MISSING)
            {
                lineError = RejectReason.UNKNOWN_SKU;
                lineText = Text.UNKNOWN_SKU;
            }
            else if (quantity <= 0)
            {
                lineError = RejectReason.QUANTITY_NOT_POSITIVE;
                lineText = Text.QUANTITY_NOT_POSITIVE;
            }
            else if (quantity > Limits.MAX_LINE_QUANTITY)
            {
                lineError = RejectReason.QUANTITY_TOO_LARGE;
                lineText = Text.QUANTITY_TOO_LARGE;
            }
            else if (skuStamp[sku] == stamp)
            {
                lineError = RejectReason.DUPLICATE_SKU_LINE;
                lineText = Text.DUPLICATE_SKU_LINE;
            }
            else
            {
                skuStamp[sku] = stamp;
                scratchSku[i] = sku;
                scratchQuantity[i] = quantity;
            }
        }
        if (!readString(d.orderIdLength(), d.limit() + 1, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return;
        }
        final int orderOffset = stringOffset;
        final int orderLength = stringLength;
        d.skipOrderId();
        if (!readString(d.channelLength(), d.limit() + 1, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
        {
            return;
        }
        d.skipChannel();
        if (d.limit() > view.capacity())
        {
            malformed();
            return;
        }
        final int channel = channelCodes.find(view, stringOffset, stringLength);
        if (channel == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_CHANNEL, Text.UNKNOWN_CHANNEL);
            return;
        }
        if (lineError != null)
        {
            reject(lineError, lineText);
            return;
        }
        if (lineCount == 0)
        {
            reject(RejectReason.NO_LINES, Text.NO_LINES);
            return;
        }
        if (service > 2 || Math.abs(latitude) > 90_000_000 || Math.abs(longitude) > 180_000_000 || latestDay < 0 || holdUntil < 0 ||
            (holdUntil != 0 && holdUntil <= now))
        {
            reject(RejectReason.INVALID_VALUE, Text.ORDER_VALUES);
            return;
        }
        if (orderIds.find(view, orderOffset, orderLength) != AsciiInterner.MISSING)
        {
            reject(RejectReason.DUPLICATE_ORDER, Text.DUPLICATE_ORDER);
            return;
        }

        // Plan before recording anything: under a REJECT policy a short order leaves no trace.
        planner.begin(-1, channel, service, Math.toRadians(latitude / 1e6), Math.toRadians(longitude / 1e6), latestDay, today, -1);
        for (int i = 0; i < lineCount; i++)
        {
            planner.request(scratchSku[i], scratchQuantity[i]);
        }
        final int shortfall = planner.plan();
        if (shortfall > 0 && policies.rejectShortfall(channel))
        {
            reject(RejectReason.INSUFFICIENT_STOCK, Text.INSUFFICIENT_STOCK);
            return;
        }

        final int order = orderIds.intern(view, orderOffset, orderLength);
        final boolean onHold = holdUntil != 0;
        book.addOrder(order, channel, priority, service, latitude, longitude, latestDay, holdUntil,
            onHold ? STATE_ON_HOLD : STATE_OPEN, sequence, lineCount);
        long units = 0;
        for (int i = 0; i < lineCount; i++)
        {
            requestLine[i] = book.addLine(order, scratchSku[i], scratchQuantity[i]);
            units += scratchQuantity[i];
        }
        if (onHold)
        {
            holds.add(holdUntil, order);
        }
        accept();
        final long reservedBefore = totals.unitsReservedEver;
        commitPlan(order, onHold ? ALLOC_RESERVED : ALLOC_RELEASED, false);
        backorderUnfilled(order);
        totals.orders++;
        totals.lines += lineCount;
        totals.unitsOrdered += units;
        totals.unitsAllocatedAtPlacement += totals.unitsReservedEver - reservedBefore;
        if (planner.shipmentCount() > 1)
        {
            totals.ordersSplit++;
        }
    }

    private void onReleaseHold(final ReleaseHoldDecoder d)
    {
        if (!readString(d.orderIdLength(), d.limit() + 1, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return;
        }
        final int order = knownOrder();
        if (order < 0)
        {
            return;
        }
        if (book.state(order) != STATE_ON_HOLD)
        {
            reject(book.isClosed(order) ? RejectReason.ORDER_CLOSED : RejectReason.ORDER_NOT_ON_HOLD, Text.NOT_ON_HOLD);
            return;
        }
        accept();
        book.state(order, STATE_OPEN);
        releaseReserved(order);
        refreshOrderState(order);
    }

    private void onCancelOrder(final CancelOrderDecoder d)
    {
        if (!readString(d.orderIdLength(), d.limit() + 1, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return;
        }
        final int order = knownOrder();
        if (order < 0)
        {
            return;
        }
        if (book.isClosed(order))
        {
            reject(RejectReason.ORDER_CLOSED, Text.ORDER_CLOSED);
            return;
        }
        accept();
        cancelOpenQuantities(order);
    }

    private void cancelOpenQuantities(final int order)
    {
        final int first = book.firstLine(order);
        final int count = book.lineCount(order);
        int lastWithOpen = -1;
        for (int i = 0; i < count; i++)
        {
            if (book.lineOpen(first + i) > 0)
            {
                lastWithOpen = i;
            }
        }
        for (int i = 0; i < count; i++)
        {
            final int line = first + i;
            final int open = book.lineOpen(line);
            if (open > 0)
            {
                cancelFromLine(order, line, open);
                if (i == lastWithOpen)
                {
                    book.state(order, book.hasShipped(order) ? STATE_COMPLETED : STATE_CANCELLED);
                }
                events.cancelled(order, i, open, i == lastWithOpen && book.state(order) == STATE_CANCELLED);
            }
        }
        refreshOrderState(order);
    }

    private void onCancelLine(final CancelLineDecoder d)
    {
        final int lineNumber = d.lineNumber();
        final int quantity = d.quantity();
        if (!readString(d.orderIdLength(), d.limit() + 1, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return;
        }
        final int order = knownOrder();
        if (order < 0)
        {
            return;
        }
        if (book.isClosed(order))
        {
            reject(RejectReason.ORDER_CLOSED, Text.ORDER_CLOSED);
            return;
        }
        if (lineNumber >= book.lineCount(order))
        {
            reject(RejectReason.UNKNOWN_LINE, Text.UNKNOWN_LINE);
            return;
        }
        if (quantity <= 0)
        {
            reject(RejectReason.QUANTITY_NOT_POSITIVE, Text.QUANTITY_NOT_POSITIVE);
            return;
        }
        final int line = book.firstLine(order) + lineNumber;
        if (quantity > book.lineOpen(line))
        {
            reject(RejectReason.QUANTITY_EXCEEDS_OPEN, Text.CANCEL_EXCEEDS_OPEN);
            return;
        }
        accept();
        cancelFromLine(order, line, quantity);
        refreshOrderState(order);
        events.cancelled(order, lineNumber, quantity, book.state(order) == STATE_CANCELLED);
    }

    /** Cancels quantity of a line: backordered first, then open allocations, newest first. */
    private void cancelFromLine(final int order, final int line, final int quantity)
    {
        int left = quantity;
        final int sku = book.lineSku(line);
        final int waiting = book.lineBackordered(line);
        if (waiting > 0)
        {
            final int take = Math.min(waiting, left);
            book.addBackordered(line, -take);
            totals.unitsBackordered -= take;
            if (book.lineBackordered(line) == 0)
            {
                backorders.remove(sku, line);
            }
            left -= take;
        }
        for (int a = book.allocationHead(order); a != NONE && left > 0; a = book.allocationNext(a))
        {
            if (book.allocationLine(a) != line || !isOpen(book.allocationState(a)) || book.allocationQuantity(a) == 0)
            {
                continue;
            }
            final int take = Math.min(book.allocationQuantity(a), left);
            unreserve(order, a, take);
            left -= take;
        }
        book.addCancelled(line, quantity);
        totals.unitsCancelled += quantity;
    }

    private void onConfirmPick(final ConfirmPickDecoder d)
    {
        final ConfirmPickDecoder.LinesDecoder lines = d.lines();
        if (lines.actingBlockLength() < ConfirmPickDecoder.LinesDecoder.sbeBlockLength())
        {
            malformed();
            return;
        }
        final int count = lines.count();
        if (count > Limits.MAX_LINES)
        {
            reject(RejectReason.TOO_MANY_LINES, Text.TOO_MANY_LINES);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            lines.next();
            scratchLine[i] = lines.lineNumber();
            scratchQuantity[i] = lines.pickedQuantity();
        }
        if (!readOrderAndNode(d.orderIdLength(), d.limit() + 1))
        {
            return;
        }
        d.skipOrderId();
        if (!readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int order = knownOrder(pendingOrderOffset, pendingOrderLength);
        if (order < 0)
        {
            return;
        }
        final int node = knownNode();
        if (node < 0 || !checkLifecycle(order))
        {
            return;
        }
        if (count == 0)
        {
            reject(RejectReason.NO_LINES, Text.NO_LINES);
            return;
        }
        final int stamp = nextStamp();
        for (int i = 0; i < count; i++)
        {
            final int lineNumber = scratchLine[i];
            if (lineNumber >= book.lineCount(order))
            {
                reject(RejectReason.UNKNOWN_LINE, Text.UNKNOWN_LINE);
                return;
            }
            if (skuStamp.length > lineNumber && skuStamp[lineNumber] == stamp)
            {
                reject(RejectReason.DUPLICATE_SKU_LINE, Text.DUPLICATE_PICK_LINE);
                return;
            }
            skuStamp[lineNumber] = stamp;
            final int atNode = quantityAtNode(order, book.firstLine(order) + lineNumber, node, ALLOC_RELEASED, ALLOC_RELEASED);
            if (atNode == 0)
            {
                reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_PICK);
                return;
            }
            if (scratchQuantity[i] < 0)
            {
                reject(RejectReason.QUANTITY_NOT_POSITIVE, Text.QUANTITY_NEGATIVE);
                return;
            }
            if (scratchQuantity[i] > atNode)
            {
                reject(RejectReason.QUANTITY_EXCEEDS_OPEN, Text.PICK_EXCEEDS);
                return;
            }
        }
        accept();
        for (int i = 0; i < count; i++)
        {
            final int line = book.firstLine(order) + scratchLine[i];
            int picked = scratchQuantity[i];
            int shortfall = 0;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                if (book.allocationLine(a) != line || book.allocationNode(a) != node ||
                    book.allocationState(a) != ALLOC_RELEASED || book.allocationQuantity(a) == 0)
                {
                    continue;
                }
                final int quantity = book.allocationQuantity(a);
                final int keep = Math.min(quantity, picked);
                picked -= keep;
                if (keep < quantity)
                {
                    final int missing = quantity - keep;
                    unreserve(order, a, missing);
                    shortfall += missing;
                }
                book.allocationState(a, ALLOC_PICKED);
            }
            if (shortfall > 0)
            {
                // The node could not find the units: its on-hand was wrong by the shortfall.
                final int sku = book.lineSku(line);
                final int slot = positions.slotOf(sku, node);
                positions.setOnHand(sku, slot, Math.max(0, positions.onHand(sku, slot) - shortfall));
                availabilityChanged(sku, slot);
                events.resourced(order, scratchLine[i], shortfall, node);
                resource(order, line, shortfall, node);
                enforceCoverage(sku, slot);
            }
        }
        refreshOrderState(order);
    }

    private void onRejectAllocation(final RejectAllocationDecoder d)
    {
        if (!readOrderAndNode(d.orderIdLength(), d.limit() + 1))
        {
            return;
        }
        d.skipOrderId();
        if (!readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int order = knownOrder(pendingOrderOffset, pendingOrderLength);
        if (order < 0)
        {
            return;
        }
        final int node = knownNode();
        if (node < 0)
        {
            return;
        }
        if (book.isClosed(order))
        {
            reject(RejectReason.ORDER_CLOSED, Text.ORDER_CLOSED);
            return;
        }
        if (quantityAtNode(order, -1, node, ALLOC_RESERVED, ALLOC_RELEASED) == 0)
        {
            reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_REJECT);
            return;
        }
        accept();
        book.exclude(order, node);
        final int first = book.firstLine(order);
        for (int i = 0, n = book.lineCount(order); i < n; i++)
        {
            final int line = first + i;
            int taken = 0;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                if (book.allocationLine(a) == line && book.allocationNode(a) == node &&
                    book.allocationState(a) <= ALLOC_RELEASED && book.allocationQuantity(a) > 0)
                {
                    taken += book.allocationQuantity(a);
                    unreserve(order, a, book.allocationQuantity(a));
                }
            }
            if (taken > 0)
            {
                events.resourced(order, i, taken, node);
                resource(order, line, taken, -1);
            }
        }
        refreshOrderState(order);
    }

    private void onConfirmShipment(final ConfirmShipmentDecoder d)
    {
        if (!readOrderAndNode(d.orderIdLength(), d.limit() + 1))
        {
            return;
        }
        d.skipOrderId();
        if (!readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int nodeOffset = stringOffset;
        final int nodeLength = stringLength;
        d.skipNode();
        final int trackingLength = d.trackingIdLength();
        final int trackingOffset = d.limit() + 1;
        if (trackingLength > 0 &&
            !checkString(trackingOffset, trackingLength, Limits.TRACKING_LENGTH, Text.TRACKING_TOO_LONG, Text.TRACKING_NOT_ASCII))
        {
            reject(rejectReason, rejectText);
            return;
        }
        d.skipTrackingId();
        if (d.limit() > view.capacity())
        {
            malformed();
            return;
        }
        final int order = knownOrder(pendingOrderOffset, pendingOrderLength);
        if (order < 0)
        {
            return;
        }
        stringOffset = nodeOffset;
        stringLength = nodeLength;
        final int node = knownNode();
        if (node < 0 || !checkLifecycle(order))
        {
            return;
        }
        if (quantityAtNode(order, -1, node, ALLOC_RELEASED, ALLOC_PICKED) == 0)
        {
            reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_SHIP);
            return;
        }
        accept();
        int units = 0;
        final int channel = book.channel(order);
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            final int state = book.allocationState(a);
            final int quantity = book.allocationQuantity(a);
            if (book.allocationNode(a) != node || quantity == 0 || state < ALLOC_RELEASED || state > ALLOC_PICKED)
            {
                continue;
            }
            final int sku = book.lineSku(book.allocationLine(a));
            final int slot = positions.slotOf(sku, node);
            positions.ship(sku, slot, quantity);
            channels.addReserved(channel, sku, -quantity);
            book.shipAllocation(a);
            units += quantity;
        }
        totals.unitsShipped += units;
        events.shipped(order, node, units, view, trackingOffset, trackingLength);
        refreshOrderState(order);
    }

    private void onConfirmDelivery(final ConfirmDeliveryDecoder d)
    {
        if (!readOrderAndNode(d.orderIdLength(), d.limit() + 1))
        {
            return;
        }
        d.skipOrderId();
        if (!readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int order = knownOrder(pendingOrderOffset, pendingOrderLength);
        if (order < 0)
        {
            return;
        }
        final int node = knownNode();
        if (node < 0)
        {
            return;
        }
        if (quantityAtNode(order, -1, node, ALLOC_SHIPPED, ALLOC_SHIPPED) == 0)
        {
            reject(RejectReason.NOTHING_AT_NODE, Text.NOTHING_TO_DELIVER);
            return;
        }
        accept();
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            if (book.allocationNode(a) == node && book.allocationState(a) == ALLOC_SHIPPED && book.allocationQuantity(a) > 0)
            {
                book.allocationState(a, ALLOC_DELIVERED);
            }
        }
        events.delivered(order, node);
    }

    private void onReturnItems(final ReturnItemsDecoder d)
    {
        final ReturnItemsDecoder.LinesDecoder lines = d.lines();
        if (lines.actingBlockLength() < ReturnItemsDecoder.LinesDecoder.sbeBlockLength())
        {
            malformed();
            return;
        }
        final int count = lines.count();
        if (count > Limits.MAX_LINES)
        {
            reject(RejectReason.TOO_MANY_LINES, Text.TOO_MANY_LINES);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            lines.next();
            scratchLine[i] = lines.lineNumber();
            scratchQuantity[i] = lines.quantity();
            scratchFlag[i] = lines.sellableRaw();
        }
        if (!readOrderAndNode(d.orderIdLength(), d.limit() + 1))
        {
            return;
        }
        d.skipOrderId();
        if (!readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int order = knownOrder(pendingOrderOffset, pendingOrderLength);
        if (order < 0)
        {
            return;
        }
        final int node = knownNode();
        if (node < 0)
        {
            return;
        }
        if (count == 0)
        {
            reject(RejectReason.NO_LINES, Text.NO_LINES);
            return;
        }
        final int stamp = nextStamp();
        for (int i = 0; i < count; i++)
        {
            final int lineNumber = scratchLine[i];
            if (lineNumber >= book.lineCount(order))
            {
                reject(RejectReason.UNKNOWN_LINE, Text.UNKNOWN_LINE);
                return;
            }
            if (skuStamp[lineNumber] == stamp)
            {
                reject(RejectReason.DUPLICATE_SKU_LINE, Text.DUPLICATE_RETURN_LINE);
                return;
            }
            skuStamp[lineNumber] = stamp;
            if (scratchQuantity[i] <= 0)
            {
                reject(RejectReason.QUANTITY_NOT_POSITIVE, Text.QUANTITY_NOT_POSITIVE);
                return;
            }
            if (scratchFlag[i] > 1)
            {
                reject(RejectReason.INVALID_VALUE, Text.BAD_BOOLEAN);
                return;
            }
            final int line = book.firstLine(order) + lineNumber;
            if (scratchQuantity[i] > book.lineShipped(line) - book.lineReturned(line))
            {
                reject(RejectReason.RETURN_EXCEEDS_SHIPPED, Text.RETURN_EXCEEDS);
                return;
            }
        }
        accept();
        for (int i = 0; i < count; i++)
        {
            final int line = book.firstLine(order) + scratchLine[i];
            final int quantity = scratchQuantity[i];
            final boolean sellable = scratchFlag[i] == 1;
            book.addReturned(line, quantity);
            if (sellable)
            {
                final int sku = book.lineSku(line);
                final int slot = positions.slotOrCreate(sku, node);
                positions.setOnHand(sku, slot, (int)Math.min(Limits.MAX_ON_HAND, (long)positions.onHand(sku, slot) + quantity));
                availabilityChanged(sku, slot);
                stockFreed(sku);
            }
            events.returned(order, scratchLine[i], quantity, sellable, node);
        }
    }

    // ================================================================== inventory

    private void onSetOnHand(final SetOnHandDecoder d)
    {
        final int quantity = d.quantity();
        if (!readNodeAndSku(d.nodeLength(), d.limit() + 1))
        {
            return;
        }
        d.skipNode();
        if (!readString(d.skuLength(), d.limit() + 1, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
        {
            return;
        }
        final int node = pendingNode();
        if (node < 0)
        {
            return;
        }
        if (quantity < 0 || quantity > Limits.MAX_ON_HAND)
        {
            reject(RejectReason.INVALID_VALUE, Text.ON_HAND_RANGE);
            return;
        }
        final int sku = internSku();
        accept();
        final int slot = positions.slotOrCreate(sku, node);
        final int before = positions.onHand(sku, slot);
        positions.setOnHand(sku, slot, quantity);
        availabilityChanged(sku, slot);
        if (quantity > before)
        {
            stockFreed(sku);
        }
        else
        {
            enforceCoverage(sku, slot);
        }
    }

    private void onAdjustOnHand(final AdjustOnHandDecoder d)
    {
        final int delta = d.delta();
        final int reason = d.reasonRaw();
        if (!readNodeAndSku(d.nodeLength(), d.limit() + 1))
        {
            return;
        }
        d.skipNode();
        if (!readString(d.skuLength(), d.limit() + 1, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
        {
            return;
        }
        final int node = pendingNode();
        if (node < 0)
        {
            return;
        }
        if (reason > 4)
        {
            reject(RejectReason.INVALID_VALUE, Text.BAD_REASON);
            return;
        }
        final int known = skuCodes.find(view, stringOffset, stringLength);
        final int slot = known < 0 ? -1 : positions.slotOf(known, node);
        final long after = (slot < 0 ? 0L : positions.onHand(known, slot)) + delta;
        if (after < 0 || after > Limits.MAX_ON_HAND)
        {
            reject(RejectReason.INVALID_VALUE, Text.ADJUST_RANGE);
            return;
        }
        final int sku = known < 0 ? internSku() : known;
        accept();
        final int at = slot < 0 ? positions.slotOrCreate(sku, node) : slot;
        positions.setOnHand(sku, at, (int)after);
        availabilityChanged(sku, at);
        if (delta > 0)
        {
            stockFreed(sku);
        }
        else if (delta < 0)
        {
            enforceCoverage(sku, at);
        }
    }

    private void onSetSafetyStock(final SetSafetyStockDecoder d)
    {
        final int quantity = d.quantity();
        if (!readNodeAndSku(d.nodeLength(), d.limit() + 1))
        {
            return;
        }
        d.skipNode();
        if (!readString(d.skuLength(), d.limit() + 1, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
        {
            return;
        }
        final int node = pendingNode();
        if (node < 0)
        {
            return;
        }
        if (quantity < 0 || quantity > Limits.MAX_ON_HAND)
        {
            reject(RejectReason.INVALID_VALUE, Text.SAFETY_RANGE);
            return;
        }
        final int sku = internSku();
        accept();
        final int slot = positions.slotOrCreate(sku, node);
        final int before = positions.safety(sku, slot);
        positions.setSafety(sku, slot, quantity);
        availabilityChanged(sku, slot);
        if (quantity < before)
        {
            stockFreed(sku);
        }
    }

    // ================================================================== configuration

    private void onDefineNode(final DefineNodeDecoder d)
    {
        final int type = d.nodeTypeRaw();
        final int enabled = d.enabledRaw();
        final int handlingDays = d.handlingDays();
        final int latitude = d.latitude();
        final int longitude = d.longitude();
        final int capacity = d.dailyCapacity();
        final int handlingCost = d.handlingCost();
        final DefineNodeDecoder.ChannelsDecoder group = d.channels();
        final int channelCount = group.count();
        if (channelCount > Limits.MAX_CHANNELS)
        {
            reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_CHANNELS);
            return;
        }
        int newChannels = 0;
        int known = 0;
        for (int i = 0; i < channelCount; i++)
        {
            group.next();
            final int length = group.channelLength();
            final int offset = d.limit() + 1;
            group.skipChannel();
            if (!checkString(offset, length, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
            {
                reject(rejectReason, rejectText);
                return;
            }
            scratchLine[i] = offset;
            scratchQuantity[i] = length;
            final int channel = channelCodes.find(view, offset, length);
            if (channel == AsciiInterner.MISSING)
            {
                newChannels++;
            }
            else
            {
                known |= 1 << channel;
            }
        }
        if (!readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        d.skipNode();
        if (d.limit() > view.capacity())
        {
            malformed();
            return;
        }
        if (type > NodeTable.TYPE_DROPSHIP || enabled > 1 || Math.abs(latitude) > 90_000_000 ||
            Math.abs(longitude) > 180_000_000 || capacity < 0 || handlingCost < 0 || handlingDays > 60)
        {
            reject(RejectReason.INVALID_VALUE, Text.NODE_VALUES);
            return;
        }
        if (channelCodes.size() + newChannels > Limits.MAX_CHANNELS)
        {
            reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_CHANNELS);
            return;
        }
        final boolean isNew = nodeCodes.find(view, stringOffset, stringLength) == AsciiInterner.MISSING;
        if (isNew && nodeCodes.size() >= Limits.MAX_NODES)
        {
            reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_NODES);
            return;
        }
        int mask = channelCount == 0 ? NodeTable.ALL_CHANNELS : known;
        for (int i = 0; i < channelCount; i++)
        {
            final int channel = internChannel(scratchLine[i], scratchQuantity[i]);
            mask |= 1 << channel;
        }
        final int node = nodeCodes.intern(view, stringOffset, stringLength);
        accept();
        nodes.define(node, type, enabled == 1, latitude, longitude, capacity, handlingCost, handlingDays, mask);
        planner.configChanged();
        allStockFreed();
    }

    private void onSetNodeStatus(final SetNodeStatusDecoder d)
    {
        final int online = d.onlineRaw();
        if (!readString(d.nodeLength(), d.limit() + 1, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return;
        }
        final int node = knownNode();
        if (node < 0)
        {
            return;
        }
        if (online > 1)
        {
            reject(RejectReason.INVALID_VALUE, Text.BAD_BOOLEAN);
            return;
        }
        accept();
        nodes.online(node, online == 1);
        planner.configChanged();
        if (online == 1)
        {
            allStockFreed();
        }
    }

    private void onSetRateCard(final SetRateCardDecoder d)
    {
        final SetRateCardDecoder.BandsDecoder bands = d.bands();
        final int bandCount = bands.count();
        if (bandCount == 0 || bandCount > Limits.MAX_ZONES)
        {
            reject(RejectReason.INVALID_VALUE, Text.BAND_COUNT);
            return;
        }
        int previous = -1;
        for (int i = 0; i < bandCount; i++)
        {
            bands.next();
            final int km = bands.maxDistanceKm();
            if (km <= previous)
            {
                reject(RejectReason.INVALID_VALUE, Text.BANDS_ASCENDING);
                return;
            }
            previous = km;
            scratchLine[i] = km;
        }
        final SetRateCardDecoder.RatesDecoder rates = d.rates();
        final int rateCount = rates.count();
        if (rateCount > RateCard.SERVICES * Limits.MAX_ZONES)
        {
            reject(RejectReason.INVALID_VALUE, Text.RATE_COUNT);
            return;
        }
        // validate all rates first, then apply; rates are re-read from the buffer
        final int ratesStart = d.limit();
        for (int i = 0; i < rateCount; i++)
        {
            rates.next();
            if (rates.serviceRaw() >= RateCard.SERVICES || rates.zone() >= bandCount || rates.cost() < 0)
            {
                reject(RejectReason.INVALID_VALUE, Text.RATE_VALUES);
                return;
            }
        }
        if (d.limit() > view.capacity())
        {
            malformed();
            return;
        }
        accept();
        rateCard.beginReplace();
        for (int i = 0; i < bandCount; i++)
        {
            rateCard.addBand(scratchLine[i]);
        }
        for (int i = 0; i < rateCount; i++)
        {
            final int entry = ratesStart + i * rates.actingBlockLength();
            rateCard.rate(
                view.getByte(entry + SetRateCardDecoder.RatesDecoder.serviceEncodingOffset()) & 0xFF,
                view.getByte(entry + SetRateCardDecoder.RatesDecoder.zoneEncodingOffset()) & 0xFF,
                view.getInt(entry + SetRateCardDecoder.RatesDecoder.costEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN),
                view.getByte(entry + SetRateCardDecoder.RatesDecoder.transitDaysEncodingOffset()) & 0xFF);
        }
        planner.configChanged();
        allStockFreed();
    }

    private void onSetSourcingPolicy(final SetSourcingPolicyDecoder d)
    {
        final int strategy = d.strategyRaw();
        final int penalty = d.splitPenalty();
        final int maxShipments = d.maxShipments();
        final int split = d.allowLineSplitRaw();
        final int stores = d.storesEligibleRaw();
        final int shortfall = d.shortfallRaw();
        if (!readString(d.channelLength(), d.limit() + 1, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
        {
            return;
        }
        if (strategy > 1 || penalty < 0 || maxShipments < 1 || maxShipments > Limits.MAX_SHIPMENTS || split > 1 || stores > 1 ||
            shortfall > 1)
        {
            reject(RejectReason.INVALID_VALUE, Text.POLICY_VALUES);
            return;
        }
        if (channelCodes.find(view, stringOffset, stringLength) == AsciiInterner.MISSING &&
            channelCodes.size() >= Limits.MAX_CHANNELS)
        {
            reject(RejectReason.LIMIT_REACHED, Text.TOO_MANY_CHANNELS);
            return;
        }
        final int channel = internChannel(stringOffset, stringLength);
        accept();
        policies.set(channel, strategy, penalty, maxShipments, split == 1, stores == 1, shortfall == 1);
        planner.configChanged();
        allStockFreed();
    }

    private void onSetChannelCap(final SetChannelCapDecoder d)
    {
        final int cap = d.maxUnits();
        if (!readString(d.channelLength(), d.limit() + 1, Limits.CHANNEL_LENGTH, Text.CHANNEL_TOO_LONG, Text.CHANNEL_NOT_ASCII))
        {
            return;
        }
        final int channel = channelCodes.find(view, stringOffset, stringLength);
        d.skipChannel();
        if (!readString(d.skuLength(), d.limit() + 1, Limits.SKU_LENGTH, Text.SKU_TOO_LONG, Text.SKU_NOT_ASCII))
        {
            return;
        }
        if (channel == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_CHANNEL, Text.UNKNOWN_CHANNEL);
            return;
        }
        final int sku = skuCodes.find(view, stringOffset, stringLength);
        if (sku == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_SKU, Text.UNKNOWN_SKU);
            return;
        }
        accept();
        channels.setCap(channel, sku, cap);
        stockFreed(sku);
    }

    // ================================================================== allocation mechanics

    /** Reserves the planner's assignments for the order and publishes one OrderAllocated per shipment. */
    private void commitPlan(final int order, final int allocationState, final boolean fromBackorder)
    {
        final SourcingPlanner planner = this.planner;
        final int channel = book.channel(order);
        final int service = book.service(order);
        final int first = book.firstLine(order);
        for (int s = 0, shipments = planner.shipmentCount(); s < shipments; s++)
        {
            final int node = planner.shipmentNode(s);
            if (!book.hasOpenShipmentAt(order, node))
            {
                nodes.countShipment(node);
                totals.shipments++;
                totals.totalCost += planner.shipmentCost(s);
            }
            int lines = 0;
            for (int a = 0, n = planner.assignmentCount(); a < n; a++)
            {
                if (planner.assignmentShipment(a) != s)
                {
                    continue;
                }
                lines++;
                final int line = requestLine[planner.assignmentRequest(a)];
                final int sku = book.lineSku(line);
                final int quantity = planner.assignmentQuantity(a);
                positions.addReserved(sku, planner.assignmentSlot(a), quantity);
                channels.addReserved(channel, sku, quantity);
                book.allocate(order, line, node, quantity, allocationState);
                totals.unitsReservedEver += quantity;
                if (fromBackorder)
                {
                    book.addBackordered(line, -quantity);
                    totals.unitsBackordered -= quantity;
                    events.filled(order, line - first, sku, node, quantity, book.lineBackordered(line));
                }
            }
            final OrderAllocatedEncoder.LinesEncoder encoder =
                events.beginAllocated(service, planner.shipmentCost(s), planner.shipmentPromisedDay(s), lines);
            for (int a = 0, n = planner.assignmentCount(); a < n; a++)
            {
                if (planner.assignmentShipment(a) == s)
                {
                    final int line = requestLine[planner.assignmentRequest(a)];
                    events.allocatedLine(encoder, line - first, planner.assignmentQuantity(a), book.lineSku(line));
                }
            }
            events.endAllocated(order, node);
            if (allocationState == ALLOC_RELEASED)
            {
                events.released(order, node);
            }
        }
        if (config.publishAvailability())
        {
            for (int a = 0, n = planner.assignmentCount(); a < n; a++)
            {
                final int sku = book.lineSku(requestLine[planner.assignmentRequest(a)]);
                final int slot = planner.assignmentSlot(a);
                events.availability(sku, planner.assignmentNode(a), positions.atp(sku, slot));
            }
        }
    }

    /** Queues what the last plan could not place. */
    private void backorderUnfilled(final int order)
    {
        final int first = book.firstLine(order);
        for (int r = 0, n = planner.requestCount(); r < n; r++)
        {
            final int missing = planner.unfilled(r);
            if (missing > 0)
            {
                final int line = requestLine[r];
                book.addBackordered(line, missing);
                totals.unitsBackordered += missing;
                backorders.add(book.lineSku(line), line, book);
                events.backordered(order, line - first, book.lineSku(line), missing);
            }
        }
    }

    /** Sources a line's quantity again (short pick, rejection, lost stock); what cannot be placed waits. */
    private void resource(final int order, final int line, final int quantity, final int skipNode)
    {
        planner.begin(order, today, skipNode);
        planner.request(book.lineSku(line), quantity);
        requestLine[0] = line;
        planner.plan();
        commitPlan(order, book.state(order) == STATE_ON_HOLD ? ALLOC_RESERVED : ALLOC_RELEASED, false);
        backorderUnfilled(order);
    }

    /** Gives back {@code quantity} of an open allocation: the position, the channel and the line drop. */
    private void unreserve(final int order, final int allocation, final int quantity)
    {
        final int line = book.allocationLine(allocation);
        final int sku = book.lineSku(line);
        final int node = book.allocationNode(allocation);
        final int slot = positions.slotOf(sku, node);
        positions.addReserved(sku, slot, -quantity);
        channels.addReserved(book.channel(order), sku, -quantity);
        book.reduceAllocation(allocation, quantity);
        availabilityChanged(sku, slot);
        stockFreed(sku);
    }

    /**
     * Keeps {@code reserved <= onHand} after on-hand dropped (WMS snapshot, damage, short pick):
     * the newest open reservations at the position are taken back and sourced elsewhere.
     */
    private void enforceCoverage(final int sku, final int slot)
    {
        int excess = positions.reserved(sku, slot) - positions.onHand(sku, slot);
        if (excess <= 0)
        {
            return;
        }
        final int node = positions.node(sku, slot);
        for (int a = book.allocationTotal() - 1; a >= 0 && excess > 0; a--)
        {
            final int quantity = book.allocationQuantity(a);
            if (quantity == 0 || book.allocationNode(a) != node || !isOpen(book.allocationState(a)))
            {
                continue;
            }
            final int line = book.allocationLine(a);
            if (book.lineSku(line) != sku)
            {
                continue;
            }
            final int order = book.lineOrder(line);
            final int take = Math.min(quantity, excess);
            unreserve(order, a, take);
            excess -= take;
            events.resourced(order, line - book.firstLine(order), take, node);
            resource(order, line, take, node);
            refreshOrderState(order);
        }
    }

    private void releaseReserved(final int order)
    {
        int lastNode = -1;
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            if (book.allocationState(a) == ALLOC_RESERVED)
            {
                book.allocationState(a, ALLOC_RELEASED);
            }
        }
        // one ShipmentReleased per node, in ascending node order
        while (true)
        {
            int next = Integer.MAX_VALUE;
            for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
            {
                final int node = book.allocationNode(a);
                if (book.allocationState(a) == ALLOC_RELEASED && book.allocationQuantity(a) > 0 && node > lastNode && node < next)
                {
                    next = node;
                }
            }
            if (next == Integer.MAX_VALUE)
            {
                return;
            }
            events.released(order, next);
            lastNode = next;
        }
    }

    private void refreshOrderState(final int order)
    {
        final int state = book.state(order);
        if (state == STATE_OPEN && book.isFinished(order))
        {
            book.state(order, book.hasShipped(order) ? STATE_COMPLETED : STATE_CANCELLED);
        }
        else if (state == STATE_ON_HOLD && book.isFinished(order))
        {
            book.state(order, book.hasShipped(order) ? STATE_COMPLETED : STATE_CANCELLED);
        }
    }

    private int quantityAtNode(final int order, final int line, final int node, final int minState, final int maxState)
    {
        int total = 0;
        for (int a = book.allocationHead(order); a != NONE; a = book.allocationNext(a))
        {
            final int state = book.allocationState(a);
            if (book.allocationNode(a) == node && (line < 0 || book.allocationLine(a) == line) && state >= minState && state <= maxState)
            {
                total += book.allocationQuantity(a);
            }
        }
        return total;
    }

    private boolean checkLifecycle(final int order)
    {
        if (book.state(order) == STATE_ON_HOLD)
        {
            reject(RejectReason.ORDER_ON_HOLD, Text.ON_HOLD);
            return false;
        }
        return true;
    }

    // ================================================================== backorders and time

    private void stockFreed(final int sku)
    {
        if (backorders.isEmpty(sku))
        {
            return;
        }
        if (sku >= freedStamp.length)
        {
            freedStamp = java.util.Arrays.copyOf(freedStamp, Math.max(sku + 1, freedStamp.length * 2));
        }
        if (freedStamp[sku] == freedEpoch)
        {
            return;
        }
        freedStamp[sku] = freedEpoch;
        if (freedCount == freedSkus.length)
        {
            freedSkus = java.util.Arrays.copyOf(freedSkus, freedCount * 2);
        }
        freedSkus[freedCount++] = sku;
    }

    private void allStockFreed()
    {
        if (backorders.waitingLines() == 0)
        {
            return;
        }
        for (int sku = 0, n = positions.skuCount(); sku < n; sku++)
        {
            stockFreed(sku);
        }
    }

    /** Serves the backorder queues of SKUs whose ATP rose, in the order the SKUs were touched. */
    private void serveFreedBackorders()
    {
        for (int i = 0; i < freedCount; i++)
        {
            fillBackorders(freedSkus[i]);
        }
        freedCount = 0;
        if (++freedEpoch == Integer.MAX_VALUE)
        {
            java.util.Arrays.fill(freedStamp, 0);
            freedEpoch = 1;
        }
    }

    private void fillBackorders(final int sku)
    {
        int line = backorders.head(sku);
        while (line != NONE && positions.totalAtp(sku) > 0)
        {
            final int next = backorders.next(line);
            final int order = book.lineOrder(line);
            final int waiting = book.lineBackordered(line);
            planner.begin(order, today, -1);
            planner.request(sku, waiting);
            requestLine[0] = line;
            planner.plan();
            if (planner.assignmentCount() > 0)
            {
                commitPlan(order, book.state(order) == STATE_ON_HOLD ? ALLOC_RESERVED : ALLOC_RELEASED, true);
                if (book.lineBackordered(line) == 0)
                {
                    backorders.remove(sku, line);
                }
            }
            line = next;
        }
    }

    private void advanceTime(final long timestamp)
    {
        if (timestamp <= now)
        {
            return;
        }
        now = timestamp;
        final int day = (int)Math.floorDiv(timestamp, MILLIS_PER_DAY);
        if (day != today)
        {
            today = day;
            nodes.resetDailyCounts();
            allStockFreed();
        }
        while (!holds.isEmpty() && holds.nextDue() <= now)
        {
            final long due = holds.nextDue();
            final int order = holds.pollOrder();
            if (book.state(order) == STATE_ON_HOLD && book.holdUntil(order) == due)
            {
                events.holdExpired(order);
                cancelOpenQuantities(order);
                book.state(order, book.hasShipped(order) ? STATE_COMPLETED : STATE_CANCELLED);
            }
        }
    }

    // ================================================================== parsing helpers

    private int pendingOrderOffset;
    private int pendingOrderLength;
    private int pendingNodeOffset;
    private int pendingNodeLength;

    private boolean readOrderAndNode(final int length, final int offset)
    {
        if (!readString(length, offset, Limits.ORDER_ID_LENGTH, Text.ORDER_TOO_LONG, Text.ORDER_NOT_ASCII))
        {
            return false;
        }
        pendingOrderOffset = offset;
        pendingOrderLength = length;
        return true;
    }

    private boolean readNodeAndSku(final int length, final int offset)
    {
        if (!readString(length, offset, Limits.NODE_LENGTH, Text.NODE_TOO_LONG, Text.NODE_NOT_ASCII))
        {
            return false;
        }
        pendingNodeOffset = offset;
        pendingNodeLength = length;
        return true;
    }

    private int pendingNode()
    {
        final int node = nodeCodes.find(view, pendingNodeOffset, pendingNodeLength);
        if (node == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_NODE, Text.UNKNOWN_NODE);
        }
        return node;
    }

    private int internSku()
    {
        final int sku = skuCodes.intern(view, stringOffset, stringLength);
        positions.ensureSku(sku);
        channels.ensureSku(sku);
        if (sku >= skuStamp.length)
        {
            skuStamp = java.util.Arrays.copyOf(skuStamp, Math.max(sku + 1, skuStamp.length * 2));
        }
        return sku;
    }

    private int internChannel(final int offset, final int length)
    {
        final int channel = channelCodes.intern(view, offset, length);
        channels.ensureChannel(channel);
        return channel;
    }

    private int knownOrder()
    {
        return knownOrder(stringOffset, stringLength);
    }

    private int knownOrder(final int offset, final int length)
    {
        final int order = orderIds.find(view, offset, length);
        if (order == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_ORDER, Text.UNKNOWN_ORDER);
        }
        return order;
    }

    private int knownNode()
    {
        final int node = nodeCodes.find(view, stringOffset, stringLength);
        if (node == AsciiInterner.MISSING)
        {
            reject(RejectReason.UNKNOWN_NODE, Text.UNKNOWN_NODE);
        }
        return node;
    }

    /** Validates a var-length identifier; on failure publishes the rejection and returns false. */
    private boolean readString(final int length, final int offset, final int max, final byte[] tooLong, final byte[] notAscii)
    {
        if (!checkString(offset, length, max, tooLong, notAscii))
        {
            reject(rejectReason, rejectText);
            return false;
        }
        stringOffset = offset;
        stringLength = length;
        return true;
    }

    private boolean checkString(final int offset, final int length, final int max, final byte[] tooLong, final byte[] notAscii)
    {
        if (offset + length > view.capacity())
        {
            rejectReason = RejectReason.MALFORMED;
            rejectText = Text.TRUNCATED;
            return false;
        }
        if (length > max)
        {
            rejectReason = RejectReason.STRING_TOO_LONG;
            rejectText = tooLong;
            return false;
        }
        if (length == 0)
        {
            rejectReason = RejectReason.STRING_NOT_ASCII;
            rejectText = notAscii;
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = view.getByte(offset + i);
            if (b < 0x20 || b > 0x7E)
            {
                rejectReason = RejectReason.STRING_NOT_ASCII;
                rejectText = notAscii;
                return false;
            }
        }
        return true;
    }

    private int nextStamp()
    {
        if (++stamp == Integer.MAX_VALUE)
        {
            java.util.Arrays.fill(skuStamp, 0);
            stamp = 1;
        }
        if (skuStamp.length < Limits.MAX_LINES)
        {
            skuStamp = java.util.Arrays.copyOf(skuStamp, Limits.MAX_LINES);
        }
        return stamp;
    }

    private void availabilityChanged(final int sku, final int slot)
    {
        if (config.publishAvailability())
        {
            events.availability(sku, positions.node(sku, slot), positions.atp(sku, slot));
        }
    }

    private void accept()
    {
        totals.commandsAccepted++;
        if (clientId != 0)
        {
            ledger.record(clientId, correlationId, sequence, 0);
        }
        events.accepted(correlationId, sequence, templateId, false);
    }

    private void malformed()
    {
        reject(RejectReason.MALFORMED, Text.TRUNCATED);
    }

    private void reject(final RejectReason reason, final byte[] text)
    {
        totals.commandsRejected++;
        if (clientId != 0)
        {
            ledger.record(clientId, correlationId, sequence, reason.value());
        }
        events.rejected(correlationId, sequence, templateId, reason, text, false);
    }

    // ================================================================== read access (queries, tests, snapshots)

    public long lastSequence()
    {
        return lastSequence;
    }

    public long now()
    {
        return now;
    }

    public int today()
    {
        return today;
    }

    public long eventsPublished()
    {
        return events.published();
    }

    public AsciiInterner orderIds()
    {
        return orderIds;
    }

    public AsciiInterner skuCodes()
    {
        return skuCodes;
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

    // ================================================================== snapshots (io.mete.engine.snapshot)

    /** Writes the state no public table holds: the sequence, the clock and the hold timers. */
    public void writeCoreState(final java.io.DataOutput out) throws java.io.IOException
    {
        out.writeLong(lastSequence);
        out.writeLong(now);
        out.writeInt(today);
        holds.writeTo(out);
    }

    /**
     * Restores what {@link #writeCoreState} wrote into an engine that has applied nothing, after its
     * tables have been restored through their own {@code readFrom}; sizes the per-SKU scratch arrays
     * for the restored SKUs, which never passed through this engine's interning.
     */
    public void readCoreState(final java.io.DataInput in) throws java.io.IOException
    {
        if (lastSequence != -1 || now != 0 || !holds.isEmpty())
        {
            throw new IllegalStateException("state can only be restored into an engine that has applied nothing");
        }
        lastSequence = in.readLong();
        now = in.readLong();
        today = in.readInt();
        holds.readFrom(in);
        final int skus = skuCodes.size();
        if (skus > skuStamp.length)
        {
            skuStamp = java.util.Arrays.copyOf(skuStamp, skus);
        }
        if (skus > freedStamp.length)
        {
            freedStamp = java.util.Arrays.copyOf(freedStamp, skus);
        }
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
