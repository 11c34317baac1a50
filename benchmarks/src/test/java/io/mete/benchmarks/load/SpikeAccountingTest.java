package io.mete.benchmarks.load;

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
        final long recovery = SpikeAnalysis.recoveryNs(p99, 250 * MS, 4, p99.length, 200);
        assertEquals(4 * 250 * MS, recovery, "back at window 8, four windows after the spike ended");
    }

    @Test
    void alreadyBackWhenTheFirstWindowAfterTheSpikeIsFine()
    {
        final long[] p99 = {50, 50, 60, 60, 55};
        assertEquals(0, SpikeAnalysis.recoveryNs(p99, 250 * MS, 2, p99.length, 200));
    }

    @Test
    void windowsWithoutAnswersAreSkippedAndALastBadWindowMeansNotRecovered()
    {
        assertEquals(250 * MS, SpikeAnalysis.recoveryNs(new long[] {50, 900, -1, 60, -1}, 250 * MS, 1, 5, 200));
        assertEquals(SpikeAnalysis.NOT_RECOVERED, SpikeAnalysis.recoveryNs(new long[] {50, 60, 900}, 250 * MS, 1, 3, 200));
        assertEquals(SpikeAnalysis.NOT_RECOVERED, SpikeAnalysis.recoveryNs(new long[] {50, -1, -1}, 250 * MS, 1, 3, 200));
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
