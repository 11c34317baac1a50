package io.mete.benchmarks.report;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the raw results under {@code perf-reports/raw/} into PNG plots under
 * {@code perf-reports/plots/} and the headline page {@code perf-reports/summary.md}:
 * <ul>
 * <li>{@code latency-spectrum.png}: latency by percentile for every rate of the sweep and the fixed-rate run (from the .hlog files);</li>
 * <li>{@code spike-throughput.png} and {@code spike-p99.png}: sent and answered per second, and p99, over the spike test (from its timeline CSV);</li>
 * <li>{@code sourcing-vs-nodes.png}: PlaceOrder time on the core against node count, per sourcing strategy (from the core JMH JSON).</li>
 * </ul>
 * Every headline figure in the summary stands next to its target from issue 5; a figure that was not
 * measured says so.
 */
@Command(name = "perf-report", mixinStandardHelpOptions = true,
    description = "Plots and summary.md from perf-reports/raw (written by perf-reports/run-all.sh).")
public final class PerfReport implements Callable<Integer>
{
    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    @Option(names = "--dir", defaultValue = "perf-reports", description = "the perf-reports directory (default: ${DEFAULT-VALUE})")
    Path dir;

    public static void main(final String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new PerfReport()).execute(args));
    }

    @Override
    public Integer call() throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final Path raw = dir.resolve("raw");
        final Path plots = dir.resolve("plots");
        Files.createDirectories(plots);
        final List<String> made = new ArrayList<>();

        final Map<Double, Path> logs = latencyLogs(raw);
        if (!logs.isEmpty())
        {
            saveSpectrum(logs, plots.resolve("latency-spectrum.png"));
            made.add("latency-spectrum.png");
        }
        final Path timeline = raw.resolve("spike-timeline.csv");
        if (Files.exists(timeline))
        {
            final Timeline t = Timeline.read(timeline);
            saveSpikeThroughput(t, plots.resolve("spike-throughput.png"));
            saveSpikeP99(t, plots.resolve("spike-p99.png"));
            made.add("spike-throughput.png");
            made.add("spike-p99.png");
        }
        final Path coreJson = coreJson(raw);
        List<CorePoint> core = List.of();
        if (coreJson != null)
        {
            core = corePoints(Files.readString(coreJson, StandardCharsets.UTF_8));
            if (!core.isEmpty())
            {
                saveSourcingVsNodes(core, plots.resolve("sourcing-vs-nodes.png"));
                made.add("sourcing-vs-nodes.png");
            }
        }
        final String summary = Summary.write(dir, raw, core, coreJson, made);
        Files.writeString(dir.resolve("summary.md"), summary, StandardCharsets.UTF_8);
        System.out.printf("perf-report: %s, plots %s%n", dir.resolve("summary.md"), made);
        return 0;
    }

    // ====================================================================== latency spectrum

    private static final Pattern RATE_LOG = Pattern.compile("(?:sweep|fixed)-(\\d+)\\.hlog");

    /** The sweep's and the fixed-rate runs' logs by rate ({@code sweep-RATE.hlog}, {@code fixed-RATE.hlog}; fixed wins a tie). */
    static Map<Double, Path> latencyLogs(final Path raw) throws IOException
    {
        final Map<Double, Path> logs = new TreeMap<>();
        if (!Files.isDirectory(raw))
        {
            return logs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(raw, "*.hlog"))
        {
            for (final Path f : files)
            {
                final Matcher m = RATE_LOG.matcher(f.getFileName().toString());
                if (m.matches())
                {
                    final double rate = Double.parseDouble(m.group(1));
                    if (!logs.containsKey(rate) || f.getFileName().toString().startsWith("fixed"))
                    {
                        logs.put(rate, f);
                    }
                }
            }
        }
        return logs;
    }

    /** Every interval of an HdrHistogram log added into one histogram. */
    public static Histogram readLog(final Path file) throws IOException
    {
        final Histogram total = new Histogram(3);
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile()))
        {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null)
            {
                total.add((AbstractHistogram)h);
            }
        }
        return total;
    }

    /** (percentile, latency µs) points for a spectrum plot, up to 99.9999%. */
    static List<double[]> spectrum(final Histogram h)
    {
        final List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() == 0)
        {
            return points;
        }
        for (final HistogramIterationValue v : h.percentiles(5))
        {
            final double p = v.getPercentileLevelIteratedTo();
            if (p >= 99.9999)
            {
                break;
            }
            points.add(new double[] {p, h.highestEquivalentValue(v.getValueIteratedTo()) / 1e3});
        }
        points.add(new double[] {99.9999, h.getMaxValue() / 1e3});
        return points;
    }

    static void saveSpectrum(final Map<Double, Path> logs, final Path png) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Latency by percentile, open loop (from intended send time)")
            .xAxisTitle("percentile (1 / (1 − p), log scale): 90% = 10, 99% = 100, 99.9% = 1,000, ...").yAxisTitle("latency (µs, log scale)")
            .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (final Map.Entry<Double, Path> e : logs.entrySet())
        {
            final List<double[]> points = spectrum(readLog(e.getValue()));
            if (points.isEmpty())
            {
                continue;
            }
            final double[] x = new double[points.size()];
            final double[] y = new double[points.size()];
            for (int i = 0; i < x.length; i++)
            {
                x[i] = 1 / (1 - points.get(i)[0] / 100);
                y[i] = Math.max(0.1, points.get(i)[1]);
            }
            final XYSeries s = chart.addSeries(String.format(Locale.ROOT, "%,.0f/s", e.getKey()), x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    // ====================================================================== spike

    /** The load generator's per-window CSV. */
    static final class Timeline
    {
        final List<Double> t = new ArrayList<>();
        final List<String> phase = new ArrayList<>();
        final List<Double> sent = new ArrayList<>();
        final List<Double> answered = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> busy = new ArrayList<>();

        static Timeline read(final Path csv) throws IOException
        {
            final Timeline tl = new Timeline();
            final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++)
            {
                final String[] f = lines.get(i).split(",", -1);
                if (f.length < 9)
                {
                    continue;
                }
                tl.t.add(Double.parseDouble(f[0]));
                tl.phase.add(f[1]);
                tl.sent.add(Double.parseDouble(f[2]));
                tl.answered.add(Double.parseDouble(f[3]));
                tl.p99.add(f[5].isEmpty() ? Double.NaN : Double.parseDouble(f[5]));
                tl.busy.add(Double.parseDouble(f[7]));
            }
            return tl;
        }
    }

    static void saveSpikeThroughput(final Timeline t, final Path png) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Spike test: requests sent and answered per second")
            .xAxisTitle("time since start (s)").yAxisTitle("requests per second").build();
        chart.getStyler().setMarkerSize(0);
        chart.addSeries("sent (offered load)", t.t, t.sent).setMarker(SeriesMarkers.NONE);
        chart.addSeries("answered", t.t, t.answered).setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void saveSpikeP99(final Timeline t, final Path png) throws IOException
    {
        final List<Double> x = new ArrayList<>();
        final List<Double> y = new ArrayList<>();
        for (int i = 0; i < t.t.size(); i++)
        {
            if (!t.p99.get(i).isNaN())
            {
                x.add(t.t.get(i));
                y.add(Math.max(1, t.p99.get(i)));
            }
        }
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Spike test: p99 latency by window of intended send time").xAxisTitle("time since start (s)")
            .yAxisTitle("p99 (µs, log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        if (!x.isEmpty())
        {
            chart.addSeries("p99", x, y).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    // ====================================================================== core JMH

    /** One core PlaceOrder result: strategy, node count, ns per order, bytes allocated per order (NaN when absent). */
    record CorePoint(String benchmark, String strategy, String variant, int nodes, double nsPerOp, double bytesPerOp)
    {
    }

    static Path coreJson(final Path raw)
    {
        for (final String name : new String[] {"core-jmh.json", "core-jmh-quick.json"})
        {
            final Path p = raw.resolve(name);
            try
            {
                if (Files.exists(p) && Files.size(p) > 2)
                {
                    return p;
                }
            }
            catch (final IOException ignore)
            {
                // not there
            }
        }
        return null;
    }

    /**
     * PlaceOrder results of the core suite (benchmarks whose name ends in {@code placeOrder}), with
     * the node count from a {@code nodes} parameter or a {@code variant} of {@code reference}
     * (100 nodes) or {@code nodes-N}.
     */
    @SuppressWarnings("unchecked")
    static List<CorePoint> corePoints(final String json)
    {
        final List<CorePoint> points = new ArrayList<>();
        final Object parsed = MiniJson.parse(json);
        if (!(parsed instanceof List))
        {
            return points;
        }
        for (final Object o : (List<Object>)parsed)
        {
            final Map<String, Object> b = (Map<String, Object>)o;
            final String name = String.valueOf(b.get("benchmark"));
            if (!name.endsWith(".placeOrder"))
            {
                continue;
            }
            final Map<String, Object> params = b.get("params") instanceof Map ? (Map<String, Object>)b.get("params") : Map.of();
            final String variant = String.valueOf(params.getOrDefault("variant", "reference"));
            final int nodes;
            if (params.containsKey("nodes"))
            {
                nodes = (int)Double.parseDouble(String.valueOf(params.get("nodes")));
            }
            else if (variant.equals("reference"))
            {
                nodes = 100;
            }
            else if (variant.startsWith("nodes-"))
            {
                nodes = Integer.parseInt(variant.substring("nodes-".length()));
            }
            else
            {
                nodes = -1;
            }
            final double ns = primaryNsPerOp(b);
            double bytes = Double.NaN;
            if (b.get("secondaryMetrics") instanceof Map)
            {
                // Steady-state bytes per order (the hot path between setup and teardown) when the
                // benchmark reports it; JMH's gc.alloc.rate.norm also counts per-iteration setup.
                // JMH 1.37 names it "gc.alloc.rate.norm", older versions "·gc.alloc.rate.norm".
                final Map<String, Object> secondary = (Map<String, Object>)b.get("secondaryMetrics");
                for (final String key : new String[] {"allocSteadyBytesPerOp", "gc.alloc.rate.norm", "·gc.alloc.rate.norm"})
                {
                    final Object alloc = secondary.get(key);
                    if (alloc instanceof Map)
                    {
                        bytes = number(((Map<String, Object>)alloc).get("score"));
                        break;
                    }
                }
            }
            points.add(new CorePoint(name, String.valueOf(params.getOrDefault("strategy", "COST")), variant, nodes, ns, bytes));
        }
        return points;
    }

    /**
     * Time per operation in ns of the first benchmark of the suite whose name ends in {@code suffix}
     * (for example {@code InventoryBenchmark.adjustOnHand}), or NaN when the run has none.
     */
    @SuppressWarnings("unchecked")
    static double nsPerOp(final String json, final String suffix)
    {
        final Object parsed = MiniJson.parse(json);
        if (parsed instanceof List)
        {
            for (final Object o : (List<Object>)parsed)
            {
                final Map<String, Object> b = (Map<String, Object>)o;
                if (String.valueOf(b.get("benchmark")).endsWith(suffix) && b.get("primaryMetric") instanceof Map)
                {
                    return primaryNsPerOp(b);
                }
            }
        }
        return Double.NaN;
    }

    /** A benchmark's primary score in ns per operation, whatever unit JMH gave it in. */
    @SuppressWarnings("unchecked")
    private static double primaryNsPerOp(final Map<String, Object> benchmark)
    {
        final Map<String, Object> primary = (Map<String, Object>)benchmark.get("primaryMetric");
        return toNsPerOp(number(primary.get("score")), String.valueOf(primary.get("scoreUnit")));
    }

    private static double number(final Object o)
    {
        if (o instanceof Number)
        {
            return ((Number)o).doubleValue();
        }
        try
        {
            return Double.parseDouble(String.valueOf(o));
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }

    static double toNsPerOp(final double score, final String unit)
    {
        switch (unit)
        {
            case "ns/op": return score;
            case "us/op": return score * 1e3;
            case "ms/op": return score * 1e6;
            case "s/op": return score * 1e9;
            case "ops/s": return 1e9 / score;
            case "ops/ms": return 1e6 / score;
            case "ops/us": return 1e3 / score;
            default: return Double.NaN;
        }
    }

    static void saveSourcingVsNodes(final List<CorePoint> points, final Path png) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Core: PlaceOrder (sourcing + reservation) time vs node count")
            .xAxisTitle("nodes (log scale)").yAxisTitle("ns per order").build();
        chart.getStyler().setXAxisLogarithmic(true);
        final Map<String, TreeMap<Integer, Double>> byStrategy = new TreeMap<>();
        for (final CorePoint p : points)
        {
            if (p.nodes() > 0 && !Double.isNaN(p.nsPerOp()))
            {
                byStrategy.computeIfAbsent(p.strategy(), k -> new TreeMap<>()).put(p.nodes(), p.nsPerOp());
            }
        }
        for (final Map.Entry<String, TreeMap<Integer, Double>> e : byStrategy.entrySet())
        {
            final List<Integer> x = new ArrayList<>(e.getValue().keySet());
            final List<Double> y = new ArrayList<>(e.getValue().values());
            chart.addSeries(e.getKey(), x, y);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static Properties properties(final Path file) throws IOException
    {
        final Properties p = new Properties();
        if (Files.exists(file))
        {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
            {
                p.load(r);
            }
        }
        return p;
    }
}
