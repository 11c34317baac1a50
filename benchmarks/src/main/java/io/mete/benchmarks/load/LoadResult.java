package io.mete.benchmarks.load;

import io.mete.schema.RejectReason;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.IntCountsHistogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What one load run measured: per phase, per operation kind and per time window. */
public final class LoadResult
{
    public String workload;
    public int linesPerOrder;
    public int connections;
    public int window;
    public RateSchedule schedule;
    public LoadRun.PhaseStats[] phases;
    public Histogram[] byKind;
    public long[] rejectsByReason;
    public boolean aborted;
    public String abortReason;
    public long acceptedPlaces;
    public long acceptedCancels;
    public long acceptedConfirms;
    public long expectedShippedUnits;
    public long lookupsMissed;
    public long handOverDropped;
    public long mismatches;
    public long protocolErrors;
    public long unanswered;
    public String connectionErrors = "";
    public String[] sampleOrderIds = new String[0];
    public long windowNs;
    public long startEpochMs;
    public IntCountsHistogram[] windowLatency;
    public long[] windowSent;
    public long[] windowAnswered;
    public long[] windowBusy;
    public long[] windowErrors;
    /** The platform's stalls over the measured phase (null when not measured). */
    public HiccupRecorder hiccups;
    /**
     * The server's own latencies (microseconds, reading a request to its answer leaving the engine)
     * from the measured phase's start to the last answer; null when not taken ({@code --server-metrics}).
     */
    public Histogram serverLatency;
    /** The engine's share of it (offer until the engine applied the request), taken the same way; null when not taken. */
    public Histogram engineLatency;

    /** Latencies of every measured phase together. */
    public Histogram measuredLatency()
    {
        final Histogram h = LoadRun.newHistogram();
        for (final LoadRun.PhaseStats p : phases)
        {
            if (p.phase.measured())
            {
                h.add(p.latency);
            }
        }
        return h;
    }

    /** Start of the first measured phase, ns from the run's start. */
    private long measuredStartNs()
    {
        long start = Long.MAX_VALUE;
        for (final LoadRun.PhaseStats p : phases)
        {
            start = p.phase.measured() ? Math.min(start, p.phase.startNs()) : start;
        }
        return start;
    }

    /** End of the last measured phase, or of its last answer when that came later and {@code untilLastAnswer}. */
    private long measuredEndNs(final boolean untilLastAnswer)
    {
        long end = 0;
        for (final LoadRun.PhaseStats p : phases)
        {
            end = p.phase.measured() ? Math.max(end, untilLastAnswer ? Math.max(p.phase.endNs(), p.lastAnswerNs) : p.phase.endNs()) : end;
        }
        return end;
    }

    /** {@code count} per second from the first measured phase's start to the last answer of a measured phase. */
    private double perMeasuredSecond(final long count)
    {
        final long start = measuredStartNs();
        final long end = measuredEndNs(true);
        return end > start ? count * 1e9 / (end - start) : 0;
    }

    /** Accepted answers per second over the measured phases. */
    public double achievedRate()
    {
        long accepted = 0;
        for (final LoadRun.PhaseStats p : phases)
        {
            accepted += p.phase.measured() ? p.accepted : 0;
        }
        return perMeasuredSecond(accepted);
    }

    /** Accepted PlaceOrders per second over the measured phases. */
    public double ordersPerSecond()
    {
        long places = 0;
        for (final LoadRun.PhaseStats p : phases)
        {
            places += p.phase.measured() ? p.acceptedPlaces : 0;
        }
        return perMeasuredSecond(places);
    }

    /** Length of the measured phases. */
    public long measuredNs()
    {
        long ns = 0;
        for (final LoadRun.PhaseStats p : phases)
        {
            ns += p.phase.measured() ? p.phase.durationNs() : 0;
        }
        return ns;
    }

    public double targetRate()
    {
        double requests = 0;
        long ns = 0;
        for (final LoadRun.PhaseStats p : phases)
        {
            if (p.phase.measured())
            {
                requests += p.phase.requests();
                ns += p.phase.durationNs();
            }
        }
        return ns == 0 ? 0 : requests * 1e9 / ns;
    }

    public long busy()
    {
        long n = 0;
        for (final LoadRun.PhaseStats p : phases)
        {
            n += p.busy;
        }
        return n;
    }

    public long rejected()
    {
        long n = 0;
        for (final LoadRun.PhaseStats p : phases)
        {
            n += p.rejected;
        }
        return n;
    }

