package io.mete.journal;

import org.agrona.concurrent.EpochClock;

/** A clock that moves on by a fixed step each time it is read: days roll over within a test run. */
final class SteppingClock implements EpochClock
{
    static final long EPOCH = 1_795_000_000_000L;

    private final long step;
    private long now = EPOCH;

    SteppingClock(final long step)
    {
        this.step = step;
    }

    @Override
    public long time()
    {
        return now += step;
    }
}
