package io.mete.engine.sourcing;

import io.mete.engine.inventory.ChannelAllocation;
import io.mete.engine.inventory.PositionTable;
import io.mete.engine.network.NodeTable;
import io.mete.engine.network.RateCard;
import io.mete.engine.order.OrderBook;

import java.util.Arrays;

/**
 * Chooses where an order's open quantities are reserved.
 * <p>
 * COST minimises {@code Σ shipments (rate(service, zone) + handling) + splitPenalty × (shipments − 1)}
 * subject to ATP, the channel's cap, node eligibility (enabled, online, channel served, stores
 * allowed, daily capacity, not excluded) and the delivery promise. It is exact over single nodes
 * and pairs of nodes covering whole lines (orders of up to {@link #EXACT_PAIR_LINES} lines); when
 * neither exists it covers greedily by cost per unit, splitting lines across nodes if the policy
 * allows. FIRST_FIT is the reference workload's rule: the lowest-numbered node covering every
 * line, otherwise each line at the lowest-numbered node that has it.
 * <p>
 * Every tie goes to the lower node id, so a plan depends only on state and the request. The planner
 * writes its result into its own arrays and allocates nothing: node scratch arrays are reset by
 * bumping an epoch stamp rather than clearing them.
 */
public final class SourcingPlanner
{
    public static final int MAX_REQUESTS = 64;
    public static final int EXACT_PAIR_LINES = 6;
    private static final int INELIGIBLE = -1;
    /** Every line split over the most shipments a policy allows (16). */
    private static final int MAX_ASSIGNMENTS = MAX_REQUESTS * 16;

    private final NodeTable nodes;
    private final RateCard rateCard;
    private final PositionTable positions;
    private final ChannelAllocation channels;
    private final SourcingPolicies policies;
    private final OrderBook book;

    // request (set by the caller through begin/request)
    private int order;
    private int channel;
    private int service;
    private int latestDay;
    private int today;
    private double latitudeRadians;
    private double longitudeRadians;
    private int skipNode;
    private int requestCount;
    private final int[] requestSku = new int[MAX_REQUESTS];
    private final int[] requestQuantity = new int[MAX_REQUESTS];
    private final int[] limit = new int[MAX_REQUESTS];
    private final int[] remaining = new int[MAX_REQUESTS];
    /** Per line, the slot of the node {@link #lowestFullCover} found. */
    private final int[] coverSlot = new int[MAX_REQUESTS];
    // the lines with a positive limit, with their block, count and need, for the leapfrog join
    private final int[] coverLine = new int[MAX_REQUESTS];
    private final int[][] coverBlock = new int[MAX_REQUESTS][];
    private final int[] coverCount = new int[MAX_REQUESTS];
    private final int[] coverNeed = new int[MAX_REQUESTS];

    // result
    private int assignmentCount;
    private final int[] assignmentRequest = new int[MAX_ASSIGNMENTS];
    private final int[] assignmentNode = new int[MAX_ASSIGNMENTS];
    private final int[] assignmentSlot = new int[MAX_ASSIGNMENTS];
    private final int[] assignmentQuantity = new int[MAX_ASSIGNMENTS];
    private final int[] assignmentShipment = new int[MAX_ASSIGNMENTS];
    private int shipmentCount;
    private final int[] shipmentNode = new int[MAX_REQUESTS * 4];
    private final int[] shipmentCost = new int[MAX_REQUESTS * 4];
    private final int[] shipmentPromisedDay = new int[MAX_REQUESTS * 4];
    private final int[] unfilled = new int[MAX_REQUESTS];

    // per-node scratch, valid where stamp == epoch
    private int epoch;
    private int[] candidateStamp = new int[0];
    private int[] candidateIndex = new int[0];
    private long[] candidateMask = new long[0];
    private int[] evalStamp = new int[0];
    private int[] evalCost = new int[0];
    private int[] evalPromisedDay = new int[0];
    private int[] shipmentStamp = new int[0];
    private int[] shipmentOfNode = new int[0];
    /** Nodes the order shipped from until this plan began (a changed delivery): see {@link #shippedFromBefore}. */
    private int[] heldStamp = new int[0];
    private int candidateCount;
    private int[] candidates = new int[0];
    private int[] candidateAtp = new int[0];
    private int[] candidateSlot = new int[0];
    /** Per candidate, the units it can take of what is left (planGreedy). */
    private long[] candidateUnits = new long[0];
    /**
     * Per line, the candidates holding some of it: {@code lineCandidates[lineStart[r] .. lineStart[r + 1])}.
     * A wide order has nearly every node as a candidate but each line only at its SKU's few
     * positions, so the greedy cover walks these lists, not every candidate for every line.
     */
    private final int[] lineStart = new int[MAX_REQUESTS + 1];
    private int[] lineCandidates = new int[0];

