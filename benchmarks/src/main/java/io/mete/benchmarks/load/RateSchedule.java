package io.mete.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

/**
 * When each request of an open-loop run is meant to be sent. A schedule is a list of phases, each
 * with a duration and a constant rate; request {@code i} of a phase that starts at {@code t0} is
 * due at {@code t0 + i / rate}. The sender sends a request when its time has come, however late
 * the previous answers are, and the latency of a request is measured from that intended time, so
 * a stall of the server shows up in the histogram instead of slowing the sender down (no
 * coordinated omission).
 */
public final class RateSchedule
{
    /** One phase: a name, where it starts (ns from the run's start), how long it lasts and its rate. */
    public record Phase(String name, long startNs, long durationNs, double rate, long firstRequest, long requests, boolean measured)
    {
        /** Offset from the run's start at which the phase's {@code i}-th request is due. */
        public long intendedOffsetNs(final long i)
        {
            return startNs + (long)(i * 1e9 / rate);
        }

        public long endNs()
        {
            return startNs + durationNs;
        }
    }

    private final Phase[] phases;
    private final long totalRequests;
    private final long totalNs;

    private RateSchedule(final List<Phase> phases)
    {
        this.phases = phases.toArray(new Phase[0]);
        final Phase last = this.phases[this.phases.length - 1];
        this.totalRequests = last.firstRequest() + last.requests();
        this.totalNs = last.endNs();
    }

    /** Builds a schedule phase by phase. */
    public static final class Builder
    {
        private final List<Phase> phases = new ArrayList<>();
        private long startNs;
        private long firstRequest;

        /**
         * Adds a phase; it holds {@code round(rate × duration)} requests.
         *
         * @param measured whether its answers count in the run's figures (warm-up does not)
         */
        public Builder phase(final String name, final long durationNs, final double rate, final boolean measured)
        {
            if (durationNs <= 0 || !(rate > 0))
            {
                throw new IllegalArgumentException("phase " + name + ": duration and rate must be positive");
            }
            final long requests = Math.round(rate * durationNs / 1e9);
            phases.add(new Phase(name, startNs, durationNs, rate, firstRequest, requests, measured));
            startNs += durationNs;
            firstRequest += requests;
            return this;
        }

        public RateSchedule build()
        {
            if (phases.isEmpty())
            {
                throw new IllegalArgumentException("a schedule needs at least one phase");
            }
            return new RateSchedule(phases);
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Warm-up (not measured, skipped when 0) then the measured phase, both at {@code rate}. */
    public static RateSchedule constant(final double rate, final long warmupNs, final long durationNs)
    {
        final Builder builder = builder();
        if (warmupNs > 0)
        {
            builder.phase("warmup", warmupNs, rate, false);
        }
        return builder.phase("measure", durationNs, rate, true).build();
    }

    /**
     * The spike profile: warm-up and a baseline at {@code baseRate}, then {@code factor ×} the
     * baseline for {@code spikeNs}, then the baseline again for {@code afterNs}.
     */
    public static RateSchedule spike(
        final double baseRate, final double factor, final long warmupNs, final long baselineNs, final long spikeNs, final long afterNs)
    {
        final Builder builder = builder();
        if (warmupNs > 0)
        {
            builder.phase("warmup", warmupNs, baseRate, false);
        }
        return builder
            .phase("baseline", baselineNs, baseRate, true)
            .phase("spike", spikeNs, baseRate * factor, true)
            .phase("after", afterNs, baseRate, true)
            .build();
    }

    public int phaseCount()
    {
        return phases.length;
    }

    public Phase phase(final int index)
    {
        return phases[index];
    }

    public long totalRequests()
    {
        return totalRequests;
    }

    public long totalNs()
    {
        return totalNs;
    }

    /** Index of the phase holding request {@code request} (the last phase for anything beyond). */
    public int phaseOfRequest(final long request)
    {
        for (int p = phases.length - 1; p > 0; p--)
        {
            if (request >= phases[p].firstRequest())
            {
                return p;
            }
        }
        return 0;
    }

    /** Index of the phase running at {@code offsetNs} from the start (the last phase for anything beyond). */
    public int phaseAt(final long offsetNs)
    {
        for (int p = phases.length - 1; p > 0; p--)
        {
            if (offsetNs >= phases[p].startNs())
            {
                return p;
            }
        }
        return 0;
    }

    /** Offset from the run's start at which request {@code request} is due. */
    public long intendedOffsetNs(final long request)
    {
        final Phase phase = phases[phaseOfRequest(request)];
        return phase.intendedOffsetNs(request - phase.firstRequest());
    }

    /** Requests of the measured phases. */
    public long measuredRequests()
    {
        long n = 0;
        for (final Phase phase : phases)
        {
            n += phase.measured() ? phase.requests() : 0;
        }
        return n;
    }

    /** Start of the first measured phase. */
    public long measuredStartNs()
    {
        for (final Phase phase : phases)
        {
            if (phase.measured())
            {
                return phase.startNs();
            }
        }
        return 0;
    }

    /**
     * A cursor for the sender: hands out the intended offsets of consecutive requests in O(1) with
     * no allocation.
     */
    public final class Cursor
    {
        private int phase;
        private long next;

        /** Index of the next request; {@link #totalRequests()} when the schedule is done. */
        public long nextRequest()
        {
            return next;
        }

        public boolean done()
        {
            return next >= totalRequests;
        }

        /** Phase of the next request. */
        public int phase()
        {
            return phase;
        }

        /** When the next request is due (ns from the start). */
        public long nextOffsetNs()
        {
            final Phase p = phases[phase];
            return p.intendedOffsetNs(next - p.firstRequest());
        }

        /** Moves to the following request. */
        public void advance()
        {
            next++;
            while (phase < phases.length - 1 && next >= phases[phase + 1].firstRequest())
            {
                phase++;
            }
        }
    }

    public Cursor cursor()
    {
        final Cursor cursor = new Cursor();
        // skip phases that hold no request at all
        while (cursor.phase < phases.length - 1 && phases[cursor.phase + 1].firstRequest() == 0)
        {
            cursor.phase++;
        }
        return cursor;
    }
}
