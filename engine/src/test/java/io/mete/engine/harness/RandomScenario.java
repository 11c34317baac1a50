package io.mete.engine.harness;

import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.order.OrderBook;
import io.mete.schema.NodeType;
import io.mete.schema.ServiceLevel;
import io.mete.schema.SourcingStrategy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static io.mete.engine.harness.EngineHarness.*;

/**
 * Random command sequences over a small network: 5 nodes (a store, a capacity-limited DC, a 3PL that
 * serves only the market channel), 6 SKUs, 2 channels. An {@link Action} is a kind and
 * five small numbers, so jqwik can shrink a failing sequence; the numbers are read per kind, and
 * lifecycle commands usually pick an order in a fitting state and a node where it holds something.
 */
public final class RandomScenario
{
    public static final int NODES = 5;
    public static final int SKUS = 6;
    private static final double[][] DESTINATIONS = {{40.0, -100.0}, {34.0, -118.0}, {41.0, -87.0}, {45.0, -70.0}};
    private static final long HOUR = 3_600_000L;
    private static final long[] TICKS = {0, 600_000L, HOUR, 6 * HOUR, DAY};

    /** One command, described by a kind (0..99, ranges weight the kinds) and five numbers 0..999. */
    public record Action(int kind, int a, int b, int c, int d, int e)
    {
        @Override
        public String toString()
        {
            return name(kind) + "(" + a + "," + b + "," + c + "," + d + "," + e + ")";
        }
    }

    public static Arbitrary<Action> actions()
    {
        final Arbitrary<Integer> n = Arbitraries.integers().between(0, 999);
        return Combinators.combine(Arbitraries.integers().between(0, 99), n, n, n, n, n).as(Action::new);
    }

    public static Arbitrary<List<Action>> sequences(final int min, final int max)
    {
        return actions().list().ofMinSize(min).ofMaxSize(max);
    }

    /** A sequence drawn from a seed, for long runs outside jqwik. */
    public static Action random(final SplittableRandom random)
    {
        return new Action(random.nextInt(100), random.nextInt(1000), random.nextInt(1000), random.nextInt(1000), random.nextInt(1000),
            random.nextInt(1000));
    }

    public static String name(final int kind)
    {
        if (kind < 22) return "place";
        if (kind < 32) return "setOnHand";
        if (kind < 40) return "adjust";
        if (kind < 44) return "safety";
        if (kind < 48) return "cap or fence";
        if (kind < 51) return "policy";
        if (kind < 54) return "nodeStatus";
        if (kind < 59) return "release";
        if (kind < 64) return "cancel";
        if (kind < 69) return "cancelLine";
        if (kind < 76) return "pick";
        if (kind < 79) return "rejectAllocation";
        if (kind < 88) return "ship";
        if (kind < 91) return "deliver";
        if (kind < 95) return "return";
        if (kind < 97) return "changeDelivery";
        if (kind == 97) return "cutoff";
        if (kind == 99) return "tick or retention";
        return "tick";
    }

    public static String node(final int i)
    {
        return "N" + (i % NODES);
    }

    public static String sku(final int i)
    {
        return "K" + (i % SKUS);
    }

    private final EngineHarness h;

    public RandomScenario(final EngineHarness h)
    {
        this.h = h;
    }

    public EngineHarness harness()
    {
        return h;
    }

    /** Channels, rate card, nodes and opening stock. */
    public RandomScenario setUp()
    {
        h.policy(WEB).set().assertAccepted();
        h.policy(MARKET).firstFit().set().assertAccepted();
        h.rateCard(new int[] {300, 1000, 3000}, new int[][] {
            {0, 0, 400, 1}, {0, 1, 600, 2}, {0, 2, 900, 4},
            {1, 0, 700, 1}, {1, 1, 900, 1}, {1, 2, 1300, 2},
            {2, 0, 1500, 1}, {2, 1, 1900, 1}}).assertAccepted();
        h.node("N0").at(40.0, -100.0).handling(300, 0).define().assertAccepted();
        h.node("N1").at(34.0, -118.0).handling(200, 1).define().assertAccepted();
        h.node("N2").store().at(41.0, -87.0).handling(100, 2).define().assertAccepted();
        h.node("N3").at(33.0, -84.0).handling(150, 0).capacity(2).define().assertAccepted();
        h.node("N4").type(NodeType.THIRD_PARTY).at(47.0, -122.0).handling(120, 1).channels(MARKET).define().assertAccepted();
        // the day starts at 00:00 UTC: N0 is past its cutoff from the first hour's tick on, N3 from the afternoon
        h.cutoff("N0", 60).assertAccepted();
        h.cutoff("N3", 14 * 60).assertAccepted();
        for (int s = 0; s < SKUS; s++)
        {
            for (int k = 0; k < 3; k++)
            {
                h.onHand(node(s + 2 * k), sku(s), 4 + (s * 5 + k * 3) % 9).assertAccepted();
            }
        }
        return this;
    }