    // best node per coverage mask for the pair search
    private final int[] bestCostByMask = new int[1 << EXACT_PAIR_LINES];
    private final int[] bestNodeByMask = new int[1 << EXACT_PAIR_LINES];
    private final int[] maskList = new int[1 << EXACT_PAIR_LINES];
    private final boolean[] maskPresent = new boolean[1 << EXACT_PAIR_LINES];
    private final boolean[] maskCompletable = new boolean[1 << EXACT_PAIR_LINES];

    public SourcingPlanner(
        final NodeTable nodes,
        final RateCard rateCard,
        final PositionTable positions,
        final ChannelAllocation channels,
        final SourcingPolicies policies,
        final OrderBook book)
    {
        this.nodes = nodes;
        this.rateCard = rateCard;
        this.positions = positions;
        this.channels = channels;
        this.policies = policies;
        this.book = book;
    }

    /** Starts a plan for an existing order's open quantities; {@code skipNode} (or -1) is left out of this plan only. */
    public void begin(final int order, final int today, final int skipNode)
    {
        begin(order, book.channel(order), book.service(order), book.latitudeMicros(order), book.longitudeMicros(order),
            book.latestDay(order), today, skipNode);
    }

    /**
     * Starts a plan. {@code order} is -1 for an order not yet in the book (placement plans before it
     * records anything, so a rejected order leaves no trace).
     */
    public void begin(
        final int order,
        final int channel,
        final int service,
        final int latitudeMicros,
        final int longitudeMicros,
        final int latestDay,
        final int today,
        final int skipNode)
    {
        ensureNodes(nodes.count());
        this.order = order;
        this.channel = channel;
        this.service = service;
        this.latestDay = latestDay;
        this.latitudeRadians = Math.toRadians(latitudeMicros / 1e6);
        this.longitudeRadians = Math.toRadians(longitudeMicros / 1e6);
        this.today = today;
        this.skipNode = skipNode;
        this.requestCount = 0;
        this.assignmentCount = 0;
        this.shipmentCount = 0;
        this.channelBit = 1 << channel;
        if (servingVersion != configVersion)
        {
            refreshServingMasks();
        }
        if (++epoch == Integer.MAX_VALUE)
        {
            resetStamps();
        }
    }

    /**
     * The order had a shipment at this node until just before the plan (its delivery changed and the
     * unpicked units were taken back): the node stays eligible when its day is full, and a shipment
     * planned there again is the same shipment, not one more against the node's capacity.
     */
    public void shippedFromBefore(final int node)
    {
        heldStamp[node] = epoch;
    }

    /** Whether {@link #shippedFromBefore} named the node for this plan. */
    public boolean shippedFromBeforeThisPlan(final int node)
    {
        return heldStamp[node] == epoch;
    }

    /** Adds a request for {@code quantity} of {@code sku}; returns its index. SKUs within one plan are distinct. */
    public int request(final int sku, final int quantity)
    {
        final int r = requestCount++;
        requestSku[r] = sku;
        requestQuantity[r] = quantity;
        return r;
    }

    public int requestCount()
    {
        return requestCount;
    }

    /** Units request {@code r} asked for. */
    public int requestQuantity(final int r)
    {
        return requestQuantity[r];
    }

    /** Runs the plan; returns the total quantity that could not be placed. */
    public int plan()
    {
        final int n = requestCount;
        long required = 0;
        for (int r = 0; r < n; r++)
        {
            final int sku = requestSku[r];
            limit[r] = Math.min(requestQuantity[r], channelRoom(sku));
            remaining[r] = limit[r];
            if (limit[r] > 0)
            {
                required |= 1L << r;
            }
        }
        if (required != 0)
        {
            if (policies.strategy(channel) == SourcingPolicies.STRATEGY_FIRST_FIT)
            {
                planFirstFit(n, required);
            }
            else
            {
                collectCandidates(n);
                planCost(n, required);
            }
        }
        int short_ = 0;
        for (int r = 0; r < n; r++)
        {
            unfilled[r] = requestQuantity[r] - (limit[r] - remaining[r]);
            short_ += unfilled[r];
        }
        return short_;
    }

    /**
     * Units this plan's channel may still reserve of the SKU: what its cap leaves and, where a
     * channel fences the SKU, what the other channels' fences leave ({@link Integer#MAX_VALUE}: no limit).
     */
    public int channelRoom(final int sku)
    {
        final int room = sku < positions.skuCount() ? channels.headroom(channel, sku) : 0;
        return room > 0 && channels.isFenced(sku) ? (int)Math.min(room, fenceRoom(sku)) : room;
    }

