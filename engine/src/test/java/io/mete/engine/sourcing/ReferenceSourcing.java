package io.mete.engine.sourcing;

import io.mete.schema.RejectReason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A slow, plain model of placement sourcing and of the accept/reject decision, written from the
 * rules in DESIGN.md and SourcingPlanner's javadoc rather than from the planner's code:
 * <ul>
 *   <li>COST: try every single node and every pair of nodes that between them hold every line
 *       whole; cost = Σ (rate(service, zone) + handling) + splitPenalty × (shipments − 1). The
 *       cheapest wins; a single beats a pair of equal cost; ties go to the lower node ids; in a pair,
 *       a line both nodes hold goes to the lower one. Pairs need maxShipments ≥ 2 and at most
 *       {@link SourcingPlanner#EXACT_PAIR_LINES} lines. When neither exists the planner covers
 *       greedily, which this model does not predict ({@link Plan#exact} is false).</li>
 *   <li>FIRST_FIT: the lowest-numbered eligible node holding every line; otherwise line by line, the
 *       lowest-numbered node holding the whole line, and (line split allowed) then filling from the
 *       lowest node up, never opening more than maxShipments shipments.</li>
 * </ul>
 * Every channel of this model rejects shortfalls, so an order is either reserved in full or leaves
 * no trace, and nothing is ever backordered. The model keeps its own copy of the state it needs
 * (nodes, rate card, policies, positions, caps, orders) and is fed the same commands as the engine.
 */
final class ReferenceSourcing
{
    static final double EARTH_RADIUS_KM = 6371.0;

    static final class Node
    {
        final int id;
        final String code;
        final boolean store;
        final boolean enabled;
        boolean online = true;
        final int latitudeMicros;
        final int longitudeMicros;
        final int capacity;
        final int handlingCost;
        final int handlingDays;
        final Set<String> channels;
        int shipmentsToday;

        Node(final int id, final String code, final boolean store, final boolean enabled, final int latitudeMicros, final int longitudeMicros,
             final int capacity, final int handlingCost, final int handlingDays, final Set<String> channels)
        {
            this.id = id;
            this.code = code;
            this.store = store;
            this.enabled = enabled;
            this.latitudeMicros = latitudeMicros;
            this.longitudeMicros = longitudeMicros;
            this.capacity = capacity;
            this.handlingCost = handlingCost;
            this.handlingDays = handlingDays;
            this.channels = channels;
        }
    }

    static final class Position
    {
        int onHand;
        int reserved;
        int safety;

        int atp()
        {
            return Math.max(0, onHand - reserved - safety);
        }
    }

    record Policy(boolean firstFit, int penalty, int maxShipments, boolean split, boolean stores)
    {
    }

    record Line(String sku, int quantity)
    {
    }

    record Order(String id, String channel, int service, int latitudeMicros, int longitudeMicros, int latestDay, List<Line> lines)
    {
    }

    /** One reservation: {@code quantity} of line {@code line} at node {@code node}. */
    record Assignment(int node, int line, int quantity)
    {
    }

    /** A shipment of a plan: node, cost, promised day. */
    record Shipment(int node, int cost, int promisedDay)
    {
    }

    /**
     * The model's verdict on a placement: rejected with a reason, or accepted with assignments; or,
     * for a COST order that no single node or pair covers, not predicted ({@code exact} false).
     */
    record Plan(RejectReason reason, boolean exact, List<Assignment> assignments, List<Shipment> shipments)
    {
        static Plan rejected(final RejectReason reason)
        {
            return new Plan(reason, true, List.of(), List.of());
        }

        static Plan unpredicted()
        {
            return new Plan(null, false, List.of(), List.of());
        }
    }

    final List<Node> nodes = new ArrayList<>();
    final Map<String, Policy> policies = new HashMap<>();
    final Map<String, Position> positions = new HashMap<>();
    final Map<String, Integer> caps = new HashMap<>();
    final Map<String, Integer> channelReserved = new HashMap<>();
    final Set<String> skus = new HashSet<>();
    final Map<String, Order> orders = new HashMap<>();
    final Map<String, List<Assignment>> openAssignments = new HashMap<>();
    int[] bands = new int[0];
    final Map<Integer, int[]> rates = new HashMap<>();
    boolean rateCardSet;
    int today;

    // ------------------------------------------------------------------ the commands the model follows

    void defineNode(final String code, final boolean store, final boolean enabled, final int latitudeMicros, final int longitudeMicros,
                    final int capacity, final int handlingCost, final int handlingDays, final Set<String> channels)
    {
        nodes.add(new Node(nodes.size(), code, store, enabled, latitudeMicros, longitudeMicros, capacity, handlingCost, handlingDays,
            channels));
    }

    void rateCard(final int[] bands, final int[][] rates)
    {
        this.bands = bands.clone();
        this.rates.clear();
        for (final int[] rate : rates)
        {
            this.rates.put(rate[0] * 100 + rate[1], new int[] {rate[2], rate[3]});
        }
        rateCardSet = true;
    }

    void policy(final String channel, final Policy policy)
    {
        policies.put(channel, policy);
    }

    Position position(final int node, final String sku)
    {
        return positions.get(node + "/" + sku);
    }

    Position positionOrCreate(final int node, final String sku)
    {
        skus.add(sku);
        return positions.computeIfAbsent(node + "/" + sku, k -> new Position());
    }

    void cap(final String channel, final String sku, final int cap)
    {
        caps.put(channel + "/" + sku, cap < 0 ? -1 : cap);
    }

    int headroom(final String channel, final String sku)
    {
        final int cap = caps.getOrDefault(channel + "/" + sku, -1);
        return cap < 0 ? Integer.MAX_VALUE : Math.max(0, cap - channelReserved.getOrDefault(channel + "/" + sku, 0));
    }

    void day(final int day)
    {
        if (day != today)
        {
            today = day;
            nodes.forEach(n -> n.shipmentsToday = 0);
        }
    }

    /** Cancels every open reservation of an order; false when the order is unknown or closed. */
    boolean cancel(final String orderId)
    {
        final List<Assignment> open = openAssignments.remove(orderId);
        if (open == null)
        {
            return false;
        }
        final Order order = orders.get(orderId);
        for (final Assignment a : open)
        {
            final String sku = order.lines().get(a.line()).sku();
            position(a.node(), sku).reserved -= a.quantity();
            channelReserved.merge(order.channel() + "/" + sku, -a.quantity(), Integer::sum);
        }
        return true;
    }

    /** Records an accepted placement: reservations, channel usage and the day's shipment count. */
    void commit(final Order order, final List<Assignment> assignments)
    {
        orders.put(order.id(), order);
        openAssignments.put(order.id(), new ArrayList<>(assignments));
        final Set<Integer> shipped = new HashSet<>();
        for (final Assignment a : assignments)
        {
            final String sku = order.lines().get(a.line()).sku();
            position(a.node(), sku).reserved += a.quantity();
            channelReserved.merge(order.channel() + "/" + sku, a.quantity(), Integer::sum);
            shipped.add(a.node());
        }
        shipped.forEach(n -> nodes.get(n).shipmentsToday++);
    }

    // ------------------------------------------------------------------ eligibility and cost

    int zone(final Node node, final Order order)
    {
        if (!rateCardSet)
        {
            return 0;
        }
        // equirectangular distance, as NodeTable documents it
        final double nodeLatitude = Math.toRadians(node.latitudeMicros / 1e6);
        final double nodeLongitude = Math.toRadians(node.longitudeMicros / 1e6);
        final double x = (Math.toRadians(order.longitudeMicros() / 1e6) - nodeLongitude) * Math.cos(nodeLatitude);
        final double y = Math.toRadians(order.latitudeMicros() / 1e6) - nodeLatitude;
        final double distanceSquared = (x * x + y * y) * (EARTH_RADIUS_KM * EARTH_RADIUS_KM);
        for (int zone = 0; zone < bands.length; zone++)
        {
            if (distanceSquared <= (double)bands[zone] * bands[zone])
            {
                return zone;
            }
        }
        return -1;
    }

    /** {cost, promisedDay} of shipping the order from the node, or null when the node may not. */
    int[] shipping(final Node node, final Order order, final Policy policy)
    {
        if (!node.enabled || !node.online || (node.channels != null && !node.channels.contains(order.channel())))
        {
            return null;
        }
        if (node.store && !policy.stores())
        {
            return null;
        }
        if (node.capacity > 0 && node.shipmentsToday >= node.capacity)
        {
            return null;
        }
        final int zone = zone(node, order);
        if (zone < 0)
        {
            return null;
        }
        int rate = 0;
        int transit = 0;
        if (rateCardSet)
        {
            final int[] entry = rates.get(order.service() * 100 + zone);
            if (entry == null)
            {
                return null;
            }
            rate = entry[0];
            transit = entry[1];
        }
        final int promised = today + node.handlingDays + transit;
        if (order.latestDay() != 0 && promised > order.latestDay())
        {
            return null;
        }
        return new int[] {rate + node.handlingCost, promised};
    }

    boolean holdsWhole(final Node node, final Line line)
    {
        final Position p = position(node.id, line.sku());
        return p != null && p.atp() >= line.quantity();
    }

    // ------------------------------------------------------------------ placement

    Plan place(final Order order)
    {
        final Policy policy = policies.get(order.channel());
        if (policy == null)
        {
            return Plan.rejected(RejectReason.UNKNOWN_CHANNEL);
        }
        final Set<String> seen = new HashSet<>();
        for (final Line line : order.lines())
        {
            if (!skus.contains(line.sku()))
            {
                return Plan.rejected(RejectReason.UNKNOWN_SKU);
            }
            if (!seen.add(line.sku()))
            {
                return Plan.rejected(RejectReason.DUPLICATE_SKU_LINE);
            }
        }
        if (orders.containsKey(order.id()))
        {
            return Plan.rejected(RejectReason.DUPLICATE_ORDER);
        }
        for (final Line line : order.lines())
        {
            if (headroom(order.channel(), line.sku()) < line.quantity())
            {
                return Plan.rejected(RejectReason.INSUFFICIENT_STOCK);
            }
        }
        return policy.firstFit() ? firstFit(order, policy) : cost(order, policy);
    }

    private Plan cost(final Order order, final Policy policy)
    {
        final List<Line> lines = order.lines();
        final int n = lines.size();
        // every eligible node and the set of lines it holds whole
        final TreeMap<Integer, int[]> shippingOf = new TreeMap<>();
        final Map<Integer, Set<Integer>> holds = new HashMap<>();
        for (final Node node : nodes)
        {
            final int[] s = shipping(node, order, policy);
            if (s == null)
            {
                continue;
            }
            final Set<Integer> held = new HashSet<>();
            for (int i = 0; i < n; i++)
            {
                if (holdsWhole(node, lines.get(i)))
                {
                    held.add(i);
                }
            }
            if (!held.isEmpty())
            {
                shippingOf.put(node.id, s);
                holds.put(node.id, held);
            }
        }
        int bestSingle = -1;
        long bestSingleCost = Long.MAX_VALUE;
        for (final int node : shippingOf.keySet())
        {
            final long cost = shippingOf.get(node)[0];
            if (holds.get(node).size() == n && cost < bestSingleCost)
            {
                bestSingle = node;
                bestSingleCost = cost;
            }
        }
        int bestA = -1;
        int bestB = -1;
        long bestPairCost = Long.MAX_VALUE;
        if (policy.maxShipments() >= 2 && n <= SourcingPlanner.EXACT_PAIR_LINES)
        {
            for (final int a : shippingOf.keySet())
            {
                for (final int b : shippingOf.tailMap(a, false).keySet())
                {
                    final Set<Integer> union = new HashSet<>(holds.get(a));
                    union.addAll(holds.get(b));
                    if (union.size() != n)
                    {
                        continue;
                    }
                    final long cost = (long)shippingOf.get(a)[0] + shippingOf.get(b)[0] + policy.penalty();
                    if (cost < bestPairCost)
                    {
                        bestPairCost = cost;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
        }
        if (bestSingle >= 0 && bestSingleCost <= bestPairCost)
        {
            final List<Assignment> assignments = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                assignments.add(new Assignment(bestSingle, i, lines.get(i).quantity()));
            }
            final int[] s = shippingOf.get(bestSingle);
            return new Plan(null, true, assignments, List.of(new Shipment(bestSingle, s[0], s[1])));
        }
        if (bestA >= 0)
        {
            final List<Assignment> assignments = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                assignments.add(new Assignment(holds.get(bestA).contains(i) ? bestA : bestB, i, lines.get(i).quantity()));
            }
            final int[] sa = shippingOf.get(bestA);
            final int[] sb = shippingOf.get(bestB);
            return new Plan(null, true, assignments, List.of(new Shipment(bestA, sa[0], sa[1]), new Shipment(bestB, sb[0], sb[1])));
        }
        return Plan.unpredicted();
    }

    private Plan firstFit(final Order order, final Policy policy)
    {
        final List<Line> lines = order.lines();
        final int n = lines.size();
        for (final Node node : nodes)
        {
            final int[] s = shipping(node, order, policy);
            if (s == null)
            {
                continue;
            }
            boolean all = true;
            for (final Line line : lines)
            {
                all &= holdsWhole(node, line);
            }
            if (all)
            {
                final List<Assignment> assignments = new ArrayList<>();
                for (int i = 0; i < n; i++)
                {
                    assignments.add(new Assignment(node.id, i, lines.get(i).quantity()));
                }
                return new Plan(null, true, assignments, List.of(new Shipment(node.id, s[0], s[1])));
            }
        }
        final List<Assignment> assignments = new ArrayList<>();
        final List<Shipment> shipments = new ArrayList<>();
        final Set<Integer> open = new HashSet<>();
        for (int i = 0; i < n; i++)
        {
            final Line line = lines.get(i);
            int remaining = line.quantity();
            for (int pass = 0; pass < (policy.split() ? 2 : 1) && remaining > 0; pass++)
            {
                for (final Node node : nodes)
                {
                    if (remaining == 0)
                    {
                        break;
                    }
                    final Position p = position(node.id, line.sku());
                    if (p == null || p.atp() <= 0 || (pass == 0 && p.atp() < remaining))
                    {
                        continue;
                    }
                    if (!open.contains(node.id) && open.size() >= policy.maxShipments())
                    {
                        continue;
                    }
                    final int[] s = shipping(node, order, policy);
                    if (s == null)
                    {
                        continue;
                    }
                    if (open.add(node.id))
                    {
                        shipments.add(new Shipment(node.id, s[0], s[1]));
                    }
                    final int take = Math.min(p.atp(), remaining);
                    assignments.add(new Assignment(node.id, i, take));
                    remaining -= take;
                }
            }
            if (remaining > 0)
            {
                return Plan.rejected(RejectReason.INSUFFICIENT_STOCK);
            }
        }
        return new Plan(null, true, assignments, shipments);
    }
}
