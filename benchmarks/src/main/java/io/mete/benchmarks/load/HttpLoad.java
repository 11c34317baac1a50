package io.mete.benchmarks.load;

import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.Workload;
import io.mete.journal.cli.MessageJson;
import io.mete.schema.SourcingStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load on the HTTP/JSON API: each connection POSTs the reference workload's orders (the
 * load generator's own, as the JSON {@code journal inspect --json} prints) one after another and
 * waits for each answer. Orders per second and latency per request; the network must be loaded first
 * ({@code mete load --setup}).
 */
@Command(name = "http-load", mixinStandardHelpOptions = true,
    description = "Closed-loop PlaceOrder requests over the HTTP/JSON API; prints orders/s and latency percentiles.")
public final class HttpLoad implements Callable<Integer>
{
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the server's HTTP API (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--client-id", defaultValue = "2", description = "an ORDERS client (default: ${DEFAULT-VALUE})")
    int clientId;

    @Option(names = "--secret", defaultValue = "mete-orders", description = "its secret (default: ${DEFAULT-VALUE})")
    String secret;

    @Option(names = "--connections", defaultValue = "4", description = "requests in flight, one per connection (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--duration", defaultValue = "20", description = "seconds measured, after the warm-up (default: ${DEFAULT-VALUE})")
    int duration;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds of requests before measuring (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--workload", defaultValue = "reference", description = "reference, scale, wide or hot-sku (default: ${DEFAULT-VALUE})")
    String workload;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new HttpLoad()).execute(args));
    }

    /** What a run measured: every request after the warm-up, its latency, and those not answered 200. */
    record Result(Histogram latency, long notOk)
    {
    }

    @Override
    public Integer call() throws Exception
    {
        final Result result = run();
        final Histogram all = result.latency();
        System.out.printf("workload: %s, connections: %d, duration_s: %d, requests: %d, requests_per_s: %.0f, not_200: %d, " +
                "p50_us: %.1f, p90_us: %.1f, p99_us: %.1f, p99_9_us: %.1f, max_us: %.1f%n",
            workload, connections, duration, all.getTotalCount(), all.getTotalCount() / (double)duration, result.notOk(),
            all.getValueAtPercentile(50) / 1e3, all.getValueAtPercentile(90) / 1e3, all.getValueAtPercentile(99) / 1e3,
            all.getValueAtPercentile(99.9) / 1e3, all.getMaxValue() / 1e3);
        return result.notOk() == 0 ? 0 : 1;
    }

    Result run() throws InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        final String authorization = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        final URI messages = URI.create(url + "/v1/messages");
        final long start = System.nanoTime();
        final long measureFrom = start + warmup * 1_000_000_000L;
        final long end = measureFrom + duration * 1_000_000_000L;
        final AtomicLong failures = new AtomicLong();
        final List<Histogram> latencies = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final String prefix = "H" + Long.toString(System.currentTimeMillis(), 36) + "-";
        for (int c = 0; c < connections; c++)
        {
            final Histogram latency = new Histogram(60_000_000_000L, 3);
            latencies.add(latency);
            final OrderGenerator orders = new OrderGenerator(Workload.named(workload, SourcingStrategy.COST), 1 << 14, prefix + c + "-");
            final MessageJson json = new MessageJson();
            final Thread thread = new Thread(() ->
            {
                long now;
                while ((now = System.nanoTime()) < end)
                {
                    orders.next();
                    final String body = json.toJson(orders.buffer(), orders.offset(), orders.length());
                    final HttpRequest request = HttpRequest.newBuilder(messages).header("Authorization", authorization)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    boolean ok;
                    try
                    {
                        ok = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    }
                    catch (final Exception ex)
                    {
                        ok = false;
                    }
                    final long done = System.nanoTime();
                    if (now >= measureFrom)
                    {
                        latency.recordValue(done - now);
                        if (!ok)
                        {
                            failures.incrementAndGet();
                        }
                    }
                }
            }, "http-load-" + c);
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final Histogram all = new Histogram(60_000_000_000L, 3);
        latencies.forEach(all::add);
        return new Result(all, failures.get());
    }
}
