package io.mete.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The "Where the latency is" section of {@code summary.md}: for each load step whose result has the
 * server's own figures ({@code ./mete load --server-metrics}), its end-to-end percentiles beside
 * the server's for the same requests. What the server does not account for is the answer's socket
 * write, both TCP stacks and the load generator's own threads, the OS scheduler's delays for all of
 * them included. Results written without the figures are left out, and the section with them when
 * none has any.
 */
final class ServerShare
{
    private ServerShare()
    {
    }

    private record Row(String label, Properties figures, String prefix)
    {
        String get(final String name)
        {
            return figures.getProperty(prefix + name, "?");
        }
    }

    /** The section, or an empty string when no result has the server's figures. */
    static String section(final Path raw) throws IOException
    {
        final List<Row> rows = new ArrayList<>();
        final Properties sweep = PerfReport.properties(raw.resolve("sweep.properties"));
        for (final String rate : Summary.sweepRates(sweep))
        {
            add(rows, String.format(Locale.ROOT, "sweep %,.0f/s", Summary.parse(rate)), sweep, "sweep_" + rate + "_");
        }
        add(rows, "closed-loop maximum", PerfReport.properties(raw.resolve("max.properties")), "");
        add(rows, "fixed 100,000/s", PerfReport.properties(raw.resolve("fixed-100000.properties")), "");
        add(rows, "mixed traffic", PerfReport.properties(raw.resolve("mixed.properties")), "");
        for (final String variant : new String[] {"scale", "wide", "hot-sku"})
        {
            add(rows, variant, PerfReport.properties(raw.resolve("variant-" + variant + ".properties")), "");
        }
        // the ten-minute step may come from an earlier run (run-all.sh SKIP_LONG=1, --long-only): say which
        final String runCommit = PerfReport.properties(raw.resolve("machine.properties")).getProperty("commit", "");
        final String longCommit = PerfReport.properties(raw.resolve("long-machine.properties")).getProperty("commit", "");
        add(rows, "10 minutes at 100,000/s" + (longCommit.isEmpty() || longCommit.equals(runCommit) ? "" : " (at " + longCommit + ")"),
            PerfReport.properties(raw.resolve("long-100000.properties")), "");
        if (rows.isEmpty())
        {
            return "";
        }
        final StringBuilder md = new StringBuilder("\n## Where the latency is: the server's share\n\n");
        md.append("The load generator measures each request from its intended send time to its answer (end to end). The server ")
            .append("measures the same requests from reading each off its socket to the engine's answer reaching the gateway thread ")
            .append("again: input ring, command journal, business logic, output stage with the event journal (`mete_request_latency_seconds`; ")
            .append("the load generator takes `GET /latency` when the measured phase starts and after the last answer, and ")
            .append("subtracts). The difference is the answer's socket write, both TCP stacks on loopback, and the load generator's ")
            .append("threads, each including the time the OS scheduler kept it waiting for one of the two cores. The engine's part ")
            .append("(`mete_engine_latency_seconds`) runs from the gateway offering the request to the ring until the engine has applied it ")
            .append("and handed its answer on (input ring, command journal, business logic; read every 16 requests); the rest of the ")
            .append("server's is the output stage ")
            .append("(event journal) and the hand-back to the gateway thread.\n\n");
        md.append("| run | p50 µs: end to end / server / engine | p99 µs: end to end / server / engine | ")
            .append("p99.99 µs: end to end / server / engine | max µs: end to end / server / engine |\n|---|---:|---:|---:|---:|\n");
        for (final Row r : rows)
        {
            md.append(String.format(Locale.ROOT, "| %s | %s / %s / %s | %s / %s / %s | %s / %s / %s | %s / %s / %s |%n", r.label(),
                r.get("p50_us"), r.get("server_p50_us"), r.get("engine_p50_us"),
                r.get("p99_us"), r.get("server_p99_us"), r.get("engine_p99_us"),
                r.get("p99_99_us"), r.get("server_p99_99_us"), r.get("engine_p99_99_us"),
                r.get("max_us"), r.get("server_max_us"), r.get("engine_max_us")));
        }
        return md.toString();
    }

    private static void add(final List<Row> rows, final String label, final Properties figures, final String prefix)
    {
        if (figures.getProperty(prefix + "server_p50_us") != null)
        {
            rows.add(new Row(label, figures, prefix));
        }
    }
}