    /** What the other channels' fences leave this plan's channel of the SKU's sellable ATP. */
    public long fenceRoom(final int sku)
    {
        return channels.fenceHeadroom(channel, sku, sellableAtp(sku));
    }

    /** The channel this plan sources for. */
    public int channel()
    {
        return channel;
    }

    /**
     * The SKU's ATP at the nodes that may ship now (enabled and online), whichever channels they
     * serve: the stock channel fences are counted against.
     */
    public long sellableAtp(final int sku)
    {
        final int[] block = positions.block(sku);
        long total = 0;
        for (int slot = 0, count = positions.count(sku); slot < count; slot++)
        {
            final int node = block[2 * slot];
            if (nodes.isEnabled(node) && nodes.isOnline(node))
            {
                total += block[2 * slot + 1];
            }
        }
        return total;
    }

    // ------------------------------------------------------------------ result

    public int assignmentCount()
    {
        return assignmentCount;
    }

    public int assignmentRequest(final int i)
    {
        return assignmentRequest[i];
    }

    public int assignmentNode(final int i)
    {
        return assignmentNode[i];
    }

    public int assignmentSlot(final int i)
    {
        return assignmentSlot[i];
    }

    public int assignmentQuantity(final int i)
    {
        return assignmentQuantity[i];
    }

    public int assignmentShipment(final int i)
    {
        return assignmentShipment[i];
    }

    /** The plan's shipments' costs added up (rate plus handling each). */
    public long totalCost()
    {
        long total = 0;
        for (int s = 0; s < shipmentCount; s++)
        {
            total += shipmentCost[s];
        }
        return total;
    }

    /** The latest day any of the plan's shipments is promised for; 0 when the plan ships nothing. */
    public int deliveryDay()
    {
        int day = 0;
        for (int s = 0; s < shipmentCount; s++)
        {
            day = Math.max(day, shipmentPromisedDay[s]);
        }
        return day;
    }

    public int shipmentCount()
    {
        return shipmentCount;
    }

    public int shipmentNode(final int s)
    {
        return shipmentNode[s];
    }

    public int shipmentCost(final int s)
    {
        return shipmentCost[s];
    }

    public int shipmentPromisedDay(final int s)
    {
        return shipmentPromisedDay[s];
    }

    public int unfilled(final int r)
    {
        return unfilled[r];
    }

    public int requestSku(final int r)
    {
        return requestSku[r];
    }

    // ------------------------------------------------------------------ strategies

    private void planCost(final int n, final long required)
    {
        int bestSingle = -1;
        int bestSingleCost = Integer.MAX_VALUE;
        final int candidateCount = this.candidateCount;
        final int[] candidates = this.candidates;
        final long[] candidateMask = this.candidateMask;
        for (int c = 0; c < candidateCount; c++)
        {
            final int node = candidates[c];
            if (candidateMask[node] == required)
            {
                final int cost = evaluate(node);
                if (cost != INELIGIBLE && (cost < bestSingleCost || (cost == bestSingleCost && node < bestSingle)))
                {
                    bestSingle = node;
                    bestSingleCost = cost;
                }
            }
        }

        final int maxShipments = policies.maxShipments(channel);
        final int penalty = policies.splitPenalty(channel);
        if (n <= EXACT_PAIR_LINES && maxShipments >= 2 &&
            (bestSingle < 0 || bestSingleCost > 2 * lowestShipmentCost() + penalty))
        {
            if (planPair(required, penalty, bestSingle, bestSingleCost))
            {
                return;
            }
        }
        if (bestSingle >= 0)
        {
            assignWholeLines(bestSingle, required, bestSingleCost);
            return;
        }
        planGreedy(n, maxShipments);
    }

