package io.mete.engine.snapshot;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The whole engine state as a byte stream, and back. A restored engine hashes equal to the one
 * written and, fed the same further commands, publishes the same event bytes: every id, every list
 * order (allocations, exclusions, backorder queues, the hold heap) and every counter is kept as it
 * is stored, not rebuilt.
 * <p>
 * Layout (big-endian, as {@link DataOutput} writes): the format version, then sections, each behind
 * its own tag so a misaligned or foreign stream fails at the first section rather than producing a
 * wrong state. Each table writes and reads its own section ({@code writeTo} / {@code readFrom}).
 * No checksum here: files add theirs around the payload.
 */
public final class EngineSnapshot
{
    /**
     * 5: shipments leaving nodes tomorrow (planned past their cutoff); 4: channel fences; 3: node cutoffs; 2: order retirement (free ids and storage, retention,
     * closed orders waiting). 1 to 4 are still read.
     */
    public static final int FORMAT_VERSION = 5;
    /** The oldest format this build reads. */
    public static final int FIRST_FORMAT = 1;
    private static final int RETIREMENT_FORMAT = 2;

    private static final int ORDER_IDS = 0x4D530001;
    private static final int SKU_CODES = 0x4D530002;
    private static final int NODE_CODES = 0x4D530003;
    private static final int CHANNEL_CODES = 0x4D530004;
    private static final int NODES = 0x4D530005;
    private static final int RATE_CARD = 0x4D530006;
    private static final int POLICIES = 0x4D530007;
    private static final int POSITIONS = 0x4D530008;
    private static final int CHANNELS = 0x4D530009;
    private static final int ORDER_BOOK = 0x4D53000A;
    private static final int BACKORDERS = 0x4D53000B;
    private static final int LEDGER = 0x4D53000C;
    private static final int TOTALS = 0x4D53000D;
    private static final int CORE = 0x4D53000E;
    private static final int RETIREMENT = 0x4D53000F;
    private static final int NODE_CUTOFFS = 0x4D530010;
    private static final int CHANNEL_FENCES = 0x4D530011;
    private static final int NEXT_DAY_SHIPMENTS = 0x4D530012;
    private static final int END = 0x4D5300FF;

    private EngineSnapshot()
    {
    }

    /** Writes the engine's state. Call it between commands, on the thread that applies them. */
    public static void write(final AllocationEngine engine, final DataOutput out) throws IOException
    {
        out.writeInt(FORMAT_VERSION);
        out.writeInt(ORDER_IDS);
        engine.orderIds().writeTo(out);
        out.writeInt(SKU_CODES);
        engine.skuCodes().writeTo(out);
        out.writeInt(NODE_CODES);
        engine.nodeCodes().writeTo(out);
        out.writeInt(CHANNEL_CODES);
        engine.channelCodes().writeTo(out);
        out.writeInt(NODES);
        engine.nodes().writeTo(out);
        out.writeInt(RATE_CARD);
        engine.rateCard().writeTo(out);
        out.writeInt(POLICIES);
        engine.policies().writeTo(out);
        out.writeInt(POSITIONS);
        engine.positions().writeTo(out);
        out.writeInt(CHANNELS);
        engine.channels().writeTo(out, engine.skuCodes().size());
        out.writeInt(ORDER_BOOK);
        engine.book().writeTo(out);
        out.writeInt(BACKORDERS);
        engine.backorders().writeTo(out);
        out.writeInt(LEDGER);
        engine.ledger().writeTo(out);
        out.writeInt(TOTALS);
        engine.totals().writeTo(out);
        out.writeInt(CORE);
        engine.writeCoreState(out);
        out.writeInt(RETIREMENT);
        engine.writeRetirementState(out);
        out.writeInt(NODE_CUTOFFS);
        engine.nodes().writeCutoffsTo(out);
        out.writeInt(CHANNEL_FENCES);
        engine.channels().writeFencesTo(out, engine.skuCodes().size());
        out.writeInt(NEXT_DAY_SHIPMENTS);
        engine.nodes().writeNextDayShipmentsTo(out);
        out.writeInt(END);
    }

