package io.mete.benchmarks.load;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * Recovery after a spike, from per-window latencies (windows of intended send time), by two rules.
 * <p>
 * {@link #recoveryNs} (the backlog rule, the one the target is judged by): back at the start of the
 * first window T after the spike such that every window from T on has a median within
 * {@code factor ×} the baseline phase's median (a server still working off a backlog delays most
 * requests of a window, so its median rises), and every span of windows from T on (five seconds in
 * the load generator) has a p99 within {@code factor ×} the baseline phase's p99 (the tail is
 * back). A span that long holds enough answers that the stalls this machine gives the baseline
 * phase too (scheduler, page-cache writeback) stay under its top 1%, while a tail that stays raised
 * for a good part of it does not; shorter spans (1 s was tried) failed the baseline phase itself in
 * about one window in ten. {@link #unsettledWindows} applies the same rule to the baseline phase, to
 * show it can be met.
 * <p>
 * {@link #strictRecoveryNs}: back at the first window from which every later window's own p99 is
 * within {@code factor ×} the baseline phase's p99. On a machine whose scheduler alone gives some
 * 250 ms windows a p99 several times the phase's, this measures when the last such window happened
 * to fall rather than when the spike's effect ended: {@link #windowsOver} counts how many windows of
 * the baseline phase itself break it. Both are published.
 * <p>
 * Every threshold is at least {@code slackNs} above its baseline figure, so a baseline of a few
 * microseconds does not turn scheduling noise into "not recovered".
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
     * The backlog rule (see the class comment).
     *
     * @param windows             latency per window, by window index; null or empty for a window without answers
     * @param firstAfter          index of the first window that starts at or after the end of the spike
     * @param endWindow           index after the last window to look at
     * @param spanWindows         windows per span for the tail: the p99 over each run of this many windows counts
     * @param medianThresholdNs   no window from the recovery on may have a median above this
     * @param tailThresholdNs     no span from the recovery on may have a p99 above this
     * @return ns from the end of the spike until the latency is back, or {@link #NOT_RECOVERED}
     */
    public static long recoveryNs(
        final AbstractHistogram[] windows, final long windowNs, final int firstAfter, final int endWindow, final int spanWindows,
        final long medianThresholdNs, final long tailThresholdNs)
    {
        final int end = Math.min(endWindow, windows.length);
        int recoveredFrom = firstAfter;
        boolean any = false;
        for (int w = firstAfter; w < end; w++)
        {
            if (isEmpty(windows[w]))
            {
                continue;
            }
            any = true;
            if (!settled(windows, w, firstAfter, end, spanWindows, medianThresholdNs, tailThresholdNs))
            {
                recoveredFrom = w + 1;
            }
        }
        return !any || recoveredFrom >= end ? NOT_RECOVERED : (long)(recoveredFrom - firstAfter) * windowNs;
    }

    /** Windows in {@code from..to-1} that break the backlog rule themselves (for the baseline phase: how attainable the rule is). */
    public static int unsettledWindows(
        final AbstractHistogram[] windows, final int from, final int to, final int spanWindows, final long medianThresholdNs,
        final long tailThresholdNs)
    {
        int unsettled = 0;
        for (int w = Math.max(0, from); w < to && w < windows.length; w++)
        {
            unsettled += !isEmpty(windows[w]) && !settled(windows, w, from, to, spanWindows, medianThresholdNs, tailThresholdNs) ? 1 : 0;
        }
        return unsettled;
    }

    /**
     * Window {@code w}'s median, and the p99 over the span of windows it starts, within their
     * thresholds. Spans lie inside {@code from..end-1}: one that would run past the end starts earlier
     * instead, so the last windows are judged over a whole span too.
     */
    private static boolean settled(
        final AbstractHistogram[] windows, final int w, final int from, final int end, final int spanWindows,
        final long medianThresholdNs, final long tailThresholdNs)
    {
        if (windows[w].getValueAtPercentile(50) > medianThresholdNs)
        {
            return false;
        }
        final Histogram span = new Histogram(2);
        final int start = Math.max(from, Math.min(w, end - spanWindows));
        for (int v = start; v < Math.min(end, start + spanWindows); v++)
        {
            if (!isEmpty(windows[v]))
            {
                span.add(windows[v]);
            }
        }
        return span.getValueAtPercentile(99) <= tailThresholdNs;
    }

    private static boolean isEmpty(final AbstractHistogram window)
    {
        return window == null || window.getTotalCount() == 0;
    }

    /** Windows in {@code from..to-1} whose p99 is above the threshold (windows without answers are not counted). */
    public static int windowsOver(final long[] windowP99Ns, final int from, final int to, final long thresholdNs)
    {
        int over = 0;
        for (int w = Math.max(0, from); w < to && w < windowP99Ns.length; w++)
        {
            over += windowP99Ns[w] > thresholdNs ? 1 : 0;
        }
        return over;
    }

    /**
     * The strict per-window rule (see the class comment).
     *
     * @param windowP99Ns   p99 per window, by window index; a negative value marks a window without answers
     * @param windowNs      window length
     * @param firstAfter    index of the first window that starts at or after the end of the spike
     * @param endWindow     index after the last window to look at
     * @return ns from the end of the spike until the latency is back, or {@link #NOT_RECOVERED}
     */
    public static long strictRecoveryNs(
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
