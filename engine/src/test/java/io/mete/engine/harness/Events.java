package io.mete.engine.harness;

import io.mete.schema.*;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decoded engine output, one record per message type, built with the generated decoders so the
 * tests read events exactly as an OMS in another language would.
 */
public final class Events
{
    private Events()
    {
    }

    public record Accepted(long correlationId, long commandSequence, int templateId, boolean duplicate)
    {
    }

    public record Rejected(long correlationId, long commandSequence, int templateId, RejectReason reason, boolean duplicate, String text)
    {
    }

    public record AllocatedLine(int lineNumber, int quantity, String sku)
    {
    }

    public record Allocated(String orderId, String node, ServiceLevel service, int cost, int promisedDay, List<AllocatedLine> lines)
    {
        public int quantityOf(final int lineNumber)
        {
            return lines.stream().filter(l -> l.lineNumber() == lineNumber).mapToInt(AllocatedLine::quantity).sum();
        }
    }

    public record Backordered(String orderId, int lineNumber, String sku, int quantity)
    {
    }

    public record Filled(String orderId, int lineNumber, String sku, String node, int quantity, int remainingBackordered)
    {
    }

    public record Released(String orderId, String node)
    {
    }

    public record Resourced(String orderId, int lineNumber, int quantity, String fromNode)
    {
    }

    public record Shipped(String orderId, String node, int quantity, String trackingId)
    {
    }

    public record Delivered(String orderId, String node)
    {
    }

    public record Cancelled(String orderId, int lineNumber, int quantity, boolean orderCancelled)
    {
    }

    public record Returned(String orderId, String node, int lineNumber, int quantity, boolean sellable)
    {
    }

    public record HoldExpired(String orderId)
    {
    }

    public record Retired(String orderId, OrderState finalState)
    {
    }

    public record AvailabilityChanged(String sku, String node, int atp)
    {
    }

    public record StatusLine(int lineNumber, String sku, int quantity, int allocated, int backordered, int shipped, int cancelled, int returned)
    {
    }

    public record StatusAllocation(int lineNumber, String node, int quantity, AllocationState state)
    {
    }

    public record OrderStatus(
        long correlationId, String orderId, String channel, OrderState state, int priority, ServiceLevel service,
        List<StatusLine> lines, List<StatusAllocation> allocations)
    {
        public StatusLine line(final int lineNumber)
        {
            return lines.get(lineNumber);
        }
    }

    public record NodeAvailability(String node, int onHand, int reserved, int safetyStock, int atp)
    {
    }

    public record ChannelAvailability(String channel, int maxUnits, int reserved, long available, int fenceUnits)
    {
    }

