package io.mete.benchmarks.report;

import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.SourcingStrategy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JMH JSON result file (and optionally the PositionMemory JSON) into a markdown report:
 * a header with the machine (CPU model and cores from /proc/cpuinfo, memory), the JDK and JVM flags
 * the forks ran with, the date and the command, then one row per benchmark and parameter set with
 * score, error, units, derived ops/s and the allocation figures.
 * <p>
 * Usage: {@code JmhReport --jmh FILE --out FILE [--memory FILE] [--title TEXT] [--date TEXT]
 * [--command TEXT] [--note TEXT]...}. The machine facts are read where the tool runs, so run it
 * on the machine that produced the JSON (perf-reports/run-core.sh does).
 */
public final class JmhReport
{
    private static final String PACKAGE = "io.mete.benchmarks.";
    private static final String STEADY = "allocSteadyBytesPerOp";
    private static final String GC_NORM = "gc.alloc.rate.norm";

    private JmhReport()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        Path jmh = null;
        Path out = null;
        Path memory = null;
        String title = "Mete core benchmarks";
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String command = null;
        final List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--jmh": jmh = Path.of(args[++i]); break;
                case "--out": out = Path.of(args[++i]); break;
                case "--memory": memory = Path.of(args[++i]); break;
                case "--title": title = args[++i]; break;
                case "--date": date = args[++i]; break;
                case "--command": command = args[++i]; break;
                case "--note": notes.add(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (jmh == null || out == null)
        {
            System.err.println("usage: JmhReport --jmh FILE --out FILE [--memory FILE] [--title TEXT] [--date TEXT] [--command TEXT] [--note TEXT]...");
            System.exit(2);
        }
        final List<Object> results = asList(Json.parse(Files.readString(jmh, StandardCharsets.UTF_8)));
        final Map<String, Object> memoryResult = memory != null && Files.exists(memory) ?
            asMap(Json.parse(Files.readString(memory, StandardCharsets.UTF_8))) : null;
        final String markdown = render(results, memoryResult, new Context(title, date, command, notes, jmh.toString(),
            memory == null ? null : memory.toString(), Machine.read()));
        if (out.getParent() != null)
        {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, markdown, StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + results.size() + " results)");
    }

    /** What the report says besides the results. */
    record Context(String title, String date, String command, List<String> notes, String jmhFile, String memoryFile, Machine machine)
    {
    }

