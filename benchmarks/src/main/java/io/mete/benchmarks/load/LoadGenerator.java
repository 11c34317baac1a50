package io.mete.benchmarks.load;

import io.mete.engine.workload.Workload;
import io.mete.gateway.cpu.CpuAffinity;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.SourcingStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./mete load}: drives a running Mete server over TCP with the reference workload (or a
 * variant) and reports throughput and latency percentiles, then checks the server's state against
 * what it saw acknowledged. Modes: a fixed open-loop rate (default), {@code --max} (closed loop),
 * {@code --sweep} (open loop at rising rates until one is not sustained) and {@code --spike}. Every
 * run also reports the platform's hiccups over its measured phase ({@link HiccupMeter});
 * {@code --hiccup-only} measures those alone, with no server and no load.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Open-loop load generator for a running Mete server: each request is due at its place in a fixed-rate schedule and its",
        "latency is measured from that intended send time (coordinated omission corrected by construction).",
        "One sender and one receiver thread serve every connection. Ends with a correctness check and a last line of key: value figures."})
public final class LoadGenerator implements Callable<Integer>
{
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "7070", description = "server port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--rate", defaultValue = "100000", description = "requests per second, open loop (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
        description = "measured time per run, e.g. 30s, 10m (default: ${DEFAULT-VALUE})")
    long durationNs;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
        description = "unmeasured warm-up at the same rate before each run (default: ${DEFAULT-VALUE})")
    long warmupNs;

    @Option(names = "--connections", defaultValue = "2", description = "TCP connections, each logged in as its own client (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--workload", defaultValue = "reference", description = "reference, scale, wide, hot-sku or mixed (default: ${DEFAULT-VALUE})")
    String workloadName;

    @Option(names = "--strategy", defaultValue = "COST", description = "sourcing for --setup: COST or FIRST_FIT (default: ${DEFAULT-VALUE})")
    SourcingStrategy strategy;

    @Option(names = "--setup", description = "load the workload's network through an ADMIN session first")
    boolean setup;

    @Option(names = "--server-config", description = "the server's properties file: the client ids and secrets to log in with " +
        "(default: the gateway's built-in clients 1 ADMIN, 2 ORDERS, 3 INVENTORY, 4 MONITOR)")
    Path serverConfig;

    @Option(names = "--server-metrics", paramLabel = "HOST:PORT", description = "the server's metrics endpoint (metricsPort): " +
        "also report the server's own latency for the measured requests (server_p50_us ...: reading a request to its answer leaving the engine)")
    String serverMetrics;

    @Option(names = "--max", description = "closed loop: keep --window requests in flight per connection; reports the sustained maximum")
    boolean max;

    @Option(names = "--window", defaultValue = "256", description = "requests in flight per connection with --max (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--sweep", split = ",", description = "rates to try in order, e.g. 50000,100000,250000; stops at the first not sustained")
    double[] sweep;

    @Option(names = "--min-ratio", defaultValue = "0.95", description = "a sweep step is sustained when it achieves this share of its rate (default: ${DEFAULT-VALUE})")
    double minRatio;

    @Option(names = "--p99-bound", defaultValue = "10ms", converter = DurationConverter.class,
        description = "... and its p99 stays within this bound (default: ${DEFAULT-VALUE})")
    long p99BoundNs;

    @Option(names = "--spike", description = "spike profile: baseline at --rate, then --spike-factor × for --spike-duration, then baseline")
    boolean spike;

    @Option(names = "--spike-factor", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
    double spikeFactor;

    @Option(names = "--spike-baseline", defaultValue = "30s", converter = DurationConverter.class, description = "(default: ${DEFAULT-VALUE})")
    long spikeBaselineNs;

    @Option(names = "--spike-duration", defaultValue = "60s", converter = DurationConverter.class, description = "(default: ${DEFAULT-VALUE})")
    long spikeNs;

    @Option(names = "--spike-after", defaultValue = "60s", converter = DurationConverter.class,
        description = "baseline after the spike (default: ${DEFAULT-VALUE})")
    long spikeAfterNs;

    /** The tail after a spike is judged over spans of this length (see SpikeAnalysis). */
    private static final long RECOVERY_SPAN_NS = 5_000_000_000L;

    @Option(names = "--recovery-factor", defaultValue = "2.0",
        description = "recovered when every later window's median is within this factor of the baseline median and every " +
            "later 5 s span's p99 within this factor of the baseline p99 (default: ${DEFAULT-VALUE})")
    double recoveryFactor;

    @Option(names = "--interval", converter = DurationConverter.class,
        description = "window for the timeline and the histogram log (default: 1s; 250ms with --spike)")
    Long intervalNs;

    @Option(names = "--histogram-log", description = "HdrHistogram interval log (a sweep writes one per rate: NAME-RATE.hlog)")
    Path histogramLog;

    @Option(names = "--timeline", description = "CSV per window: sent/s, answered/s, p50/p99/max, BUSY, errors (a sweep: one per rate)")
    Path timeline;

    @Option(names = "--result", description = "write the figures as key=value lines to this file")
    Path resultFile;

    @Option(names = "--no-check", description = "skip the correctness check before and after each run")
    boolean noCheck;

    @Option(names = "--check-skus", defaultValue = "10000", description = "availability checked on all SKUs up to this many, else a sample (default: ${DEFAULT-VALUE})")
    int checkSkus;

    @Option(names = "--check-orders", defaultValue = "1000", description = "acknowledged orders looked up one by one (default: ${DEFAULT-VALUE})")
    int checkOrders;

    @Option(names = "--max-lag", defaultValue = "30s", converter = DurationConverter.class,
        description = "give up a run when the sender falls this far behind its schedule (default: ${DEFAULT-VALUE})")
    long maxLagNs;

    @Option(names = "--drain-timeout", defaultValue = "60s", converter = DurationConverter.class,
        description = "wait at most this long for outstanding answers (default: ${DEFAULT-VALUE})")
    long drainTimeoutNs;

    @Option(names = "--cpus", description = "run every thread of the load generator on these CPUs only (Linux; a list like 0 or " +
        "0,2-3), for example to keep it off the CPU the server's engineCpu gives the engine thread")
    String cpus;

    @Option(names = "--quiet", description = "no progress line")
    boolean quiet;

    @Option(names = "--hiccup-only", description = "no server, no load: measure this machine's hiccups alone for --duration " +
        "(the baseline the hiccup figures of a load run compare with)")
    boolean hiccupOnly;

    private final PrintStream out = System.out;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private boolean checkFailed;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new LoadGenerator()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (cpus != null)
        {
            final BitSet confined = CpuAffinity.parse(cpus);
            CpuAffinity.confine(confined);
            figures.put("cpus", CpuAffinity.format(confined));
        }
        if (hiccupOnly)
        {
            return measureHiccupsOnly();
        }
        final boolean check = !noCheck;
        final boolean mixed = workloadName.equals("mixed");
        final Workload workload = mixed ? Workload.reference(strategy) : Workload.named(workloadName, strategy);
        final LoadClients clients = serverConfig != null ? LoadClients.fromServerConfig(serverConfig) : LoadClients.defaults();
        final List<ClientRegistry.Client> loadClients = clients.forLoad(connections, mixed);
        out.printf("mete load: %s workload (%d nodes, %d SKUs, %d lines per order%s) against %s:%d over %d connections (clients %s)%n",
            workloadName, workload.nodes(), workload.skus(), workload.linesPerOrder(),
            mixed ? "; 80% place, 10% adjust, 5% cancel, 5% confirm shipment" : "", host, port, connections,
            Arrays.toString(loadClients.stream().mapToInt(ClientRegistry.Client::id).toArray()));
        if (setup)
        {
            NetworkSetup.load(host, port, clients.admin(), workload, out);
        }
        final String runTag = "L" + Long.toString(System.currentTimeMillis() % 2_176_782_336L, 36).toUpperCase(Locale.ROOT);
        figures.put("workload", workloadName);
        figures.put("connections", Integer.toString(connections));
        if (sweep != null && sweep.length > 0)
        {
            runSweep(workload, mixed, loadClients, clients, runTag);
        }
        else if (spike)
        {
            runSpike(workload, mixed, loadClients, clients, runTag);
        }
        else
        {
            final RateSchedule schedule = max ? RateSchedule.constant(1_000, warmupNs, durationNs) : RateSchedule.constant(rate, warmupNs, durationNs);
            final LoadResult r = runOnce(workload, mixed, loadClients, clients, schedule, max ? window : 0, runTag, "", histogramLog, timeline);
            figures.put("mode", max ? "max (closed loop, window " + window + " per connection)" : "fixed rate");
            figures.putAll(r.figures(""));
        }
        figures.put("check", checkFailed ? "FAILED" : check ? "OK" : "skipped");
        writeResult();
        printLastLine();
        return checkFailed ? 1 : 0;
    }

    /** The machine alone for --duration: what an idle thread suffers here with nothing else from Mete running. */
    private int measureHiccupsOnly() throws IOException, InterruptedException
    {
        out.printf("mete load --hiccup-only: a thread pausing %.0f ms at a time for %.0f s, no server, no load%n",
            HiccupMeter.RESOLUTION_NS / 1e6, durationNs / 1e9);
        final HiccupMeter meter = HiccupMeter.startFrom(System.nanoTime());
        TimeUnit.NANOSECONDS.sleep(durationNs);
        final HiccupRecorder hiccups = meter.stop();
        out.println(hiccups.describe());
        figures.put("mode", "hiccup only (no server, no load)");
        figures.put("duration_s", String.format(Locale.ROOT, "%.0f", durationNs / 1e9));
        figures.putAll(hiccups.figures(""));
        writeResult();
        printLastLine();
        return 0;
    }

    private void printLastLine()
    {
        final StringBuilder last = new StringBuilder();
        for (final Map.Entry<String, String> e : figures.entrySet())
        {
            last.append(last.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(e.getValue());
        }
        out.println(last);
    }

    private LoadResult runOnce(
        final Workload workload, final boolean mixed, final List<ClientRegistry.Client> loadClients, final LoadClients clients,
        final RateSchedule schedule, final int closedLoopWindow, final String prefix, final String label, final Path hlog, final Path csv)
        throws IOException, InterruptedException
    {
        final CorrectnessCheck checker = !noCheck ? new CorrectnessCheck(host, port, clients.admin(), workload, checkSkus) : null;
        final CorrectnessCheck.State before = checker != null ? checker.capture() : null;
        final LoadRun.Settings s = new LoadRun.Settings();
        s.host = host;
        s.port = port;
        s.clients = loadClients;
        s.workload = workload;
        s.mixed = mixed;
        s.schedule = schedule;
        s.window = closedLoopWindow;
        s.windowNs = intervalNs != null ? intervalNs : spike ? TimeUnit.MILLISECONDS.toNanos(250) : TimeUnit.SECONDS.toNanos(1);
        s.maxLagNs = maxLagNs;
        s.drainTimeoutNs = drainTimeoutNs;
        s.orderPrefix = prefix;
        s.progress = quiet ? null : System.err;
        s.label = label;
        s.serverMetrics = serverMetrics;
        final LoadResult r = new LoadRun(s).run();
        r.printPhases(out);
        if (r.aborted)
        {
            out.printf("run given up: %s%n", r.abortReason);
        }
        if (!r.connectionErrors.isEmpty())
        {
            out.printf("connection errors: %s%n", r.connectionErrors);
        }
        if (hlog != null)
        {
            r.writeHistogramLog(hlog);
        }
        if (csv != null)
        {
            r.writeTimeline(csv);
        }
        if (checker != null)
        {
            final CorrectnessCheck.State after = checker.capture();
            final List<String> problems = new ArrayList<>(CorrectnessCheck.compare(before, after, r, workload, workload.hotSkus() == 0));
            final String[] sample = Arrays.copyOf(r.sampleOrderIds, Math.min(checkOrders, r.sampleOrderIds.length));
            problems.addAll(checker.checkOrders(sample, workload.linesPerOrder()));
            if (r.mismatches > 0 || r.protocolErrors > 0)
            {
                problems.add(r.mismatches + " answers out of order, " + r.protocolErrors + " protocol errors");
            }
            out.printf("check: orders +%,d = %,d acknowledged; units ordered +%,d, reserved at placement +%,d, reserved now +%,d over %s SKUs; " +
                    "cancelled +%,d, shipped +%,d; %,d sampled orders looked up; %s%n",
                after.orders - before.orders, r.acceptedPlaces, after.unitsOrdered - before.unitsOrdered,
                after.unitsAllocatedAtPlacement - before.unitsAllocatedAtPlacement, after.reserved - before.reserved,
                after.allSkus ? "all" : "sampled", after.unitsCancelled - before.unitsCancelled, after.unitsShipped - before.unitsShipped,
                sample.length, problems.isEmpty() ? "no position oversold, OK" : "FAILED");
            for (final String p : problems)
            {
                out.println("  check failed: " + p);
            }
            checkFailed |= !problems.isEmpty();
        }
        return r;
    }

    private void runSweep(
        final Workload workload, final boolean mixed, final List<ClientRegistry.Client> loadClients, final LoadClients clients, final String tag)
        throws IOException, InterruptedException
    {
        final SweepRule rule = new SweepRule(minRatio, p99BoundNs);
        final List<String> steps = new ArrayList<>();
        double best = 0;
        double bestAchieved = 0;
        String stoppedBy = "all rates sustained";
        for (int i = 0; i < sweep.length; i++)
        {
            final double target = sweep[i];
            out.printf("%n== sweep step %d/%d: %,.0f/s ==%n", i + 1, sweep.length, target);
            final LoadResult r = runOnce(workload, mixed, loadClients, clients, RateSchedule.constant(target, warmupNs, durationNs), 0,
                tag + "S" + i, String.format("[%,.0f/s] ", target), perRate(histogramLog, target), perRate(timeline, target));
            final Histogram h = r.measuredLatency();
            final long p99 = h.getValueAtPercentile(99);
            final SweepRule.Verdict verdict = r.aborted ? SweepRule.Verdict.THROUGHPUT_BELOW_TARGET : rule.judge(target, r.achievedRate(), p99);
            steps.add(String.format(Locale.ROOT, "%.0f:%.0f:%.1f:%.1f:%s", target, r.achievedRate(), p99 / 1e3,
                h.getValueAtPercentile(99.99) / 1e3, verdict));
            out.printf("sweep %,.0f/s: achieved %,.0f/s, p99 %s, p99.99 %s: %s%n", target, r.achievedRate(), LoadRun.formatNs(p99),
                LoadRun.formatNs(h.getValueAtPercentile(99.99)), verdict);
            final String key = "sweep_" + LoadResult.fmt(target) + "_";
            figures.put(key + "achieved_per_s", LoadResult.fmt(r.achievedRate()));
            figures.put(key + "p50_us", LoadResult.us(h.getValueAtPercentile(50)));
            figures.put(key + "p99_us", LoadResult.us(p99));
            figures.put(key + "p99_99_us", LoadResult.us(h.getValueAtPercentile(99.99)));
            figures.put(key + "verdict", verdict.toString());
            figures.put(key + "max_us", LoadResult.us(h.getMaxValue()));
            r.putHiccups(figures, key);
            r.putServerLatency(figures, key);
            if (!verdict.sustained())
            {
                stoppedBy = String.format(Locale.ROOT, "%.0f/s: %s", target, verdict);
                break;
            }
            best = target;
            bestAchieved = r.achievedRate();
            Thread.sleep(2_000);
        }
        figures.put("mode", "sweep");
        figures.put("sweep_rates", String.join(" ", steps));
        figures.put("sweep_max_sustained_per_s", LoadResult.fmt(best));
        figures.put("sweep_max_sustained_achieved_per_s", LoadResult.fmt(bestAchieved));
        figures.put("sweep_stopped_at", stoppedBy);
    }

    private void runSpike(
        final Workload workload, final boolean mixed, final List<ClientRegistry.Client> loadClients, final LoadClients clients, final String tag)
        throws IOException, InterruptedException
    {
        final RateSchedule schedule = RateSchedule.spike(rate, spikeFactor, warmupNs, spikeBaselineNs, spikeNs, spikeAfterNs);
        final LoadResult r = runOnce(workload, mixed, loadClients, clients, schedule, 0, tag, "", histogramLog, timeline);
        figures.put("mode", String.format(Locale.ROOT, "spike %.0f/s, %.0f× for %.0f s", rate, spikeFactor, spikeNs / 1e9));
        for (final LoadRun.PhaseStats p : r.phases)
        {
            if (!p.phase.measured())
            {
                continue;
            }
            final String key = "spike_" + p.phase.name() + "_";
            figures.put(key + "target_per_s", LoadResult.fmt(p.phase.rate()));
            figures.put(key + "achieved_per_s", LoadResult.fmt(p.achievedRate()));
            figures.put(key + "p50_us", LoadResult.us(p.latency.getValueAtPercentile(50)));
            figures.put(key + "p99_us", LoadResult.us(p.latency.getValueAtPercentile(99)));
            figures.put(key + "p99_99_us", LoadResult.us(p.latency.getValueAtPercentile(99.99)));
            figures.put(key + "max_us", LoadResult.us(p.latency.getMaxValue()));
            figures.put(key + "busy", Long.toString(p.busy));
            figures.put(key + "errors", Long.toString(p.rejected));
        }
        final int baseline = indexOf(r, "baseline");
        final int spikePhase = indexOf(r, "spike");
        final int after = indexOf(r, "after");
        final long baselineP50 = r.phases[baseline].latency.getValueAtPercentile(50);
        final long baselineP99 = r.phases[baseline].latency.getValueAtPercentile(99);
        final long medianThreshold = SpikeAnalysis.threshold(baselineP50, recoveryFactor, 50_000);
        final long threshold = SpikeAnalysis.threshold(baselineP99, recoveryFactor, 50_000);
        final long[] p99 = new long[r.windowLatency.length];
        for (int w = 0; w < p99.length; w++)
        {
            p99[w] = r.windowP99(w);
        }
        final int firstAfter = r.windowAt(r.phases[spikePhase].phase.endNs());
        final int end = r.windowAt(r.phases[after].phase.endNs());
        final int span = (int)Math.max(1, (RECOVERY_SPAN_NS + r.windowNs - 1) / r.windowNs);
        final long recovery = SpikeAnalysis.recoveryNs(r.windowLatency, r.windowNs, firstAfter, end, span, medianThreshold, threshold);
        final long strict = SpikeAnalysis.strictRecoveryNs(p99, r.windowNs, firstAfter, end, threshold);
        final int baselineFrom = r.windowAt(r.phases[baseline].phase.startNs());
        final int baselineTo = r.windowAt(r.phases[baseline].phase.endNs());
        final int baselineOver = SpikeAnalysis.windowsOver(p99, baselineFrom, baselineTo, threshold);
        final int baselineUnsettled = SpikeAnalysis.unsettledWindows(r.windowLatency, baselineFrom, baselineTo, span, medianThreshold, threshold);
        out.printf("recovery: %s after the spike (windows of %s by intended send time: every later window's median ≤ %s = max(%.1f × " +
                "baseline p50 %s, + 50µs) and every later %s span's p99 ≤ %s = max(%.1f × baseline p99 %s, + 50µs); " +
                "%d of the baseline phase's %d windows break that rule)%n",
            describeRecovery(recovery), LoadRun.formatNs(r.windowNs), LoadRun.formatNs(medianThreshold), recoveryFactor,
            LoadRun.formatNs(baselineP50), LoadRun.formatNs(span * r.windowNs), LoadRun.formatNs(threshold), recoveryFactor,
            LoadRun.formatNs(baselineP99), baselineUnsettled, baselineTo - baselineFrom);
        out.printf("strict recovery: %s after the spike (every later window's own p99 ≤ %s; %d of the baseline phase's %d windows break that rule)%n",
            describeRecovery(strict), LoadRun.formatNs(threshold), baselineOver, baselineTo - baselineFrom);
        figures.put("spike_recovery_s", seconds(recovery));
        figures.put("spike_recovery_threshold_us", LoadResult.us(threshold));
        figures.put("spike_recovery_median_threshold_us", LoadResult.us(medianThreshold));
        figures.put("spike_recovery_strict_s", seconds(strict));
        figures.put("spike_window_ms", String.format(Locale.ROOT, "%.0f", r.windowNs / 1e6));
        figures.put("spike_recovery_span_ms", String.format(Locale.ROOT, "%.0f", span * r.windowNs / 1e6));
        figures.put("spike_baseline_windows", Integer.toString(baselineTo - baselineFrom));
        figures.put("spike_baseline_windows_unsettled", Integer.toString(baselineUnsettled));
        figures.put("spike_baseline_windows_over_threshold", Integer.toString(baselineOver));
        figures.put("accepted_places", Long.toString(r.acceptedPlaces));
        figures.put("unanswered", Long.toString(r.unanswered));
        figures.put("reject_reasons", r.rejectSummary());
        r.putHiccups(figures, "");
    }

    private static String describeRecovery(final long ns)
    {
        return ns == SpikeAnalysis.NOT_RECOVERED ? "not back to baseline" : String.format(Locale.ROOT, "back to baseline %.2f s", ns / 1e9);
    }

    private static String seconds(final long ns)
    {
        return ns == SpikeAnalysis.NOT_RECOVERED ? "not recovered" : String.format(Locale.ROOT, "%.2f", ns / 1e9);
    }

    private static int indexOf(final LoadResult r, final String name)
    {
        for (int i = 0; i < r.phases.length; i++)
        {
            if (r.phases[i].phase.name().equals(name))
            {
                return i;
            }
        }
        throw new IllegalStateException("no phase " + name);
    }

    /** {@code dir/name.hlog} → {@code dir/name-100000.hlog}. */
    static Path perRate(final Path file, final double rate)
    {
        if (file == null)
        {
            return null;
        }
        final String name = file.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        final String rateText = String.format(Locale.ROOT, "%.0f", rate);
        final String renamed = dot > 0 ? name.substring(0, dot) + "-" + rateText + name.substring(dot) : name + "-" + rateText;
        return file.resolveSibling(renamed);
    }

    private void writeResult() throws IOException
    {
        if (resultFile == null)
        {
            return;
        }
        if (resultFile.getParent() != null)
        {
            Files.createDirectories(resultFile.getParent());
        }
        try (Writer w = Files.newBufferedWriter(resultFile, StandardCharsets.UTF_8))
        {
            for (final Map.Entry<String, String> e : figures.entrySet())
            {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
    }

    /** {@code 30s}, {@code 250ms}, {@code 10m}, {@code 2h}, {@code 500us}; a plain number is seconds. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return parseNs(value);
        }
    }

    public static long parseNs(final String text)
    {
        final String v = text.trim().toLowerCase(Locale.ROOT);
        final String[][] units = {{"ms", "1000000"}, {"us", "1000"}, {"µs", "1000"}, {"ns", "1"}, {"s", "1000000000"}, {"m", "60000000000"},
            {"h", "3600000000000"}};
        for (final String[] unit : units)
        {
            if (v.endsWith(unit[0]))
            {
                final double number = Double.parseDouble(v.substring(0, v.length() - unit[0].length()));
                return (long)(number * Long.parseLong(unit[1]));
            }
        }
        return (long)(Double.parseDouble(v) * 1e9);
    }
}
