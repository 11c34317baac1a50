package io.mete.gateway;

import io.mete.gateway.cli.MeteCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code mete server} in a child JVM (same classpath and JVM flags as the tests), for kill and restart tests. */
final class ServerProcess implements AutoCloseable
{
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread reader;

    ServerProcess(final Path config) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access") || argument.startsWith("-Dchronicle") ||
                argument.startsWith("-Ddisable") || argument.startsWith("--sun-misc"))
            {
                command.add(argument);
            }
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MeteCommand.class.getName());
        command.add("server");
        command.add("--config");
        command.add(config.toString());
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                    if (line.contains("event=started"))
                    {
                        started.countDown();
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process is gone
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!started.await(100, TimeUnit.MILLISECONDS))
        {
            if (!process.isAlive())
            {
                reader.join(10_000);
                throw new IllegalStateException("server exited with " + process.exitValue() + " before it started: " + lines);
            }
            if (System.nanoTime() > deadline)
            {
                process.destroyForcibly();
                throw new IllegalStateException("server did not start: " + lines);
            }
        }
    }

    String line(final String event)
    {
        return lines.stream().filter(l -> l.contains("event=" + event)).findFirst().orElse(null);
    }

    /** SIGHUP: the server reads its config file again. */
    void hangUp() throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0)
        {
            throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
        }
    }

    /** Whether the server has logged the event so far. */
    boolean logged(final String event)
    {
        return lines.stream().anyMatch(l -> isEvent(l, event));
    }

    private static boolean isEvent(final String line, final String event)
    {
        return line.contains("event=" + event + " ");
    }

    /** Waits up to 30 s for the n-th (from 1) log line of an event. */
    String await(final String event, final int n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            final List<String> found = lines.stream().filter(l -> isEvent(l, event)).toList();
            if (found.size() >= n)
            {
                return found.get(n - 1);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no event=" + event + " #" + n + " in " + lines);
    }

    /** SIGKILL: no shutdown hook, no snapshot, no drain. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit status. */
    int terminate() throws InterruptedException
    {
        // Process.destroy() would also close our end of its output, losing the shutdown log lines
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        reader.join(10_000);
        return process.exitValue();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }
}
