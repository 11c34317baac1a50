package io.mete.gateway.session;

/**
 * A client's request rate limit: on average at most {@code perSecond} requests a second, and at most
 * {@code burst} at once after a quiet spell. It is the generic cell rate algorithm, the token bucket
 * kept as one time: {@code due} is when the next request would be on schedule at the steady rate, and
 * a request may go ahead while it is no more than {@code burst - 1} intervals early.
 * <p>
 * Integer nanoseconds throughout, with the remainder of {@code 1e9 / perSecond} carried, so a
 * client limited to 3 a second gets exactly 3 a second over any long run, not 3.000000009. Read
 * and written by the gateway thread only; the time is the gateway's own clock, never the engine's.
 */
public final class RateLimiter
{
    private static final long SECOND_NS = 1_000_000_000L;

    private final long perSecond;
    private final long intervalNs;
    private final long remainder;
    private final long toleranceNs;
    private long dueNs;
    private long carry;

    /** {@code perSecond} ≥ 1 requests a second on average, {@code burst} ≥ 1 at once; the bucket starts full at {@code nowNs}. */
    public RateLimiter(final long perSecond, final long burst, final long nowNs)
    {
        if (perSecond < 1 || burst < 1)
        {
            throw new IllegalArgumentException("rate " + perSecond + "/s and burst " + burst + " must both be at least 1");
        }
        this.perSecond = perSecond;
        this.intervalNs = SECOND_NS / perSecond;
        this.remainder = SECOND_NS % perSecond;
        // (burst - 1) intervals, computed exactly: burst ≤ 1e9 keeps the product inside a long
        this.toleranceNs = Math.multiplyExact(burst - 1, SECOND_NS) / perSecond;
        this.dueNs = nowNs;
    }

    /** Whether a request may go ahead now; {@link #take} it once it did. */
    public boolean permits(final long nowNs)
    {
        return dueNs - nowNs <= toleranceNs;
    }

    /** Accounts for one request that went ahead at {@code nowNs}. */
    public void take(final long nowNs)
    {
        if (dueNs - nowNs < 0)
        {
            // idle for a while: the schedule restarts now, the unused time is not banked beyond the burst
            dueNs = nowNs;
        }
        dueNs += intervalNs;
        carry += remainder;
        if (carry >= perSecond)
        {
            carry -= perSecond;
            dueNs++;
        }
    }
}
