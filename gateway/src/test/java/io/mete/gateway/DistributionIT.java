package io.mete.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The release archive ({@code gateway/target/mete-VERSION.tar.gz}) unpacked and used the way an
 * operator would: the launcher, the shipped configuration, the server, a client command, a clean
 * stop and the journal tools, each a process of its own.
 */
class DistributionIT
{
    private static final Pattern LISTEN = Pattern.compile("event=started .*listen=([^ :]+):(\\d+)");

    @Test
    void theUnpackedReleaseServesStopsCleanlyAndVerifiesItsJournal(@TempDir final Path dir) throws Exception
    {
        final String version = System.getProperty("mete.version");
        final Path archive = Path.of(System.getProperty("mete.dist"));
        assertTrue(Files.isRegularFile(archive), "built by the package phase: " + archive);
        assertEquals(0, run(dir, "tar", "xzf", archive.toString(), "-C", dir.toString()).exit);
        final Path home = dir.resolve("mete-" + version);
        final Path mete = home.resolve("bin/mete");
        assertTrue(Files.isExecutable(mete), "bin/mete is executable");
        for (final String file : List.of("lib/mete.jar", "conf/jvm.options", "conf/mete.properties", "conf/mete.service",
            "schema/mete-schema.xml", "PROTOCOL.md", "README.md"))
        {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }

        final Result versionRun = run(dir, mete.toString(), "--version");
        assertEquals(0, versionRun.exit, versionRun.output);
        assertTrue(versionRun.output.contains(version), versionRun.output);

        // the shipped configuration as it is (the well-known clients), on a free port and a data directory of its own
        final Path data = dir.resolve("data");
        final Process server = new ProcessBuilder(mete.toString(), "server", "--config", home.resolve("conf/mete.properties").toString(),
            "--port", "0", "--data", data.toString())
            .redirectErrorStream(true).directory(dir.toFile()).start();
        server.getOutputStream().close();
        final List<String> log = new CopyOnWriteArrayList<>();
        final CompletableFuture<Matcher> started = new CompletableFuture<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line; (line = in.readLine()) != null; )
                {
                    log.add(line);
                    final Matcher listen = LISTEN.matcher(line);
                    if (listen.find())
                    {
                        started.complete(listen);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process ended
            }
            started.completeExceptionally(new AssertionError("the server ended before it started: " + log));
        });
        reader.start();
        try
        {
            final String port = started.get(120, TimeUnit.SECONDS).group(2);
            assertTrue(log.stream().anyMatch(l -> l.contains("event=default-credentials")), "the shipped config warns about the well-known clients");

            final Result defined = run(dir, mete.toString(), "client", "send", "--port", port, "--secret", "mete-admin",
                "{\"type\":\"DefineNode\",\"nodeType\":\"DC\",\"enabled\":\"TRUE\",\"dailyCapacity\":100,\"channels\":[{\"channel\":\"web\"}],\"node\":\"N1\"}");
            assertEquals(0, defined.exit, defined.output);
            final Result stocked = run(dir, mete.toString(), "client", "set-on-hand", "--port", port, "--client-id", "3", "--secret", "mete-inventory",
                "--node", "N1", "--sku", "SKU1", "--quantity", "5");
            assertEquals(0, stocked.exit, stocked.output);
            final Result placed = run(dir, mete.toString(), "client", "place-order", "--port", port, "--client-id", "2", "--secret", "mete-orders",
                "--order", "IT-1", "--line", "SKU1:2", "--json");
            assertEquals(0, placed.exit, placed.output);
            assertTrue(placed.output.contains("\"orderId\":\"IT-1\""), placed.output);
        }
        finally
        {
            // SIGTERM through the handle: Process.destroy() would also close this side of the pipes and lose the last lines
            server.toHandle().destroy();
        }
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the server");
        reader.join(10_000);
        assertEquals(0, server.exitValue(), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("event=stopped")), String.join("\n", log));

        final Result verify = run(dir, mete.toString(), "journal", "verify", data.toString());
        assertEquals(0, verify.exit, verify.output);
        // the three commands sent, and a Tick for each second without commands (the pipeline's idle ticker): each
        // client command starts a JVM, which on a slow machine takes more than a second
        final Matcher commands = Pattern.compile("(?m)^commands: (\\d+)$").matcher(verify.output);
        assertTrue(verify.output.contains("verify: OK") && commands.find() && Integer.parseInt(commands.group(1)) >= 3, verify.output);
    }

    private record Result(int exit, String output)
    {
    }

    private static Result run(final Path dir, final String... command) throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().put("METE_JAVA_OPTS", "-Xmx1g");
        final Process process = builder.start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        return new Result(process.exitValue(), output);
    }
}