    /** Best pair of nodes that between them hold every required line whole; false when none beats the single. */
    private boolean planPair(final long required, final int penalty, final int bestSingle, final int bestSingleCost)
    {
        final int masks = 1 << requestCount;
        Arrays.fill(bestCostByMask, 0, masks, Integer.MAX_VALUE);
        final boolean[] completable = completableMasks(masks, (int)required);
        int maskCount = 0;
        for (int c = 0; c < candidateCount; c++)
        {
            final int node = candidates[c];
            final int mask = (int)candidateMask[node];
            if (mask == 0 || !completable[mask])
            {
                // no other candidate holds the lines this one lacks: it is in no pair, so its
                // cost (distance, zone, eligibility) is not worked out
                continue;
            }
            final int cost = evaluate(node);
            if (cost == INELIGIBLE)
            {
                continue;
            }
            if (bestCostByMask[mask] == Integer.MAX_VALUE)
            {
                maskList[maskCount++] = mask;
            }
            if (cost < bestCostByMask[mask] || (cost == bestCostByMask[mask] && node < bestNodeByMask[mask]))
            {
                bestCostByMask[mask] = cost;
                bestNodeByMask[mask] = node;
            }
        }
        long bestTotal = bestSingle >= 0 ? bestSingleCost : Long.MAX_VALUE;
        int bestA = -1;
        int bestB = -1;
        for (int i = 0; i < maskCount; i++)
        {
            final int m1 = maskList[i];
            for (int j = i + 1; j < maskCount; j++)
            {
                final int m2 = maskList[j];
                if ((m1 | m2) != required)
                {
                    continue;
                }
                final int a = Math.min(bestNodeByMask[m1], bestNodeByMask[m2]);
                final int b = Math.max(bestNodeByMask[m1], bestNodeByMask[m2]);
                final long total = (long)bestCostByMask[m1] + bestCostByMask[m2] + penalty;
                if (total < bestTotal || (total == bestTotal && bestA >= 0 && (a < bestA || (a == bestA && b < bestB))))
                {
                    bestTotal = total;
                    bestA = a;
                    bestB = b;
                }
            }
        }
        if (bestA < 0)
        {
            return false;
        }
        // Each line goes whole to the lower-numbered node of the pair that holds it.
        final long maskA = candidateMask[bestA];
        assignWholeLines(bestA, maskA & required, evaluate(bestA));
        assignWholeLines(bestB, required & ~maskA, evaluate(bestB));
        return true;
    }

    /**
     * Per mask of whole lines, whether some candidate with another mask holds every required line
     * it lacks: only then can a node with that mask be one of a pair. A node holding every line
     * counts whenever any other mask occurs (it is the single, evaluated anyway). Marks each mask
     * that occurs, then spreads the marks down to every subset, so {@code present[x]} says some
     * candidate holds at least the lines of {@code x}.
     */
    private boolean[] completableMasks(final int masks, final int required)
    {
        final boolean[] present = this.maskPresent;
        final boolean[] completable = this.maskCompletable;
        Arrays.fill(present, 0, masks, false);
        int occurring = 0;
        for (int c = 0; c < candidateCount; c++)
        {
            final int mask = (int)candidateMask[candidates[c]];
            if (mask != 0 && !present[mask])
            {
                present[mask] = true;
                occurring++;
            }
        }
        completable[required] = occurring > 1;
        for (int line = 0; line < requestCount; line++)
        {
            final int bit = 1 << line;
            for (int mask = 0; mask < masks; mask++)
            {
                if ((mask & bit) == 0 && present[mask | bit])
                {
                    present[mask] = true;
                }
            }
        }
        for (int mask = 1; mask < masks; mask++)
        {
            if (mask != required)
            {
                // a partner must hold the lines this mask lacks; it cannot be this mask itself
                completable[mask] = present[required & ~mask];
            }
        }
        return completable;
    }

    /**
     * Covers what is left shipment by shipment, each time from the candidate with the lowest cost
     * per unit it can take. What each candidate can take ({@link #candidateUnits}) is summed once
     * and then only corrected for the lines a chosen shipment took from, so a round costs one pass
     * over the candidates rather than one over candidates × lines (10-line orders spent most of
     * their planning time re-adding the same sums).
     */
    private void planGreedy(final int n, final int maxShipments)
    {
        final boolean split = policies.allowLineSplit(channel);
        final long[] candidateUnits = this.candidateUnits;
        final int[] candidateAtp = this.candidateAtp;
        final int[] lineStart = this.lineStart;
        final int[] lineCandidates = this.lineCandidates;
        Arrays.fill(candidateUnits, 0, candidateCount, 0L);
        for (int r = 0; r < n; r++)
        {
            final int need = remaining[r];
            for (int k = lineStart[r], end = lineStart[r + 1]; k < end; k++)
            {
                final int c = lineCandidates[k];
                candidateUnits[c] += take(candidateAtp[c * n + r], need, split);
            }
        }
        while (shipmentCount < maxShipments)
        {
            int best = -1;
            int bestCandidate = -1;
            long bestCost = 0;
            long bestUnits = 0;
            for (int c = 0; c < candidateCount; c++)
            {
                final long units = candidateUnits[c];
                if (units == 0)
                {
                    continue;
                }
                final int node = candidates[c];
                if (shipmentStamp[node] == epoch)
                {
                    continue;
                }
                final int cost = evaluate(node);
                if (cost == INELIGIBLE)
                {
                    continue;
                }
                // cheaper per unit first: cost/units < bestCost/bestUnits, without division
                final long lhs = cost * bestUnits;
                final long rhs = bestCost * units;
                if (best < 0 || lhs < rhs || (lhs == rhs && (units > bestUnits || (units == bestUnits && node < best))))
                {
                    best = node;
                    bestCandidate = c;
                    bestCost = cost;
                    bestUnits = units;
                }
            }
            if (best < 0)
            {
                return;
            }
            final int shipment = openShipment(best, (int)bestCost);
            final int base = bestCandidate * n;
            for (int r = 0; r < n; r++)
            {
                final int need = remaining[r];
                final int take = take(candidateAtp[base + r], need, split);
                if (take > 0)
                {
                    assign(r, best, candidateSlot[base + r], take, shipment);
                    // every candidate's share of this line shrinks with what is left of it (a
                    // candidate without the line has no share)
                    final int left = need - take;
                    for (int k = lineStart[r], end = lineStart[r + 1]; k < end; k++)
                    {
                        final int c = lineCandidates[k];
                        final int atp = candidateAtp[c * n + r];
                        candidateUnits[c] += take(atp, left, split) - take(atp, need, split);
                    }
                }
            }
        }
    }