    /**
     * Builds a new engine with {@code config} (array sizing and publishing switches; tables grow to
     * the snapshot where it is larger) publishing to {@code sink}, and restores the state into it.
     *
     * @throws IOException when the stream ends early, has another format version, or is not a snapshot
     */
    public static AllocationEngine read(final DataInput in, final EngineConfig config, final EventSink sink) throws IOException
    {
        final int version = in.readInt();
        if (version < FIRST_FORMAT || version > FORMAT_VERSION)
        {
            throw new IOException("snapshot format version " + version + " is not supported (this build reads " + FIRST_FORMAT + " to " + FORMAT_VERSION + ")");
        }
        // "current" here: the order book and id formats that came with retirement (2), which 3 keeps
        final boolean current = version >= RETIREMENT_FORMAT;
        final AllocationEngine engine = new AllocationEngine(config, sink);
        expect(in, ORDER_IDS, "order ids");
        engine.orderIds().readFrom(in, current);
        expect(in, SKU_CODES, "SKU codes");
        engine.skuCodes().readFrom(in, current);
        expect(in, NODE_CODES, "node codes");
        engine.nodeCodes().readFrom(in, current);
        expect(in, CHANNEL_CODES, "channel codes");
        engine.channelCodes().readFrom(in, current);
        expect(in, NODES, "nodes");
        engine.nodes().readFrom(in);
        expect(in, RATE_CARD, "rate card");
        engine.rateCard().readFrom(in);
        expect(in, POLICIES, "sourcing policies");
        engine.policies().readFrom(in);
        expect(in, POSITIONS, "positions");
        engine.positions().readFrom(in);
        expect(in, CHANNELS, "channel allocation");
        engine.channels().readFrom(in);
        expect(in, ORDER_BOOK, "order book");
        engine.book().readFrom(in, current);
        expect(in, BACKORDERS, "backorder queues");
        engine.backorders().readFrom(in);
        expect(in, LEDGER, "client ledger");
        engine.ledger().readFrom(in);
        expect(in, TOTALS, "totals");
        engine.totals().readFrom(in);
        expect(in, CORE, "sequence, clock and hold timers");
        engine.readCoreState(in);
        if (current)
        {
            expect(in, RETIREMENT, "order retirement");
            engine.readRetirementState(in);
        }
        if (version >= 3)
        {
            expect(in, NODE_CUTOFFS, "node cutoffs");
            engine.nodes().readCutoffsFrom(in);
        }
        if (version >= 4)
        {
            expect(in, CHANNEL_FENCES, "channel fences");
            engine.channels().readFencesFrom(in);
        }
        if (version >= 5)
        {
            expect(in, NEXT_DAY_SHIPMENTS, "shipments leaving tomorrow");
            engine.nodes().readNextDayShipmentsFrom(in);
        }
        engine.clockRestored();
        expect(in, END, "end");
        checkConsistent(engine);
        return engine;
    }

    private static void expect(final DataInput in, final int tag, final String section) throws IOException
    {
        final int found = in.readInt();
        if (found != tag)
        {
            throw new IOException(String.format("snapshot: expected section '%s' (tag %08x), found %08x", section, tag, found));
        }
    }

    /** Cheap cross-table checks: a stream that parses but does not describe one engine is refused. */
    private static void checkConsistent(final AllocationEngine engine) throws IOException
    {
        check(engine.book().orderCount() == engine.orderIds().size(),
            "orders " + engine.book().orderCount() + " != order ids " + engine.orderIds().size());
        check(engine.positions().skuCount() <= engine.skuCodes().size(),
            "position SKUs " + engine.positions().skuCount() + " > SKU codes " + engine.skuCodes().size());
        for (int order = 0; order < engine.book().orderCount(); order++)
        {
            check(engine.orderIds().isLive(order) == engine.book().exists(order),
                "order " + order + " is " + (engine.book().exists(order) ? "kept" : "retired") + " but its id is not");
        }
        check(engine.nodes().count() == engine.nodeCodes().size(),
            "nodes " + engine.nodes().count() + " != node codes " + engine.nodeCodes().size());
    }

    private static void check(final boolean condition, final String message) throws IOException
    {
        if (!condition)
        {
            throw new IOException("snapshot is inconsistent: " + message);
        }
    }
}
