package io.mete.benchmarks.load;

/**
 * When a rate counts as sustained in a sweep: the server answered at least {@code minRatio} of the
 * target rate (answers acknowledged per second over the measured phase) and the p99 latency,
 * measured from intended send times, stayed within the bound. A sweep stops at the first rate that
 * fails either test; the rate before it is the sweep's result.
 */
public record SweepRule(double minRatio, long p99BoundNs)
{
    public static final double DEFAULT_MIN_RATIO = 0.95;

    /** The outcome of one step. */
    public enum Verdict
    {
        SUSTAINED, THROUGHPUT_BELOW_TARGET, LATENCY_ABOVE_BOUND;

        public boolean sustained()
        {
            return this == SUSTAINED;
        }
    }

    public SweepRule
    {
        if (!(minRatio > 0 && minRatio <= 1))
        {
            throw new IllegalArgumentException("minRatio must be in (0, 1]: " + minRatio);
        }
        if (p99BoundNs <= 0)
        {
            throw new IllegalArgumentException("p99 bound must be positive");
        }
    }

    public Verdict judge(final double targetRate, final double achievedRate, final long p99Ns)
    {
        if (achievedRate < minRatio * targetRate)
        {
            return Verdict.THROUGHPUT_BELOW_TARGET;
        }
        if (p99Ns > p99BoundNs)
        {
            return Verdict.LATENCY_ABOVE_BOUND;
        }
        return Verdict.SUSTAINED;
    }

    /**
     * Runs the steps in order until one is not sustained; returns the index of the last sustained
     * step, -1 when the first already failed.
     */
    public static int lastSustained(final Verdict[] verdicts)
    {
        int last = -1;
        for (int i = 0; i < verdicts.length && verdicts[i] != null; i++)
        {
            if (!verdicts[i].sustained())
            {
                break;
            }
            last = i;
        }
        return last;
    }
}