    /** Units a node with {@code atp} can take of a line that still needs {@code need}: all of it, or with splits what it has. */
    private static int take(final int atp, final int need, final boolean split)
    {
        if (need <= 0)
        {
            return 0;
        }
        return split ? Math.min(atp, need) : (atp >= need ? need : 0);
    }

    private void planFirstFit(final int n, final long required)
    {
        final int single = lowestFullCover(n);
        if (single >= 0)
        {
            final int shipment = openShipment(single, evaluate(single));
            for (int r = 0; r < n; r++)
            {
                if ((required & (1L << r)) != 0)
                {
                    assign(r, single, coverSlot[r], remaining[r], shipment);
                }
            }
            return;
        }
        final boolean split = policies.allowLineSplit(channel);
        final int maxShipments = policies.maxShipments(channel);
        for (int r = 0; r < n; r++)
        {
            if (remaining[r] <= 0)
            {
                continue;
            }
            final int sku = requestSku[r];
            final int[] block = positions.block(sku);
            final int count = positions.count(sku);
            // pass 1: lowest node holding the whole line; pass 2 (split allowed): fill from the lowest up
            for (int pass = 0; pass < (split ? 2 : 1) && remaining[r] > 0; pass++)
            {
                for (int slot = 0; slot < count && remaining[r] > 0; slot++)
                {
                    final int node = block[2 * slot];
                    final int atp = block[2 * slot + 1];
                    if (atp <= 0 || (pass == 0 && atp < remaining[r]))
                    {
                        continue;
                    }
                    final boolean newShipment = shipmentStamp[node] != epoch;
                    if (newShipment && shipmentCount >= maxShipments)
                    {
                        continue;
                    }
                    final int cost = evaluate(node);
                    if (cost == INELIGIBLE)
                    {
                        continue;
                    }
                    final int shipment = newShipment ? openShipment(node, cost) : shipmentOfNode[node];
                    assign(r, node, slot, Math.min(atp, remaining[r]), shipment);
                }
            }
        }
    }

    // ------------------------------------------------------------------ building blocks

    /**
     * The lowest-numbered eligible node holding every line with a positive limit whole, or -1; its
     * slot per line is left in {@link #coverSlot}. Blocks are sorted by node, so this is a leapfrog
     * join: the lines take turns moving their cursor up to the highest node any line is at,
     * skipping positions short of the line's need, until every line has agreed on one node in a
     * row. It reads each position at most once and writes nothing per position; each line's block,
     * count and need are looked up once, not on every turn.
     */
    private int lowestFullCover(final int n)
    {
        final int[] coverSlot = this.coverSlot;
        final int[][] coverBlock = this.coverBlock;
        final int[] coverCount = this.coverCount;
        final int[] coverNeed = this.coverNeed;
        final int[] coverLine = this.coverLine;
        int lines = 0;
        for (int r = 0; r < n; r++)
        {
            coverSlot[r] = 0;
            final int need = limit[r];
            if (need > 0)
            {
                final int sku = requestSku[r];
                coverLine[lines] = r;
                coverBlock[lines] = positions.block(sku);
                coverCount[lines] = positions.count(sku);
                coverNeed[lines] = need;
                lines++;
            }
        }
        if (lines == 0)
        {
            return -1;
        }
        int target = 0;
        int agreed = 0;
        for (int i = 0; ; i = i + 1 == lines ? 0 : i + 1)
        {
            final int[] block = coverBlock[i];
            final int count = coverCount[i];
            final int need = coverNeed[i];
            final int r = coverLine[i];
            int slot = coverSlot[r];
            while (slot < count && (block[2 * slot] < target || block[2 * slot + 1] < need))
            {
                slot++;
            }
            if (slot == count)
            {
                return -1;
            }
            coverSlot[r] = slot;
            final int node = block[2 * slot];
            if (node > target)
            {
                target = node;
                agreed = 1;
            }
            else
            {
                agreed++;
            }
            if (agreed == lines)
            {
                if (evaluate(target) != INELIGIBLE)
                {
                    return target;
                }
                target++;
                agreed = 0;
            }
        }
    }

