package io.mete.benchmarks.load;

/**
 * Recovery after a spike, from per-window p99 latencies (windows of intended send time). The
 * latency is back to baseline at the start of the first window after the spike from which every
 * later window with answers has a p99 within {@code factor ×} the baseline phase's p99 (and at
 * least {@code slackNs} above it, so a baseline of a few microseconds does not turn scheduling
 * noise into "not recovered").
 */
public final class SpikeAnalysis
{
    /** Recovery could not be seen: the last window was still above the threshold. */
    public static final long NOT_RECOVERED = -1;

    private SpikeAnalysis()
    {
    }

    public static long threshold(final long baselineP99Ns, final double factor, final long slackNs)
    {
        return Math.max((long)(baselineP99Ns * factor), baselineP99Ns + slackNs);
    }

    /**
     * @param windowP99Ns   p99 per window, by window index; a negative value marks a window without answers
     * @param windowNs      window length
     * @param firstAfter    index of the first window that starts at or after the end of the spike
     * @param endWindow     index after the last window to look at
     * @return ns from the end of the spike until the latency is back, or {@link #NOT_RECOVERED}
     */
    public static long recoveryNs(
        final long[] windowP99Ns, final long windowNs, final int firstAfter, final int endWindow, final long thresholdNs)
    {
        int recoveredFrom = firstAfter;
        boolean any = false;
        for (int w = firstAfter; w < endWindow && w < windowP99Ns.length; w++)
        {
            if (windowP99Ns[w] < 0)
            {
                continue;
            }
            any = true;
            if (windowP99Ns[w] > thresholdNs)
            {
                recoveredFrom = w + 1;
            }
        }
        if (!any || recoveredFrom >= Math.min(endWindow, windowP99Ns.length))
        {
            return NOT_RECOVERED;
        }
        return (long)(recoveredFrom - firstAfter) * windowNs;
    }
}
