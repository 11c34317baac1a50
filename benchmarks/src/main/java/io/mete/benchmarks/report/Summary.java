package io.mete.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code perf-reports/summary.md}: the machine and settings, every headline figure against its
 * target (issue 5, "Targets"), the platform's hiccups, the sweep and spike tables, and links to the
 * raw files and plots.
 * Reads what {@code perf-reports/run-all.sh} leaves in {@code raw/}:
 * {@code machine.properties}, {@code sweep.properties}, {@code fixed-100000.properties},
 * {@code max.properties}, {@code spike.properties}, {@code long-100000.properties},
 * {@code hiccup-idle.properties}, {@code gc-long.log}, {@code server-rss-spike.csv} and the core JMH JSON.
 */
final class Summary
{
    /** The steps run-all.sh sizes a server for, in the order it runs them. */
    private static final String[] SIZED_STEPS = {"sweep", "max", "fixed", "mixed", "scale", "wide", "hot-sku", "spike", "long"};
    private static final String[] VARIANTS = {"scale", "wide", "hot-sku"};
    private static final Pattern MAX_HEAP = Pattern.compile("-Xmx(\\S+)");
    private static final Pattern GC_TIME = Pattern.compile("\\[(\\d{4}-\\d\\d-\\d\\dT[^\\]]+)\\]");
    private static final DateTimeFormatter GC_TIME_FORMAT =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final Pattern GC_PAUSE = Pattern.compile("Pause.*?([0-9]+\\.[0-9]+)ms\\s*$");

    private Summary()
    {
    }

    /** GC pauses in a unified JVM log ({@code -Xlog:gc*}): count, total and longest in ms. */
    record GcPauses(int count, double totalMs, double maxMs)
    {
    }

    static GcPauses gcPauses(final List<String> lines)
    {
        int count = 0;
        double total = 0;
        double max = 0;
        for (final String line : lines)
        {
            if (!line.contains("[gc]") && !line.contains("[gc ") && !line.contains("[gc,"))
            {
                continue;
            }
            final Matcher m = GC_PAUSE.matcher(line);
            if (m.find() && line.contains("Pause"))
            {
                final double ms = Double.parseDouble(m.group(1));
                // -Xlog:gc* prints each pause on the [gc] line once and its phases on [gc,phases]: count the [gc] one
                if (line.contains("[gc,phases") || line.contains("[gc,cpu"))
                {
                    continue;
                }
                count++;
                total += ms;
                max = Math.max(max, ms);
            }
        }
        return new GcPauses(count, total, max);
    }