    private void collectCandidates(final int n)
    {
        candidateCount = 0;
        final int epoch = this.epoch;
        final int[] lineCandidates = this.lineCandidates;
        int listed = 0;
        for (int r = 0; r < n; r++)
        {
            lineStart[r] = listed;
            final int need = limit[r];
            if (need <= 0)
            {
                continue;
            }
            final int sku = requestSku[r];
            final int[] block = positions.block(sku);
            final long bit = 1L << r;
            for (int slot = 0, count = positions.count(sku); slot < count; slot++)
            {
                final int atp = block[2 * slot + 1];
                if (atp <= 0)
                {
                    continue;
                }
                final int node = block[2 * slot];
                int c;
                if (candidateStamp[node] != epoch)
                {
                    candidateStamp[node] = epoch;
                    candidateMask[node] = 0;
                    c = candidateCount++;
                    candidateIndex[node] = c;
                    candidates[c] = node;
                    final int base = c * n;
                    for (int k = 0; k < n; k++)
                    {
                        candidateAtp[base + k] = 0;
                    }
                }
                else
                {
                    c = candidateIndex[node];
                }
                candidateAtp[c * n + r] = atp;
                candidateSlot[c * n + r] = slot;
                lineCandidates[listed++] = c;
                if (atp >= need)
                {
                    candidateMask[node] |= bit;
                }
            }
        }
        lineStart[n] = listed;
    }

    private void assignWholeLines(final int node, final long lines, final int cost)
    {
        final int shipment = openShipment(node, cost);
        final int c = candidateIndex[node];
        final int n = requestCount;
        for (int r = 0; r < n; r++)
        {
            if ((lines & (1L << r)) != 0 && remaining[r] > 0)
            {
                assign(r, node, candidateSlot[c * n + r], remaining[r], shipment);
            }
        }
    }

    private int openShipment(final int node, final int cost)
    {
        final int s = shipmentCount++;
        shipmentNode[s] = node;
        shipmentCost[s] = cost;
        shipmentPromisedDay[s] = evalPromisedDay[node];
        shipmentStamp[node] = epoch;
        shipmentOfNode[node] = s;
        return s;
    }

    private void assign(final int r, final int node, final int slot, final int quantity, final int shipment)
    {
        final int a = assignmentCount++;
        assignmentRequest[a] = r;
        assignmentNode[a] = node;
        assignmentSlot[a] = slot;
        assignmentQuantity[a] = quantity;
        assignmentShipment[a] = shipment;
        remaining[r] -= quantity;
    }

    /** Shipment cost from the node to the order's destination, or {@link #INELIGIBLE}; cached per plan. */
    private int evaluate(final int node)
    {
        if (evalStamp[node] == epoch)
        {
            return evalCost[node];
        }
        evalStamp[node] = epoch;
        final int cost = computeCost(node);
        evalCost[node] = cost;
        return cost;
    }

    private int computeCost(final int node)
    {
        final NodeTable nodes = this.nodes;
        // one load answers enabled, online, channel served and store policy
        if ((servingMask[node] & channelBit) == 0 || node == skipNode)
        {
            return INELIGIBLE;
        }
        // past the node's cutoff what is planned today leaves tomorrow, and counts against tomorrow's capacity
        final boolean nextDay = minuteOfDay >= cutoffFrom[node];
        if (!nodes.hasCapacity(node, nextDay) && heldStamp[node] != epoch && (order < 0 || !book.hasOpenShipmentAt(order, node)))
        {
            return INELIGIBLE;
        }
        if (order >= 0 && book.hasExclusions(order) && book.isExcluded(order, node))
        {
            return INELIGIBLE;
        }
        final int zone = rateCard.zone(distanceSquaredKm(node));
        if (zone < 0)
        {
            return INELIGIBLE;
        }
        final int rate = rateCard.cost(service, zone);
        if (rate == RateCard.NO_RATE)
        {
            return INELIGIBLE;
        }
        final long handling = Double.doubleToRawLongBits(geometry[(node << 2) + 3]);
        final int promisedDay = today + (nextDay ? 1 : 0) + (int)(handling >>> 32) + rateCard.transitDays(service, zone);
        if (latestDay != 0 && promisedDay > latestDay)
        {
            return INELIGIBLE;
        }
        evalPromisedDay[node] = promisedDay;
        return rate + (int)handling;
    }