    /** The machine the tool runs on. */
    record Machine(String cpu, int cores, String memory, String os)
    {
        static Machine read()
        {
            String cpu = System.getProperty("os.arch");
            String memory = "unknown";
            try
            {
                for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                {
                    if (line.startsWith("model name"))
                    {
                        cpu = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
                for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
                {
                    if (line.startsWith("MemTotal:"))
                    {
                        final long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        memory = String.format(Locale.ROOT, "%.1f GiB", kb / 1048576.0);
                        break;
                    }
                }
            }
            catch (final IOException | RuntimeException ignored)
            {
                // not Linux: keep what the JVM knows
            }
            return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        }
    }

    /**
     * The position memory measurement ({@code PositionMemory}'s JSON): the position table's footprint
     * and the stock commands' heap, both held to the target per 1,000,000 positions.
     */
    record PositionMemory(double positions, double footprintBytes, double stockHeapBytes, double targetBytes)
    {
        static PositionMemory of(final Map<String, Object> json)
        {
            return new PositionMemory(num(json.get("positions")), num(json.get("footprintBytes")), num(json.get("stockHeapBytes")),
                num(json.get("targetBytes")));
        }

        static PositionMemory read(final Path file) throws IOException
        {
            return of(asMap(Json.parse(Files.readString(file, StandardCharsets.UTF_8))));
        }

        double perMillion(final double bytes)
        {
            return bytes / positions * 1_000_000;
        }

        boolean met()
        {
            return perMillion(Math.max(footprintBytes, stockHeapBytes)) <= targetBytes;
        }
    }

    static String render(final List<Object> results, final Map<String, Object> memory, final Context context)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# ").append(context.title()).append("\n\n");
        md.append("_Generated by `io.mete.benchmarks.report.JmhReport` from `").append(context.jmhFile()).append('`');
        if (context.memoryFile() != null && memory != null)
        {
            md.append(" and `").append(context.memoryFile()).append('`');
        }
        md.append(" on ").append(context.date()).append(". Regenerate it; do not edit it by hand._\n\n");
        for (final String note : context.notes())
        {
            md.append("> **").append(note).append("**\n>\n");
        }
        if (!context.notes().isEmpty())
        {
            md.setLength(md.length() - 2);
            md.append('\n');
        }

        final Map<String, Object> first = results.isEmpty() ? Map.of() : asMap(results.get(0));
        md.append("## Machine and JVM\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "CPU", context.machine().cpu() + " (" + context.machine().cores() + " cores available to the JVM)");
        row(md, "Memory", context.machine().memory());
        row(md, "OS", context.machine().os());
        row(md, "JDK", str(first.get("jdkVersion")) + ", " + str(first.get("vmName")) + " " + str(first.get("vmVersion")));
        row(md, "JMH", str(first.get("jmhVersion")));
        row(md, "JVM flags (every fork)", code(String.join(" ", commonJvmArgs(results))));
        for (final Map.Entry<String, Set<String>> extra : extraJvmArgs(results).entrySet())
        {
            row(md, "+ " + extra.getKey(), code(String.join(" ", extra.getValue())));
        }
        row(md, "Threads", "1 (every benchmark runs on one thread)");
        row(md, "Date", context.date());
        if (context.command() != null)
        {
            row(md, "Command", code(context.command()));
        }
        md.append('\n');

        md.append("## Results\n\n");
        md.append("| benchmark | params | mode | forks × iterations | score | ± error (99.9%) | units | ops/s | gc.alloc.rate.norm B/op | steady B/op | outcome |\n");
        md.append("|---|---|---|---|---:|---:|---|---:|---:|---:|---|\n");
        for (final Object item : results)
        {
            final Map<String, Object> r = asMap(item);
            final Map<String, Object> primary = asMap(r.get("primaryMetric"));
            final Map<String, Object> secondary = secondaryMetrics(r);
            final String unit = str(primary.get("scoreUnit"));
            final double score = num(primary.get("score"));
            md.append("| ").append(str(r.get("benchmark")).replace(PACKAGE, ""))
                .append(" | ").append(params(r))
                .append(" | ").append(str(r.get("mode")))
                .append(" | ").append(iterations(r))
                .append(" | ").append(formatScore(score))
                .append(" | ").append(formatScore(num(primary.get("scoreError"))))
                .append(" | ").append(unit)
                .append(" | ").append(opsPerSecond(score, unit))
                .append(" | ").append(secondary.containsKey(GC_NORM) ? formatBytes(num(asMap(secondary.get(GC_NORM)).get("score"))) : "—")
                .append(" | ").append(secondary.containsKey(STEADY) ? formatBytes(counterMean(asMap(secondary.get(STEADY)))) :
                    secondary.containsKey(GC_NORM) ? "= gc" : "—")
                .append(" | ").append(counters(secondary))
                .append(" |\n");
        }
        md.append('\n');
        md.append("""
            - **score**: mean over all measured iterations of all forks; **error**: JMH's 99.9% confidence half-interval
              (n/a with too few iterations). `avgt` is time per operation over time-bounded iterations; `ss` is one timed
              invocation per iteration applying a fixed batch of 100,000 commands, divided by the batch size. **ops/s** = 10⁹ / ns per op.
            - **gc.alloc.rate.norm** (`-prof gc`) counts every byte allocated during an iteration, setup included, per
              operation. **steady B/op** (`allocSteadyBytesPerOp`) counts only what the benchmark thread allocated between
              the end of the iteration's setup and its teardown, per operation: the hot path's allocation (mean of the
              iterations; a non-zero mean usually comes from one iteration, see the raw JSON). Benchmarks that
              build a fresh engine every iteration (PlaceOrderBenchmark, OrderLifecycleBenchmark) have a large
              gc.alloc.rate.norm from that setup; for the others the two are the same (`= gc`).
            - Workload (WORKLOAD.md): `reference` = 100 nodes, 10,000 SKUs each at 20 nodes with 1,000,000 on hand,
              3-line orders of 1 unit, channel `web`, standard service. `nodes-N`, `lines-N` and `skus-N` change one dimension;
              `hot-sku`: 10% of lines hit 10 SKUs with 50 units per position (backorders); `scale`: 1,000 nodes,
              100,000 SKUs. `strategy`: COST (cost-minimising sourcing) or FIRST_FIT (the peers' simple rule).
              Every command's events (CommandAccepted, OrderAllocated per shipment, AvailabilityChanged per position
              change, …) go to a counting sink that reads each event and allocates nothing.
            - Each PlaceOrder iteration is checked on teardown: no command rejected and reserved + backordered units =
              lines × orders; cancel and ship iterations check that every command was accepted. **outcome** lists the
              benchmark's own counters: shipments and backordered units per order placed.
            """);
        md.append('\n');

        if (memory != null)
        {
            final PositionMemory measured = PositionMemory.of(memory);
            final double positions = measured.positions();
            final double footprint = measured.footprintBytes();
            final double stock = measured.stockHeapBytes();
            final double engine = num(memory.get("engineHeapBytes"));
            final double target = measured.targetBytes();
            md.append("## Memory: stock positions\n\n");
            md.append(String.format(Locale.ROOT, "%,.0f positions (%,.0f nodes × %,.0f SKUs × %,.0f nodes per SKU), loaded through SetOnHand "
                    + "commands into an engine sized for them (`PositionMemory`, %s, max heap %,.0f MiB).%n%n",
                positions, num(memory.get("nodes")), num(memory.get("skus")), num(memory.get("nodesPerSku")), str(memory.get("jvm")),
                num(memory.get("maxHeapBytes")) / 1048576.0));
            md.append("| measure | bytes | MiB | bytes / position |\n|---|---:|---:|---:|\n");
            memoryRow(md, "`PositionTable.footprintBytes()`", footprint, positions);
            memoryRow(md, "heap used after GC: stock commands (positions, SKU codes, per-SKU rows)", stock, positions);
            memoryRow(md, "heap used after GC: whole engine (network + stock, 16-order book)", engine, positions);
            if (memory.get("engineDirectBytes") != null)
            {
                memoryRow(md, "direct memory: whole engine (the order book's first pages, off the heap)", num(memory.get("engineDirectBytes")), positions);
            }
            memoryRow(md, "target (per 1,000,000 positions)", target, 1_000_000);
            md.append(String.format(Locale.ROOT, "%nTarget ≤ %.0f MiB per 1,000,000 positions: **%s**.%n%n", target / 1048576.0,
                measured.met() ? "met" : "not met"));
        }

        md.append("## Reference node locations\n\n");
        md.append("<details><summary>100 nodes, seeded (ReferenceNetwork.location); every tenth node (id % 10 = 9) is a store</summary>\n\n");
        md.append("| node | latitude | longitude | type |\n|---|---:|---:|---|\n");
        final Workload reference = Workload.reference(SourcingStrategy.COST);
        for (int node = 0; node < reference.nodes(); node++)
        {
            final double[] at = ReferenceNetwork.location(reference, node);
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %s |%n", reference.nodeCode(node), at[0], at[1],
                node % 10 == 9 ? "STORE" : "DC"));
        }
        md.append("\n</details>\n");
        return md.toString();
    }

