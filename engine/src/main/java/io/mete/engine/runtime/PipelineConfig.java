package io.mete.engine.runtime;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * How the pipeline is hosted: ring sizes, waiting, the clock, ticks and snapshots. None of it
 * changes what the engine decides; the journal keeps the timestamps the clock gave.
 */
public final class PipelineConfig
{
    /** Threads busy under load with a journal thread: gateway, journal, business logic, output. */
    private static final int BUSY_THREADS_WITH_OWN_JOURNAL = 4;

    private int inputRingSize = 1 << 14;
    private int outputRingSize = 1 << 16;
    private int slotBytes = 256;
    private int maxCommandLength = 1 << 16;
    private WaitMode waitMode = WaitMode.BLOCKING;
    private EpochClock clock = SystemEpochClock.INSTANCE;
    private long tickIdleMillis = 1_000;
    private long snapshotEveryCommands = 0;
    private boolean journalOnEngineThread = journalOnEngineThreadByDefault();

    /** Blocking waits, 16K input and 64K output slots: safe on a machine with fewer cores than threads. */
    public static PipelineConfig defaults()
    {
        return new PipelineConfig();
    }

    /** Yielding waits: lower latency when each pipeline thread has a core of its own. */
    public static PipelineConfig dedicatedCores()
    {
        return new PipelineConfig().waitMode(WaitMode.YIELDING);
    }

    /** Slots in the input ring (a power of two). */
    public PipelineConfig inputRingSize(final int slots)
    {
        this.inputRingSize = requirePowerOfTwo(slots);
        return this;
    }

    /** Slots in the output ring (a power of two); each command's result and events take one each. */
    public PipelineConfig outputRingSize(final int slots)
    {
        this.outputRingSize = requirePowerOfTwo(slots);
        return this;
    }

    /** Bytes each slot holds before it grows (once, for a larger message; it never shrinks). */
    public PipelineConfig slotBytes(final int bytes)
    {
        this.slotBytes = bytes;
        return this;
    }

    /** Largest command {@code offer} takes; a longer one is a caller bug. */
    public PipelineConfig maxCommandLength(final int bytes)
    {
        this.maxCommandLength = bytes;
        return this;
    }

    public PipelineConfig waitMode(final WaitMode mode)
    {
        this.waitMode = mode;
        return this;
    }

    /** The clock commands are stamped with (epoch ms); the engine itself never reads a clock. */
    public PipelineConfig clock(final EpochClock clock)
    {
        this.clock = clock;
        return this;
    }

    /** Offer a Tick when no command arrived for this long, so holds expire and days roll; 0 turns ticks off. */
    public PipelineConfig tickIdleMillis(final long millis)
    {
        this.tickIdleMillis = millis;
        return this;
    }

    /** Write a snapshot after every N commands (sequences N-1, 2N-1, ...); 0 means only on request and at close. */
    public PipelineConfig snapshotEveryCommands(final long commands)
    {
        this.snapshotEveryCommands = commands;
        return this;
    }

    /**
     * Journal on the business-logic thread: it writes each batch, then applies it, instead of a
     * journal thread handing every batch over (one thread and one wake-up per batch fewer, and
     * journaling and applying no longer overlap). Nothing is applied before it is journaled either way.
     * Default: on when the JVM has fewer cores than the four threads that are busy under load with a
     * journal thread of its own (the measurements on 2 cores are in journal/README.md).
     */
    public PipelineConfig journalOnEngineThread(final boolean journalOnEngineThread)
    {
        this.journalOnEngineThread = journalOnEngineThread;
        return this;
    }

    public int inputRingSize()
    {
        return inputRingSize;
    }

    public int outputRingSize()
    {
        return outputRingSize;
    }

    public int slotBytes()
    {
        return slotBytes;
    }

    public int maxCommandLength()
    {
        return maxCommandLength;
    }

    public WaitMode waitMode()
    {
        return waitMode;
    }

    public EpochClock clock()
    {
        return clock;
    }

    public long tickIdleMillis()
    {
        return tickIdleMillis;
    }

    public long snapshotEveryCommands()
    {
        return snapshotEveryCommands;
    }

    /** The default of {@link #journalOnEngineThread(boolean)}: on below four cores. */
    public static boolean journalOnEngineThreadByDefault()
    {
        return Runtime.getRuntime().availableProcessors() < BUSY_THREADS_WITH_OWN_JOURNAL;
    }

    public boolean journalOnEngineThread()
    {
        return journalOnEngineThread;
    }

    private static int requirePowerOfTwo(final int value)
    {
        if (value < 2 || Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException("ring size must be a power of two: " + value);
        }
        return value;
    }
}
