package io.mete.gateway.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RateLimiterTest
{
    private static final long SECOND = 1_000_000_000L;

    /** Requests a client that always has one waiting gets through when looked at every {@code stepNs} for {@code durationNs}. */
    private static long admitted(final RateLimiter limiter, final long startNs, final long durationNs, final long stepNs)
    {
        long count = 0;
        for (long now = startNs; now < startNs + durationNs; now += stepNs)
        {
            while (limiter.permits(now))
            {
                limiter.take(now);
                count++;
            }
        }
        return count;
    }

    @Test
    void aFullBucketLetsTheBurstThroughAtOnceThenOnePerInterval()
    {
        final long start = 5 * SECOND;
        final RateLimiter limiter = new RateLimiter(100, 10, start);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(limiter.permits(start), "request " + i + " of the burst");
            limiter.take(start);
        }
        assertFalse(limiter.permits(start), "the eleventh waits");
        assertFalse(limiter.permits(start + 9_999_999), "until one interval (10 ms) has passed");
        assertTrue(limiter.permits(start + 10_000_000));
    }

    @Test
    void theScheduleIsExactEvenWhenTheIntervalIsNotAWholeNumberOfNanoseconds()
    {
        // 1e9 / 3, / 7, / 333,333 and / 999,999 leave remainders: without the carry the schedule
        // would fall behind and let through more than the rate
        for (final long rate : new long[] {3, 7, 1_000, 333_333, 999_999})
        {
            final long seconds = rate < 1_000 ? 10 : 1;
            final RateLimiter limiter = new RateLimiter(rate, 1, 0);
            for (long i = 0; i < rate * seconds; i++)
            {
                limiter.take(0);
            }
            assertFalse(limiter.permits(seconds * SECOND - 1), "rate " + rate + ": " + rate * seconds + " requests fill " + seconds + " s");
            assertTrue(limiter.permits(seconds * SECOND), "rate " + rate + ": and not a nanosecond more");
        }
    }

    @Test
    void aSessionLookedAtOnlyEveryMillisecondStillGetsItsRateWithTheBurstFloor()
    {
        final RateLimit limit = new RateLimit(50_000, 1);
        assertEquals(100, limit.effectiveBurst(), "raised to two milliseconds' worth");
        final RateLimiter limiter = limit.limiter(0);
        final long got = admitted(limiter, 0, 10 * SECOND, 1_000_000);
        assertEquals(500_000 + 100, got, 100, "the rate over 10 s, plus at most the first burst");
        assertTrue(got <= 500_000 + 100, "never more than the rate allows plus one burst: " + got);
    }

    @Test
    void idleTimeIsNotBankedBeyondTheBurst()
    {
        final RateLimiter limiter = new RateLimiter(1_000, 5, 0);
        assertEquals(5, admitted(limiter, 0, 1, 1));
        // an hour of silence buys five requests, not 3.6 million
        assertEquals(5, admitted(limiter, 3_600 * SECOND, 1, 1));
    }

    @Test
    void limitsAreCheckedAndDefaulted()
    {
        assertFalse(RateLimit.NONE.limited());
        assertNull(RateLimit.NONE.limiter(0));
        assertEquals(1_000, new RateLimit(10_000, 0).effectiveBurst(), "a tenth of a second's worth by default");
        assertEquals(7, new RateLimit(10, 7).effectiveBurst(), "as given when above the floor");
        assertEquals(1, new RateLimit(1, 0).effectiveBurst(), "never below one");
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(10, -1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, 0));
    }
}
