package io.mete.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;

/**
 * The server's own view of request latency, from its metrics endpoint ({@code GET /latency}: the
 * histogram since the server started, in microseconds). Taken when the measured phase starts and
 * again when the last answer is in, the difference is what the server saw of the measured requests:
 * from reading each request to its answer leaving the engine. Set beside the load generator's
 * end-to-end figures, it tells the server's share of a percentile from the sockets', the
 * scheduler's and the generator's. The engine's share ({@code ?stage=engine}: the input ring, the
 * command journal and the business logic) splits the server's part once more.
 */
final class ServerLatency
{
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final URI engineUri;

    /** @param hostPort the server's metricsHost:metricsPort */
    ServerLatency(final String hostPort)
    {
        uri = URI.create("http://" + hostPort + "/latency");
        engineUri = URI.create("http://" + hostPort + "/latency?stage=engine");
    }

    /** The server's whole-run latency histogram (microseconds). */
    Histogram fetch() throws IOException, InterruptedException
    {
        return fetch(uri);
    }

    /** The engine's share since the server started: offer until the engine applied the request. */
    Histogram fetchEngine() throws IOException, InterruptedException
    {
        return fetch(engineUri);
    }

    private Histogram fetch(final URI uri) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200)
        {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        try
        {
            final byte[] bytes = Base64.getDecoder().decode(response.body().trim());
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        }
        catch (final java.util.zip.DataFormatException | IllegalArgumentException ex)
        {
            throw new IOException(uri + " sent no histogram: " + ex.getMessage(), ex);
        }
    }

    /** What {@code later} holds beyond {@code earlier}. */
    static Histogram between(final Histogram earlier, final Histogram later)
    {
        final Histogram window = later.copy();
        window.subtract(earlier);
        return window;
    }

    @Override
    public String toString()
    {
        return uri.toString();
    }
}