    /**
     * GC pauses logged between two wall-clock instants (epoch ms), for a log written with the
     * {@code time} decoration ({@code -Xlog:gc*:file=F:time,uptime,level,tags}); lines without it
     * cannot be placed and are left out.
     */
    static GcPauses gcPausesBetween(final List<String> lines, final long fromEpochMs, final long toEpochMs)
    {
        final List<String> inside = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher m = GC_TIME.matcher(line);
            if (m.lookingAt())
            {
                final long at = OffsetDateTime.parse(m.group(1), GC_TIME_FORMAT).toInstant().toEpochMilli();
                if (at >= fromEpochMs && at <= toEpochMs)
                {
                    inside.add(line);
                }
            }
        }
        return gcPauses(inside);
    }

    /** First resident set size (kB) in a {@code t_s,rss_kb} CSV (the server before the load); -1 when absent. */
    static long firstRss(final Path csv) throws IOException
    {
        if (!Files.exists(csv))
        {
            return -1;
        }
        for (final String line : Files.readAllLines(csv, StandardCharsets.UTF_8))
        {
            final String[] f = line.split(",");
            if (f.length == 2 && f[1].trim().matches("\\d+"))
            {
                return Long.parseLong(f[1].trim());
            }
        }
        return -1;
    }

    /** Largest resident set size (kB) in a {@code t_s,rss_kb} CSV; -1 when absent. */
    static long maxRss(final Path csv) throws IOException
    {
        if (!Files.exists(csv))
        {
            return -1;
        }
        long max = -1;
        for (final String line : Files.readAllLines(csv, StandardCharsets.UTF_8))
        {
            final String[] f = line.split(",");
            if (f.length == 2 && f[1].trim().matches("\\d+"))
            {
                max = Math.max(max, Long.parseLong(f[1].trim()));
            }
        }
        return max;
    }

    static String write(final Path dir, final Path raw, final List<PerfReport.CorePoint> core, final Path coreJson, final List<String> plots)
        throws IOException
    {
        final Properties machine = PerfReport.properties(raw.resolve("machine.properties"));
        final Properties sweep = PerfReport.properties(raw.resolve("sweep.properties"));
        final Properties fixed = PerfReport.properties(raw.resolve("fixed-100000.properties"));
        final Properties max = PerfReport.properties(raw.resolve("max.properties"));
        final Properties spike = PerfReport.properties(raw.resolve("spike.properties"));
        final Properties longRun = PerfReport.properties(raw.resolve("long-100000.properties"));
        final Properties mixed = PerfReport.properties(raw.resolve("mixed.properties"));
        final boolean shortMode = "short".equals(machine.getProperty("mode"));
        final StringBuilder md = new StringBuilder();

        md.append("# Mete performance summary").append(shortMode ? " — short run" : "").append("\n\n");
        if (shortMode)
        {
            md.append("> **Short run** (`perf-reports/run-all.sh --short`): minutes, not the full durations, ")
                .append(machine.getProperty("note", "on a machine shared with builds")).append(". ")
                .append("Treat the figures as a smoke test of the tooling; the full run (`perf-reports/run-all.sh`) is to be redone on a quiet machine.\n\n");
        }
        md.append("Regenerate everything with `perf-reports/run-all.sh` (full, about an hour plus the core suite) or ")
            .append("`perf-reports/run-all.sh --short` (a few minutes). Plots and this page alone: `./mete perf-report`.\n\n");

        md.append("## Machine and settings\n\n| | |\n|---|---|\n");
        row(md, "date", machine.getProperty("date", "?"));
        row(md, "commit", machine.getProperty("commit", "?"));
        row(md, "CPU", machine.getProperty("cpu", "?"));
        row(md, "cores", machine.getProperty("cores", "?"));
        row(md, "memory", machine.getProperty("memory", "?"));
        row(md, "OS", machine.getProperty("os", "?"));
        row(md, "JDK", machine.getProperty("jdk", "?"));
        row(md, "server", machine.getProperty("server", "?"));
        row(md, "wait strategy", machine.getProperty("wait_strategy", "?"));
        row(md, "durability", machine.getProperty("durability", "?"));
        row(md, "CPU placement", machine.getProperty("cpu_placement", "the OS places every thread (no engineCpu)"));
        row(md, "server JVM options", machine.getProperty("server_java_opts", "?"));
        for (final String step : SIZED_STEPS)
        {
            final String sizing = machine.getProperty("sizing_" + step);
            if (sizing != null)
            {
                row(md, "server sizing, " + step, sizing);
            }
        }
        row(md, "load generator", machine.getProperty("load", "?"));
        row(md, "load average at start", machine.getProperty("loadavg", "?"));
        md.append("\nServer and load generator run on the same machine and share its cores; the load generator uses one sender ")
            .append("and one receiver thread for all connections. Latency is measured open loop from each request's intended ")
            .append("send time (no coordinated omission), so the generator's own lateness counts against the server.\n\n");

        md.append("## Headline figures against the targets\n\n");
        md.append("| target (issue 5; the core's inventory and memory rows: issue 2) | measured | met |\n|---|---|---|\n");
        final PerfReport.CorePoint coreRef = find(core, "reference", "COST");
        final PerfReport.CorePoint coreFirstFit = find(core, "reference", "FIRST_FIT");
        if (coreRef != null)
        {
            final double perSecond = 1e9 / coreRef.nsPerOp();
            md.append(String.format(Locale.ROOT, "| Core: ≥ 2,000,000 orders/s on one thread | %,.0f orders/s (%.0f ns/order, COST)%s | %s |%n",
                perSecond, coreRef.nsPerOp(), coreFirstFit == null ? "" :
                    String.format(Locale.ROOT, "; FIRST_FIT %,.0f orders/s", 1e9 / coreFirstFit.nsPerOp()), met(perSecond >= 2_000_000)));
            md.append(String.format(Locale.ROOT, "| Core: 0 B/op | %s | %s |%n", Double.isNaN(coreRef.bytesPerOp()) ? "not measured" :
                String.format(Locale.ROOT, "%.2f B/order in steady state (see core.md for both allocation measures)", coreRef.bytesPerOp()),
                Double.isNaN(coreRef.bytesPerOp()) ? "—" : met(coreRef.bytesPerOp() < 0.5)));
        }
        else
        {
            md.append("| Core: ≥ 2,000,000 orders/s on one thread, 0 B/op | not in this run (core suite: `perf-reports/run-core.sh`) | — |\n");
        }
        coreTargets(md, coreJson);
        final String sustained = sweep.getProperty("sweep_max_sustained_per_s");
        final String maxRate = max.getProperty("orders_per_s");
        if (sustained != null || maxRate != null)
        {
            final double best = Math.max(orZero(parse(sweep.getProperty("sweep_max_sustained_achieved_per_s"))), orZero(parse(maxRate)));
            md.append(String.format(Locale.ROOT, "| End to end over TCP with journaling: ≥ 1,000,000 orders/s sustained | %s%s | %s |%n",
                sustained == null ? "" : parse(sustained) > 0 ?
                    String.format(Locale.ROOT, "sweep: highest rate sustained %,.0f/s (stopped at %s)", parse(sustained),
                        sweep.getProperty("sweep_stopped_at", "?")) :
                    "sweep: no rate sustained (stopped at " + sweep.getProperty("sweep_stopped_at", "?") + ")",
                maxRate == null ? "" : String.format(Locale.ROOT, "; closed loop (`--max`): %,.0f orders/s, p99 %s µs", parse(maxRate),
                    max.getProperty("p99_us", "?")),
                met(best >= 1_000_000)));
        }
        else
        {
            md.append("| End to end: ≥ 1,000,000 orders/s sustained | not measured | — |\n");
        }
        if (!fixed.isEmpty())
        {
            final double p99 = parse(fixed.getProperty("p99_us"));
            final double p9999 = parse(fixed.getProperty("p99_99_us"));
            md.append(String.format(Locale.ROOT, "| At 100,000 orders/s: p99 ≤ 200 µs | p99 %.0f µs (achieved %,.0f/s, %s s measured) | %s |%n",
                p99, parse(fixed.getProperty("achieved_per_s")), fixed.getProperty("duration_s", "?"), met(p99 <= 200)));
            md.append(String.format(Locale.ROOT, "| At 100,000 orders/s: p99.99 ≤ 2 ms | p99.99 %.0f µs, max %.0f µs | %s |%n", p9999,
                parse(fixed.getProperty("max_us")), met(p9999 <= 2_000)));
        }
        else
        {
            md.append("| At 100,000 orders/s: p99 ≤ 200 µs, p99.99 ≤ 2 ms | not measured | — |\n");
        }
        if (!spike.isEmpty())
        {
            final String recovery = spike.getProperty("spike_recovery_s", "?");
            final boolean recovered = recovery.matches("[0-9.]+") && Double.parseDouble(recovery) <= 5;
            final boolean correct = "OK".equals(spike.getProperty("check"));
            final boolean noCrash = spike.getProperty("connection_errors") == null && "0".equals(spike.getProperty("unanswered", "0"));
            final long rssBefore = firstRss(raw.resolve("server-rss-spike.csv"));
            final long rssSpike = maxRss(raw.resolve("server-rss-spike.csv"));
            md.append(String.format(Locale.ROOT, "| Spike 10×: no crash | %s | %s |%n", noCrash ? "server up, every request answered" :
                "connection errors or unanswered requests: " + spike.getProperty("connection_errors", "") + " unanswered " +
                    spike.getProperty("unanswered"), met(noCrash)));
            md.append(String.format(Locale.ROOT, "| Spike 10×: nothing lost or doubled | correctness check %s (orders on the server = acknowledged, every sampled order present once, no position oversold) | %s |%n",
                spike.getProperty("check", "?"), met(correct)));
            md.append(String.format(Locale.ROOT, "| Spike 10×: memory bounded | server RSS %s | %s |%n", rssSpike < 0 ? "not sampled" :
                String.format(Locale.ROOT, "max %,d MB during the spike test (%,d MB when it started)", rssSpike / 1024, Math.max(0, rssBefore) / 1024),
                rssSpike < 0 ? "—" : "heap capped at " + maxHeap(machine.getProperty("sizing_spike", "?")) +
                    "; see raw/server-rss-spike.csv"));
            final String strict = spike.getProperty("spike_recovery_strict_s");
            md.append(String.format(Locale.ROOT, "| Spike 10×: latency back to baseline within 5 s | %s (from then on every %s window's median ≤ %s µs, " +
                    "2× the baseline's, and every %s span's p99 ≤ %s µs, 2× the baseline's; %s of the baseline phase's own %s windows break " +
                    "this rule)%s | %s |%n",
                recovery.matches("[0-9.]+") ? recovery + " s after the spike" : recovery, spike.getProperty("spike_window_ms", "?") + " ms",
                spike.getProperty("spike_recovery_median_threshold_us", "?"), spike.getProperty("spike_recovery_span_ms", "?") + " ms",
                spike.getProperty("spike_recovery_threshold_us", "?"), spike.getProperty("spike_baseline_windows_unsettled", "?"),
                spike.getProperty("spike_baseline_windows", "?"),
                strict == null ? "" : String.format(Locale.ROOT, "; by the stricter rule, every later window's own p99 ≤ %s µs: %s " +
                        "(%s of the baseline phase's own %s windows break that rule)", spike.getProperty("spike_recovery_threshold_us", "?"),
                    strict.matches("[0-9.]+") ? strict + " s" : strict, spike.getProperty("spike_baseline_windows_over_threshold", "?"),
                    spike.getProperty("spike_baseline_windows", "?")),
                met(recovered)));
        }
        else
        {
            md.append("| Spike 10× | not measured | — |\n");
        }
        final Path gcLog = raw.resolve("gc-long.log");
        if (Files.exists(gcLog))
        {
            final Properties longMachine = PerfReport.properties(raw.resolve("long-machine.properties"));
            final String from = longRun.getProperty("measure_start_epoch_ms");
            final String to = longRun.getProperty("measure_end_epoch_ms");
            final List<String> lines = Files.readAllLines(gcLog, StandardCharsets.UTF_8);
            // pauses while measuring; start-up (the engine's arrays) and the warm-up are not the run
            final GcPauses gc = from != null && to != null ? gcPausesBetween(lines, Long.parseLong(from), Long.parseLong(to)) : gcPauses(lines);
            final GcPauses all = gcPauses(lines);
            md.append(String.format(Locale.ROOT, "| No GC pause during 10 minutes at 100,000 orders/s | %s s measured at %s orders/s: %d pauses, longest %.2f ms " +
                    "(%d in the whole log, start-up and warm-up included; [GC log](raw/gc-long.log)); p99 %s µs, p99.99 %s µs, max %s µs; run %s, commit %s, %s | %s |%n",
                longRun.getProperty("duration_s", "?"), longRun.getProperty("achieved_per_s", "?"), gc.count(), gc.maxMs(), all.count(),
                longRun.getProperty("p99_us", "?"), longRun.getProperty("p99_99_us", "?"), longRun.getProperty("max_us", "?"),
                longMachine.getProperty("date", "?"), longMachine.getProperty("commit", "?"), longMachine.getProperty("sizing_long", "?"),
                met(gc.count() == 0)));
        }
        else
        {
            md.append("| No GC pause during 10 minutes at 100,000 orders/s (GC log) | ")
                .append(Files.exists(raw.resolve("long-100000.skipped")) ?
                    Files.readString(raw.resolve("long-100000.skipped"), StandardCharsets.UTF_8).trim() :
                    shortMode ? "not run in short mode" : "not measured")
                .append(fixedStepGc(raw)).append(" | — |\n");
        }

        md.append(PlatformHiccups.section(raw));
        md.append(ServerShare.section(raw));
        if (!mixed.isEmpty())
        {
            md.append("\n## Mixed traffic (open loop: 80% place, 10% adjust, 5% cancel, 5% confirm shipment)\n\n")
                .append("| target/s | achieved/s | p50 µs | p99 µs | p99.99 µs | max µs | rejected | check |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---|\n")
                .append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %s | %s | %s | %s | %s | %s |%n",
                    parse(mixed.getProperty("target_per_s")), parse(mixed.getProperty("achieved_per_s")),
                    mixed.getProperty("p50_us", "?"), mixed.getProperty("p99_us", "?"), mixed.getProperty("p99_99_us", "?"),
                    mixed.getProperty("max_us", "?"), mixed.getProperty("rejected", "?"), mixed.getProperty("check", "?")));
        }
        md.append(variants(raw));
        if (!sweep.isEmpty())
        {
            md.append("\n## Rate sweep (open loop, ").append(machine.getProperty("workload", "reference")).append(" workload)\n\n");
            md.append("A rate is sustained when at least 95% of it is answered and p99 stays within the bound; the sweep stops at the first that is not.\n\n");
            md.append("| target/s | achieved/s | p99 µs | p99.99 µs | verdict |\n|---:|---:|---:|---:|---|\n");
            for (final String step : sweep.getProperty("sweep_rates", "").split(" "))
            {
                final String[] f = step.split(":");
                if (f.length == 5)
                {
                    md.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %s | %s | %s |%n", parse(f[0]), parse(f[1]), f[2], f[3], f[4]));
                }
            }
        }
        if (!spike.isEmpty())
        {
            md.append("\n## Spike\n\n").append(spike.getProperty("mode", "")).append("\n\n");
            md.append("| phase | target/s | achieved/s | p50 µs | p99 µs | p99.99 µs | max µs | BUSY | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (final String phase : new String[] {"baseline", "spike", "after"})
            {
                final String k = "spike_" + phase + "_";
                if (spike.getProperty(k + "target_per_s") != null)
                {
                    md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %s | %s | %s | %s | %s | %s |%n", phase,
                        parse(spike.getProperty(k + "target_per_s")), parse(spike.getProperty(k + "achieved_per_s")),
                        spike.getProperty(k + "p50_us"), spike.getProperty(k + "p99_us"), spike.getProperty(k + "p99_99_us"),
                        spike.getProperty(k + "max_us"), spike.getProperty(k + "busy"), spike.getProperty(k + "errors")));
                }
            }
        }
        if (!core.isEmpty())
        {
            md.append("\n## Core PlaceOrder by variant (one thread, in-process, from [").append(coreJson.getFileName()).append("](raw/")
                .append(coreJson.getFileName()).append("))\n\n| variant | strategy | ns/order | orders/s | B/order |\n|---|---|---:|---:|---:|\n");
            for (final PerfReport.CorePoint p : core)
            {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %,.0f | %s |%n", p.variant(), p.strategy(), p.nsPerOp(), 1e9 / p.nsPerOp(),
                    Double.isNaN(p.bytesPerOp()) ? "—" : String.format(Locale.ROOT, "%.2f", p.bytesPerOp())));
            }
        }
        final String limits = machine.getProperty("limits");
        if (limits != null && !limits.isBlank())
        {
            md.append("\n## What limits the figures that miss\n\n").append(limits.replace("\\n", "\n")).append("\n");
        }
        final Path profile = raw.resolve("server-profile.txt");
        if (Files.exists(profile) && Files.size(profile) > 0)
        {
            md.append("\n## Where the server's time goes (JFR execution samples, top frames)\n\n```\n");
            final List<String> lines = Files.readAllLines(profile, StandardCharsets.UTF_8);
            for (int i = 0; i < Math.min(25, lines.size()); i++)
            {
                md.append(lines.get(i)).append('\n');
            }
            md.append("```\n\nFull list: [raw/server-profile.txt](raw/server-profile.txt).\n");
        }

        md.append("\n## Plots\n\n");
        for (final String p : plots)
        {
            md.append("![").append(p).append("](plots/").append(p).append(")\n\n");
        }
        md.append("## Raw files\n\n");
        final List<String> rawFiles = new ArrayList<>();
        if (Files.isDirectory(raw))
        {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(raw))
            {
                for (final Path f : files)
                {
                    rawFiles.add(f.getFileName().toString());
                }
            }
        }
        rawFiles.sort(null);
        for (final String f : rawFiles)
        {
            md.append("- [raw/").append(f).append("](raw/").append(f).append(")\n");
        }
        md.append("\nFile kinds: `*.hlog` HdrHistogram interval logs (latency in ns from intended send time, one interval per window of ")
            .append("intended send time; read with HdrHistogram's `HistogramLogReader` or HistogramLogAnalyzer), `*-timeline.csv` per-window ")
            .append("throughput and percentiles, `*.properties` each run's figures, `*.log` the console output of each step.\n");
        return md.toString();
    }

    private static PerfReport.CorePoint find(final List<PerfReport.CorePoint> core, final String variant, final String strategy)
    {
        for (final PerfReport.CorePoint p : core)
        {
            if (p.variant().equals(variant) && p.strategy().equals(strategy) && p.benchmark().contains("PlaceOrder"))
            {
                return p;
            }
        }
        for (final PerfReport.CorePoint p : core)
        {
            if (p.variant().equals(variant) && p.strategy().equals(strategy))
            {
                return p;
            }
        }
        return null;
    }

    /** What the fixed-rate step's GC log says about its measured phase, or nothing when it cannot be lined up. */
    static String fixedStepGc(final Path raw) throws IOException
    {
        final Path log = raw.resolve("gc-fixed.log");
        final Properties fixed = PerfReport.properties(raw.resolve("fixed-100000.properties"));
        final String from = fixed.getProperty("measure_start_epoch_ms");
        final String to = fixed.getProperty("measure_end_epoch_ms");
        if (!Files.exists(log) || from == null || to == null)
        {
            return "";
        }
        final GcPauses gc = gcPausesBetween(Files.readAllLines(log, StandardCharsets.UTF_8), Long.parseLong(from), Long.parseLong(to));
        return String.format(Locale.ROOT, "; meanwhile, during the fixed-rate step's measured %s s at 100,000 orders/s: %s ([GC log](raw/gc-fixed.log))",
            fixed.getProperty("duration_s", "?"),
            gc.count() == 0 ? "no GC pause" : String.format(Locale.ROOT, "%d GC pauses, longest %.2f ms", gc.count(), gc.maxMs()));
    }

    /** The other workloads of WORKLOAD.md, open loop, one row per {@code variant-<workload>.properties}. */
    static String variants(final Path raw) throws IOException
    {
        final StringBuilder md = new StringBuilder();
        for (final String workload : VARIANTS)
        {
            final Properties v = PerfReport.properties(raw.resolve("variant-" + workload + ".properties"));
            if (v.isEmpty())
            {
                continue;
            }
            if (md.length() == 0)
            {
                md.append("\n## Workload variants (open loop, each against a fresh server)\n\n")
                    .append("scale: 1,000 nodes, 100,000 SKUs; wide: 10-line orders; hot-sku: 10% of the lines on 10 SKUs with little stock ")
                    .append("(units reserved at placement below 3 × orders: the rest is backordered).\n\n")
                    .append("| workload | target/s | achieved/s | p50 µs | p99 µs | p99.99 µs | max µs | rejected | check |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            }
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %s | %s | %s | %s | %s | %s |%n", workload,
                parse(v.getProperty("target_per_s")), parse(v.getProperty("achieved_per_s")), v.getProperty("p50_us", "?"),
                v.getProperty("p99_us", "?"), v.getProperty("p99_99_us", "?"), v.getProperty("max_us", "?"),
                v.getProperty("rejected", "?"), v.getProperty("check", "?")));
        }
        return md.toString();
    }

    /** The -Xmx value in a line of JVM options, or the line itself when it has none. */
    static String maxHeap(final String options)
    {
        final Matcher matcher = MAX_HEAP.matcher(options);
        return matcher.find() ? matcher.group(1) : options;
    }

    private static void row(final StringBuilder md, final String key, final String value)
    {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    /**
     * The core's other two targets: inventory adjustments per second on one thread, and the memory
     * of 1,000,000 stock positions (from the position memory measurement beside the core suite's JSON).
     */
    private static void coreTargets(final StringBuilder md, final Path coreJson) throws IOException
    {
        if (coreJson == null)
        {
            return;
        }
        final double adjustNs = PerfReport.nsPerOp(Files.readString(coreJson, StandardCharsets.UTF_8), "InventoryBenchmark.adjustOnHand");
        if (!Double.isNaN(adjustNs))
        {
            final double perSecond = 1e9 / adjustNs;
            md.append(String.format(Locale.ROOT, "| Core: ≥ 10,000,000 inventory adjustments/s on one thread | %,.0f AdjustOnHand/s (%.0f ns each) | %s |%n",
                perSecond, adjustNs, met(perSecond >= 10_000_000)));
        }
        final Path memory = coreJson.resolveSibling(coreJson.getFileName().toString().replace("core-jmh", "position-memory"));
        if (Files.exists(memory))
        {
            final JmhReport.PositionMemory m = JmhReport.PositionMemory.read(memory);
            md.append(String.format(Locale.ROOT, "| Core: state of 1,000,000 stock positions ≤ 32 MiB | %.1f MiB (the position table; %.1f MiB of heap " +
                "after GC for the stock commands, SKU codes included; %,.0f positions measured) | %s |%n",
                m.perMillion(m.footprintBytes()) / (1 << 20), m.perMillion(m.stockHeapBytes()) / (1 << 20), m.positions(), met(m.met())));
        }
    }

    private static String met(final boolean met)
    {
        return met ? "yes" : "**no**";
    }

    private static double orZero(final double v)
    {
        return Double.isNaN(v) ? 0 : v;
    }

    /** The target rates of a sweep's steps, in the order run ({@code sweep_rates}: rate:achieved:p99:p99.99:verdict ...). */
    static java.util.List<String> sweepRates(final Properties sweep)
    {
        final java.util.List<String> rates = new java.util.ArrayList<>();
        for (final String step : sweep.getProperty("sweep_rates", "").split(" "))
        {
            final String rate = step.split(":")[0];
            if (!rate.isEmpty())
            {
                rates.add(rate);
            }
        }
        return rates;
    }

    static double parse(final String s)
    {
        if (s == null)
        {
            return Double.NaN;
        }
        try
        {
            return Double.parseDouble(s.trim());
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }
}