    /** Squared distance from the node to the plan's destination in km² (equirectangular: the zone bands are coarse). */
    private double distanceSquaredKm(final int node)
    {
        // node geometry and handling sit together in one cache line (see refreshServingMasks)
        final double[] geometry = this.geometry;
        final int g = node << 2;
        final double x = (longitudeRadians - geometry[g + 1]) * geometry[g + 2];
        final double y = latitudeRadians - geometry[g];
        return (x * x + y * y) * EARTH_RADIUS_KM_SQUARED;
    }

    // ------------------------------------------------------------------ explanations (ExplainSourcing)

    /** {@link #verdict} found every rule met. */
    public static final int ELIGIBLE = 0;
    private int explainedZone;
    private int explainedCost;
    private int explainedPromisedDay;

    /**
     * The cost the plan begun last gives the node (rate plus handling, the figure sourcing compares),
     * or -1 when the node may not ship the order: the same answer sourcing got.
     */
    public int candidateCost(final int node)
    {
        return evaluate(node);
    }

    /**
     * Which rule keeps the node from shipping the order of the plan begun last: {@link #ELIGIBLE}, or
     * the first rule it fails, as {@code NodeVerdict} values, checked in the order sourcing checks
     * them. Sourcing folds most of these rules into one mask per node; this takes them apart again,
     * so it is for explanations only. Leaves the node's zone, cost and promised day for
     * {@link #explainedZone}, {@link #explainedCost} and {@link #explainedPromisedDay}.
     */
    public int verdict(final int node)
    {
        final int zone = rateCard.zone(distanceSquaredKm(node));
        final int rate = zone < 0 ? RateCard.NO_RATE : rateCard.cost(service, zone);
        explainedZone = zone;
        explainedCost = rate == RateCard.NO_RATE ? -1 : rate + nodes.handlingCost(node);
        explainedPromisedDay = rate == RateCard.NO_RATE ? 0
            : today + (leavesNextDay(node) ? 1 : 0) + nodes.handlingDays(node) + rateCard.transitDays(service, zone);
        if (!nodes.isEnabled(node))
        {
            return 1;
        }
        if (!nodes.isOnline(node))
        {
            return 2;
        }
        if ((nodes.channelMask(node) & channelBit) == 0)
        {
            return 3;
        }
        if (nodes.type(node) == NodeTable.TYPE_STORE && !policies.storesEligible(channel))
        {
            return 4;
        }
        if (!nodes.hasCapacity(node, leavesNextDay(node)) && heldStamp[node] != epoch && (order < 0 || !book.hasOpenShipmentAt(order, node)))
        {
            return 5;
        }
        if (node == skipNode || (order >= 0 && book.hasExclusions(order) && book.isExcluded(order, node)))
        {
            return 6;
        }
        if (zone < 0)
        {
            return 7;
        }
        if (rate == RateCard.NO_RATE)
        {
            return 8;
        }
        if (latestDay != 0 && explainedPromisedDay > latestDay)
        {
            return 9;
        }
        return ELIGIBLE;
    }

    /** The zone {@link #verdict} found: -1 beyond the rate card's last band. */
    public int explainedZone()
    {
        return explainedZone;
    }

    /** The cost {@link #verdict} found (rate plus handling), or -1 when there is no rate. */
    public int explainedCost()
    {
        return explainedCost;
    }

    /** The promised day {@link #verdict} found, or 0 when there is no rate. */
    public int explainedPromisedDay()
    {
        return explainedPromisedDay;
    }

    /** Distance from the node to the plan's destination, in km, as sourcing measures it. */
    public int distanceKm(final int node)
    {
        return (int)Math.round(Math.sqrt(distanceSquaredKm(node)));
    }

    private static final double EARTH_RADIUS_KM_SQUARED = NodeTable.EARTH_RADIUS_KM * NodeTable.EARTH_RADIUS_KM;

    // Per node, the channels it may ship for now: served, enabled, online, and not a store when the
    // channel's policy excludes stores. Rebuilt when nodes or policies change, read once per candidate.
    private int channelBit;
    private int[] servingMask = new int[0];
    // per node: latitude and longitude (radians), cos(latitude), handling days << 32 | handling cost
    private double[] geometry = new double[0];
    // per node: the minute of the day from which its shipments leave tomorrow (no cutoff: never)
    private int[] cutoffFrom = new int[0];
    private int servingVersion = -1;
    // of the last command's timestamp, UTC
    private int minuteOfDay;

