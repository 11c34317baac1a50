package io.mete.engine.core;

import static io.mete.engine.core.AllocationEngine.ascii;

/** Reject texts, encoded once so a rejection publishes without allocating. */
final class Text
{
    static final byte[] TOO_SHORT = ascii("message shorter than header and correlation id");
    static final byte[] TRUNCATED = ascii("message shorter than its fields, groups or strings claim");
    static final byte[] SCHEMA = ascii("schema id is not Mete's or schema version is newer than this engine");
    static final byte[] UNKNOWN_TEMPLATE = ascii("unknown template id");
    static final byte[] SKU_TOO_LONG = ascii("SKU code longer than 32 bytes");
    static final byte[] SKU_NOT_ASCII = ascii("SKU code empty or not printable ASCII");
    static final byte[] ORDER_TOO_LONG = ascii("order id longer than 64 bytes");
    static final byte[] ORDER_NOT_ASCII = ascii("order id empty or not printable ASCII");
    static final byte[] NODE_TOO_LONG = ascii("node code longer than 16 bytes");
    static final byte[] NODE_NOT_ASCII = ascii("node code empty or not printable ASCII");
    static final byte[] CHANNEL_TOO_LONG = ascii("channel longer than 16 bytes");
    static final byte[] CHANNEL_NOT_ASCII = ascii("channel empty or not printable ASCII");
    static final byte[] TRACKING_TOO_LONG = ascii("tracking id longer than 64 bytes");
    static final byte[] TRACKING_NOT_ASCII = ascii("tracking id not printable ASCII");
    static final byte[] UNKNOWN_SKU = ascii("unknown SKU: no stock was ever recorded for it");
    static final byte[] UNKNOWN_NODE = ascii("unknown node: define it first");
    static final byte[] UNKNOWN_ORDER = ascii("unknown order id");
    static final byte[] UNKNOWN_CHANNEL = ascii("unknown channel: set its sourcing policy or name it on a node first");
    static final byte[] UNKNOWN_LINE = ascii("line number beyond the order's lines");
    static final byte[] QUANTITY_NOT_POSITIVE = ascii("quantity must be at least 1");
    static final byte[] QUANTITY_NEGATIVE = ascii("picked quantity must not be negative");
    static final byte[] QUANTITY_TOO_LARGE = ascii("line quantity above 1000000");
    static final byte[] TOO_MANY_LINES = ascii("more than 64 lines");
    static final byte[] NO_LINES = ascii("no lines");
    static final byte[] DUPLICATE_SKU_LINE = ascii("the same SKU on two lines: merge them into one line");
    static final byte[] DUPLICATE_PICK_LINE = ascii("the same line twice in one pick confirmation");
    static final byte[] DUPLICATE_RETURN_LINE = ascii("the same line twice in one return");
    static final byte[] DUPLICATE_ORDER = ascii("order id already placed");
    static final byte[] ORDER_VALUES = ascii("bad service level, coordinates, delivery day or hold time (hold must lie in the future)");
    static final byte[] DELIVERY_VALUES = ascii("bad service level, coordinates or delivery day");
    static final byte[] PROMISE_VALUES = ascii("bad service level, coordinates or delivery day");
    static final byte[] INSUFFICIENT_STOCK = ascii("channel policy rejects orders that cannot be filled in full now");
    static final byte[] NOT_ON_HOLD = ascii("order is not on hold");
    static final byte[] ON_HOLD = ascii("order is on hold: release the hold first");
    static final byte[] ORDER_CLOSED = ascii("order is already completed or cancelled");
    static final byte[] CANCEL_EXCEEDS_OPEN = ascii("cancel quantity above the line's unshipped quantity");
    static final byte[] NOTHING_TO_PICK = ascii("nothing of that line released to that node");
    static final byte[] PICK_EXCEEDS = ascii("picked quantity above the quantity released to that node");
    static final byte[] NOTHING_TO_REJECT = ascii("the order holds nothing unpicked at that node");
    static final byte[] NOTHING_TO_SHIP = ascii("nothing released or picked at that node for the order");
    static final byte[] NOTHING_TO_DELIVER = ascii("nothing shipped from that node for the order");
    static final byte[] RETURN_EXCEEDS = ascii("return quantity above shipped minus already returned");
    static final byte[] BAD_BOOLEAN = ascii("boolean field neither 0 nor 1");
    static final byte[] BAD_CUTOFF = ascii("cutoff minute above 1439 (minutes after midnight UTC; 0 = no cutoff)");
    static final byte[] FENCE_RANGE = ascii("fence must be 0..1000000000 units (0 removes it)");
    static final byte[] BAD_REASON = ascii("unknown adjustment reason");
    static final byte[] ON_HAND_RANGE = ascii("on-hand must be 0..1000000000");
    static final byte[] ADJUST_RANGE = ascii("adjustment would take on-hand below 0 or above 1000000000");
    static final byte[] SAFETY_RANGE = ascii("safety stock must be 0..1000000000");
    static final byte[] NODE_VALUES = ascii("bad node type, enabled flag, coordinates, capacity, handling cost or days");
    static final byte[] TOO_MANY_CHANNELS = ascii("more than 32 channels");
    static final byte[] TOO_MANY_NODES = ascii("more than 65536 nodes");
    static final byte[] BAND_COUNT = ascii("rate card needs 1..32 distance bands");
    static final byte[] BANDS_ASCENDING = ascii("distance bands must be strictly ascending");
    static final byte[] RATE_COUNT = ascii("too many rates");
    static final byte[] RATE_VALUES = ascii("rate with unknown service, zone beyond the bands or negative cost");
    static final byte[] POLICY_VALUES = ascii("bad strategy, split penalty, max shipments (1..16) or flags");

    static final byte[] CLIENT_ID = ascii("client id out of range");
    static final byte[] DUPLICATE_REPEAT = ascii("duplicate client sequence: original result repeated, nothing applied");
    static final byte[] DUPLICATE_FORGOTTEN = ascii("duplicate client sequence older than the last 1024 results: nothing applied");

    private Text()
    {
    }
}
