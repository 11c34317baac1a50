package io.mete.gateway;

import io.mete.gateway.cpu.CpuAffinity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code engineCpu} in a real server process: the engine thread alone on its CPU, every other thread off it. */
class EngineCpuTest
{
    @Test
    void theEngineThreadGetsItsCpuAndNoOtherThreadRunsThere(@TempDir final Path dir) throws Exception
    {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        final BitSet allowed = CpuAffinity.allowed();
        assumeTrue(allowed.cardinality() >= 2, "needs two CPUs");
        final int cpu = allowed.length() - 1;
        final BitSet others = (BitSet)allowed.clone();
        others.clear(cpu);
        final Path config = writeConfig(dir, "engineCpu=" + cpu);
        try (ServerProcess server = new ServerProcess(config))
        {
            assertTrue(server.line("started").contains("engine-cpu=" + cpu), server.line("started"));
            assertNotNull(server.line("cpu-isolation"), server.lines.toString());
            final Map<String, String> masks = threadMasks(server.process.pid());
            assertEquals(Integer.toString(cpu), masks.get("mete-engine"), masks.toString());
            assertEquals(CpuAffinity.format(others), masks.get("mete-gateway"), masks.toString());
            assertEquals(CpuAffinity.format(others), masks.get("mete-output"), masks.toString());
            // the JIT compilers and the collector's stop-the-world workers may use every CPU
            final long onEngineCpu = masks.entrySet().stream()
                .filter(e -> !e.getKey().equals("mete-engine") && !e.getKey().startsWith("C1 CompilerThre") &&
                    !e.getKey().startsWith("C2 CompilerThre") && !e.getKey().startsWith("GC Thread#"))
                .filter(e -> CpuAffinity.parse(e.getValue()).get(cpu)).count();
            assertEquals(0, onEngineCpu, "threads allowed on the engine's CPU: " + masks);
            assertEquals(CpuAffinity.format(allowed), masks.entrySet().stream().filter(e -> e.getKey().startsWith("C2 CompilerThre"))
                .map(Map.Entry::getValue).findFirst().orElseThrow(), masks.toString());
            assertEquals(0, server.terminate());
        }
    }

    @Test
    void aCpuTheServerCannotUseStopsItAtStartWithTheReason(@TempDir final Path dir) throws Exception
    {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        final int outside = CpuAffinity.allowed().length();
        final Path config = writeConfig(dir, "engineCpu=" + outside);
        final IllegalStateException failed = assertThrows(IllegalStateException.class, () -> new ServerProcess(config).close());
        assertTrue(failed.getMessage().contains("CPU " + outside + " is not one this process may run on"), failed.getMessage());
    }

    private static Path writeConfig(final Path dir, final String extra) throws IOException
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final Path config = dir.resolve("mete.properties");
        Files.writeString(config, "host=127.0.0.1\nport=" + port + "\ndata=" + dir.resolve("data") + "\nexpectedOrders=65536\n" +
            "client.1.secret=secret-1\nclient.1.role=ADMIN\n" + extra + "\n");
        return config;
    }

    /** Thread name to its Cpus_allowed_list, for every thread of the process (the last of equal names wins). */
    private static Map<String, String> threadMasks(final long pid) throws IOException
    {
        final Map<String, String> masks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm")).trim();
                    final String mask = Files.readAllLines(task.resolve("status")).stream()
                        .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                        .substring("Cpus_allowed_list:".length()).trim();
                    masks.put(name + (masks.containsKey(name) ? "#" + task.getFileName() : ""), mask);
                }
                catch (final IOException ended)
                {
                    // the thread ended while we listed
                }
            }
        }
        return masks;
    }
}
