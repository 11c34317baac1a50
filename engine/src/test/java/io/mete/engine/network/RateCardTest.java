package io.mete.engine.network;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateCardTest
{
    /** The zone by definition: the first band the distance fits in, -1 beyond the last. */
    private static int expectedZone(final int[] bandsKm, final double distanceSquaredKm)
    {
        for (int zone = 0; zone < bandsKm.length; zone++)
        {
            if (distanceSquaredKm <= (double)bandsKm[zone] * bandsKm[zone])
            {
                return zone;
            }
        }
        return -1;
    }

    private static RateCard card(final int[] bandsKm)
    {
        final RateCard card = new RateCard();
        card.beginReplace();
        for (final int km : bandsKm)
        {
            card.addBand(km);
        }
        return card;
    }

    private static void assertZones(final int[] bandsKm, final long seed)
    {
        final RateCard card = card(bandsKm);
        final double last = (double)bandsKm[bandsKm.length - 1] * bandsKm[bandsKm.length - 1];
        // every edge exactly, and the doubles just either side of it, where a slice lookup would go wrong first
        for (final int km : bandsKm)
        {
            final double edge = (double)km * km;
            for (final double d : new double[] {edge, Math.nextUp(edge), Math.nextDown(edge), edge * (1 + 1e-12), edge * (1 - 1e-12)})
            {
                if (d >= 0)
                {
                    assertEquals(expectedZone(bandsKm, d), card.zone(d), () -> "distance² " + d + " with bands " + List.of(bandsKm));
                }
            }
        }
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++)
        {
            final double d = random.nextDouble() * last * 1.2;
            assertEquals(expectedZone(bandsKm, d), card.zone(d), () -> "distance² " + d + " with bands " + List.of(bandsKm));
        }
        assertEquals(expectedZone(bandsKm, 0), card.zone(0));
        assertEquals(-1, card.zone(Math.max(last * 4, 1)));
        assertEquals(-1, card.zone(Double.MAX_VALUE));
    }

    @Property(tries = 300)
    void zoneIsTheFirstBandTheDistanceFitsIn(
        @ForAll @Size(min = 1, max = RateCard.MAX_ZONES) final List<@IntRange(min = 0, max = 20_000) Integer> kms,
        @ForAll final long seed)
    {
        final int[] bands = new TreeSet<>(kms).stream().mapToInt(Integer::intValue).toArray();
        assertZones(bands, seed);
    }

    @Test
    void bandsCloserThanASlice()
    {
        // 8,192 slices of 20,000² km² are 48,828 km² wide: these bands share slices near the start
        assertZones(new int[] {1, 2, 3, 100, 101, 700, 701, 702, 20_000}, 1);
        assertZones(new int[] {0}, 2);
        assertZones(new int[] {0, 1}, 3);
    }

    @Test
    void aCardReplacedWithFewerBandsForgetsTheOldSlices()
    {
        final RateCard card = card(new int[] {100, 200, 300, 400, 500});
        assertEquals(4, card.zone(450.0 * 450));
        card.beginReplace();
        card.addBand(1000);
        assertEquals(0, card.zone(450.0 * 450));
        assertEquals(-1, card.zone(1001.0 * 1001));
        card.clear();
        assertEquals(0, card.zone(5000.0 * 5000), "no card: every distance is zone 0");
    }
}
