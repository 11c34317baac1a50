package io.mete.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The "Platform hiccups" section of {@code summary.md}: the idle machine's hiccups
 * ({@code raw/hiccup-idle.properties}, from {@code ./mete load --hiccup-only}) and, for every load
 * step whose result has them, the hiccups seen during its measured phase next to its latency max.
 * On a VM whose vCPU the host deschedules now and then, this is what tells a platform stall from a
 * server stall. Result files written before the load generator had the meter lack the keys; their
 * steps are left out, and the section with them when no file has any.
 */
final class PlatformHiccups
{
    static final String IDLE_FILE = "hiccup-idle.properties";

    private PlatformHiccups()
    {
    }

    /** One row: what ran, its hiccup figures under {@code prefix + "hiccup_"}, and the step's latency max in µs (null for none). */
    private record Row(String label, Properties figures, String prefix, String latencyMaxUs)
    {
        String get(final String name)
        {
            return figures.getProperty(prefix + "hiccup_" + name, "?");
        }
    }

    /** The section, or an empty string when no result has hiccup figures. */
    static String section(final Path raw) throws IOException
    {
        final Properties idle = PerfReport.properties(raw.resolve(IDLE_FILE));
        final List<Row> rows = new ArrayList<>();
        add(rows, "idle machine, no load (`--hiccup-only`)", idle, "", null);

        final Properties sweep = PerfReport.properties(raw.resolve("sweep.properties"));
        for (final String rate : Summary.sweepRates(sweep))
        {
            final String prefix = "sweep_" + rate + "_";
            add(rows, String.format(Locale.ROOT, "sweep %,.0f/s", Summary.parse(rate)), sweep, prefix, sweep.getProperty(prefix + "max_us"));
        }
        final Properties max = PerfReport.properties(raw.resolve("max.properties"));
        add(rows, "closed-loop maximum", max, "", max.getProperty("max_us"));
        final Properties fixed = PerfReport.properties(raw.resolve("fixed-100000.properties"));
        add(rows, "fixed 100,000/s", fixed, "", fixed.getProperty("max_us"));
        final Properties mixed = PerfReport.properties(raw.resolve("mixed.properties"));
        final double mixedRate = Summary.parse(mixed.getProperty("target_per_s"));
        add(rows, Double.isNaN(mixedRate) ? "mixed traffic" : String.format(Locale.ROOT, "mixed traffic %,.0f/s", mixedRate), mixed, "",
            mixed.getProperty("max_us"));
        final Properties spike = PerfReport.properties(raw.resolve("spike.properties"));
        add(rows, "spike (baseline, spike, after)", spike, "", spikeLatencyMax(spike));
        final Properties longRun = PerfReport.properties(raw.resolve("long-100000.properties"));
        add(rows, "10 minutes at 100,000/s", longRun, "", longRun.getProperty("max_us"));
        if (rows.isEmpty())
        {
            return "";
        }

        final StringBuilder md = new StringBuilder("\n## Platform hiccups\n\n");
        md.append("A thread in the load generator does nothing but sleep 1 ms at a time and records how much later than that it woke ")
            .append("(jHiccup's method), on the idle machine and during each step's measured phase. A hiccup is a stall the measuring ")
            .append("thread itself saw while doing nothing: latency outliers of the same size are stalls of the machine as a whole (the VM ")
            .append("descheduled by its host; under load also the OS scheduler with more runnable threads than cores, the server's among ")
            .append("them; the generator's JVM), not time the server spent on those requests.\n\n");
        if (idle.getProperty("hiccup_max_us") == null)
        {
            md.append("No idle baseline in this run (`./mete load --hiccup-only --duration 60s --result perf-reports/raw/")
                .append(IDLE_FILE).append("`).\n\n");
        }
        md.append("| run | measured s | hiccup p99 µs | hiccup p99.99 µs | hiccup max µs | hiccups > 1 ms | hiccups > 10 ms | latency max µs |\n")
            .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final Row r : rows)
        {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.label(), r.get("measured_s"), r.get("p99_us"),
                r.get("p99_99_us"), r.get("max_us"), r.get("over_1ms"), r.get("over_10ms"), r.latencyMaxUs() == null ? "—" : r.latencyMaxUs()));
        }
        return md.toString();
    }

    private static void add(final List<Row> rows, final String label, final Properties figures, final String prefix, final String latencyMaxUs)
    {
        if (figures.getProperty(prefix + "hiccup_max_us") != null)
        {
            rows.add(new Row(label, figures, prefix, latencyMaxUs));
        }
    }

    /** The largest of the spike test's per-phase latency maxima; null when it has none. */
    private static String spikeLatencyMax(final Properties spike)
    {
        String largest = null;
        for (final String phase : new String[] {"baseline", "spike", "after"})
        {
            final String v = spike.getProperty("spike_" + phase + "_max_us");
            if (v != null && !Double.isNaN(Summary.parse(v)) && (largest == null || Summary.parse(v) > Summary.parse(largest)))
            {
                largest = v;
            }
        }
        return largest;
    }
}
