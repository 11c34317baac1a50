package io.mete.gateway.session;

/**
 * How fast a client may send requests (commands and queries): {@code perSecond} on average and
 * {@code burst} at once, or no limit when {@code perSecond} is 0. A session over its limit is not
 * read until it is back within it, so TCP pushes back on the client exactly as when the engine's
 * ring is full: nothing is refused and nothing is lost.
 */
public record RateLimit(long perSecond, long burst)
{
    public static final RateLimit NONE = new RateLimit(0, 0);
    public static final long MAX_PER_SECOND = 1_000_000_000L;
    /**
     * A waiting session is looked at again about once a millisecond (the gateway's select timeout),
     * so the burst is at least what the rate allows in two of those: with less, a session released
     * a little late could not catch up and would get less than its rate.
     */
    static final long MIN_BURST_MILLIS = 2;

    public RateLimit
    {
        if (perSecond < 0 || perSecond > MAX_PER_SECOND)
        {
            throw new IllegalArgumentException("rate limit must be 0 (none).." + MAX_PER_SECOND + " requests a second: " + perSecond);
        }
        if (burst < 0 || burst > MAX_PER_SECOND)
        {
            throw new IllegalArgumentException("rate burst must be 0 (a tenth of a second's worth).." + MAX_PER_SECOND + ": " + burst);
        }
    }

    public boolean limited()
    {
        return perSecond > 0;
    }

    /**
     * The burst the gateway applies: as configured, or a tenth of a second's worth when 0; never
     * below two milliseconds' worth (see {@link #MIN_BURST_MILLIS}) or 1.
     */
    public long effectiveBurst()
    {
        final long chosen = burst > 0 ? burst : perSecond / 10;
        final long floor = (perSecond * MIN_BURST_MILLIS + 999) / 1000;
        return Math.max(1, Math.max(chosen, floor));
    }

    /** A limiter for a new session, or null when there is no limit. */
    public RateLimiter limiter(final long nowNs)
    {
        return limited() ? new RateLimiter(perSecond, effectiveBurst(), nowNs) : null;
    }

    @Override
    public String toString()
    {
        return limited() ? perSecond + "/s burst " + effectiveBurst() : "none";
    }
}
