package io.mete.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhReportTest
{
    private static final String RESULTS = """
        [
            {
                "jmhVersion" : "1.37",
                "benchmark" : "io.mete.benchmarks.core.PlaceOrderBenchmark.placeOrder",
                "mode" : "avgt",
                "threads" : 1,
                "forks" : 2,
                "jvmArgs" : [ "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Xms6g", "-Xmx6g" ],
                "jdkVersion" : "17.0.15",
                "vmName" : "OpenJDK 64-Bit Server VM",
                "vmVersion" : "17.0.15+6",
                "warmupIterations" : 5,
                "warmupTime" : "2 s",
                "measurementIterations" : 5,
                "measurementTime" : "2 s",
                "params" : { "strategy" : "COST", "variant" : "reference" },
                "primaryMetric" : { "score" : 1234.5678, "scoreError" : 12.5, "scoreUnit" : "ns/op", "rawData" : [ [ 1.0, 2.0 ] ] },
                "secondaryMetrics" : {
                    "allocSteadyBytesPerOp" : { "score" : 0.0012, "scoreError" : "NaN", "scoreUnit" : "#" },
                    "shipmentsPerOrder" : { "score" : 3.77, "scoreError" : "NaN", "scoreUnit" : "#", "rawData" : [ [ 1.88, 1.90 ] ] },
                    "\\u00b7gc.alloc.rate.norm" : { "score" : 512.25, "scoreError" : 3.0, "scoreUnit" : "B/op" }
                }
            },
            {
                "jmhVersion" : "1.37",
                "benchmark" : "io.mete.benchmarks.core.InventoryBenchmark.tick",
                "mode" : "avgt",
                "forks" : 1,
                "jvmArgs" : [ "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Xmx2g" ],
                "warmupIterations" : 2,
                "warmupTime" : "1 s",
                "measurementIterations" : 3,
                "measurementTime" : "1 s",
                "primaryMetric" : { "score" : 25.0, "scoreError" : "NaN", "scoreUnit" : "ns/op" },
                "secondaryMetrics" : { "\\u00b7gc.alloc.rate.norm" : { "score" : 0.0001, "scoreUnit" : "B/op" } }
            }
        ]
        """;

    @Test
    void parsesJmhJson()
    {
        final Object parsed = Json.parse(RESULTS);
        assertTrue(parsed instanceof List<?>);
        @SuppressWarnings("unchecked")
        final Map<String, Object> first = (Map<String, Object>)((List<?>)parsed).get(0);
        assertEquals("1.37", first.get("jmhVersion"));
        assertEquals(2.0, first.get("forks"));
        assertTrue(((Map<?, ?>)first.get("secondaryMetrics")).containsKey("\u00b7gc.alloc.rate.norm"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
    }

    @Test
    void rendersOneRowPerResultWithAllocationColumns()
    {
        @SuppressWarnings("unchecked")
        final List<Object> results = (List<Object>)Json.parse(RESULTS);
        final String md = JmhReport.render(results, Map.of("positions", 1e6, "footprintBytes", 25.4e6, "stockHeapBytes", 24.8e6,
                "engineHeapBytes", 29.3e6, "targetBytes", 33554432.0, "nodes", 1000.0, "skus", 50000.0, "nodesPerSku", 20.0),
            new JmhReport.Context("Title", "2026-11-22", "perf-reports/run-core.sh", List.of("QUICK RUN"), "raw.json", "memory.json",
                new JmhReport.Machine("Test CPU", 2, "1 GiB", "Linux")));
        assertTrue(md.contains("> **QUICK RUN**"), md);
        assertTrue(md.contains("| CPU | Test CPU (2 cores available to the JVM) |"), md);
        assertTrue(md.contains("| JVM flags (every fork) | `--add-opens=java.base/java.lang=ALL-UNNAMED` |"), md);
        assertTrue(md.contains("| + core.PlaceOrderBenchmark | `-Xms6g -Xmx6g` |"), md);
        assertTrue(md.contains("| core.PlaceOrderBenchmark.placeOrder | strategy=COST, variant=reference | avgt | 2 × (5×2s + 5×2s) | 1,235 | 12.5 | ns/op | 810.0 k | 512 | ≈ 0 | shipmentsPerOrder 1.89 |"), md);
        assertTrue(md.contains("| core.InventoryBenchmark.tick |  | avgt | 1 × (2×1s + 3×1s) | 25.0 | n/a | ns/op | 40.00 M | ≈ 0 | = gc |  |"), md);
        assertTrue(md.contains("Target ≤ 32 MiB per 1,000,000 positions: **met**"), md);
        assertTrue(md.contains("| N099 |"), md);
    }

    @Test
    void derivesOperationsPerSecond()
    {
        assertEquals("10.00 M", JmhReport.opsPerSecond(100, "ns/op"));
        assertEquals("2.0 k", JmhReport.opsPerSecond(500, "us/op"));
        assertEquals("12.0", JmhReport.opsPerSecond(12, "ops/s"));
        assertEquals("—", JmhReport.opsPerSecond(1, "B/op"));
        // @AuxCounters(EVENTS) scores are sums over iterations: the report averages the raw values
        assertEquals(2.0, JmhReport.counterMean(java.util.Map.of("score", 6.0, "rawData", List.of(List.of(1.0, 2.0), List.of(3.0)))));
    }
}