    private static void memoryRow(final StringBuilder md, final String label, final double bytes, final double positions)
    {
        md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f |%n", label, bytes, bytes / 1048576.0, bytes / positions));
    }

    private static void row(final StringBuilder md, final String key, final String value)
    {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String code(final String text)
    {
        return text.isEmpty() ? "(none)" : "`" + text + "`";
    }

    static List<String> commonJvmArgs(final List<Object> results)
    {
        List<String> common = null;
        for (final Object item : results)
        {
            final List<String> args = jvmArgs(asMap(item));
            if (common == null)
            {
                common = new ArrayList<>(args);
            }
            else
            {
                common.retainAll(args);
            }
        }
        return common == null ? List.of() : common;
    }

    /** JVM arguments beyond the common ones, per benchmark class (the heap, set with @Fork). */
    static Map<String, Set<String>> extraJvmArgs(final List<Object> results)
    {
        final List<String> common = commonJvmArgs(results);
        final Map<String, Set<String>> extra = new LinkedHashMap<>();
        for (final Object item : results)
        {
            final Map<String, Object> r = asMap(item);
            final String benchmark = str(r.get("benchmark")).replace(PACKAGE, "");
            final String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
            for (final String arg : jvmArgs(r))
            {
                if (!common.contains(arg))
                {
                    extra.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(arg);
                }
            }
        }
        return extra;
    }

    private static List<String> jvmArgs(final Map<String, Object> result)
    {
        final List<String> args = new ArrayList<>();
        final Object value = result.get("jvmArgs");
        if (value instanceof List<?> list)
        {
            for (final Object arg : list)
            {
                args.add(str(arg));
            }
        }
        return args;
    }

    private static Map<String, Object> secondaryMetrics(final Map<String, Object> result)
    {
        final Map<String, Object> metrics = new LinkedHashMap<>();
        final Object value = result.get("secondaryMetrics");
        if (value instanceof Map<?, ?> map)
        {
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                // JMH prefixes profiler metrics with a middle dot
                metrics.put(str(e.getKey()).replace("\u00b7", ""), e.getValue());
            }
        }
        return metrics;
    }

