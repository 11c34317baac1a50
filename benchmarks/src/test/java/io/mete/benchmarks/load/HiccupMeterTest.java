package io.mete.benchmarks.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The meter on a synthetic clock: each pause "lasts" what the test says, nothing sleeps for real. */
class HiccupMeterTest
{
    private static final long MS = 1_000_000;

    /** A clock that only moves when the meter pauses, by the next of the given durations. */
    private static final class SyntheticPlatform
    {
        final AtomicLong now = new AtomicLong(1_000 * MS);
        final ArrayDeque<Long> pauses = new ArrayDeque<>();

        SyntheticPlatform(final long... pauseNs)
        {
            for (final long p : pauseNs)
            {
                pauses.add(p);
            }
        }

        void pause(final long requestedNs)
        {
            now.addAndGet(pauses.isEmpty() ? requestedNs : pauses.poll());
        }
    }

    @Test
    void aHiccupIsHowMuchLongerThanTheResolutionAPauseLasted()
    {
        final SyntheticPlatform platform = new SyntheticPlatform(MS, MS + 60_000, 3 * MS, 16 * MS + 500_000, MS / 2, MS);
        final HiccupMeter meter = new HiccupMeter(platform.now::get, platform::pause, MS, 0);
        for (int i = 0; i < 6; i++)
        {
            meter.pauseOnce();
        }
        final HiccupRecorder r = meter.recorder();

        assertEquals(6, r.samples());
        final var h = r.histogram();
        assertEquals(3, h.getCountAtValue(0), "on time, and early (a spurious wake-up) floored at 0");
        assertEquals(1, h.getCountBetweenValues(59_950, 60_050));
        assertEquals(1, h.getCountBetweenValues(1_999_000, 2_001_000));
        assertEquals(15_500_000, h.getMaxValue(), 15_500_000 / 1_000);
        assertEquals(2, r.overOneMs(), "2 ms and 15.5 ms");
        assertEquals(1, r.overTenMs(), "15.5 ms");
        assertEquals(MS + MS + 60_000 + 3 * MS + 16 * MS + 500_000 + MS / 2 + MS, r.coveredNs());
    }

    @Test
    void theThresholdsAreStrictlyAbove()
    {
        final HiccupRecorder r = new HiccupRecorder(MS);
        r.record(MS + MS);
        r.record(MS + 10 * MS);
        r.record(MS + MS + 1);
        r.record(MS + 10 * MS + 1);
        assertEquals(3, r.overOneMs(), "10 ms, 1 ms + 1 ns and 10 ms + 1 ns; exactly 1 ms is not over");
        assertEquals(1, r.overTenMs(), "only 10 ms + 1 ns");
    }

    @Test
    void pausesEndingBeforeTheMeasuredPhaseAreNotRecorded()
    {
        // warm-up pauses of 5 ms each; the measured phase starts 12 ms in, so the third pause
        // (from 10 ms to 15 ms) straddles its start and counts
        final SyntheticPlatform platform = new SyntheticPlatform(5 * MS, 5 * MS, 5 * MS, MS, 3 * MS);
        final long start = platform.now.get();
        final HiccupMeter meter = new HiccupMeter(platform.now::get, platform::pause, MS, start + 12 * MS);
        for (int i = 0; i < 5; i++)
        {
            meter.pauseOnce();
        }
        final HiccupRecorder r = meter.recorder();
        assertEquals(3, r.samples());
        assertEquals(4 * MS, r.histogram().getMaxValue(), 4 * MS / 1_000);
        assertEquals(1, r.histogram().getCountAtValue(0));
        assertEquals(2, r.overOneMs());
        assertEquals(0, r.overTenMs());
    }

    @Test
    void theFiguresUseMicrosecondsAndThePrefix()
    {
        final HiccupRecorder r = new HiccupRecorder(MS);
        for (int i = 0; i < 999; i++)
        {
            r.record(MS);
        }
        r.record(MS + 17 * MS);
        final Map<String, String> f = r.figures("sweep_50000_");
        assertEquals(List.of("sweep_50000_hiccup_measured_s", "sweep_50000_hiccup_samples", "sweep_50000_hiccup_p50_us",
            "sweep_50000_hiccup_p99_us", "sweep_50000_hiccup_p99_9_us", "sweep_50000_hiccup_p99_99_us", "sweep_50000_hiccup_max_us",
            "sweep_50000_hiccup_over_1ms", "sweep_50000_hiccup_over_10ms"), List.copyOf(f.keySet()));
        assertEquals("1.0", f.get("sweep_50000_hiccup_measured_s"));
        assertEquals("1000", f.get("sweep_50000_hiccup_samples"));
        assertEquals("0.0", f.get("sweep_50000_hiccup_p99_us"));
        assertEquals(17_000, Double.parseDouble(f.get("sweep_50000_hiccup_max_us")), 17);
        assertEquals(17_000, Double.parseDouble(f.get("sweep_50000_hiccup_p99_99_us")), 17);
        assertEquals("1", f.get("sweep_50000_hiccup_over_1ms"));
        assertEquals("1", f.get("sweep_50000_hiccup_over_10ms"));
    }

    @Test
    void theThreadRecordsUntilStoppedAndIsADaemonNamedForWhatItIs() throws Exception
    {
        final CountDownLatch fivePauses = new CountDownLatch(5);
        final AtomicLong now = new AtomicLong();
        final String[] thread = new String[1];
        final boolean[] daemon = new boolean[1];
        final HiccupMeter meter = new HiccupMeter(now::get, ns -> {
            thread[0] = Thread.currentThread().getName();
            daemon[0] = Thread.currentThread().isDaemon();
            now.addAndGet(ns + 2 * MS);
            fivePauses.countDown();
            Thread.yield();
        }, MS, 0);
        meter.start();
        assertTrue(fivePauses.await(60, TimeUnit.SECONDS));
        final HiccupRecorder r = meter.stop();

        assertTrue(r.samples() >= 4, "samples: " + r.samples());
        assertEquals(r.samples(), r.overOneMs(), "every synthetic pause was 2 ms late");
        assertEquals(2 * MS, r.histogram().getMaxValue(), 2 * MS / 1_000);
        assertEquals("load-hiccup", thread[0]);
        assertTrue(daemon[0]);
    }

    @Test
    void theCommandLineMeasuresTheMachineAloneWithTheSameFigures(@TempDir final Path dir)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream previous = System.out;
        final int exit;
        try
        {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            exit = new picocli.CommandLine(new LoadGenerator()).execute("--hiccup-only", "--duration", "50ms", "--result",
                dir.resolve("idle.properties").toString());
        }
        finally
        {
            System.setOut(previous);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        final String[] lines = output.trim().split("\n");
        final String last = lines[lines.length - 1];
        // only the keys: the values are whatever this machine did
        for (final String key : new String[] {"mode: hiccup only", "duration_s: ", "hiccup_p99_us: ", "hiccup_p99_99_us: ", "hiccup_max_us: ",
            "hiccup_over_1ms: ", "hiccup_over_10ms: "})
        {
            assertTrue(last.contains(key), key + " in " + last);
        }
        assertTrue(output.contains("platform hiccups"), output);
        assertDoesNotThrow(() -> assertTrue(Files.readString(dir.resolve("idle.properties")).contains("hiccup_max_us=")));
    }
}
