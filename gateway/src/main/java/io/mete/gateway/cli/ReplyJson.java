package io.mete.gateway.cli;

import io.mete.gateway.client.Reply;
import io.mete.schema.*;

/** One reply as a JSON object, for {@code mete client --json}. */
final class ReplyJson
{
    private final StringBuilder out = new StringBuilder(256);
    private boolean first = true;

    static String of(final Reply reply)
    {
        return new ReplyJson().write(reply);
    }

    private String write(final Reply reply)
    {
        out.append('{');
        switch (reply.templateId())
        {
            case CommandAcceptedDecoder.TEMPLATE_ID:
            {
                final CommandAcceptedDecoder d = reply.wrap(new CommandAcceptedDecoder());
                field("type", "CommandAccepted").field("correlationId", d.correlationId()).field("commandSequence", d.commandSequence())
                    .field("templateId", d.templateId()).field("duplicate", d.duplicate() == BooleanType.TRUE);
                break;
            }
            case CommandRejectedDecoder.TEMPLATE_ID:
            {
                final CommandRejectedDecoder d = reply.wrap(new CommandRejectedDecoder());
                field("type", "CommandRejected").field("correlationId", d.correlationId()).field("commandSequence", d.commandSequence())
                    .field("templateId", d.templateId()).field("reason", d.reason().name()).field("reasonCode", d.reason().value())
                    .field("duplicate", d.duplicate() == BooleanType.TRUE).field("text", d.text());
                break;
            }
            case OrderStatusDecoder.TEMPLATE_ID:
            {
                final OrderStatusDecoder d = reply.wrap(new OrderStatusDecoder());
                field("type", "OrderStatus").field("state", d.state().name()).field("priority", d.priority())
                    .field("service", d.service().name());
                key("lines").append('[');
                String separator = "";
                for (final OrderStatusDecoder.LinesDecoder l : d.lines())
                {
                    out.append(separator);
                    separator = ",";
                    new ReplyJson().into(out).field("line", l.lineNumber()).field("quantity", l.quantity()).field("allocated", l.allocated())
                        .field("backordered", l.backordered()).field("shipped", l.shipped()).field("cancelled", l.cancelled())
                        .field("returned", l.returned()).field("sku", l.sku()).close();
                }
                out.append(']');
                key("allocations").append('[');
                separator = "";
                for (final OrderStatusDecoder.AllocationsDecoder a : d.allocations())
                {
                    out.append(separator);
                    separator = ",";
                    new ReplyJson().into(out).field("line", a.lineNumber()).field("quantity", a.quantity()).field("state", a.state().name())
                        .field("node", a.node()).close();
                }
                out.append(']');
                field("orderId", d.orderId()).field("channel", d.channel());
                break;
            }
            case AvailabilityDecoder.TEMPLATE_ID:
            {
                final AvailabilityDecoder d = reply.wrap(new AvailabilityDecoder());
                field("type", "Availability").field("totalAtp", d.totalAtp()).field("totalOnHand", d.totalOnHand())
                    .field("totalReserved", d.totalReserved());
                key("nodes").append('[');
                String separator = "";
                for (final AvailabilityDecoder.NodesDecoder n : d.nodes())
                {
                    out.append(separator);
                    separator = ",";
                    new ReplyJson().into(out).field("onHand", n.onHand()).field("reserved", n.reserved()).field("safetyStock", n.safetyStock())
                        .field("atp", n.atp()).field("node", n.node()).close();
                }
                out.append(']');
                key("channels").append('[');
                separator = "";
                for (final AvailabilityDecoder.ChannelsDecoder c : d.channels())
                {
                    out.append(separator);
                    separator = ",";
                    new ReplyJson().into(out).field("maxUnits", c.maxUnits()).field("reserved", c.reserved()).field("available", c.available())
                        .field("fenceUnits", c.fenceUnits()).field("channel", c.channel()).close();
                }
                out.append(']');
                field("sku", d.sku());
                break;
            }
            case TotalsDecoder.TEMPLATE_ID:
            {
                final TotalsDecoder d = reply.wrap(new TotalsDecoder());
                field("type", "Totals").field("lastSequence", d.lastSequence()).field("orders", d.orders()).field("lines", d.lines())
                    .field("unitsOrdered", d.unitsOrdered()).field("unitsAllocatedAtPlacement", d.unitsAllocatedAtPlacement())
                    .field("ordersSplit", d.ordersSplit()).field("shipments", d.shipments()).field("totalCost", d.totalCost())
                    .field("unitsBackordered", d.unitsBackordered()).field("unitsShipped", d.unitsShipped())
                    .field("unitsCancelled", d.unitsCancelled()).field("commandsAccepted", d.commandsAccepted())
                    .field("commandsRejected", d.commandsRejected()).field("ordersRetired", d.ordersRetired())
                    .field("ordersKept", d.ordersKept());
                break;
            }
            case StateHashDecoder.TEMPLATE_ID:
            {
                final StateHashDecoder d = reply.wrap(new StateHashDecoder());
                field("type", "StateHash").field("lastSequence", d.lastSequence()).field("hash", String.format("%016x", d.hash()));
                break;
            }
            case NodeLoadDecoder.TEMPLATE_ID:
            {
                final NodeLoadDecoder d = reply.wrap(new NodeLoadDecoder());
                field("type", "NodeLoad").field("online", d.online() == BooleanType.TRUE).field("enabled", d.enabled() == BooleanType.TRUE)
                    .field("dailyCapacity", d.dailyCapacity()).field("shipmentsToday", d.shipmentsToday())
                    .field("openShipments", d.openShipments()).field("reservedUnits", d.reservedUnits()).field("positions", d.positions())
                    .field("node", d.node());
                break;
            }
            case SnapshotTakenDecoder.TEMPLATE_ID:
            {
                final SnapshotTakenDecoder d = reply.wrap(new SnapshotTakenDecoder());
                field("type", "SnapshotTaken").field("sequence", d.sequence()).field("location", d.location());
                break;
            }
            default:
                // every other answer (Promise, SubscriptionStarted, ...) exactly as the schema names its fields
                final byte[] bytes = reply.bytes();
                return new io.mete.journal.cli.MessageJson().toJson(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
        }
        out.append('}');
        return out.toString();
    }

    private StringBuilder target;

    private ReplyJson into(final StringBuilder shared)
    {
        target = shared;
        shared.append('{');
        return this;
    }

    private void close()
    {
        target.append('}');
    }

    private StringBuilder sb()
    {
        return target != null ? target : out;
    }

    private StringBuilder key(final String name)
    {
        final StringBuilder b = sb();
        if (!first)
        {
            b.append(',');
        }
        first = false;
        return b.append('"').append(name).append("\":");
    }

    private ReplyJson field(final String name, final long value)
    {
        key(name).append(value);
        return this;
    }

    private ReplyJson field(final String name, final boolean value)
    {
        key(name).append(value);
        return this;
    }

    private ReplyJson field(final String name, final String value)
    {
        final StringBuilder b = key(name).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                b.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                b.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                b.append(c);
            }
        }
        b.append('"');
        return this;
    }
}
