package io.mete.engine.harness;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.command.MessageFormatter;
import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.harness.Events.*;
import io.mete.schema.*;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Drives one {@link AllocationEngine} the way the ring-buffer host does: every command gets the next
 * global sequence and the harness clock as its timestamp. Each command's output is captured both as
 * raw bytes and decoded ({@link Events}), and every command is kept so the run can be replayed into
 * a fresh engine.
 */
public final class EngineHarness
{
    /** 2026-01-01T00:00:00Z; the harness clock starts here. */
    public static final long START = 1_767_225_600_000L;
    public static final long DAY = AllocationEngine.MILLIS_PER_DAY;
    public static final String WEB = "web";
    public static final String MARKET = "market";
    /** Where nodes and orders sit unless a test says otherwise. */
    public static final double HOME_LATITUDE = 40.0;
    public static final double HOME_LONGITUDE = -100.0;

    /** One command as it was applied. */
    public record Command(long sequence, long timestamp, int clientId, byte[] bytes)
    {
    }

    private final EngineConfig config;
    private final AllocationEngine engine;
    private final CommandWriter writer = new CommandWriter();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 16]);
    private final MessageFormatter formatter = new MessageFormatter();
    private final List<Command> history = new ArrayList<>();
    private final List<byte[]> stream = new ArrayList<>();
    private boolean keepHistory = true;
    private boolean keepStream = true;
    private long sequence;
    private long time = START;
    private long correlation = 1;
    private Result current = new Result();
    private final MessageDigest digest = sha256();
    private long events;

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public EngineHarness()
    {
        this(smallConfig());
    }

    public EngineHarness(final EngineConfig config)
    {
        this.config = config;
        this.engine = new AllocationEngine(config, this::onEvent);
    }

    /** A harness over the engine a snapshot restores (its own tables' sizes), its clock at {@code now}. */
    public static EngineHarness restore(final byte[] snapshot, final long now) throws java.io.IOException
    {
        return new EngineHarness(smallConfig(), snapshot, now);
    }

    private EngineHarness(final EngineConfig config, final byte[] snapshot, final long now) throws java.io.IOException
    {
        this.config = config;
        this.engine = io.mete.engine.snapshot.EngineSnapshot.read(
            new java.io.DataInputStream(new java.io.ByteArrayInputStream(snapshot)), config, this::onEvent);
        this.time = now;
        this.sequence = engine.lastSequence();
    }

    public static EngineConfig smallConfig()
    {
        return EngineConfig.defaults().expectedNodes(16).expectedSkus(64).expectedOrders(256).expectedLinesPerOrder(2);
    }

    /** Stops keeping commands and raw events (long randomized runs). */
    public EngineHarness lean()
    {
        keepHistory = false;
        keepStream = false;
        return this;
    }

    /** Keeps the commands (for replay) but only a digest of the events. */
    public EngineHarness withoutStream()
    {
        keepStream = false;
        return this;
    }

    /** SHA-256 over every byte the engine emitted, in order. */
    public String streamDigest()
    {
        try
        {
            return java.util.HexFormat.of().formatHex(((MessageDigest)digest.clone()).digest());
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public long eventCount()
    {
        return events;
    }

    public AllocationEngine engine()
    {
        return engine;
    }

    public List<Command> history()
    {
        return history;
    }

    /** Every message the engine emitted so far, as bytes, in order. */
    public List<byte[]> stream()
    {
        return stream;
    }

    public long stateHash()
    {
        return engine.stateHash();
    }

    // ------------------------------------------------------------------ time

    public long now()
    {
        return time;
    }

    public int today()
    {
        return (int)Math.floorDiv(time, DAY);
    }

    public EngineHarness advance(final long millis)
    {
        time += millis;
        return this;
    }

    public EngineHarness at(final long timestamp)
    {
        time = timestamp;
        return this;
    }

    // ------------------------------------------------------------------ sending

    private void onEvent(final DirectBuffer source, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        source.getBytes(offset, bytes);
        digest.update(bytes);
        events++;
        if (keepStream)
        {
            current.add(bytes, formatter.format(source, offset, length));
            stream.add(bytes);
        }
        else
        {
            current.add(bytes, null);
        }
    }

    /** Applies the command encoded at the start of the harness buffer. */
    public Result send(final int length)
    {
        return send(0, length);
    }

    public Result send(final int clientId, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return apply(clientId, bytes);
    }

    /** Applies arbitrary bytes as the next command. */
    public Result raw(final byte[] bytes)
    {
        return apply(0, bytes);
    }

    public Result apply(final int clientId, final byte[] bytes)
    {
        // a query takes no sequence, as in the pipeline, which neither journals nor numbers it
        final long seq = AllocationEngine.isQuery(new UnsafeBuffer(bytes), 0, bytes.length) ? sequence : ++sequence;
        if (keepHistory)
        {
            history.add(new Command(seq, time, clientId, bytes));
        }
        current = new Result();
        engine.apply(seq, time, clientId, new UnsafeBuffer(bytes), 0, bytes.length);
        return current;
    }

    /** Encodes a command with the writer, returning its bytes without applying it. */
    public byte[] encode(final IntUnaryOperator write)
    {
        final int length = write.applyAsInt(0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    public CommandWriter writer()
    {
        return writer;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public long nextCorrelation()
    {
        return correlation++;
    }

    // ------------------------------------------------------------------ replay

    /** A fresh engine fed this run's commands, with the same sequences and timestamps. */
    public EngineHarness replay()
    {
        return replay(history.size(), null);
    }

    /** A fresh engine fed only what a journal keeps: every command except the queries. */
    public EngineHarness replayJournaled()
    {
        final EngineHarness copy = new EngineHarness(config);
        copy.keepStream = keepStream;
        copy.keepHistory = keepHistory;
        for (final Command command : history)
        {
            if (command.bytes().length < MessageHeaderEncoder.ENCODED_LENGTH ||
                !AllocationEngine.isQuery(MessageFormatter.templateId(new UnsafeBuffer(command.bytes()), 0)))
            {
                copy.reapply(command);
            }
        }
        return copy;
    }

    /**
     * The state hash a fresh engine reaches from this run's commands when the last one is replaced by
     * a message no engine can read (an unknown template) at the same sequence and time: the state a
     * rejected command must leave behind.
     */
    public long hashIfLastCommandWereUnreadable()
    {
        final Command last = history.get(history.size() - 1);
        return replay(history.size() - 1, new Command(last.sequence(), last.timestamp(), 0, unknownTemplate())).stateHash();
    }

    private EngineHarness replay(final int commands, final Command extra)
    {
        final EngineHarness copy = new EngineHarness(config);
        copy.keepStream = keepStream;
        copy.keepHistory = keepHistory;
        for (int i = 0; i < commands; i++)
        {
            copy.reapply(history.get(i));
        }
        if (extra != null)
        {
            copy.reapply(extra);
        }
        return copy;
    }

    private void reapply(final Command command)
    {
        if (keepHistory)
        {
            history.add(command);
        }
        sequence = command.sequence();
        time = command.timestamp();
        current = new Result();
        engine.apply(command.sequence(), command.timestamp(), command.clientId(), new UnsafeBuffer(command.bytes()), 0,
            command.bytes().length);
    }

    public static byte[] unknownTemplate()
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + 8]);
        new MessageHeaderEncoder().wrap(bytes, 0).blockLength(8).templateId(999).schemaId(MessageHeaderEncoder.SCHEMA_ID)
            .version(MessageHeaderEncoder.SCHEMA_VERSION);
        return bytes.byteArray();
    }

    // ------------------------------------------------------------------ configuration

    public NodeSpec node(final String code)
    {
        return new NodeSpec(code);
    }

    /** A DC at the home location serving every channel, handling cost {@code cost}, no handling days. */
    public Result dc(final String code, final int cost)
    {
        return node(code).handling(cost, 0).define();
    }

    public Result nodeStatus(final String node, final boolean online)
    {
        return send(writer.setNodeStatus(buffer, 0, correlation++, node, online));
    }

    /** ExplainOrder: the order's backordered units (or all of it) planned now, node by node. */
    public Result explainOrder(final String orderId)
    {
        return send(writer.explainOrder(buffer, 0, correlation++, orderId));
    }

    /** SetNodeCutoff: {@code minute} after midnight UTC, 0 = none. */
    public Result cutoff(final String node, final int minute)
    {
        return send(writer.setNodeCutoff(buffer, 0, correlation++, node, minute));
    }

    public Result rateCard(final int[] bandsKm, final int[][] rates)
    {
        return send(writer.setRateCard(buffer, 0, correlation++, bandsKm, rates));
    }

    /**
     * The small network the promise, explanation and cutoff tests plan on: a rate card with zone 0
     * up to 500 km (standard: 400, 1 day) and zone 1 up to 5000 km (standard: 900, 3 days), plus
     * {@code moreRates} ({service, zone, cost, days}); NEAR, 1° north of home (handling 100, same
     * day), and FAR, near Atlanta (handling 50, 1 day), both serving {@code channels}. Asserts each
     * command accepted.
     */
    public void nearAndFar(final String[] channels, final int[]... moreRates)
    {
        final int[][] rates = new int[2 + moreRates.length][];
        rates[0] = new int[] {0, 0, 400, 1};
        rates[1] = new int[] {0, 1, 900, 3};
        System.arraycopy(moreRates, 0, rates, 2, moreRates.length);
        rateCard(new int[] {500, 5000}, rates).assertAccepted();
        node("NEAR").at(HOME_LATITUDE + 1.0, HOME_LONGITUDE).handling(100, 0).channels(channels).define().assertAccepted();
        node("FAR").at(33.0, -84.0).handling(50, 1).channels(channels).define().assertAccepted();
    }

    public PolicySpec policy(final String channel)
    {
        return new PolicySpec(channel);
    }

    public Result cap(final String channel, final String sku, final int cap)
    {
        return send(writer.setChannelCap(buffer, 0, correlation++, channel, sku, cap));
    }

    public Result fence(final String channel, final String sku, final int units)
    {
        return send(writer.setChannelFence(buffer, 0, correlation++, channel, sku, units));
    }

    // ------------------------------------------------------------------ inventory

    public Result onHand(final String node, final String sku, final int quantity)
    {
        return send(writer.setOnHand(buffer, 0, correlation++, node, sku, quantity));
    }

    public Result adjust(final String node, final String sku, final int delta)
    {
        return send(writer.adjustOnHand(buffer, 0, correlation++, node, sku, delta, delta >= 0 ? AdjustReason.RECEIPT : AdjustReason.DAMAGE));
    }

    public Result safety(final String node, final String sku, final int quantity)
    {
        return send(writer.setSafetyStock(buffer, 0, correlation++, node, sku, quantity));
    }

    // ------------------------------------------------------------------ orders

    public OrderSpec order(final String orderId)
    {
        return new OrderSpec(orderId);
    }

    public Result release(final String orderId)
    {
        return send(writer.releaseHold(buffer, 0, correlation++, orderId));
    }

    public Result cancel(final String orderId)
    {
        return send(writer.cancelOrder(buffer, 0, correlation++, orderId));
    }

    public Result cancelLine(final String orderId, final int line, final int quantity)
    {
        return send(writer.cancelLine(buffer, 0, correlation++, orderId, line, quantity));
    }

    /** Pick confirmation for one line. */
    public Result pick(final String orderId, final String node, final int line, final int picked)
    {
        return pick(orderId, node, new int[] {line}, new int[] {picked});
    }

    public Result pick(final String orderId, final String node, final int[] lines, final int[] picked)
    {
        return send(writer.confirmPick(buffer, 0, correlation++, orderId, node, lines, picked));
    }

    public Result rejectAllocation(final String orderId, final String node)
    {
        return send(writer.rejectAllocation(buffer, 0, correlation++, orderId, node));
    }

    public Result ship(final String orderId, final String node)
    {
        return ship(orderId, node, "TRK-" + orderId + "-" + node);
    }

    public Result ship(final String orderId, final String node, final String tracking)
    {
        return send(writer.confirmShipment(buffer, 0, correlation++, orderId, node, tracking));
    }

    public Result deliver(final String orderId, final String node)
    {
        return send(writer.confirmDelivery(buffer, 0, correlation++, orderId, node));
    }

    public Result returnItems(final String orderId, final String node, final int line, final int quantity, final boolean sellable)
    {
        return returnItems(orderId, node, new int[] {line}, new int[] {quantity}, new boolean[] {sellable});
    }

    public Result returnItems(final String orderId, final String node, final int[] lines, final int[] quantities, final boolean[] sellable)
    {
        return send(writer.returnItems(buffer, 0, correlation++, orderId, node, lines, quantities, sellable));
    }

    public Result changeDelivery(final String orderId, final ServiceLevel service, final double latitude, final double longitude,
        final int latestDay)
    {
        return send(writer.changeDelivery(buffer, 0, correlation++, orderId, service, latitude, longitude, latestDay));
    }

    public Result tick()
    {
        return send(writer.tick(buffer, 0, correlation++));
    }

    public Result retention(final long millis)
    {
        return send(writer.setOrderRetention(buffer, 0, correlation++, millis));
    }

    // ------------------------------------------------------------------ queries

    public OrderStatus status(final String orderId)
    {
        return send(writer.queryOrder(buffer, 0, correlation++, orderId)).one(OrderStatus.class);
    }

    public Availability availability(final String sku)
    {
        return send(writer.queryAvailability(buffer, 0, correlation++, sku)).one(Availability.class);
    }

    public NodeLoad nodeLoad(final String node)
    {
        return send(writer.queryNodeLoad(buffer, 0, correlation++, node)).one(NodeLoad.class);
    }

    public Totals totals()
    {
        return send(writer.queryTotals(buffer, 0, correlation++)).one(Totals.class);
    }

    public StateHash stateHashQuery()
    {
        return send(writer.queryStateHash(buffer, 0, correlation++)).one(StateHash.class);
    }

    // ------------------------------------------------------------------ direct state reads

    private int slot(final String node, final String sku)
    {
        final int n = engine.nodeCodes().find(node);
        final int s = engine.skuCodes().find(sku);
        if (n < 0 || s < 0)
        {
            return -1;
        }
        return engine.positions().slotOf(s, n);
    }

    public int onHandAt(final String node, final String sku)
    {
        final int slot = slot(node, sku);
        return slot < 0 ? 0 : engine.positions().onHand(engine.skuCodes().find(sku), slot);
    }

    public int reservedAt(final String node, final String sku)
    {
        final int slot = slot(node, sku);
        return slot < 0 ? 0 : engine.positions().reserved(engine.skuCodes().find(sku), slot);
    }

    public int atpAt(final String node, final String sku)
    {
        final int slot = slot(node, sku);
        return slot < 0 ? 0 : engine.positions().atp(engine.skuCodes().find(sku), slot);
    }

    // ------------------------------------------------------------------ builders

    public final class NodeSpec
    {
        private final String code;
        private NodeType type = NodeType.DC;
        private boolean enabled = true;
        private double latitude = HOME_LATITUDE;
        private double longitude = HOME_LONGITUDE;
        private int capacity;
        private int handlingCost = 100;
        private int handlingDays;
        private String[] channels = new String[0];

        private NodeSpec(final String code)
        {
            this.code = code;
        }

        public NodeSpec type(final NodeType type)
        {
            this.type = type;
            return this;
        }

        public NodeSpec store()
        {
            return type(NodeType.STORE);
        }

        public NodeSpec disabled()
        {
            enabled = false;
            return this;
        }

        public NodeSpec at(final double latitude, final double longitude)
        {
            this.latitude = latitude;
            this.longitude = longitude;
            return this;
        }

        public NodeSpec capacity(final int shipmentsPerDay)
        {
            capacity = shipmentsPerDay;
            return this;
        }

        public NodeSpec handling(final int cost, final int days)
        {
            handlingCost = cost;
            handlingDays = days;
            return this;
        }

        public NodeSpec channels(final String... channels)
        {
            this.channels = channels;
            return this;
        }

        public Result define()
        {
            return send(writer.defineNode(buffer, 0, correlation++, code, type, enabled, latitude, longitude, capacity, handlingCost,
                handlingDays, channels));
        }
    }

    public final class PolicySpec
    {
        private final String channel;
        private SourcingStrategy strategy = SourcingStrategy.COST;
        private int penalty = 500;
        private int maxShipments = 4;
        private boolean split = true;
        private boolean stores = true;
        private ShortfallAction shortfall = ShortfallAction.BACKORDER;

        private PolicySpec(final String channel)
        {
            this.channel = channel;
        }

        public PolicySpec strategy(final SourcingStrategy strategy)
        {
            this.strategy = strategy;
            return this;
        }

        public PolicySpec firstFit()
        {
            return strategy(SourcingStrategy.FIRST_FIT);
        }

        public PolicySpec penalty(final int penalty)
        {
            this.penalty = penalty;
            return this;
        }

        public PolicySpec maxShipments(final int maxShipments)
        {
            this.maxShipments = maxShipments;
            return this;
        }

        public PolicySpec split(final boolean split)
        {
            this.split = split;
            return this;
        }

        public PolicySpec stores(final boolean stores)
        {
            this.stores = stores;
            return this;
        }

        public PolicySpec rejectShortfall()
        {
            shortfall = ShortfallAction.REJECT;
            return this;
        }

        public Result set()
        {
            return send(writer.setSourcingPolicy(buffer, 0, correlation++, channel, strategy, penalty, maxShipments, split, stores, shortfall));
        }
    }

    public final class OrderSpec
    {
        private final String orderId;
        private final List<String> skus = new ArrayList<>();
        private final List<Integer> quantities = new ArrayList<>();
        private String channel = WEB;
        private int priority = 5;
        private ServiceLevel service = ServiceLevel.STANDARD;
        private double latitude = HOME_LATITUDE;
        private double longitude = HOME_LONGITUDE;
        private int latestDay;
        private long holdUntil;

        private OrderSpec(final String orderId)
        {
            this.orderId = orderId;
        }

        public OrderSpec line(final String sku, final int quantity)
        {
            skus.add(sku);
            quantities.add(quantity);
            return this;
        }

        public OrderSpec channel(final String channel)
        {
            this.channel = channel;
            return this;
        }

        public OrderSpec priority(final int priority)
        {
            this.priority = priority;
            return this;
        }

        public OrderSpec service(final ServiceLevel service)
        {
            this.service = service;
            return this;
        }

        public OrderSpec to(final double latitude, final double longitude)
        {
            this.latitude = latitude;
            this.longitude = longitude;
            return this;
        }

        public OrderSpec latestDay(final int day)
        {
            latestDay = day;
            return this;
        }

        public OrderSpec holdUntil(final long timestamp)
        {
            holdUntil = timestamp;
            return this;
        }

        public int encode()
        {
            return writer.placeOrder(buffer, 0, correlation++, orderId, channel, priority, service, latitude, longitude, latestDay,
                holdUntil, skus.toArray(new String[0]), quantities.stream().mapToInt(Integer::intValue).toArray());
        }

        public byte[] bytes()
        {
            final int length = encode();
            final byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            return bytes;
        }

        public Result place()
        {
            return send(encode());
        }

        /** The same lines, channel, service, destination and delivery day as a QueryPromise (order id, priority and hold play no part). */
        public int encodePromise()
        {
            return writer.queryPromise(buffer, 0, correlation++, channel, service, latitude, longitude, latestDay,
                skus.toArray(new String[0]), quantities.stream().mapToInt(Integer::intValue).toArray());
        }

        /** Asks where and when this order would ship if placed now. */
        public Result quote()
        {
            return send(encodePromise());
        }

        public Events.Promise promise()
        {
            return quote().one(Events.Promise.class);
        }

        /** The same question as {@link #quote}, answered with every candidate node's verdict. */
        public Result explain()
        {
            return send(writer.explainSourcing(buffer, 0, correlation++, channel, service, latitude, longitude, latestDay,
                skus.toArray(new String[0]), quantities.stream().mapToInt(Integer::intValue).toArray()));
        }

        public Events.Explanation explanation()
        {
            return explain().one(Events.Explanation.class);
        }
    }

    // ------------------------------------------------------------------ result of one command

    /** Everything the engine emitted for one command. */
    public static final class Result
    {
        private final List<Object> events = new ArrayList<>();
        private final List<byte[]> raw = new ArrayList<>();
        private final List<String> text = new ArrayList<>();

        void add(final byte[] bytes, final String formatted)
        {
            raw.add(bytes);
            text.add(formatted);
        }

        /** The output decoded (on first use, so long runs that never look pay nothing). */
        public List<Object> events()
        {
            while (events.size() < raw.size())
            {
                final byte[] bytes = raw.get(events.size());
                events.add(Events.decode(new UnsafeBuffer(bytes), 0, bytes.length));
            }
            return events;
        }

        public List<byte[]> raw()
        {
            return raw;
        }

        public boolean isAccepted()
        {
            return !all(Accepted.class).isEmpty();
        }

        public Rejected rejection()
        {
            return one(Rejected.class);
        }

        public Result assertAccepted()
        {
            if (!isAccepted() || !all(Rejected.class).isEmpty())
            {
                throw new AssertionError("expected the command to be accepted:\n" + this);
            }
            return this;
        }

        public Result assertRejected(final RejectReason reason)
        {
            final List<Rejected> rejections = all(Rejected.class);
            if (rejections.size() != 1 || rejections.get(0).reason() != reason || isAccepted())
            {
                throw new AssertionError("expected one rejection " + reason + ":\n" + this);
            }
            return this;
        }

        public <T> List<T> all(final Class<T> type)
        {
            final List<T> found = new ArrayList<>();
            for (final Object event : events())
            {
                if (type.isInstance(event))
                {
                    found.add(type.cast(event));
                }
            }
            return found;
        }

        public <T> T one(final Class<T> type)
        {
            final List<T> found = all(type);
            if (found.size() != 1)
            {
                throw new AssertionError("expected exactly one " + type.getSimpleName() + ", got " + found.size() + ":\n" + this);
            }
            return found.get(0);
        }

        public List<Allocated> allocations()
        {
            return all(Allocated.class);
        }

        /** The single shipment of this command. */
        public Allocated allocation()
        {
            return one(Allocated.class);
        }

        /** Nodes of the shipments, in the order the engine published them. */
        public List<String> allocatedNodes()
        {
            return allocations().stream().map(Allocated::node).toList();
        }

        @Override
        public String toString()
        {
            final List<String> lines = new ArrayList<>();
            final List<Object> decoded = events();
            for (int i = 0; i < decoded.size(); i++)
            {
                lines.add(text.get(i) != null ? text.get(i) : decoded.get(i).toString());
            }
            return lines.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", lines);
        }
    }
}