    /** Secondary metrics other than the profiler's and the steady allocation: the benchmarks' own counters. */
    private static String counters(final Map<String, Object> secondary)
    {
        final List<String> parts = new ArrayList<>();
        for (final Map.Entry<String, Object> e : secondary.entrySet())
        {
            if (!e.getKey().startsWith("gc.") && !e.getKey().equals(STEADY))
            {
                parts.add(e.getKey() + " " + formatScore(counterMean(asMap(e.getValue()))));
            }
        }
        return String.join(", ", parts);
    }

    /**
     * Mean per iteration of a counter the benchmark reports through {@code @AuxCounters(EVENTS)}: JMH's
     * score for those is the sum over iterations, so average the raw per-iteration values instead.
     */
    static double counterMean(final Map<String, Object> metric)
    {
        final Object raw = metric.get("rawData");
        if (raw instanceof List<?> forks)
        {
            double sum = 0;
            int n = 0;
            for (final Object fork : forks)
            {
                if (fork instanceof List<?> iterations)
                {
                    for (final Object value : iterations)
                    {
                        sum += num(value);
                        n++;
                    }
                }
            }
            if (n > 0)
            {
                return sum / n;
            }
        }
        return num(metric.get("score"));
    }

    private static String params(final Map<String, Object> result)
    {
        final Object value = result.get("params");
        if (!(value instanceof Map<?, ?> map) || map.isEmpty())
        {
            return "";
        }
        final List<String> parts = new ArrayList<>();
        for (final Map.Entry<?, ?> e : map.entrySet())
        {
            parts.add(e.getKey() + "=" + e.getValue());
        }
        return String.join(", ", parts);
    }

    private static String iterations(final Map<String, Object> result)
    {
        final String mode = str(result.get("mode"));
        final int forks = (int)num(result.get("forks"));
        final int warmup = (int)num(result.get("warmupIterations"));
        final int measured = (int)num(result.get("measurementIterations"));
        if ("ss".equals(mode))
        {
            return String.format(Locale.ROOT, "%d × (%d + %d)", forks, warmup, measured);
        }
        return String.format(Locale.ROOT, "%d × (%d×%s + %d×%s)", forks, warmup, str(result.get("warmupTime")).replace(" ", ""),
            measured, str(result.get("measurementTime")).replace(" ", ""));
    }

    static String opsPerSecond(final double score, final String unit)
    {
        final double perSecond;
        switch (unit)
        {
            case "ns/op": perSecond = 1e9 / score; break;
            case "us/op": perSecond = 1e6 / score; break;
            case "ms/op": perSecond = 1e3 / score; break;
            case "s/op": perSecond = 1 / score; break;
            case "ops/s": perSecond = score; break;
            case "ops/ms": perSecond = score * 1e3; break;
            case "ops/us": perSecond = score * 1e6; break;
            case "ops/ns": perSecond = score * 1e9; break;
            default: return "—";
        }
        if (Double.isNaN(perSecond) || Double.isInfinite(perSecond))
        {
            return "—";
        }
        if (perSecond >= 1e6)
        {
            return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
        }
        if (perSecond >= 1e3)
        {
            return String.format(Locale.ROOT, "%.1f k", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String formatScore(final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return "n/a";
        }
        final double magnitude = Math.abs(value);
        if (magnitude >= 100)
        {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String formatBytes(final double value)
    {
        if (Double.isNaN(value))
        {
            return "n/a";
        }
        if (Math.abs(value) < 0.01)
        {
            return "≈ 0";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(final Object value)
    {
        return value instanceof Map ? (Map<String, Object>)value : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(final Object value)
    {
        if (!(value instanceof List))
        {
            throw new IllegalArgumentException("not a JMH result file: expected a JSON array");
        }
        return (List<Object>)value;
    }

    private static String str(final Object value)
    {
        if (value == null)
        {
            return "";
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15)
        {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    /** JMH writes NaN and infinities as strings. */
    private static double num(final Object value)
    {
        if (value instanceof Double d)
        {
            return d;
        }
        if (value instanceof String s)
        {
            try
            {
                return Double.parseDouble(s);
            }
            catch (final NumberFormatException e)
            {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