    /**
     * True when a shipment from the node planned now leaves it tomorrow: the command's time of day
     * is past the node's cutoff. Valid for the plan begun last.
     */
    public boolean leavesNextDay(final int node)
    {
        return minuteOfDay >= cutoffFrom[node];
    }

    /** The time of day of the command being applied, minutes after midnight UTC (the engine sets it as its clock moves). */
    public void timeOfDay(final int minute)
    {
        minuteOfDay = minute;
    }

    private int storesMask()
    {
        int mask = 0;
        for (int channel = 0; channel < ChannelAllocation.MAX_CHANNELS; channel++)
        {
            if (policies.storesEligible(channel))
            {
                mask |= 1 << channel;
            }
        }
        return mask;
    }

    private void refreshServingMasks()
    {
        final int count = nodes.count();
        if (servingMask.length < count)
        {
            servingMask = new int[Math.max(count, servingMask.length * 2)];
            geometry = new double[4 * servingMask.length];
            cutoffFrom = new int[servingMask.length];
        }
        final int stores = storesMask();
        for (int node = 0; node < count; node++)
        {
            int mask = 0;
            if (nodes.isEnabled(node) && nodes.isOnline(node))
            {
                mask = nodes.channelMask(node);
                if (nodes.type(node) == NodeTable.TYPE_STORE)
                {
                    mask &= stores;
                }
            }
            servingMask[node] = mask;
            final double latitude = Math.toRadians(nodes.latitudeMicros(node) / 1e6);
            geometry[4 * node] = latitude;
            geometry[4 * node + 1] = Math.toRadians(nodes.longitudeMicros(node) / 1e6);
            geometry[4 * node + 2] = Math.cos(latitude);
            geometry[4 * node + 3] = Double.longBitsToDouble(((long)nodes.handlingDays(node) << 32) | (nodes.handlingCost(node) & 0xFFFFFFFFL));
            cutoffFrom[node] = nodes.cutoffMinute(node) == 0 ? Integer.MAX_VALUE : nodes.cutoffMinute(node);
        }
        servingVersion = configVersion;
    }

    // A lower bound on any shipment's cost, so a pair search is skipped when no pair can beat the single.
    private int lowestCostVersion = -1;
    private int lowestShipmentCost;
    private int configVersion;

    /** Called by the engine whenever nodes, node status, policies or the rate card change. */
    public void configChanged()
    {
        configVersion++;
    }

    private int lowestShipmentCost()
    {
        if (lowestCostVersion != configVersion)
        {
            int minHandling = Integer.MAX_VALUE;
            for (int node = 0; node < nodes.count(); node++)
            {
                minHandling = Math.min(minHandling, nodes.handlingCost(node));
            }
            int minRate = 0;
            if (rateCard.isSet())
            {
                minRate = Integer.MAX_VALUE;
                for (int s = 0; s < RateCard.SERVICES; s++)
                {
                    for (int zone = 0; zone < Math.max(1, rateCard.bandCount()); zone++)
                    {
                        final int cost = rateCard.cost(s, zone);
                        if (cost != RateCard.NO_RATE)
                        {
                            minRate = Math.min(minRate, cost);
                        }
                    }
                }
                if (minRate == Integer.MAX_VALUE)
                {
                    minRate = 0;
                }
            }
            lowestShipmentCost = (minHandling == Integer.MAX_VALUE ? 0 : minHandling) + minRate;
            lowestCostVersion = configVersion;
        }
        return lowestShipmentCost;
    }

    private void ensureNodes(final int count)
    {
        if (count <= candidateStamp.length)
        {
            return;
        }
        final int capacity = Math.max(count, candidateStamp.length * 2);
        candidateStamp = new int[capacity];
        candidateIndex = new int[capacity];
        candidateMask = new long[capacity];
        evalStamp = new int[capacity];
        evalCost = new int[capacity];
        evalPromisedDay = new int[capacity];
        shipmentStamp = new int[capacity];
        shipmentOfNode = new int[capacity];
        heldStamp = new int[capacity];
        candidates = new int[capacity];
        candidateAtp = new int[capacity * MAX_REQUESTS];
        candidateSlot = new int[capacity * MAX_REQUESTS];
        candidateUnits = new long[capacity];
        // a line lists each node at most once (one position per node and SKU)
        lineCandidates = new int[capacity * MAX_REQUESTS];
        epoch = 0;
    }

    private void resetStamps()
    {
        Arrays.fill(candidateStamp, 0);
        Arrays.fill(evalStamp, 0);
        Arrays.fill(shipmentStamp, 0);
        Arrays.fill(heldStamp, 0);
        epoch = 1;
    }
}