    public record Availability(
        long correlationId, String sku, long totalAtp, long totalOnHand, long totalReserved, List<NodeAvailability> nodes,
        List<ChannelAvailability> channels)
    {
        public NodeAvailability node(final String code)
        {
            return nodes.stream().filter(n -> n.node().equals(code)).findFirst().orElseThrow(() -> new AssertionError("no node " + code));
        }

        public ChannelAvailability channel(final String code)
        {
            return channels.stream().filter(c -> c.channel().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no channel " + code));
        }
    }

    public record NodeLoad(
        long correlationId, String node, boolean online, boolean enabled, int dailyCapacity, int shipmentsToday, int openShipments,
        long reservedUnits, int positions, int cutoffMinute, int shipmentsNextDay)
    {
    }

    public record Totals(
        long correlationId, long lastSequence, long orders, long lines, long unitsOrdered, long unitsAllocatedAtPlacement,
        long ordersSplit, long shipments, long totalCost, long unitsBackordered, long unitsShipped, long unitsCancelled,
        long commandsAccepted, long commandsRejected, long ordersRetired, long ordersKept)
    {
    }

    public record StateHash(long correlationId, long lastSequence, long hash)
    {
    }

    public record ClientStatus(long correlationId, long clientId, long lastClientSequence, long lastSequence)
    {
    }

    public record PromisedShipment(String node, int cost, int promisedDay)
    {
    }

    public record PromisedLine(int lineNumber, int shipment, int quantity)
    {
    }

    public record ExplainedLine(int lineNumber, int atp, int planned, String sku)
    {
    }

    public record ExplainedNode(
        String node, NodeVerdict verdict, int distanceKm, int zone, int cost, int promisedDay, int shipment, List<ExplainedLine> lines)
    {
    }

    /** A line of an explanation with the room its channel has: capRoom -1 = no cap, fenceRoom -1 = no fence on the SKU. */
    public record LineRoom(int lineNumber, int quantity, int capRoom, long fenceRoom, String sku)
    {
    }

    public record Explanation(
        long correlationId, ServiceLevel service, int today, int deliveryDay, long totalCost, long unitsShort, int nodesLeftOut,
        List<ExplainedNode> nodes, List<LineRoom> lines)
    {
        public ExplainedNode node(final String code)
        {
            return nodes.stream().filter(n -> n.node().equals(code)).findFirst().orElseThrow(() -> new AssertionError("no node " + code + " in " + nodes));
        }
    }

    public record Promise(
        long correlationId, ServiceLevel service, int today, int deliveryDay, long totalCost, long unitsShort,
        ShortfallAction shortfallAction, List<PromisedShipment> shipments, List<PromisedLine> lines, Map<Integer, Integer> shortLines)
    {
    }

    /** Decodes one complete message (header included) into one of the records above. */
    public static Object decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int block = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case CommandAcceptedDecoder.TEMPLATE_ID:
            {
                final CommandAcceptedDecoder d = new CommandAcceptedDecoder().wrap(buffer, body, block, version);
                return new Accepted(d.correlationId(), d.commandSequence(), d.templateId(), d.duplicate() == BooleanType.TRUE);
            }
            case CommandRejectedDecoder.TEMPLATE_ID:
            {
                final CommandRejectedDecoder d = new CommandRejectedDecoder().wrap(buffer, body, block, version);
                return new Rejected(d.correlationId(), d.commandSequence(), d.templateId(), d.reason(), d.duplicate() == BooleanType.TRUE,
                    d.text());
            }
            case OrderAllocatedDecoder.TEMPLATE_ID:
            {
                final OrderAllocatedDecoder d = new OrderAllocatedDecoder().wrap(buffer, body, block, version);
                final ServiceLevel service = d.service();
                final int cost = d.cost();
                final int promisedDay = d.promisedDay();
                final List<AllocatedLine> lines = new ArrayList<>();
                for (final OrderAllocatedDecoder.LinesDecoder line : d.lines())
                {
                    final int number = line.lineNumber();
                    final int quantity = line.quantity();
                    lines.add(new AllocatedLine(number, quantity, line.sku()));
                }
                final String orderId = d.orderId();
                return new Allocated(orderId, d.node(), service, cost, promisedDay, List.copyOf(lines));
            }
            case LineBackorderedDecoder.TEMPLATE_ID:
            {
                final LineBackorderedDecoder d = new LineBackorderedDecoder().wrap(buffer, body, block, version);
                final int line = d.lineNumber();
                final int quantity = d.quantity();
                final String orderId = d.orderId();
                return new Backordered(orderId, line, d.sku(), quantity);
            }
            case BackorderFilledDecoder.TEMPLATE_ID:
            {
                final BackorderFilledDecoder d = new BackorderFilledDecoder().wrap(buffer, body, block, version);
                final int line = d.lineNumber();
                final int quantity = d.quantity();
                final int remaining = d.remainingBackordered();
                final String orderId = d.orderId();
                final String sku = d.sku();
                return new Filled(orderId, line, sku, d.node(), quantity, remaining);
            }
            case ShipmentReleasedDecoder.TEMPLATE_ID:
            {
                final ShipmentReleasedDecoder d = new ShipmentReleasedDecoder().wrap(buffer, body, block, version);
                final String orderId = d.orderId();
                return new Released(orderId, d.node());
            }
            case ShortfallResourcedDecoder.TEMPLATE_ID:
            {
                final ShortfallResourcedDecoder d = new ShortfallResourcedDecoder().wrap(buffer, body, block, version);
                final int line = d.lineNumber();
                final int quantity = d.quantity();
                final String orderId = d.orderId();
                return new Resourced(orderId, line, quantity, d.fromNode());
            }
            case ShippedDecoder.TEMPLATE_ID:
            {
                final ShippedDecoder d = new ShippedDecoder().wrap(buffer, body, block, version);
                final int quantity = d.quantity();
                final String orderId = d.orderId();
                final String node = d.node();
                return new Shipped(orderId, node, quantity, d.trackingId());
            }
            case DeliveredDecoder.TEMPLATE_ID:
            {
                final DeliveredDecoder d = new DeliveredDecoder().wrap(buffer, body, block, version);
                final String orderId = d.orderId();
                return new Delivered(orderId, d.node());
            }
            case CancelledDecoder.TEMPLATE_ID:
            {
                final CancelledDecoder d = new CancelledDecoder().wrap(buffer, body, block, version);
                final int line = d.lineNumber();
                final int quantity = d.quantity();
                final boolean whole = d.orderCancelled() == BooleanType.TRUE;
                return new Cancelled(d.orderId(), line, quantity, whole);
            }
            case ReturnedDecoder.TEMPLATE_ID:
            {
                final ReturnedDecoder d = new ReturnedDecoder().wrap(buffer, body, block, version);
                final int line = d.lineNumber();
                final int quantity = d.quantity();
                final boolean sellable = d.sellable() == BooleanType.TRUE;
                final String orderId = d.orderId();
                return new Returned(orderId, d.node(), line, quantity, sellable);
            }
            case HoldExpiredDecoder.TEMPLATE_ID:
            {
                final HoldExpiredDecoder d = new HoldExpiredDecoder().wrap(buffer, body, block, version);
                return new HoldExpired(d.orderId());
            }
            case OrderRetiredDecoder.TEMPLATE_ID:
            {
                final OrderRetiredDecoder d = new OrderRetiredDecoder().wrap(buffer, body, block, version);
                final OrderState state = d.finalState();
                return new Retired(d.orderId(), state);
            }
            case AvailabilityChangedDecoder.TEMPLATE_ID:
            {
                final AvailabilityChangedDecoder d = new AvailabilityChangedDecoder().wrap(buffer, body, block, version);
                final int atp = d.atp();
                final String sku = d.sku();
                return new AvailabilityChanged(sku, d.node(), atp);
            }
            case OrderStatusDecoder.TEMPLATE_ID:
            {
                final OrderStatusDecoder d = new OrderStatusDecoder().wrap(buffer, body, block, version);
                final long correlationId = d.correlationId();
                final OrderState state = d.state();
                final int priority = d.priority();
                final ServiceLevel service = d.service();
                final List<StatusLine> lines = new ArrayList<>();
                for (final OrderStatusDecoder.LinesDecoder l : d.lines())
                {
                    final int number = l.lineNumber();
                    final int quantity = l.quantity();
                    final int allocated = l.allocated();
                    final int backordered = l.backordered();
                    final int shipped = l.shipped();
                    final int cancelled = l.cancelled();
                    final int returned = l.returned();
                    lines.add(new StatusLine(number, l.sku(), quantity, allocated, backordered, shipped, cancelled, returned));
                }
                final List<StatusAllocation> allocations = new ArrayList<>();
                for (final OrderStatusDecoder.AllocationsDecoder a : d.allocations())
                {
                    final int line = a.lineNumber();
                    final int quantity = a.quantity();
                    final AllocationState allocationState = a.state();
                    allocations.add(new StatusAllocation(line, a.node(), quantity, allocationState));
                }
                final String orderId = d.orderId();
                return new OrderStatus(correlationId, orderId, d.channel(), state, priority, service, List.copyOf(lines),
                    List.copyOf(allocations));
            }
            case AvailabilityDecoder.TEMPLATE_ID:
            {
                final AvailabilityDecoder d = new AvailabilityDecoder().wrap(buffer, body, block, version);
                final long correlationId = d.correlationId();
                final long atp = d.totalAtp();
                final long onHand = d.totalOnHand();
                final long reserved = d.totalReserved();
                final List<NodeAvailability> nodes = new ArrayList<>();
                for (final AvailabilityDecoder.NodesDecoder n : d.nodes())
                {
                    final int nodeOnHand = n.onHand();
                    final int nodeReserved = n.reserved();
                    final int safety = n.safetyStock();
                    final int nodeAtp = n.atp();
                    nodes.add(new NodeAvailability(n.node(), nodeOnHand, nodeReserved, safety, nodeAtp));
                }
                final List<ChannelAvailability> channels = new ArrayList<>();
                for (final AvailabilityDecoder.ChannelsDecoder c : d.channels())
                {
                    final int max = c.maxUnits();
                    final int channelReserved = c.reserved();
                    final long available = c.available();
                    final int fence = c.fenceUnits();
                    channels.add(new ChannelAvailability(c.channel(), max, channelReserved, available, fence));
                }
                return new Availability(correlationId, d.sku(), atp, onHand, reserved, List.copyOf(nodes), List.copyOf(channels));
            }
            case NodeLoadDecoder.TEMPLATE_ID:
            {
                final NodeLoadDecoder d = new NodeLoadDecoder().wrap(buffer, body, block, version);
                return new NodeLoad(d.correlationId(), d.node(), d.online() == BooleanType.TRUE, d.enabled() == BooleanType.TRUE,
                    d.dailyCapacity(), d.shipmentsToday(), d.openShipments(), d.reservedUnits(), d.positions(), d.cutoffMinute(),
                    d.shipmentsNextDay());
            }
            case TotalsDecoder.TEMPLATE_ID:
            {
                final TotalsDecoder d = new TotalsDecoder().wrap(buffer, body, block, version);
                return new Totals(d.correlationId(), d.lastSequence(), d.orders(), d.lines(), d.unitsOrdered(), d.unitsAllocatedAtPlacement(),
                    d.ordersSplit(), d.shipments(), d.totalCost(), d.unitsBackordered(), d.unitsShipped(), d.unitsCancelled(),
                    d.commandsAccepted(), d.commandsRejected(), d.ordersRetired(), d.ordersKept());
            }
            case StateHashDecoder.TEMPLATE_ID:
            {
                final StateHashDecoder d = new StateHashDecoder().wrap(buffer, body, block, version);
                return new StateHash(d.correlationId(), d.lastSequence(), d.hash());
            }
            case ClientStatusDecoder.TEMPLATE_ID:
            {
                final ClientStatusDecoder d = new ClientStatusDecoder().wrap(buffer, body, block, version);
                return new ClientStatus(d.correlationId(), d.clientId(), d.lastClientSequence(), d.lastSequence());
            }
            case PromiseDecoder.TEMPLATE_ID:
            {
                final PromiseDecoder d = new PromiseDecoder().wrap(buffer, body, block, version);
                final long correlationId = d.correlationId();
                final ServiceLevel service = d.service();
                final int today = d.today();
                final int deliveryDay = d.deliveryDay();
                final long totalCost = d.totalCost();
                final long unitsShort = d.unitsShort();
                final ShortfallAction action = d.shortfallAction();
                final List<PromisedShipment> shipments = new ArrayList<>();
                for (final PromiseDecoder.ShipmentsDecoder shipment : d.shipments())
                {
                    final int cost = shipment.cost();
                    final int promisedDay = shipment.promisedDay();
                    shipments.add(new PromisedShipment(shipment.node(), cost, promisedDay));
                }
                final List<PromisedLine> lines = new ArrayList<>();
                for (final PromiseDecoder.LinesDecoder line : d.lines())
                {
                    lines.add(new PromisedLine(line.lineNumber(), line.shipment(), line.quantity()));
                }
                final Map<Integer, Integer> shortLines = new java.util.TreeMap<>();
                for (final PromiseDecoder.ShortLinesDecoder line : d.shortLines())
                {
                    shortLines.put(line.lineNumber(), line.quantity());
                }
                return new Promise(correlationId, service, today, deliveryDay, totalCost, unitsShort, action, List.copyOf(shipments),
                    List.copyOf(lines), shortLines);
            }
            case SourcingExplanationDecoder.TEMPLATE_ID:
            {
                final SourcingExplanationDecoder d = new SourcingExplanationDecoder().wrap(buffer, body, block, version);
                final long correlationId = d.correlationId();
                final ServiceLevel service = d.service();
                final int today = d.today();
                final int deliveryDay = d.deliveryDay();
                final long totalCost = d.totalCost();
                final long unitsShort = d.unitsShort();
                final int leftOut = d.nodesLeftOut();
                final List<ExplainedNode> nodes = new ArrayList<>();
                for (final SourcingExplanationDecoder.NodesDecoder node : d.nodes())
                {
                    final NodeVerdict verdict = node.verdict();
                    final int distance = node.distanceKm();
                    final int zone = node.zone();
                    final int cost = node.cost();
                    final int promisedDay = node.promisedDay();
                    final int shipment = node.shipment();
                    final List<ExplainedLine> lines = new ArrayList<>();
                    for (final SourcingExplanationDecoder.NodesDecoder.LinesDecoder line : node.lines())
                    {
                        lines.add(new ExplainedLine(line.lineNumber(), line.atp(), line.planned(), line.sku()));
                    }
                    nodes.add(new ExplainedNode(node.node(), verdict, distance, zone, cost, promisedDay, shipment, List.copyOf(lines)));
                }
                final List<LineRoom> rooms = new ArrayList<>();
                for (final SourcingExplanationDecoder.LinesDecoder line : d.lines())
                {
                    rooms.add(new LineRoom(line.lineNumber(), line.quantity(), line.capRoom(), line.fenceRoom(), line.sku()));
                }
                return new Explanation(correlationId, service, today, deliveryDay, totalCost, unitsShort, leftOut, List.copyOf(nodes),
                    List.copyOf(rooms));
            }
            default:
                throw new AssertionError("engine emitted an unknown template " + header.templateId());
        }
    }
}
