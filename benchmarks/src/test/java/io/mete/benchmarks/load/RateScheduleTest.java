package io.mete.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RateScheduleTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void requestsAreDueAtEvenIntervalsOfTheRate()
    {
        final RateSchedule s = RateSchedule.constant(100_000, 0, SECOND);
        assertEquals(100_000, s.totalRequests());
        assertEquals(0, s.intendedOffsetNs(0));
        assertEquals(10_000, s.intendedOffsetNs(1));
        assertEquals(500_000_000, s.intendedOffsetNs(50_000));
        assertEquals(999_990_000, s.intendedOffsetNs(99_999));
    }

    @Test
    void warmupComesFirstAndIsNotMeasured()
    {
        final RateSchedule s = RateSchedule.constant(1_000, 2 * SECOND, 10 * SECOND);
        assertEquals(2, s.phaseCount());
        assertFalse(s.phase(0).measured());
        assertTrue(s.phase(1).measured());
        assertEquals(12_000, s.totalRequests());
        assertEquals(10_000, s.measuredRequests());
        assertEquals(2 * SECOND, s.measuredStartNs());
        assertEquals(2 * SECOND, s.intendedOffsetNs(2_000), "first measured request is due when the measured phase starts");
        assertEquals(1, s.phaseOfRequest(2_000));
        assertEquals(0, s.phaseOfRequest(1_999));
    }

    @Test
    void spikeProfileRaisesTheRateTenfoldForItsPhaseOnly()
    {
        final RateSchedule s = RateSchedule.spike(1_000, 10, SECOND, 5 * SECOND, 2 * SECOND, 5 * SECOND);
        assertEquals(4, s.phaseCount());
        assertEquals("baseline", s.phase(1).name());
        assertEquals("spike", s.phase(2).name());
        assertEquals(20_000, s.phase(2).requests());
        assertEquals(10_000.0, s.phase(2).rate());
        assertEquals(6 * SECOND, s.phase(2).startNs());
        assertEquals(1_000 + 5_000, s.phase(2).firstRequest());
        // inside the spike requests are 100 µs apart, after it 1 ms again
        assertEquals(6 * SECOND + 100_000, s.intendedOffsetNs(6_001));
        assertEquals(8 * SECOND + 1_000_000, s.intendedOffsetNs(26_001));
        assertEquals(31_000, s.totalRequests());
        assertEquals(13 * SECOND, s.totalNs());
        assertEquals(2, s.phaseAt(7 * SECOND));
        assertEquals(3, s.phaseAt(20 * SECOND), "beyond the end belongs to the last phase");
    }

    @Test
    void cursorWalksTheScheduleInOrderWithoutGaps()
    {
        final RateSchedule s = RateSchedule.spike(1_000, 10, 0, SECOND, SECOND / 2, SECOND);
        final RateSchedule.Cursor c = s.cursor();
        long previous = -1;
        long count = 0;
        while (!c.done())
        {
            final long offset = c.nextOffsetNs();
            assertEquals(s.intendedOffsetNs(c.nextRequest()), offset);
            assertEquals(s.phaseOfRequest(c.nextRequest()), c.phase());
            assertTrue(offset > previous, "intended times increase");
            previous = offset;
            c.advance();
            count++;
        }
        assertEquals(s.totalRequests(), count);
    }

    @Test
    void fractionalRatesKeepTheAverageRate()
    {
        final RateSchedule s = RateSchedule.constant(3, 0, 10 * SECOND);
        assertEquals(30, s.totalRequests());
        assertEquals(333_333_333, s.intendedOffsetNs(1));
        assertEquals(10 * SECOND - 333_333_334, s.intendedOffsetNs(29), 1);
    }

    @Test
    void durationsParseWithUnits()
    {
        assertEquals(30 * SECOND, LoadGenerator.parseNs("30s"));
        assertEquals(250_000_000, LoadGenerator.parseNs("250ms"));
        assertEquals(600 * SECOND, LoadGenerator.parseNs("10m"));
        assertEquals(2 * SECOND, LoadGenerator.parseNs("2"));
        assertEquals(500_000, LoadGenerator.parseNs("500us"));
    }
}