    private int placed;
    private java.util.function.BiConsumer<Events.Promise, Result> quoting;
    private java.util.function.Consumer<EngineHarness.OrderSpec> beforePlacing;

    /** From now on {@code check} sees each order just before it is placed (to ask queries about it). */
    public RandomScenario beforePlacing(final java.util.function.Consumer<EngineHarness.OrderSpec> check)
    {
        beforePlacing = check;
        return this;
    }


    /** From now on each order is first quoted (QueryPromise), then placed; {@code check} sees the promise and the placement. */
    public RandomScenario quoting(final java.util.function.BiConsumer<Events.Promise, Result> check)
    {
        quoting = check;
        return this;
    }

    /** What a lifecycle command needs the order to have, so most commands meet a fitting order. */
    private enum Need
    {
        ANY_OPEN, ON_HOLD, RELEASED, SHIPPABLE, UNPICKED, SHIPPED, RETURNABLE
    }

    private boolean has(final int order, final Need need)
    {
        final OrderBook book = h.engine().book();
        if (!book.exists(order))
        {
            return false;
        }
        if (need == Need.ON_HOLD)
        {
            return book.state(order) == OrderBook.STATE_ON_HOLD;
        }
        if (need == Need.ANY_OPEN)
        {
            return !book.isClosed(order);
        }
        if (need == Need.RETURNABLE)
        {
            for (int line = book.firstLine(order), end = line + book.lineCount(order); line < end; line++)
            {
                if (book.lineShipped(line) > book.lineReturned(line))
                {
                    return true;
                }
            }
            return false;
        }
        for (int a = book.allocationHead(order); a != OrderBook.NONE; a = book.allocationNext(a))
        {
            final int state = book.allocationState(a);
            if (book.allocationQuantity(a) > 0 &&
                (need == Need.RELEASED && state == OrderBook.ALLOC_RELEASED ||
                 need == Need.SHIPPABLE && (state == OrderBook.ALLOC_RELEASED || state == OrderBook.ALLOC_PICKED) ||
                 need == Need.UNPICKED && state <= OrderBook.ALLOC_RELEASED ||
                 need == Need.SHIPPED && state >= OrderBook.ALLOC_SHIPPED))
            {
                return true;
            }
        }
        return false;
    }

    /** An order id for a lifecycle command: usually one that fits, sometimes any, rarely unknown. */
    private String orderFor(final int selector, final Need need)
    {
        if (selector % 25 == 0 || h.engine().book().orderCount() == 0)
        {
            return "UNKNOWN" + selector % 3;
        }
        final OrderBook book = h.engine().book();
        final List<Integer> fitting = new ArrayList<>();
        if (selector % 7 != 0)
        {
            // the most recent orders only, so long runs stay linear
            for (int order = Math.max(0, book.orderCount() - 300); order < book.orderCount(); order++)
            {
                if (has(order, need))
                {
                    fitting.add(order);
                }
            }
        }
        if (fitting.isEmpty())
        {
            final int any = selector % book.orderCount();
            // a retired order's id is gone from the engine: name it by a number it never had
            return h.engine().orderIds().isLive(any) ? h.engine().orderIds().toString(any) : "UNKNOWN" + selector % 3;
        }
        return h.engine().orderIds().toString(fitting.get(selector % fitting.size()));
    }

    /** A line number of the order most of the time, sometimes one beyond its lines. */
    private int lineOf(final String orderId, final int selector)
    {
        final int order = h.engine().orderIds().find(orderId);
        if (order < 0 || selector % 10 == 0)
        {
            return selector % 4;
        }
        return selector % h.engine().book().lineCount(order);
    }

    /** Chooses a node where the order holds something in the given states, or any node. */
    private String nodeOf(final String orderId, final int selector, final boolean shipped)
    {
        final int order = h.engine().orderIds().find(orderId);
        final TreeSet<Integer> candidates = new TreeSet<>();
        if (order >= 0)
        {
            final OrderBook book = h.engine().book();
            for (int a = book.allocationHead(order); a != OrderBook.NONE; a = book.allocationNext(a))
            {
                final int state = book.allocationState(a);
                if (book.allocationQuantity(a) > 0 && (shipped ? state >= OrderBook.ALLOC_SHIPPED : OrderBook.isOpen(state)))
                {
                    candidates.add(book.allocationNode(a));
                }
            }
        }
        if (candidates.isEmpty() || selector % 10 == 0)
        {
            return node(selector);
        }
        final List<Integer> list = new ArrayList<>(candidates);
        return h.engine().nodeCodes().toString(list.get(selector % list.size()));
    }

