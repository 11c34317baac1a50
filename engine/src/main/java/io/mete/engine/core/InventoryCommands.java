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

import static io.mete.engine.order.OrderBook.*;

/** Stock commands from a WMS or an operator: absolute on-hand, deltas with a reason, safety stock. */
final class InventoryCommands
{
    private final CommandContext ctx;
    private final Reservations reservations;
    private final AsciiInterner skuCodes;
    private final PositionTable positions;

    InventoryCommands(final AllocationEngine engine, final CommandContext ctx, final Reservations reservations)
    {
        this.ctx = ctx;
        this.reservations = reservations;
        this.skuCodes = engine.skuCodes();
        this.positions = engine.positions();
    }

    void onSetOnHand(final SetOnHandDecoder d)
    {
        final int quantity = d.quantity();
        if (!ctx.readNodeAndSku(d.limit()))
        {
            return;
        }
        final int node = ctx.node;
        if (quantity < 0 || quantity > Limits.MAX_ON_HAND)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.ON_HAND_RANGE);
            return;
        }
        final int sku = ctx.internSku();
        ctx.accept();
        final int slot = positions.slotOrCreate(sku, node);
        final int before = positions.onHand(sku, slot);
        positions.setOnHand(sku, slot, quantity);
        reservations.availabilityChanged(sku, slot);
        if (quantity > before)
        {
            reservations.stockFreed(sku);
        }
        else
        {
            reservations.enforceCoverage(sku, slot);
        }
    }

    void onAdjustOnHand(final AdjustOnHandDecoder d)
    {
        final int delta = d.delta();
        final int reason = d.reasonRaw();
        if (!ctx.readNodeAndSku(d.limit()))
        {
            return;
        }
        final int node = ctx.node;
        if (reason > 4)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.BAD_REASON);
            return;
        }
        final int known = skuCodes.find(ctx.view, ctx.stringOffset, ctx.stringLength);
        final int slot = known < 0 ? -1 : positions.slotOf(known, node);
        final long after = (slot < 0 ? 0L : positions.onHand(known, slot)) + delta;
        if (after < 0 || after > Limits.MAX_ON_HAND)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.ADJUST_RANGE);
            return;
        }
        final int sku = known < 0 ? ctx.internSku() : known;
        ctx.accept();
        final int at = slot < 0 ? positions.slotOrCreate(sku, node) : slot;
        positions.setOnHand(sku, at, (int)after);
        reservations.availabilityChanged(sku, at);
        if (delta > 0)
        {
            reservations.stockFreed(sku);
        }
        else if (delta < 0)
        {
            reservations.enforceCoverage(sku, at);
        }
    }

    void onSetSafetyStock(final SetSafetyStockDecoder d)
    {
        final int quantity = d.quantity();
        if (!ctx.readNodeAndSku(d.limit()))
        {
            return;
        }
        final int node = ctx.node;
        if (quantity < 0 || quantity > Limits.MAX_ON_HAND)
        {
            ctx.reject(RejectReason.INVALID_VALUE, Text.SAFETY_RANGE);
            return;
        }
        final int sku = ctx.internSku();
        ctx.accept();
        final int slot = positions.slotOrCreate(sku, node);
        final int before = positions.safety(sku, slot);
        positions.setSafety(sku, slot, quantity);
        reservations.availabilityChanged(sku, slot);
        if (quantity < before)
        {
            reservations.stockFreed(sku);
        }
    }
}
