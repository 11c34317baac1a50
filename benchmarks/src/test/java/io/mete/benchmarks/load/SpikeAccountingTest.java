package io.mete.benchmarks.load;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SpikeAccountingTest
{
    private static final long MS = 1_000_000;

    @Test
    void recoveryIsTheStartOfTheFirstWindowFromWhichEveryLaterOneIsBackUnderTheThreshold()
    {
        // windows of 250 ms; the spike ends at window 4; p99 stays high two windows, dips, rises once more, then settles
        final long[] p99 = {50, 50, 5_000, 9_000, 8_000, 7_000, 90, 400, 60, 55, 50};
        final long recovery = SpikeAnalysis.strictRecoveryNs(p99, 250 * MS, 4, p99.length, 200);
        assertEquals(4 * 250 * MS, recovery, "back at window 8, four windows after the spike ended");
    }

    @Test
    void alreadyBackWhenTheFirstWindowAfterTheSpikeIsFine()
    {
        final long[] p99 = {50, 50, 60, 60, 55};
        assertEquals(0, SpikeAnalysis.strictRecoveryNs(p99, 250 * MS, 2, p99.length, 200));
    }

    @Test
    void windowsWithoutAnswersAreSkippedAndALastBadWindowMeansNotRecovered()
    {
        assertEquals(250 * MS, SpikeAnalysis.strictRecoveryNs(new long[] {50, 900, -1, 60, -1}, 250 * MS, 1, 5, 200));
        assertEquals(SpikeAnalysis.NOT_RECOVERED, SpikeAnalysis.strictRecoveryNs(new long[] {50, 60, 900}, 250 * MS, 1, 3, 200));
        assertEquals(SpikeAnalysis.NOT_RECOVERED, SpikeAnalysis.strictRecoveryNs(new long[] {50, -1, -1}, 250 * MS, 1, 3, 200));
    }

    /** Four windows of 250 ms: the tail is judged over one-second spans. */
    private static final int SPAN = 4;

    /** A 250 ms window at 10,000 answers/s: {@code slow} of its 2,500 answers at {@code slowNs}, the rest at 200 µs. */
    private static AbstractHistogram window(final int slow, final long slowNs)
    {
        final IntCountsHistogram h = new IntCountsHistogram(100, 10_000_000_000L, 2);
        h.recordValueWithCount(200_000, 2_500 - slow);
        if (slow > 0)
        {
            h.recordValueWithCount(slowNs, slow);
        }
        return h;
    }

    private static long[] p99(final AbstractHistogram[] windows)
    {
        final long[] p99 = new long[windows.length];
        for (int w = 0; w < windows.length; w++)
        {
            p99[w] = windows[w] == null ? -1 : windows[w].getValueAtPercentile(99);
        }
        return p99;
    }

    @Test
    void aSchedulerStallInOneWindowIsNotABacklog()
    {
        // a 5 ms stall delays the 50 answers due during it: 2% of its window, 0.5% of its second
        final AbstractHistogram[] windows = new AbstractHistogram[40];
        for (int w = 0; w < windows.length; w++)
        {
            windows[w] = window(w == 30 ? 50 : 0, 5_000_000);
        }
        assertEquals(0, SpikeAnalysis.recoveryNs(windows, 250 * MS, 10, 40, SPAN, 400_000, 1_000_000));
        assertEquals(0, SpikeAnalysis.unsettledWindows(windows, 0, 40, SPAN, 400_000, 1_000_000));
        assertEquals(21 * 250 * MS, SpikeAnalysis.strictRecoveryNs(p99(windows), 250 * MS, 10, 40, 1_000_000),
            "the per-window rule waits until after the stall in window 30");
        assertEquals(1, SpikeAnalysis.windowsOver(p99(windows), 0, 40, 1_000_000));
    }

    @Test
    void aBacklogKeepsTheMedianUpUntilItIsWorkedOff()
    {
        // the spike ends at window 10; windows 10..17 still answer most requests late, less so each window
        final AbstractHistogram[] windows = new AbstractHistogram[40];
        for (int w = 0; w < windows.length; w++)
        {
            windows[w] = w >= 10 && w < 18 ? window(2_000, 40_000_000 - 4_000_000L * (w - 10)) : window(0, 0);
        }
        windows[25] = null; // no answers in this window
        assertEquals(8 * 250 * MS, SpikeAnalysis.recoveryNs(windows, 250 * MS, 10, 40, SPAN, 400_000, 1_000_000));
        assertEquals(8, SpikeAnalysis.unsettledWindows(windows, 10, 40, SPAN, 400_000, 1_000_000));
    }

    @Test
    void aRaisedTailIsNotRecoveredUntilItFallsAndALastBacklogMeansNotRecovered()
    {
        // medians at baseline, but 5% of every window slow until window 30: each second that holds one of them is over
        final AbstractHistogram[] windows = new AbstractHistogram[40];
        for (int w = 0; w < windows.length; w++)
        {
            windows[w] = window(w < 30 ? 125 : 0, 5_000_000);
        }
        assertEquals(20 * 250 * MS, SpikeAnalysis.recoveryNs(windows, 250 * MS, 10, 40, SPAN, 400_000, 1_000_000));
        windows[39] = window(1_500, 5_000_000);
        assertEquals(SpikeAnalysis.NOT_RECOVERED, SpikeAnalysis.recoveryNs(windows, 250 * MS, 10, 40, SPAN, 400_000, 1_000_000),
            "a backlog in the last window: not back by the end");
    }

    @Test
    void theThresholdIsAFactorOfTheBaselineButNeverTighterThanTheSlack()
    {
        assertEquals(400_000, SpikeAnalysis.threshold(200_000, 2.0, 50_000));
        assertEquals(70_000, SpikeAnalysis.threshold(20_000, 2.0, 50_000));
    }

    @Test
    void aSpikeRunCountsEachRequestInThePhaseItWasScheduledIn()
    {
        final RateSchedule s = RateSchedule.spike(2_000, 10, 0, 1_000 * MS, 500 * MS, 1_000 * MS);
        assertEquals(2_000, s.phase(0).requests());
        assertEquals(10_000, s.phase(1).requests());
        assertEquals(2_000, s.phase(2).requests());
        // a request scheduled in the last millisecond of the spike is a spike request, whenever its answer comes
        assertEquals(1, s.phaseOfRequest(s.phase(1).firstRequest() + s.phase(1).requests() - 1));
        assertEquals(2, s.phaseOfRequest(s.phase(2).firstRequest()));
    }

    @Test
    void mixedTrafficFollowsTheWorkloadShares()
    {
        final MixPlan mix = new MixPlan(true);
        final int[] counts = new int[4];
        for (long i = 0; i < 200_000; i++)
        {
            counts[mix.kind(i)]++;
        }
        assertEquals(0.80, counts[LoadConnection.PLACE] / 200_000.0, 0.01);
        assertEquals(0.10, counts[LoadConnection.ADJUST] / 200_000.0, 0.01);
        assertEquals(0.05, counts[LoadConnection.CANCEL] / 200_000.0, 0.01);
        assertEquals(0.05, counts[LoadConnection.CONFIRM] / 200_000.0, 0.01);
        assertEquals(LoadConnection.PLACE, new MixPlan(false).kind(12345));
    }
}