    public Result apply(final Action x)
    {
        final int k = x.kind();
        final int a = x.a();
        final int b = x.b();
        final int c = x.c();
        final int d = x.d();
        final int e = x.e();
        if (k < 22)
        {
            final int known = h.engine().book().orderCount();
            final boolean again = a % 10 == 0 && known > 0 && h.engine().orderIds().isLive(a % known);
            final String id = again ? h.engine().orderIds().toString(a % known) : "O" + placed++;
            final EngineHarness.OrderSpec spec = h.order(id).channel(b % 4 == 0 ? MARKET : WEB)
                .priority(c % 5 == 4 ? 200 : c % 5)
                .service(ServiceLevel.get((short)((c / 5) % 3)));
            final double[] to = DESTINATIONS[(b / 4) % DESTINATIONS.length];
            spec.to(to[0], to[1]);
            final int lines = 1 + d % 4;
            for (int i = 0; i < lines; i++)
            {
                spec.line(sku(e + i), 1 + (d / 4 + i * 3 + c) % 5);
            }
            if (b % 5 == 0)
            {
                spec.holdUntil(h.now() + (1 + c % 3) * HOUR);
            }
            if (e % 7 == 0)
            {
                spec.latestDay(h.today() + 1 + a % 4);
            }
            if (beforePlacing != null)
            {
                beforePlacing.accept(spec);
            }
            if (quoting != null)
            {
                final Events.Promise promise = spec.promise();
                final Result placement = spec.place();
                quoting.accept(promise, placement);
                return placement;
            }
            return spec.place();
        }
        if (k < 32) return h.onHand(node(a), sku(b), c % 25);
        if (k < 40) return h.adjust(node(a), sku(b), c % 16 - 5);
        if (k < 44) return h.safety(node(a), sku(b), c % 6);
        if (k < 48)
        {
            // a fence of -1 is refused
            return d % 3 == 0 ? h.fence(a % 2 == 0 ? WEB : MARKET, sku(b), c % 9 - 1) : h.cap(a % 2 == 0 ? WEB : MARKET, sku(b), c % 12 - 2);
        }
        if (k < 51)
        {
            final EngineHarness.PolicySpec policy = h.policy(a % 2 == 0 ? WEB : MARKET)
                .strategy(b % 2 == 0 ? SourcingStrategy.COST : SourcingStrategy.FIRST_FIT)
                .penalty((c % 4) * 300).maxShipments(1 + d % 4).split(e % 2 == 0).stores((e / 2) % 2 == 0);
            if ((e / 4) % 4 == 0)
            {
                policy.rejectShortfall();
            }
            return policy.set();
        }
        if (k < 54) return h.nodeStatus(node(a), b % 3 != 0);
        if (k < 59) return h.release(orderFor(a, Need.ON_HOLD));
        if (k < 64) return h.cancel(orderFor(a, Need.ANY_OPEN));
        if (k < 69)
        {
            final String id = orderFor(a, Need.ANY_OPEN);
            return h.cancelLine(id, lineOf(id, b), 1 + c % 4);
        }
        if (k < 76)
        {
            final String id = orderFor(a, Need.RELEASED);
            return h.pick(id, nodeOf(id, b, false), lineOf(id, c), d % 4);
        }
        if (k < 79)
        {
            final String id = orderFor(a, Need.UNPICKED);
            return h.rejectAllocation(id, nodeOf(id, b, false));
        }
        if (k < 88)
        {
            final String id = orderFor(a, Need.SHIPPABLE);
            return h.ship(id, nodeOf(id, b, false));
        }
        if (k < 91)
        {
            final String id = orderFor(a, Need.SHIPPED);
            return h.deliver(id, nodeOf(id, b, true));
        }
        if (k < 95)
        {
            final String id = orderFor(a, Need.RETURNABLE);
            return h.returnItems(id, node(b), lineOf(id, c), 1 + d % 3, e % 2 == 0);
        }
        if (k < 97)
        {
            // a new address, sometimes a faster service or a tight delivery day
            final double[] to = DESTINATIONS[b % DESTINATIONS.length];
            return h.changeDelivery(orderFor(a, Need.UNPICKED), ServiceLevel.get((short)(c % 3)), to[0], to[1],
                d % 4 == 0 ? h.today() + 1 + e % 3 : 0);
        }
        if (k == 97)
        {
            // a cutoff between 08:00 and 19:59 UTC, or none
            return h.cutoff(node(a), b % 4 == 0 ? 0 : 480 + c % 720);
        }
        if (k == 99 && b % 3 == 0)
        {
            // closed orders retired at once, after an hour, after six hours, or kept forever
            return h.retention(RETENTIONS[c % RETENTIONS.length]);
        }
        h.advance(TICKS[a % TICKS.length]);
        return h.tick();
    }

    private static final long[] RETENTIONS = {0, HOUR, 6 * HOUR, -1};
}
