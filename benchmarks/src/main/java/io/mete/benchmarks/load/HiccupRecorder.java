package io.mete.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The arithmetic of the hiccup meter: each pause of {@code resolutionNs} that took longer than that
 * is recorded as its excess (a "hiccup", in nanoseconds, 0 when the thread woke on time or early),
 * so the histogram is the distribution of stalls a thread doing nothing at all suffered. Counts of
 * hiccups over 1 ms and over 10 ms are kept exactly, not from histogram buckets, since they are
 * the figures compared across runs.
 * <p>
 * One thread records; read it once that thread has stopped.
 */
public final class HiccupRecorder
{
    static final long ONE_MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long TEN_MS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long resolutionNs;
    private final Histogram hiccups = new Histogram(LoadRun.HIGHEST_NS, 3);
    private long overOneMs;
    private long overTenMs;
    private long coveredNs;

    public HiccupRecorder(final long resolutionNs)
    {
        if (resolutionNs <= 0)
        {
            throw new IllegalArgumentException("resolution must be positive: " + resolutionNs);
        }
        this.resolutionNs = resolutionNs;
    }

    /** One pause that was to last {@code resolutionNs} and lasted {@code elapsedNs}. */
    public void record(final long elapsedNs)
    {
        final long hiccup = Math.min(Math.max(0, elapsedNs - resolutionNs), LoadRun.HIGHEST_NS);
        hiccups.recordValue(hiccup);
        coveredNs += Math.max(0, elapsedNs);
        if (hiccup > ONE_MS)
        {
            overOneMs++;
        }
        if (hiccup > TEN_MS)
        {
            overTenMs++;
        }
    }

    public long resolutionNs()
    {
        return resolutionNs;
    }

    /** Hiccups in nanoseconds, one value per pause. */
    public Histogram histogram()
    {
        return hiccups;
    }

    public long samples()
    {
        return hiccups.getTotalCount();
    }

    public long overOneMs()
    {
        return overOneMs;
    }

    public long overTenMs()
    {
        return overTenMs;
    }

    /** Time the recorded pauses spanned together: how long the meter watched. */
    public long coveredNs()
    {
        return coveredNs;
    }

    /** The figures of the result file and the last line, each key starting with {@code prefix + "hiccup_"}. */
    public Map<String, String> figures(final String prefix)
    {
        final Map<String, String> f = new LinkedHashMap<>();
        final String key = prefix + "hiccup_";
        f.put(key + "measured_s", String.format(Locale.ROOT, "%.1f", coveredNs / 1e9));
        f.put(key + "samples", Long.toString(samples()));
        f.put(key + "p50_us", LoadResult.us(hiccups.getValueAtPercentile(50)));
        f.put(key + "p99_us", LoadResult.us(hiccups.getValueAtPercentile(99)));
        f.put(key + "p99_9_us", LoadResult.us(hiccups.getValueAtPercentile(99.9)));
        f.put(key + "p99_99_us", LoadResult.us(hiccups.getValueAtPercentile(99.99)));
        f.put(key + "max_us", LoadResult.us(hiccups.getMaxValue()));
        f.put(key + "over_1ms", Long.toString(overOneMs));
        f.put(key + "over_10ms", Long.toString(overTenMs));
        return f;
    }

    /** One line for the console. */
    public String describe()
    {
        final String resolution = resolutionNs % ONE_MS == 0 ? resolutionNs / ONE_MS + " ms" : LoadRun.formatNs(resolutionNs);
        return String.format(Locale.ROOT, "platform hiccups (a thread sleeping %s at a time, woken late by): p50 %s  p99 %s  p99.99 %s  max %s; " +
                "%,d over 1 ms, %,d over 10 ms in %.1f s", resolution, LoadRun.formatNs(hiccups.getValueAtPercentile(50)),
            LoadRun.formatNs(hiccups.getValueAtPercentile(99)), LoadRun.formatNs(hiccups.getValueAtPercentile(99.99)),
            LoadRun.formatNs(hiccups.getMaxValue()), overOneMs, overTenMs, coveredNs / 1e9);
    }
}
