package io.mete.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class SweepRuleTest
{
    private final SweepRule rule = new SweepRule(0.95, 10_000_000);

    @Test
    void aRateIsSustainedWhenNinetyFivePercentIsAnsweredWithinTheBound()
    {
        assertEquals(SweepRule.Verdict.SUSTAINED, rule.judge(100_000, 95_000, 10_000_000));
        assertEquals(SweepRule.Verdict.SUSTAINED, rule.judge(100_000, 100_100, 50_000));
    }

    @Test
    void tooFewAnswersOrTooSlowAnswersStopTheSweep()
    {
        assertEquals(SweepRule.Verdict.THROUGHPUT_BELOW_TARGET, rule.judge(100_000, 94_999, 50_000));
        assertEquals(SweepRule.Verdict.LATENCY_ABOVE_BOUND, rule.judge(100_000, 100_000, 10_000_001));
        assertEquals(SweepRule.Verdict.THROUGHPUT_BELOW_TARGET, rule.judge(100_000, 10, 99_000_000_000L),
            "throughput is judged first");
    }

    @Test
    void theResultIsTheLastRateBeforeTheFirstFailure()
    {
        final SweepRule.Verdict ok = SweepRule.Verdict.SUSTAINED;
        final SweepRule.Verdict slow = SweepRule.Verdict.LATENCY_ABOVE_BOUND;
        assertEquals(2, SweepRule.lastSustained(new SweepRule.Verdict[] {ok, ok, ok, slow, ok}));
        assertEquals(-1, SweepRule.lastSustained(new SweepRule.Verdict[] {slow, ok}));
        assertEquals(1, SweepRule.lastSustained(new SweepRule.Verdict[] {ok, ok, null}));
    }

    @Test
    void badSettingsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new SweepRule(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SweepRule(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new SweepRule(0.9, 0));
    }

    @Test
    void eachRateGetsItsOwnLogFile()
    {
        assertEquals(Path.of("raw/sweep-250000.hlog"), LoadGenerator.perRate(Path.of("raw/sweep.hlog"), 250_000));
        assertEquals(Path.of("timeline-50000"), LoadGenerator.perRate(Path.of("timeline"), 50_000));
        assertNull(LoadGenerator.perRate(null, 1));
    }
}
