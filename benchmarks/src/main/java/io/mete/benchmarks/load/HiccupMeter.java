package io.mete.benchmarks.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A platform hiccup meter after jHiccup: a daemon thread ({@code load-hiccup}) that does nothing
 * but pause for a fixed resolution, over and over, and records how much later than that it woke.
 * It has no work of its own to be slow at, so what it records is what the platform did to every
 * thread in the process: the VM's vCPU descheduled by its host, the OS scheduler (under load also
 * with more runnable threads than cores, the server's among them), this JVM's safepoints. A latency
 * outlier of the same size as a hiccup in the same run is a stall of the machine, not time the
 * server spent on the request.
 * <p>
 * It pauses with {@link LockSupport#parkNanos}, as the load sender does between requests, so it sees
 * the same timer the sender depends on. Waking a thousand times a second costs a few microseconds
 * of CPU each time, well under 1% of a core.
 * <p>
 * Pauses that end before {@code fromNs} (the start of the measured phase) are not recorded; the
 * meter records until {@link #stop()}.
 */
public final class HiccupMeter
{
    /** How long each pause is meant to last. */
    public static final long RESOLUTION_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LongSupplier clock;
    private final LongConsumer pause;
    private final long fromNs;
    private final HiccupRecorder recorder;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param clock        nanoseconds, as {@link System#nanoTime()}
     * @param pause        pauses the calling thread for about the given nanoseconds
     * @param resolutionNs how long each pause is meant to last
     * @param fromNs       on {@code clock}: pauses that end at or before this are not recorded
     */
    HiccupMeter(final LongSupplier clock, final LongConsumer pause, final long resolutionNs, final long fromNs)
    {
        this.clock = clock;
        this.pause = pause;
        this.fromNs = fromNs;
        this.recorder = new HiccupRecorder(resolutionNs);
    }

    /** A meter on this machine's clock, pausing {@link #RESOLUTION_NS} at a time, recording from {@code fromNs} ({@link System#nanoTime()}). */
    public static HiccupMeter startFrom(final long fromNs)
    {
        final HiccupMeter meter = new HiccupMeter(System::nanoTime, LockSupport::parkNanos, RESOLUTION_NS, fromNs);
        meter.start();
        return meter;
    }

    void start()
    {
        thread = new Thread(this::measure, "load-hiccup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread and returns what it recorded. */
    public HiccupRecorder stop() throws InterruptedException
    {
        stopped = true;
        if (thread != null)
        {
            thread.interrupt();
            thread.join();
        }
        return recorder;
    }

    private void measure()
    {
        while (!stopped)
        {
            pauseOnce();
        }
    }

    /** One pause; recorded when it ends inside the measured time and was not cut short by {@link #stop()}. */
    void pauseOnce()
    {
        final long before = clock.getAsLong();
        pause.accept(recorder.resolutionNs());
        final long after = clock.getAsLong();
        if (after > fromNs && !stopped)
        {
            recorder.record(after - before);
        }
    }

    /** What was recorded so far; only for the recording thread or once the meter has stopped. */
    HiccupRecorder recorder()
    {
        return recorder;
    }
}