    /** Reject reasons seen, e.g. {@code DUPLICATE_ORDER=3}. */
    public String rejectSummary()
    {
        final StringBuilder b = new StringBuilder();
        for (int r = 0; r < rejectsByReason.length; r++)
        {
            if (rejectsByReason[r] > 0)
            {
                b.append(b.length() == 0 ? "" : ",").append(RejectReason.get(r)).append('=').append(rejectsByReason[r]);
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    /** p99 of a window; -1 when the window has no answers. */
    public long windowP99(final int w)
    {
        final IntCountsHistogram h = windowLatency[w];
        return h == null || h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99);
    }

    /** Index of the first window at or after {@code offsetNs} from the start. */
    public int windowAt(final long offsetNs)
    {
        return (int)((offsetNs + windowNs - 1) / windowNs);
    }

    /** The figures as ordered {@code key -> value} (the last line of the output and the result file). */
    public Map<String, String> figures(final String prefix)
    {
        final Map<String, String> f = new LinkedHashMap<>();
        final Histogram h = measuredLatency();
        f.put(prefix + "workload", workload);
        f.put(prefix + "connections", Integer.toString(connections));
        f.put(prefix + "mode", window > 0 ? "closed-loop window " + window : "open-loop");
        f.put(prefix + "target_per_s", window > 0 ? "max" : fmt(targetRate()));
        f.put(prefix + "achieved_per_s", fmt(achievedRate()));
        f.put(prefix + "duration_s", String.format(Locale.ROOT, "%.0f", measuredNs() / 1e9));
        f.put(prefix + "orders_per_s", fmt(ordersPerSecond()));
        putLatency(f, prefix, h);
        f.put(prefix + "accepted_places", Long.toString(acceptedPlaces));
        f.put(prefix + "busy", Long.toString(busy()));
        f.put(prefix + "rejected", Long.toString(rejected()));
        f.put(prefix + "reject_reasons", rejectSummary());
        f.put(prefix + "unanswered", Long.toString(unanswered));
        f.put(prefix + "aborted", aborted ? abortReason : "no");
        if (!connectionErrors.isEmpty())
        {
            f.put(prefix + "connection_errors", connectionErrors);
        }
        putHiccups(f, prefix);
        putServerLatency(f, prefix);
        if (startEpochMs > 0 && measuredNs() > 0)
        {
            // wall-clock bounds of the measured phases, to line the server's GC log up with them
            f.put(prefix + "measure_start_epoch_ms", Long.toString(startEpochMs + measuredStartNs() / 1_000_000));
            f.put(prefix + "measure_end_epoch_ms", Long.toString(startEpochMs + measuredEndNs(false) / 1_000_000));
        }
        return f;
    }

    /** The server's own latency figures, {@code prefix + "server_..."}, when they were taken. */
    public void putServerLatency(final Map<String, String> f, final String prefix)
    {
        if (serverLatency != null)
        {
            f.put(prefix + "server_count", Long.toString(serverLatency.getTotalCount()));
            f.put(prefix + "server_p50_us", Long.toString(serverLatency.getValueAtPercentile(50)));
            f.put(prefix + "server_p99_us", Long.toString(serverLatency.getValueAtPercentile(99)));
            f.put(prefix + "server_p99_9_us", Long.toString(serverLatency.getValueAtPercentile(99.9)));
            f.put(prefix + "server_p99_99_us", Long.toString(serverLatency.getValueAtPercentile(99.99)));
            f.put(prefix + "server_max_us", Long.toString(serverLatency.getMaxValue()));
        }
        if (engineLatency != null)
        {
            f.put(prefix + "engine_p50_us", Long.toString(engineLatency.getValueAtPercentile(50)));
            f.put(prefix + "engine_p99_us", Long.toString(engineLatency.getValueAtPercentile(99)));
            f.put(prefix + "engine_p99_99_us", Long.toString(engineLatency.getValueAtPercentile(99.99)));
            f.put(prefix + "engine_max_us", Long.toString(engineLatency.getMaxValue()));
        }
    }

    /** The hiccup meter's figures, {@code prefix + "hiccup_..."}, when it ran. */
    public void putHiccups(final Map<String, String> f, final String prefix)
    {
        if (hiccups != null)
        {
            f.putAll(hiccups.figures(prefix));
        }
    }

    static void putLatency(final Map<String, String> f, final String prefix, final Histogram h)
    {
        f.put(prefix + "count", Long.toString(h.getTotalCount()));
        f.put(prefix + "p50_us", us(h.getValueAtPercentile(50)));
        f.put(prefix + "p90_us", us(h.getValueAtPercentile(90)));
        f.put(prefix + "p99_us", us(h.getValueAtPercentile(99)));
        f.put(prefix + "p99_9_us", us(h.getValueAtPercentile(99.9)));
        f.put(prefix + "p99_99_us", us(h.getValueAtPercentile(99.99)));
        f.put(prefix + "max_us", us(h.getMaxValue()));
    }

    static String us(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    static String fmt(final double v)
    {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** A human block: one line per phase and per kind. */
    public void printPhases(final PrintStream out)
    {
        out.printf("%-9s %10s %12s %12s %10s %9s %9s %9s %9s %9s %9s %8s %8s%n", "phase", "seconds", "target/s", "achieved/s", "accepted",
            "p50", "p90", "p99", "p99.9", "p99.99", "max", "busy", "errors");
        for (final LoadRun.PhaseStats p : phases)
        {
            final Histogram h = p.latency;
            out.printf("%-9s %10.1f %12s %12s %,10d %9s %9s %9s %9s %9s %9s %,8d %,8d%n", p.phase.name(), p.phase.durationNs() / 1e9,
                window > 0 ? "max" : String.format("%,.0f", p.phase.rate()), String.format("%,.0f", p.achievedRate()), p.accepted,
                LoadRun.formatNs(h.getValueAtPercentile(50)), LoadRun.formatNs(h.getValueAtPercentile(90)),
                LoadRun.formatNs(h.getValueAtPercentile(99)), LoadRun.formatNs(h.getValueAtPercentile(99.9)),
                LoadRun.formatNs(h.getValueAtPercentile(99.99)), LoadRun.formatNs(h.getMaxValue()), p.busy, p.rejected);
        }
        if (workload.endsWith("+mixed"))
        {
            for (int k = 0; k < LoadConnection.CONFIRM + 1; k++)
            {
                final Histogram h = byKind[k];
                out.printf("  %-8s %,10d answers accepted   p50 %s  p99 %s  max %s%n", LoadConnection.KIND_NAMES[k], h.getTotalCount(),
                    LoadRun.formatNs(h.getValueAtPercentile(50)), LoadRun.formatNs(h.getValueAtPercentile(99)),
                    LoadRun.formatNs(h.getMaxValue()));
            }
            out.printf("  (a confirmation's latency runs from its slot's intended time over the QueryOrder that finds the node to the ConfirmShipment's answer)%n");
        }
        if (hiccups != null)
        {
            out.println(hiccups.describe());
        }
    }

    /**
     * Writes the HdrHistogram interval log: one interval per window of intended send time, from
     * the first measured window on, latencies in nanoseconds.
     */
    public void writeHistogramLog(final Path file) throws IOException
    {
        if (file.getParent() != null)
        {
            Files.createDirectories(file.getParent());
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.US_ASCII))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment("Mete load generator: " + workload + ", " + connections + " connections, " +
                (window > 0 ? "closed loop, window " + window : "open loop at " + fmt(targetRate()) + "/s") +
                "; latency in ns from each request's intended send time, by window of intended send time");
            writer.outputLogFormatVersion();
            writer.outputStartTime(startEpochMs);
            writer.setBaseTime(startEpochMs);
            writer.outputLegend();
            final int first = windowAt(schedule.measuredStartNs());
            for (int w = first; w < windowLatency.length; w++)
            {
                final IntCountsHistogram h = windowLatency[w];
                if (h == null)
                {
                    continue;
                }
                h.setStartTimeStamp(startEpochMs + w * windowNs / 1_000_000);
                h.setEndTimeStamp(startEpochMs + (w + 1) * windowNs / 1_000_000);
                writer.outputIntervalHistogram(h);
            }
        }
    }

    /** Per window: time, phase, sent/s, answered/s, latency percentiles (by intended time), BUSY and errors. */
    public void writeTimeline(final Path file) throws IOException
    {
        if (file.getParent() != null)
        {
            Files.createDirectories(file.getParent());
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write("t_s,phase,sent_per_s,answered_per_s,p50_us,p99_us,max_us,busy,errors\n");
            final double seconds = windowNs / 1e9;
            for (int w = 0; w < windowLatency.length; w++)
            {
                final IntCountsHistogram h = windowLatency[w];
                final long offset = w * windowNs;
                out.write(String.format(Locale.ROOT, "%.3f,%s,%.0f,%.0f,%s,%s,%s,%d,%d%n", offset / 1e9,
                    schedule.phase(schedule.phaseAt(offset)).name(), windowSent[w] / seconds, windowAnswered[w] / seconds,
                    h == null ? "" : us(h.getValueAtPercentile(50)), h == null ? "" : us(h.getValueAtPercentile(99)),
                    h == null ? "" : us(h.getMaxValue()), windowBusy[w], windowErrors[w]));
            }
        }
    }
}
