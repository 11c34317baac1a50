package io.mete.benchmarks.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PerfReportTest
{
    private static final String JMH = "[\n" +
        " {\"benchmark\":\"io.mete.benchmarks.core.PlaceOrderBenchmark.placeOrder\",\"mode\":\"avgt\",\"params\":{\"variant\":\"reference\",\"strategy\":\"COST\"}," +
        "  \"primaryMetric\":{\"score\":400.0,\"scoreError\":\"NaN\",\"scoreUnit\":\"ns/op\"}," +
        "  \"secondaryMetrics\":{\"·gc.alloc.rate.norm\":{\"score\":0.01,\"scoreUnit\":\"B/op\"}}},\n" +
        " {\"benchmark\":\"io.mete.benchmarks.core.PlaceOrderBenchmark.placeOrder\",\"mode\":\"avgt\",\"params\":{\"variant\":\"nodes-10\",\"strategy\":\"COST\"}," +
        "  \"primaryMetric\":{\"score\":0.2,\"scoreUnit\":\"us/op\"},\"secondaryMetrics\":{}},\n" +
        " {\"benchmark\":\"io.mete.benchmarks.core.PlaceOrderBenchmark.placeOrder\",\"mode\":\"avgt\",\"params\":{\"variant\":\"nodes-1000\",\"strategy\":\"FIRST_FIT\"}," +
        "  \"primaryMetric\":{\"score\":1000000.0,\"scoreUnit\":\"ops/s\"},\"secondaryMetrics\":{}},\n" +
        " {\"benchmark\":\"io.mete.benchmarks.core.InventoryBenchmark.adjustOnHand\",\"mode\":\"avgt\",\"params\":{\"variant\":\"reference\"}," +
        "  \"primaryMetric\":{\"score\":50.0,\"scoreUnit\":\"ns/op\"}}\n" +
        "]";

    /** The hiccup meter's keys as LoadResult writes them, with PREFIX and MAX to fill in. */
    private static final String HICCUPS = "PREFIXhiccup_measured_s=20.0\nPREFIXhiccup_samples=19000\nPREFIXhiccup_p50_us=60.0\n" +
        "PREFIXhiccup_p99_us=120.0\nPREFIXhiccup_p99_9_us=900.0\nPREFIXhiccup_p99_99_us=15000.0\nPREFIXhiccup_max_us=MAX\n" +
        "PREFIXhiccup_over_1ms=7\nPREFIXhiccup_over_10ms=2\n";

    @Test
    void readsPlaceOrderResultsWithTheirNodeCountFromJmhJson()
    {
        final List<PerfReport.CorePoint> points = PerfReport.corePoints(JMH);
        assertEquals(3, points.size());
        assertEquals(100, points.get(0).nodes());
        assertEquals(400.0, points.get(0).nsPerOp());
        assertEquals(0.01, points.get(0).bytesPerOp());
        assertEquals(10, points.get(1).nodes());
        assertEquals(200.0, points.get(1).nsPerOp(), 1e-9);
        assertEquals("FIRST_FIT", points.get(2).strategy());
        assertEquals(1000.0, points.get(2).nsPerOp(), 1e-9);
        assertTrue(Double.isNaN(points.get(1).bytesPerOp()));
    }

    @Test
    void countsGcPausesOnceEach()
    {
        final Summary.GcPauses gc = Summary.gcPauses(List.of(
            "[0.010s][info][gc,init] Version: 17",
            "[5.123s][info][gc,start    ] GC(0) Pause Young (Normal) (G1 Evacuation Pause)",
            "[5.125s][info][gc,phases   ] GC(0)   Evacuate Collection Set: 1.2ms",
            "[5.126s][info][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms",
            "[9.000s][info][gc          ] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 30M->3M(256M) 1.000ms"));
        assertEquals(2, gc.count());
        assertEquals(2.345, gc.maxMs(), 1e-9);
        assertEquals(3.345, gc.totalMs(), 1e-9);
    }

    @Test
    void countsOnlyThePausesInsideTheMeasuredWindow()
    {
        final List<String> log = List.of(
            "[2026-11-22T08:00:00.500+0000][1.000s][info][gc          ] GC(0) Pause Young (Concurrent Start) (G1 Humongous Allocation) 1699M->1664M(3804M) 8.719ms",
            "[2026-11-22T08:00:10.000+0000][10.500s][info][gc,phases   ] GC(1)   Evacuate Collection Set: 20.1ms",
            "[2026-11-22T08:00:10.000+0000][10.500s][info][gc          ] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 631M->497M(3072M) 28.120ms",
            "[2026-11-22T08:00:30.000+0000][30.500s][info][gc          ] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 631M->497M(3072M) 3.000ms",
            "[12.000s][info][gc          ] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 631M->497M(3072M) 99.000ms");
        final long from = java.time.Instant.parse("2026-11-22T08:00:05Z").toEpochMilli();
        final long to = java.time.Instant.parse("2026-11-22T08:00:25Z").toEpochMilli();
        final Summary.GcPauses inside = Summary.gcPausesBetween(log, from, to);
        assertEquals(1, inside.count());
        assertEquals(28.12, inside.maxMs(), 1e-9);
        assertEquals(0, Summary.gcPausesBetween(log, to, to + 1_000).count());
    }

    @Test
    void makesThePlotsAndASummaryWithEveryTargetFromAFixture(@TempDir final Path dir) throws Exception
    {
        final Path raw = Files.createDirectories(dir.resolve("raw"));
        writeLog(raw.resolve("sweep-50000.hlog"), 40_000);
        writeLog(raw.resolve("sweep-100000.hlog"), 60_000);
        writeLog(raw.resolve("fixed-100000.hlog"), 55_000);
        Files.writeString(raw.resolve("core-jmh.json"), JMH);
        Files.writeString(raw.resolve("position-memory.json"), "{\"positions\": 500000, \"footprintBytes\": 20971520, " +
            "\"stockHeapBytes\": 10485760, \"targetBytes\": 33554432}");
        Files.writeString(raw.resolve("spike-timeline.csv"), "t_s,phase,sent_per_s,answered_per_s,p50_us,p99_us,max_us,busy,errors\n" +
            "0.000,baseline,1000,1000,30.0,80.0,120.0,0,0\n0.250,spike,10000,6000,900.0,5000.0,6000.0,0,0\n" +
            "0.500,after,1000,5000,,,,0,0\n0.750,after,1000,1000,31.0,85.0,100.0,0,0\n");
        Files.writeString(raw.resolve("machine.properties"), "mode=short\ncpu=Test CPU\ncores=2\njdk=17\nwait_strategy=BLOCKING\ndurability=pagecache\n" +
            "sizing_fixed=expectedOrders 2818048, -Xms3072m -Xmx3072m\nsizing_spike=expectedOrders 3000000, -Xms4000m -Xmx4000m\n");
        Files.writeString(raw.resolve("gc-fixed.log"),
            "[2026-11-22T08:00:00.500+0000][1.000s][info][gc          ] GC(0) Pause Young (Concurrent Start) (G1 Humongous Allocation) 1699M->1664M(3804M) 8.719ms\n");
        Files.writeString(raw.resolve("server-rss-spike.csv"), "t_s,rss_kb\n0,400000\n1,900000\n");
        Files.writeString(raw.resolve("sweep.properties"), "sweep_rates=50000:50010:120.0:900.0:SUSTAINED 100000:80000:9000.0:20000.0:THROUGHPUT_BELOW_TARGET\n" +
            "sweep_max_sustained_per_s=50000\nsweep_max_sustained_achieved_per_s=50010\nsweep_stopped_at=100000/s: THROUGHPUT_BELOW_TARGET\n" +
            "sweep_50000_max_us=1500.0\n" + HICCUPS.replace("PREFIX", "sweep_50000_").replace("MAX", "900.0"));
        Files.writeString(raw.resolve("fixed-100000.properties"), "p99_us=150.0\np99_99_us=2500.0\nmax_us=3000.0\nachieved_per_s=99990\nduration_s=30\n" +
            "measure_start_epoch_ms=" + java.time.Instant.parse("2026-11-22T08:00:05Z").toEpochMilli() + "\n" +
            "measure_end_epoch_ms=" + java.time.Instant.parse("2026-11-22T08:00:35Z").toEpochMilli() + "\n" +
            HICCUPS.replace("PREFIX", "").replace("MAX", "16800.0"));
        Files.writeString(raw.resolve("variant-hot-sku.properties"), "target_per_s=20000\nachieved_per_s=19999\np50_us=179.5\n" +
            "p99_us=1793.0\np99_99_us=6164.5\nmax_us=7094.3\nrejected=0\ncheck=OK\n");
        Files.writeString(raw.resolve("hiccup-idle.properties"), "mode=hiccup only (no server, no load)\nduration_s=20\n" +
            HICCUPS.replace("PREFIX", "").replace("MAX", "17200.0"));
        Files.writeString(raw.resolve("spike.properties"), "mode=spike 1000/s\nspike_recovery_s=0.50\nspike_recovery_threshold_us=160.0\ncheck=OK\nunanswered=0\n" +
            "spike_window_ms=250\nspike_recovery_span_ms=1000\nspike_recovery_median_threshold_us=110.0\nspike_baseline_windows=120\n" +
            "spike_baseline_windows_unsettled=0\nspike_recovery_strict_s=12.25\nspike_baseline_windows_over_threshold=7\n" +
            "spike_baseline_target_per_s=1000\nspike_baseline_achieved_per_s=1000\nspike_baseline_p50_us=30\nspike_baseline_p99_us=80\n" +
            "spike_baseline_p99_99_us=100\nspike_baseline_max_us=120\nspike_baseline_busy=0\nspike_baseline_errors=0\n");

        final PerfReport report = new PerfReport();
        report.dir = dir;
        assertEquals(0, report.call());

        for (final String png : new String[] {"latency-spectrum.png", "spike-throughput.png", "spike-p99.png", "sourcing-vs-nodes.png"})
        {
            final Path file = dir.resolve("plots").resolve(png);
            assertTrue(Files.size(file) > 1_000, png);
            final byte[] head = Files.readAllBytes(file);
            assertEquals((byte)0x89, head[0]);
            assertEquals('P', head[1]);
        }
        final String md = Files.readString(dir.resolve("summary.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("short run"), md);
        assertTrue(md.contains("| Core: ≥ 2,000,000 orders/s on one thread | 2,500,000 orders/s"), md);
        assertTrue(md.contains("| Core: ≥ 10,000,000 inventory adjustments/s on one thread | 20,000,000 AdjustOnHand/s (50 ns each) | yes |"), md);
        // 20 MiB for 500,000 positions is 40 MiB per 1,000,000: over the target
        assertTrue(md.contains("| Core: state of 1,000,000 stock positions ≤ 32 MiB | 40.0 MiB (the position table; 20.0 MiB of heap " +
            "after GC for the stock commands, SKU codes included; 500,000 positions measured) | **no** |"), md);
        assertTrue(md.contains("| At 100,000 orders/s: p99 ≤ 200 µs | p99 150 µs"), md);
        assertTrue(md.contains("| At 100,000 orders/s: p99.99 ≤ 2 ms | p99.99 2500 µs, max 3000 µs | **no** |"), md);
        assertTrue(md.contains("≥ 1,000,000 orders/s sustained | sweep: highest rate sustained 50,000/s"), md);
        assertTrue(md.contains("latency back to baseline within 5 s | 0.50 s after the spike (from then on every 250 ms window's median ≤ " +
            "110.0 µs, 2× the baseline's, and every 1000 ms span's p99 ≤ 160.0 µs, 2× the baseline's; 0 of the baseline phase's own 120 " +
            "windows break this rule); by the stricter rule, every later window's own p99 ≤ 160.0 µs: 12.25 s (7 of the baseline " +
            "phase's own 120 windows break that rule) | yes |"), md);
        assertTrue(md.contains("not run in short mode; meanwhile, during the fixed-rate step's measured 30 s at 100,000 orders/s: no GC pause ([GC log](raw/gc-fixed.log))"), md);
        assertTrue(md.contains("| 100,000 | 80,000 | 9000.0 | 20000.0 | THROUGHPUT_BELOW_TARGET |"), md);
        assertTrue(md.contains("(plots/latency-spectrum.png)"), md);
        assertTrue(md.contains("## Workload variants (open loop"), md);
        assertTrue(md.contains("| hot-sku | 20,000 | 19,999 | 179.5 | 1793.0 | 6164.5 | 7094.3 | 0 | OK |"), md);
        assertFalse(md.contains("| scale |"), "no file, no row");
        assertTrue(md.contains("| server sizing, fixed | expectedOrders 2818048, -Xms3072m -Xmx3072m |"), md);
        assertTrue(md.contains("heap capped at 4000m; see raw/server-rss-spike.csv"), md);
        assertTrue(md.contains("[raw/sweep-50000.hlog](raw/sweep-50000.hlog)"), md);

        assertTrue(md.contains("## Platform hiccups"), md);
        assertTrue(md.contains("latency outliers of the same size are stalls of the machine as a whole"), md);
        assertTrue(md.contains("| idle machine, no load (`--hiccup-only`) | 20.0 | 120.0 | 15000.0 | 17200.0 | 7 | 2 | — |"), md);
        assertTrue(md.contains("| sweep 50,000/s | 20.0 | 120.0 | 15000.0 | 900.0 | 7 | 2 | 1500.0 |"), md);
        assertTrue(md.contains("| fixed 100,000/s | 20.0 | 120.0 | 15000.0 | 16800.0 | 7 | 2 | 3000.0 |"), md);
        assertFalse(md.contains("sweep 100,000/s |"), "a sweep step without hiccup figures has no row");
        assertFalse(md.contains("| spike (baseline"), "the spike result has no hiccup figures");
        assertFalse(md.contains("No idle baseline"), md);
        assertTrue(md.indexOf("## Platform hiccups") > md.indexOf("## Headline figures"), md);
    }

    @Test
    void stepsWithTheServersOwnLatencyShowItBesideTheEndToEndFigures(@TempDir final Path dir) throws Exception
    {
        final Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(raw.resolve("machine.properties"), "mode=full\ncpu=Test CPU\n");
        Files.writeString(raw.resolve("fixed-100000.properties"), "p50_us=300.0\np99_us=4000.0\np99_99_us=9000.0\nmax_us=12000.0\n" +
            "achieved_per_s=99990\n");
        Files.writeString(raw.resolve("sweep.properties"), "sweep_rates=50000:50010:120.0:900.0:SUSTAINED\nsweep_max_sustained_per_s=50000\n" +
            "sweep_50000_p50_us=110.0\nsweep_50000_p99_us=900.0\nsweep_50000_p99_99_us=3000.0\nsweep_50000_max_us=4000.0\n" +
            "sweep_50000_server_p50_us=70\nsweep_50000_server_p99_us=450\nsweep_50000_server_p99_99_us=2100\nsweep_50000_server_max_us=2500\n" +
            "sweep_50000_engine_p50_us=20\nsweep_50000_engine_p99_us=300\nsweep_50000_engine_p99_99_us=1900\nsweep_50000_engine_max_us=2400\n");
        final String md = Summary.write(dir, raw, List.of(), null, List.of());
        assertTrue(md.contains("## Where the latency is: the server's share"), md);
        assertTrue(md.contains("| sweep 50,000/s | 110.0 / 70 / 20 | 900.0 / 450 / 300 | 3000.0 / 2100 / 1900 | 4000.0 / 2500 / 2400 |"), md);
        assertFalse(md.contains("| fixed 100,000/s | 300.0 /"), "a step without the server's figures has no row: " + md);

        // a ten-minute step from an earlier run says which commit it ran at
        Files.writeString(raw.resolve("machine.properties"), "mode=full\ncpu=Test CPU\ncommit=bbb2222\n");
        Files.writeString(raw.resolve("long-machine.properties"), "commit=aaa1111\n");
        Files.writeString(raw.resolve("long-100000.properties"), "p50_us=280.0\np99_us=5000.0\np99_99_us=9000.0\nmax_us=12000.0\n" +
            "server_p50_us=150\nserver_p99_us=4000\nserver_p99_99_us=8000\nserver_max_us=11000\n");
        assertTrue(Summary.write(dir, raw, List.of(), null, List.of()).contains("| 10 minutes at 100,000/s (at aaa1111) | 280.0 / 150 / ? |"));

        Files.writeString(raw.resolve("sweep.properties"), "sweep_rates=50000:50010:120.0:900.0:SUSTAINED\nsweep_max_sustained_per_s=50000\n");
        Files.delete(raw.resolve("long-100000.properties"));
        assertFalse(Summary.write(dir, raw, List.of(), null, List.of()).contains("the server's share"));
    }

    @Test
    void resultsWrittenBeforeTheHiccupMeterLeaveTheSectionOut(@TempDir final Path dir) throws Exception
    {
        final Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(raw.resolve("machine.properties"), "mode=full\ncpu=Test CPU\n");
        Files.writeString(raw.resolve("fixed-100000.properties"), "p99_us=150.0\np99_99_us=2500.0\nmax_us=3000.0\nachieved_per_s=99990\n");
        Files.writeString(raw.resolve("sweep.properties"), "sweep_rates=50000:50010:120.0:900.0:SUSTAINED\nsweep_max_sustained_per_s=50000\n");
        Files.writeString(raw.resolve("mixed.properties"), "max_us=4000.0\n");

        final String md = Summary.write(dir, raw, List.of(), null, List.of());
        assertFalse(md.contains("Platform hiccups"), md);
        assertTrue(md.contains("| At 100,000 orders/s: p99 ≤ 200 µs | p99 150 µs"), md);

        // a load step with the figures but no idle baseline: the section says how to record one
        Files.writeString(raw.resolve("mixed.properties"), "max_us=4000.0\n" + HICCUPS.replace("PREFIX", "").replace("MAX", "16000.0"));
        final String withLoad = Summary.write(dir, raw, List.of(), null, List.of());
        assertTrue(withLoad.contains("## Platform hiccups"), withLoad);
        assertTrue(withLoad.contains("No idle baseline in this run (`./mete load --hiccup-only"), withLoad);
        assertTrue(withLoad.contains("| mixed traffic | 20.0 | 120.0 | 15000.0 | 16000.0 | 7 | 2 | 4000.0 |"), withLoad);
        assertTrue(withLoad.contains("| No GC pause during 10 minutes at 100,000 orders/s (GC log) | not measured |"), withLoad);

        // a full run that had to skip the ten-minute step says why
        Files.writeString(raw.resolve("long-100000.skipped"), "skipped: needs a 22000 MB heap; this machine has 24000 MB\n");
        final String skipped = Summary.write(dir, raw, List.of(), null, List.of());
        assertTrue(skipped.contains("| No GC pause during 10 minutes at 100,000 orders/s (GC log) | skipped: needs a 22000 MB heap; " +
            "this machine has 24000 MB | — |"), skipped);

        // the ten-minute run counts the pauses while it measured; start-up pauses are reported apart
        final long start = java.time.Instant.parse("2026-11-22T08:00:30Z").toEpochMilli();
        Files.writeString(raw.resolve("long-100000.properties"), "p99_us=9000.0\np99_99_us=20000.0\nmax_us=25000.0\nachieved_per_s=99990\n" +
            "duration_s=600\nmeasure_start_epoch_ms=" + start + "\nmeasure_end_epoch_ms=" + (start + 600_000) + "\n");
        Files.writeString(raw.resolve("long-machine.properties"), "date=2026-11-22 08:00 UTC\ncommit=abc1234\n" +
            "sizing_long=expectedOrders 64000000, -Xms19334m -Xmx19334m\n");
        Files.writeString(raw.resolve("gc-long.log"),
            "[2026-11-22T08:00:01.000+0000][1.000s][info][gc          ] GC(0) Pause Young (Concurrent Start) (G1 Humongous Allocation) 9G->9G(19G) 40.000ms\n");
        final String quiet = Summary.write(dir, raw, List.of(), null, List.of());
        assertTrue(quiet.contains("| No GC pause during 10 minutes at 100,000 orders/s | 600 s measured at 99990 orders/s: 0 pauses, longest 0.00 ms " +
            "(1 in the whole log, start-up and warm-up included;"), quiet);
        assertTrue(quiet.contains("run 2026-11-22 08:00 UTC, commit abc1234, expectedOrders 64000000, -Xms19334m -Xmx19334m | yes |"), quiet);

        Files.writeString(raw.resolve("gc-long.log"), "[2026-11-22T08:05:00.000+0000][300.000s][info][gc          ] " +
            "GC(1) Pause Young (Normal) (G1 Evacuation Pause) 9G->9G(19G) 12.500ms\n", java.nio.file.StandardOpenOption.APPEND);
        final String paused = Summary.write(dir, raw, List.of(), null, List.of());
        assertTrue(paused.contains("0 orders/s: 1 pauses, longest 12.50 ms (2 in the whole log"), paused);
        assertTrue(paused.contains("| **no** |"), paused);
    }

    @Test
    void aLogReadsBackAsTheSumOfItsIntervals(@TempDir final Path dir) throws Exception
    {
        final Path log = dir.resolve("x.hlog");
        writeLog(log, 10_000);
        final Histogram h = PerfReport.readLog(log);
        assertEquals(2_000, h.getTotalCount());
        assertEquals(10_560, h.getValueAtPercentile(50), 100);
        final List<double[]> points = PerfReport.spectrum(h);
        assertTrue(points.size() > 10);
        assertEquals(99.9999, points.get(points.size() - 1)[0]);
    }

    private static void writeLog(final Path file, final long typicalNs) throws Exception
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.US_ASCII))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.outputStartTime(1_000);
            writer.setBaseTime(1_000);
            writer.outputLegend();
            for (int interval = 0; interval < 2; interval++)
            {
                final Histogram h = new Histogram(3);
                for (int i = 0; i < 1_000; i++)
                {
                    h.recordValue(typicalNs + (i % 10 == 0 ? typicalNs * i / 100 : i));
                }
                h.setStartTimeStamp(1_000 + interval * 1_000L);
                h.setEndTimeStamp(2_000 + interval * 1_000L);
                writer.outputIntervalHistogram(h);
            }
        }
    }
}
