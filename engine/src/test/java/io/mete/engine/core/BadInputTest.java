package io.mete.engine.core;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every reject reason the engine produces, each from a command that provokes it, and in every case
 * the engine's state hash equals the one it reaches when the same command is replaced by a message
 * it cannot read at all: a rejected command has no partial effect.
 * <p>
 * NOT_LOGGED_IN, NOT_PERMITTED and BUSY belong to the gateway's session handling; the engine never
 * produces them. DUPLICATE_REQUEST is covered by {@link ClientLedgerTest}.
 */
class BadInputTest
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final Set<RejectReason> GATEWAY_ONLY =
        EnumSet.of(RejectReason.NOT_LOGGED_IN, RejectReason.NOT_PERMITTED, RejectReason.BUSY, RejectReason.DUPLICATE_REQUEST);

    /** A small world with an order in every state a lifecycle command can meet. */
    static EngineHarness fixture()
    {
        final EngineHarness h = new EngineHarness();
        h.policy(WEB).set().assertAccepted();
        h.policy("strict").rejectShortfall().set().assertAccepted();
        h.dc("N1", 100).assertAccepted();
        h.dc("N2", 200).assertAccepted();
        h.onHand("N1", "A", 10).assertAccepted();
        h.onHand("N1", "B", 10).assertAccepted();
        h.onHand("N2", "A", 5).assertAccepted();
        h.onHand("N2", "C", 0).assertAccepted();
        h.order("OPEN").line("A", 2).line("B", 1).place().assertAccepted();
        h.order("HELD").line("A", 1).holdUntil(h.now() + 3_600_000).place().assertAccepted();
        h.order("GONE").line("A", 1).place().assertAccepted();
        h.cancel("GONE").assertAccepted();
        h.order("SENT").line("B", 1).place().assertAccepted();
        h.ship("SENT", "N1").assertAccepted();
        h.order("BACK").line("C", 1).place().assertAccepted();
        return h;
    }

    record Case(String name, RejectReason reason, Function<EngineHarness, byte[]> command)
    {
        @Override
        public String toString()
        {
            return reason + ": " + name;
        }
    }

    // ------------------------------------------------------------------ byte surgery

    static byte[] header(final byte[] bytes, final int blockLength, final int templateId, final int schemaId, final int version)
    {
        final byte[] copy = bytes.clone();
        final MessageHeaderEncoder header = new MessageHeaderEncoder().wrap(new UnsafeBuffer(copy), 0);
        if (blockLength >= 0)
        {
            header.blockLength(blockLength);
        }
        if (templateId >= 0)
        {
            header.templateId(templateId);
        }
        if (schemaId >= 0)
        {
            header.schemaId(schemaId);
        }
        if (version >= 0)
        {
            header.version(version);
        }
        return copy;
    }

    static byte[] putByte(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[offset] = (byte)value;
        return copy;
    }

    static byte[] putShort(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putShort(offset, (short)value, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    /** Replaces the first occurrence of an ASCII marker with raw bytes of the same length. */
    static byte[] patch(final byte[] bytes, final String marker, final byte... replacement)
    {
        final byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        assertEquals(m.length, replacement.length);
        for (int i = 0; i + m.length <= bytes.length; i++)
        {
            if (Arrays.equals(bytes, i, i + m.length, m, 0, m.length))
            {
                final byte[] copy = bytes.clone();
                System.arraycopy(replacement, 0, copy, i, m.length);
                return copy;
            }
        }
        throw new AssertionError("marker not found: " + marker);
    }

    static byte[] truncate(final byte[] bytes, final int drop)
    {
        return Arrays.copyOf(bytes, bytes.length - drop);
    }

    /** Offset of the group header that follows the PlaceOrder root block. */
    static int placeOrderGroup()
    {
        return HEADER + PlaceOrderEncoder.BLOCK_LENGTH;
    }

    // ------------------------------------------------------------------ command shorthands

    static byte[] order(final EngineHarness h, final String id, final String channel, final String[] skus, final int[] quantities)
    {
        return h.encode(at -> h.writer().placeOrder(h.buffer(), at, 1, id, channel, 5, ServiceLevel.STANDARD, HOME_LATITUDE,
            HOME_LONGITUDE, 0, 0, skus, quantities));
    }

    static byte[] order(final EngineHarness h, final String id, final String sku, final int quantity)
    {
        return order(h, id, WEB, new String[] {sku}, new int[] {quantity});
    }

    static byte[] onHand(final EngineHarness h, final String node, final String sku, final int quantity)
    {
        return h.encode(at -> h.writer().setOnHand(h.buffer(), at, 1, node, sku, quantity));
    }

    static byte[] adjust(final EngineHarness h, final String node, final String sku, final int delta)
    {
        return h.encode(at -> h.writer().adjustOnHand(h.buffer(), at, 1, node, sku, delta, AdjustReason.CORRECTION));
    }

    static byte[] defineNode(final EngineHarness h, final String node, final String... channels)
    {
        return h.encode(at -> h.writer().defineNode(h.buffer(), at, 1, node, NodeType.DC, true, HOME_LATITUDE, HOME_LONGITUDE, 0, 100, 0,
            channels));
    }

    static byte[] policy(final EngineHarness h, final String channel, final int maxShipments)
    {
        return h.encode(at -> h.writer().setSourcingPolicy(h.buffer(), at, 1, channel, SourcingStrategy.COST, 500, maxShipments, true, true,
            ShortfallAction.BACKORDER));
    }

    static byte[] pick(final EngineHarness h, final String order, final String node, final int[] lines, final int[] picked)
    {
        return h.encode(at -> h.writer().confirmPick(h.buffer(), at, 1, order, node, lines, picked));
    }

    static byte[] returns(final EngineHarness h, final String order, final String node, final int[] lines, final int[] quantities)
    {
        final boolean[] sellable = new boolean[lines.length];
        Arrays.fill(sellable, true);
        return h.encode(at -> h.writer().returnItems(h.buffer(), at, 1, order, node, lines, quantities, sellable));
    }

    static byte[] ship(final EngineHarness h, final String order, final String node, final String tracking)
    {
        return h.encode(at -> h.writer().confirmShipment(h.buffer(), at, 1, order, node, tracking));
    }

    static byte[] rateCard(final EngineHarness h, final int[] bands, final int[][] rates)
    {
        return h.encode(at -> h.writer().setRateCard(h.buffer(), at, 1, bands, rates));
    }

    static int[] range(final int n)
    {
        final int[] values = new int[n];
        Arrays.setAll(values, i -> i);
        return values;
    }

    static int[] ones(final int n)
    {
        final int[] values = new int[n];
        Arrays.fill(values, 1);
        return values;
    }

    static String[] skus(final int n)
    {
        final String[] values = new String[n];
        Arrays.setAll(values, i -> "S" + i);
        return values;
    }

    // ------------------------------------------------------------------ the cases

    static List<Case> cases()
    {
        final List<Case> c = new ArrayList<>();
        final RejectReason malformed = RejectReason.MALFORMED;
        c.add(new Case("4 bytes, shorter than a header", malformed, h -> new byte[4]));
        c.add(new Case("header without correlation id", malformed, h -> Arrays.copyOf(onHand(h, "N1", "A", 1), HEADER)));
        c.add(new Case("block length below the schema's", malformed, h -> header(order(h, "NEW", "A", 1), 4, -1, -1, -1)));
        c.add(new Case("last string cut short", malformed, h -> truncate(order(h, "NEW", "A", 1), 2)));
        c.add(new Case("group claims more lines than sent", malformed, h -> putShort(order(h, "NEW", "A", 1), placeOrderGroup() + 2, 5)));
        c.add(new Case("group block length below the schema's", malformed,
            h -> putShort(order(h, "NEW", "A", 1), placeOrderGroup(), 2)));
        c.add(new Case("pick group block length below the schema's", malformed,
            h -> putShort(pick(h, "OPEN", "N1", new int[] {0}, new int[] {1}), HEADER + ConfirmPickEncoder.BLOCK_LENGTH, 1)));
        c.add(new Case("on-hand without its SKU", malformed, h -> truncate(onHand(h, "N1", "A", 1), 2)));

        c.add(new Case("template id no command has", RejectReason.UNKNOWN_TEMPLATE, h -> header(onHand(h, "N1", "A", 1), -1, 49, -1, -1)));
        c.add(new Case("an event sent as a command", RejectReason.UNKNOWN_TEMPLATE,
            h -> header(onHand(h, "N1", "A", 1), -1, CommandAcceptedEncoder.TEMPLATE_ID, -1, -1)));

        c.add(new Case("another schema's id", RejectReason.UNSUPPORTED_VERSION, h -> header(onHand(h, "N1", "A", 1), -1, -1, 1, -1)));
        c.add(new Case("newer schema version", RejectReason.UNSUPPORTED_VERSION,
            h -> header(onHand(h, "N1", "A", 1), -1, -1, -1, MessageHeaderEncoder.SCHEMA_VERSION + 1)));
        c.add(new Case("query with another schema's id", RejectReason.UNSUPPORTED_VERSION,
            h -> header(h.encode(at -> h.writer().queryTotals(h.buffer(), at, 1)), -1, -1, 9, -1)));

        final RejectReason tooLong = RejectReason.STRING_TOO_LONG;
        c.add(new Case("order id of 65 bytes", tooLong, h -> order(h, "O".repeat(65), "A", 1)));
        c.add(new Case("SKU of 33 bytes on an order line", tooLong, h -> order(h, "NEW", "S".repeat(33), 1)));
        c.add(new Case("SKU of 33 bytes on set on-hand", tooLong, h -> onHand(h, "N1", "S".repeat(33), 1)));
        c.add(new Case("node code of 17 bytes", tooLong, h -> defineNode(h, "N".repeat(17))));
        c.add(new Case("channel of 17 bytes", tooLong, h -> policy(h, "C".repeat(17), 4)));
        c.add(new Case("channel of 17 bytes on a node", tooLong, h -> defineNode(h, "N9", "C".repeat(17))));
        c.add(new Case("tracking id of 65 bytes", tooLong, h -> ship(h, "OPEN", "N1", "T".repeat(65))));

        final RejectReason notAscii = RejectReason.STRING_NOT_ASCII;
        c.add(new Case("empty order id", notAscii, h -> order(h, "", "A", 1)));
        c.add(new Case("empty SKU", notAscii, h -> onHand(h, "N1", "", 1)));
        c.add(new Case("empty node code", notAscii, h -> defineNode(h, "")));
        c.add(new Case("empty channel", notAscii, h -> policy(h, "", 4)));
        c.add(new Case("control character in a node code", notAscii, h -> defineNode(h, "N\u0001")));
        c.add(new Case("UTF-8 byte in a SKU", notAscii, h -> patch(onHand(h, "N1", "QQ", 1), "QQ", (byte)0xC3, (byte)0xA9)));
        c.add(new Case("DEL in a channel", notAscii, h -> patch(policy(h, "CHQ", 4), "CHQ", (byte)'C', (byte)'H', (byte)0x7F)));
        c.add(new Case("UTF-8 byte in an order id", notAscii, h -> patch(order(h, "QQQ", "A", 1), "QQQ", (byte)'Q', (byte)0xE2, (byte)'Q')));
        c.add(new Case("non-printable tracking id", notAscii, h -> ship(h, "OPEN", "N1", "T\tX")));

        c.add(new Case("stock at an undefined node", RejectReason.UNKNOWN_NODE, h -> onHand(h, "NOWHERE", "A", 1)));
        c.add(new Case("status of an undefined node", RejectReason.UNKNOWN_NODE,
            h -> h.encode(at -> h.writer().setNodeStatus(h.buffer(), at, 1, "NOWHERE", false))));
        c.add(new Case("shipment from an undefined node", RejectReason.UNKNOWN_NODE, h -> ship(h, "OPEN", "NOWHERE", "T")));
        c.add(new Case("cutoff of an undefined node", RejectReason.UNKNOWN_NODE,
            h -> h.encode(at -> h.writer().setNodeCutoff(h.buffer(), at, 1, "NOWHERE", 900))));
        c.add(new Case("safety stock at an undefined node", RejectReason.UNKNOWN_NODE,
            h -> h.encode(at -> h.writer().setSafetyStock(h.buffer(), at, 1, "NOWHERE", "A", 1))));

        c.add(new Case("order for a SKU never stocked", RejectReason.UNKNOWN_SKU, h -> order(h, "NEW", "NEVER", 1)));
        c.add(new Case("cap on a SKU never stocked", RejectReason.UNKNOWN_SKU,
            h -> h.encode(at -> h.writer().setChannelCap(h.buffer(), at, 1, WEB, "NEVER", 5))));

        c.add(new Case("cancel of an unknown order", RejectReason.UNKNOWN_ORDER,
            h -> h.encode(at -> h.writer().cancelOrder(h.buffer(), at, 1, "NOPE"))));
        c.add(new Case("release of an unknown order", RejectReason.UNKNOWN_ORDER,
            h -> h.encode(at -> h.writer().releaseHold(h.buffer(), at, 1, "NOPE"))));
        c.add(new Case("shipment of an unknown order", RejectReason.UNKNOWN_ORDER, h -> ship(h, "NOPE", "N1", "T")));
        c.add(new Case("return for an unknown order", RejectReason.UNKNOWN_ORDER, h -> returns(h, "NOPE", "N1", new int[] {0}, ones(1))));

        c.add(new Case("order on a channel never configured", RejectReason.UNKNOWN_CHANNEL,
            h -> order(h, "NEW", "nochannel", new String[] {"A"}, new int[] {1})));
        c.add(new Case("cap for a channel never configured", RejectReason.UNKNOWN_CHANNEL,
            h -> h.encode(at -> h.writer().setChannelCap(h.buffer(), at, 1, "nochannel", "A", 5))));

        c.add(new Case("cancel of a line the order lacks", RejectReason.UNKNOWN_LINE,
            h -> h.encode(at -> h.writer().cancelLine(h.buffer(), at, 1, "OPEN", 2, 1))));
        c.add(new Case("pick of a line the order lacks", RejectReason.UNKNOWN_LINE, h -> pick(h, "OPEN", "N1", new int[] {7}, ones(1))));
        c.add(new Case("return of a line the order lacks", RejectReason.UNKNOWN_LINE, h -> returns(h, "SENT", "N1", new int[] {1}, ones(1))));

        c.add(new Case("order id already placed", RejectReason.DUPLICATE_ORDER, h -> order(h, "OPEN", "A", 1)));
        c.add(new Case("order id of a cancelled order", RejectReason.DUPLICATE_ORDER, h -> order(h, "GONE", "A", 1)));

        c.add(new Case("same SKU on two lines", RejectReason.DUPLICATE_SKU_LINE,
            h -> order(h, "NEW", WEB, new String[] {"A", "B", "A"}, new int[] {1, 1, 1})));
        c.add(new Case("same line twice in a pick", RejectReason.DUPLICATE_SKU_LINE,
            h -> pick(h, "OPEN", "N1", new int[] {0, 0}, new int[] {1, 1})));
        c.add(new Case("same line twice in a return", RejectReason.DUPLICATE_SKU_LINE,
            h -> returns(h, "SENT", "N1", new int[] {0, 0}, new int[] {1, 1})));

        final RejectReason notPositive = RejectReason.QUANTITY_NOT_POSITIVE;
        c.add(new Case("order line of 0", notPositive, h -> order(h, "NEW", "A", 0)));
        c.add(new Case("order line of -3", notPositive, h -> order(h, "NEW", "A", -3)));
        c.add(new Case("cancel of 0 units", notPositive, h -> h.encode(at -> h.writer().cancelLine(h.buffer(), at, 1, "OPEN", 0, 0))));
        c.add(new Case("negative picked quantity", notPositive, h -> pick(h, "OPEN", "N1", new int[] {0}, new int[] {-1})));
        c.add(new Case("return of 0 units", notPositive, h -> returns(h, "SENT", "N1", new int[] {0}, new int[] {0})));

        c.add(new Case("order line above 1,000,000", RejectReason.QUANTITY_TOO_LARGE, h -> order(h, "NEW", "A", 1_000_001)));
        c.add(new Case("order line of Integer.MAX_VALUE", RejectReason.QUANTITY_TOO_LARGE, h -> order(h, "NEW", "A", Integer.MAX_VALUE)));

        c.add(new Case("order of 65 lines", RejectReason.TOO_MANY_LINES, h -> order(h, "NEW", WEB, skus(65), ones(65))));
        c.add(new Case("pick of 65 lines", RejectReason.TOO_MANY_LINES, h -> pick(h, "OPEN", "N1", range(65), ones(65))));
        c.add(new Case("return of 65 lines", RejectReason.TOO_MANY_LINES, h -> returns(h, "SENT", "N1", range(65), ones(65))));

        c.add(new Case("order without lines", RejectReason.NO_LINES, h -> order(h, "NEW", WEB, new String[0], new int[0])));
        c.add(new Case("pick without lines", RejectReason.NO_LINES, h -> pick(h, "OPEN", "N1", new int[0], new int[0])));
        c.add(new Case("return without lines", RejectReason.NO_LINES, h -> returns(h, "SENT", "N1", new int[0], new int[0])));

        final RejectReason invalid = RejectReason.INVALID_VALUE;
        final int service = HEADER + PlaceOrderEncoder.serviceEncodingOffset();
        c.add(new Case("unknown service level", invalid, h -> putByte(order(h, "NEW", "A", 1), service, 7)));
        c.add(new Case("latitude beyond 90 degrees", invalid, h -> h.encode(at -> h.writer().placeOrder(h.buffer(), at, 1, "NEW", WEB, 5,
            ServiceLevel.STANDARD, 91.0, 0.0, 0, 0, new String[] {"A"}, new int[] {1}))));
        c.add(new Case("negative delivery day", invalid, h -> h.encode(at -> h.writer().placeOrder(h.buffer(), at, 1, "NEW", WEB, 5,
            ServiceLevel.STANDARD, 0.0, 0.0, -1, 0, new String[] {"A"}, new int[] {1}))));
        c.add(new Case("hold that already ran out", invalid, h -> h.encode(at -> h.writer().placeOrder(h.buffer(), at, 1, "NEW", WEB, 5,
            ServiceLevel.STANDARD, 0.0, 0.0, 0, h.now() - 1, new String[] {"A"}, new int[] {1}))));
        c.add(new Case("negative on-hand", invalid, h -> onHand(h, "N1", "A", -1)));
        c.add(new Case("on-hand above 1e9", invalid, h -> onHand(h, "N1", "A", 1_000_000_001)));
        c.add(new Case("adjustment below zero on-hand", invalid, h -> adjust(h, "N1", "A", -11)));
        c.add(new Case("adjustment creating a negative position", invalid, h -> adjust(h, "N2", "B", -1)));
        c.add(new Case("unknown adjustment reason", invalid,
            h -> putByte(adjust(h, "N1", "A", 1), HEADER + AdjustOnHandEncoder.reasonEncodingOffset(), 9)));
        c.add(new Case("negative safety stock", invalid, h -> h.encode(at -> h.writer().setSafetyStock(h.buffer(), at, 1, "N1", "A", -1))));
        c.add(new Case("unknown node type", invalid,
            h -> putByte(defineNode(h, "N9"), HEADER + DefineNodeEncoder.nodeTypeEncodingOffset(), 9)));
        c.add(new Case("enabled flag of 2", invalid, h -> putByte(defineNode(h, "N9"), HEADER + DefineNodeEncoder.enabledEncodingOffset(), 2)));
        c.add(new Case("negative daily capacity", invalid, h -> h.encode(at -> h.writer().defineNode(h.buffer(), at, 1, "N9", NodeType.DC,
            true, 0.0, 0.0, -1, 100, 0))));
        c.add(new Case("61 handling days", invalid, h -> h.encode(at -> h.writer().defineNode(h.buffer(), at, 1, "N9", NodeType.DC, true,
            0.0, 0.0, 0, 100, 61))));
        c.add(new Case("online flag of 2", invalid, h -> putByte(h.encode(at -> h.writer().setNodeStatus(h.buffer(), at, 1, "N1", true)),
            HEADER + SetNodeStatusEncoder.onlineEncodingOffset(), 2)));
        c.add(new Case("cutoff at minute 1440", invalid, h -> h.encode(at -> h.writer().setNodeCutoff(h.buffer(), at, 1, "N1", 1440))));
        c.add(new Case("rate card without bands", invalid, h -> rateCard(h, new int[0], new int[0][])));
        c.add(new Case("bands not ascending", invalid, h -> rateCard(h, new int[] {100, 100}, new int[][] {{0, 0, 1, 1}})));
        c.add(new Case("rate for a zone beyond the bands", invalid, h -> rateCard(h, new int[] {100}, new int[][] {{0, 1, 1, 1}})));
        c.add(new Case("negative rate", invalid, h -> rateCard(h, new int[] {100}, new int[][] {{0, 0, -5, 1}})));
        c.add(new Case("max shipments of 0", invalid, h -> policy(h, WEB, 0)));
        c.add(new Case("max shipments of 17", invalid, h -> policy(h, WEB, 17)));
        c.add(new Case("unknown strategy", invalid,
            h -> putByte(policy(h, WEB, 4), HEADER + SetSourcingPolicyEncoder.strategyEncodingOffset(), 5)));
        c.add(new Case("sellable flag of 2", invalid, h -> {
            final byte[] bytes = returns(h, "SENT", "N1", new int[] {0}, ones(1));
            final int entry = HEADER + ReturnItemsEncoder.BLOCK_LENGTH + 4;
            return putByte(bytes, entry + ReturnItemsEncoder.LinesEncoder.sellableEncodingOffset(), 2);
        }));

        c.add(new Case("a 33rd channel", RejectReason.LIMIT_REACHED, h -> {
            for (int i = 0; h.engine().channelCodes().size() < Limits.MAX_CHANNELS; i++)
            {
                h.policy("ch" + i).set().assertAccepted();
            }
            return policy(h, "onetoomany", 4);
        }));
        c.add(new Case("a node naming 33 channels", RejectReason.LIMIT_REACHED, h -> {
            final String[] channels = new String[33];
            Arrays.setAll(channels, i -> "c" + i);
            return defineNode(h, "N9", channels);
        }));
        c.add(new Case("a node bringing new channels past 32", RejectReason.LIMIT_REACHED, h -> {
            final String[] channels = new String[31];
            Arrays.setAll(channels, i -> "c" + i);
            return defineNode(h, "N9", channels);
        }));

        c.add(new Case("release of an order that is not on hold", RejectReason.ORDER_NOT_ON_HOLD,
            h -> h.encode(at -> h.writer().releaseHold(h.buffer(), at, 1, "OPEN"))));

        final RejectReason nothing = RejectReason.NOTHING_AT_NODE;
        c.add(new Case("pick at a node holding nothing of the order", nothing, h -> pick(h, "OPEN", "N2", new int[] {0}, ones(1))));
        c.add(new Case("pick twice", nothing, h -> {
            h.pick("OPEN", "N1", 0, 2).assertAccepted();
            return pick(h, "OPEN", "N1", new int[] {0}, new int[] {2});
        }));
        c.add(new Case("rejection by a node holding nothing", nothing,
            h -> h.encode(at -> h.writer().rejectAllocation(h.buffer(), at, 1, "OPEN", "N2"))));
        c.add(new Case("shipment from a node holding nothing", nothing, h -> ship(h, "OPEN", "N2", "T")));
        c.add(new Case("ship twice", nothing, h -> ship(h, "SENT", "N1", "T")));
        c.add(new Case("shipment of a backordered order", nothing, h -> ship(h, "BACK", "N2", "T")));
        c.add(new Case("delivery before shipment", nothing,
            h -> h.encode(at -> h.writer().confirmDelivery(h.buffer(), at, 1, "OPEN", "N1"))));

        c.add(new Case("cancel above the line's open quantity", RejectReason.QUANTITY_EXCEEDS_OPEN,
            h -> h.encode(at -> h.writer().cancelLine(h.buffer(), at, 1, "OPEN", 0, 3))));
        c.add(new Case("pick above the released quantity", RejectReason.QUANTITY_EXCEEDS_OPEN,
            h -> pick(h, "OPEN", "N1", new int[] {0}, new int[] {3})));

        final RejectReason closed = RejectReason.ORDER_CLOSED;
        c.add(new Case("cancel of a cancelled order", closed, h -> h.encode(at -> h.writer().cancelOrder(h.buffer(), at, 1, "GONE"))));
        c.add(new Case("cancel of a completed order", closed, h -> h.encode(at -> h.writer().cancelOrder(h.buffer(), at, 1, "SENT"))));
        c.add(new Case("line cancel on a cancelled order", closed,
            h -> h.encode(at -> h.writer().cancelLine(h.buffer(), at, 1, "GONE", 0, 1))));
        c.add(new Case("release of a cancelled order", closed, h -> h.encode(at -> h.writer().releaseHold(h.buffer(), at, 1, "GONE"))));
        c.add(new Case("rejection on a cancelled order", closed,
            h -> h.encode(at -> h.writer().rejectAllocation(h.buffer(), at, 1, "GONE", "N1"))));

        c.add(new Case("return above what shipped", RejectReason.RETURN_EXCEEDS_SHIPPED,
            h -> returns(h, "SENT", "N1", new int[] {0}, new int[] {2})));
        c.add(new Case("return of an unshipped line", RejectReason.RETURN_EXCEEDS_SHIPPED,
            h -> returns(h, "OPEN", "N1", new int[] {0}, new int[] {1})));

        c.add(new Case("pick on a held order", RejectReason.ORDER_ON_HOLD, h -> pick(h, "HELD", "N1", new int[] {0}, ones(1))));
        c.add(new Case("shipment before the hold is released", RejectReason.ORDER_ON_HOLD, h -> ship(h, "HELD", "N1", "T")));

        c.add(new Case("short order on a channel that rejects shortfalls", RejectReason.INSUFFICIENT_STOCK,
            h -> order(h, "NEW", "strict", new String[] {"A", "B"}, new int[] {2, 11})));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedCommandReportsItsReasonAndChangesNothing(final Case c)
    {
        final EngineHarness h = fixture();
        final byte[] command = c.command().apply(h);
        final long ordersBefore = h.engine().book().orderCount();
        final Result result = h.raw(command);
        result.assertRejected(c.reason());
        assertEquals(1, result.events().size(), "the rejection is the only output:\n" + result);
        assertEquals(h.engine().lastSequence(), result.rejection().commandSequence());
        assertEquals(ordersBefore, h.engine().book().orderCount());
        assertEquals(h.hashIfLastCommandWereUnreadable(), h.stateHash(), "the rejected command left a trace");
    }

    @Test
    void everyRejectReasonTheEngineOwnsHasACase()
    {
        final Set<RejectReason> covered = cases().stream().map(Case::reason).collect(Collectors.toSet());
        final Set<RejectReason> missing = EnumSet.allOf(RejectReason.class).stream()
            .filter(r -> r != RejectReason.NONE && r != RejectReason.NULL_VAL && !GATEWAY_ONLY.contains(r) && !covered.contains(r))
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(RejectReason.class)));
        assertEquals(EnumSet.noneOf(RejectReason.class), missing);
    }

    @Test
    void clientIdOutOfRangeIsAnInvalidValue()
    {
        final EngineHarness h = fixture();
        final Result result = h.apply(ClientLedger.MAX_CLIENTS, onHand(h, "N1", "A", 99));
        result.assertRejected(RejectReason.INVALID_VALUE);
        assertEquals(10, h.onHandAt("N1", "A"));
        assertEquals(RejectReason.INVALID_VALUE, h.apply(-1, onHand(h, "N1", "A", 99)).rejection().reason());
        assertEquals(10, h.onHandAt("N1", "A"));
    }

    @Test
    void nodeNamingTheSameNewChannelTwiceCountsItOnceTowardTheLimit()
    {
        final EngineHarness h = fixture();
        for (int i = 0; h.engine().channelCodes().size() < Limits.MAX_CHANNELS - 1; i++)
        {
            h.policy("ch" + i).set().assertAccepted();
        }
        h.raw(defineNode(h, "N9", "last", "last")).assertAccepted();
        assertEquals(Limits.MAX_CHANNELS, h.engine().channelCodes().size());
    }

    @Test
    void boundaryValuesJustInsideTheLimitsAreAccepted()
    {
        final EngineHarness h = fixture();
        h.raw(order(h, "O".repeat(64), "A", 1)).assertAccepted();
        h.raw(onHand(h, "N".repeat(16).substring(0, 2), "S".repeat(32), 1)).assertRejected(RejectReason.UNKNOWN_NODE);
        h.raw(onHand(h, "N1", "S".repeat(32), 1)).assertAccepted();
        h.raw(order(h, "MAXQ", "A", 1_000_000)).assertAccepted();
        h.raw(order(h, "LINES", WEB, skus(64), ones(64))).assertRejected(RejectReason.UNKNOWN_SKU);
        for (final String sku : skus(64))
        {
            h.onHand("N1", sku, 1).assertAccepted();
        }
        h.raw(order(h, "LINES", WEB, skus(64), ones(64))).assertAccepted();
        h.raw(onHand(h, "N1", "A", Limits.MAX_ON_HAND)).assertAccepted();
        h.raw(ship(h, "OPEN", "N1", "")).assertAccepted();
    }

    @Test
    void nodeLimitStopsTheNodeAfterTheLastOne()
    {
        final EngineHarness h = new EngineHarness().lean();
        final CommandWriter writer = h.writer();
        for (int i = h.engine().nodeCodes().size(); i < Limits.MAX_NODES; i++)
        {
            h.send(writer.defineNode(h.buffer(), 0, i, "n" + i, NodeType.DC, true, 0.0, 0.0, 0, 1, 0));
        }
        assertEquals(Limits.MAX_NODES, h.engine().nodes().count());
        final long hash = h.stateHash();
        h.send(writer.defineNode(h.buffer(), 0, 1, "last", NodeType.DC, true, 0.0, 0.0, 0, 1, 0))
            .assertRejected(RejectReason.LIMIT_REACHED);
        assertEquals(Limits.MAX_NODES, h.engine().nodes().count());
        assertNotEquals(hash, h.stateHash(), "only the sequence and the reject count moved");
        // an existing node can still be redefined
        h.send(writer.defineNode(h.buffer(), 0, 1, "n7", NodeType.STORE, true, 0.0, 0.0, 0, 1, 0)).assertAccepted();
    }

    /** Every strict prefix of every command is malformed, and none of them touches the state. */
    @Test
    void everyTruncationOfEveryCommandIsRejectedWithoutEffect()
    {
        final EngineHarness h = fixture();
        final EngineHarness twin = fixture();
        final CommandWriter w = h.writer();
        final List<byte[]> commands = List.of(
            defineNode(h, "N9", WEB, MARKET),
            h.encode(at -> w.setNodeStatus(h.buffer(), at, 1, "N1", false)),
            h.encode(at -> w.setNodeCutoff(h.buffer(), at, 1, "N1", 900)),
            rateCard(h, new int[] {100, 200}, new int[][] {{0, 0, 5, 1}, {1, 1, 6, 2}}),
            policy(h, WEB, 3),
            h.encode(at -> w.setChannelCap(h.buffer(), at, 1, WEB, "A", 4)),
            onHand(h, "N1", "A", 3),
            adjust(h, "N1", "A", 2),
            h.encode(at -> w.setSafetyStock(h.buffer(), at, 1, "N1", "A", 1)),
            order(h, "NEW", WEB, new String[] {"A", "B"}, new int[] {1, 1}),
            h.encode(at -> w.releaseHold(h.buffer(), at, 1, "HELD")),
            h.encode(at -> w.cancelOrder(h.buffer(), at, 1, "OPEN")),
            h.encode(at -> w.cancelLine(h.buffer(), at, 1, "OPEN", 0, 1)),
            pick(h, "OPEN", "N1", new int[] {0, 1}, new int[] {1, 1}),
            h.encode(at -> w.rejectAllocation(h.buffer(), at, 1, "OPEN", "N1")),
            ship(h, "OPEN", "N1", "TRACK"),
            ship(h, "OPEN", "N1", ""),
            h.encode(at -> w.confirmDelivery(h.buffer(), at, 1, "SENT", "N1")),
            returns(h, "SENT", "N1", new int[] {0}, ones(1)),
            h.encode(at -> w.changeDelivery(h.buffer(), at, 1, "OPEN", ServiceLevel.EXPEDITED, 41.0, -87.0, 0)),
            h.encode(at -> w.tick(h.buffer(), at, 1)));
        int prefixes = 0;
        for (final byte[] command : commands)
        {
            for (int length = 0; length < command.length; length++)
            {
                final Result result = h.raw(Arrays.copyOf(command, length));
                assertEquals(RejectReason.MALFORMED, result.rejection().reason(),
                    "prefix of " + length + " of " + command.length + " bytes:\n" + result);
                twin.raw(EngineHarness.unknownTemplate());
                prefixes++;
            }
        }
        assertTrue(prefixes > 500);
        assertEquals(twin.stateHash(), h.stateHash());
    }

    /** Every strict prefix of every query is answered MALFORMED; a query never moves the state. */
    @Test
    void everyTruncationOfEveryQueryIsRejectedWithoutEffect()
    {
        final EngineHarness h = fixture();
        final EngineHarness twin = fixture();
        final CommandWriter w = h.writer();
        final List<byte[]> queries = List.of(
            h.encode(at -> w.queryOrder(h.buffer(), at, 1, "OPEN")),
            h.encode(at -> w.queryAvailability(h.buffer(), at, 1, "A")),
            h.encode(at -> w.queryNodeLoad(h.buffer(), at, 1, "N1")),
            h.encode(at -> w.queryTotals(h.buffer(), at, 1)),
            h.encode(at -> w.queryStateHash(h.buffer(), at, 1)),
            h.encode(at -> w.queryClient(h.buffer(), at, 1, 3)),
            h.encode(at -> w.queryPromise(h.buffer(), at, 1, WEB, ServiceLevel.STANDARD, 40, -100, 0, new String[] {"A", "B"}, new int[] {1, 2})),
            h.encode(at -> w.explainSourcing(h.buffer(), at, 1, WEB, ServiceLevel.STANDARD, 40, -100, 0, new String[] {"A", "B"}, new int[] {1, 2})),
            h.encode(at -> w.explainOrder(h.buffer(), at, 1, "OPEN")));
        int prefixes = 0;
        for (final byte[] query : queries)
        {
            assertTrue(h.raw(query).all(Rejected.class).isEmpty(), "the whole query is answered");
            for (int length = 0; length < query.length; length++)
            {
                final byte[] prefix = Arrays.copyOf(query, length);
                final Result result = h.raw(prefix);
                assertEquals(RejectReason.MALFORMED, result.rejection().reason(), "prefix of " + length + " of " + query.length + " bytes:\n" + result);
                if (!AllocationEngine.isQuery(new org.agrona.concurrent.UnsafeBuffer(prefix), 0, length))
                {
                    // too short to be read as a query: a malformed command, which takes a sequence like any other
                    twin.raw(EngineHarness.unknownTemplate());
                }
                prefixes++;
            }
        }
        assertTrue(prefixes > 150, "prefixes: " + prefixes);
        assertEquals(twin.stateHash(), h.stateHash());
    }
}
