package io.mete.gateway.cpu;

import net.openhft.affinity.Affinity;
import net.openhft.affinity.impl.LinuxHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Which CPUs this process's threads may run on (Linux {@code sched_setaffinity}, through OpenHFT's
 * affinity library).
 * <p>
 * The engine's business-logic thread is the one every order waits for. On a machine with few cores
 * it shares them with the gateway, the output thread, the JIT and anything else on the machine, and
 * each switch costs it its caches: {@link #isolate} gives it a CPU of its own and keeps every other
 * thread of the process off that CPU, the JIT compilers and the collector's pause workers excepted.
 * Threads started later inherit the mask of the thread that
 * starts them, so they stay off it too. Other processes on the machine (a load generator, say) must
 * be kept off it by their own means ({@link #confine}, {@code taskset}, cgroups or {@code isolcpus}).
 */
public final class CpuAffinity
{
    private static final Path TASKS = Path.of("/proc/self/task");

    private CpuAffinity()
    {
    }

    /** What {@link #isolate} did. */
    public record Isolation(int cpu, String thread, BitSet others, int threadsMoved)
    {
        @Override
        public String toString()
        {
            return thread + " on CPU " + cpu + ", " + threadsMoved + " other threads on CPUs " + format(others);
        }
    }

    /**
     * Pins the thread named {@code threadName} to {@code cpu} and every other thread of the process
     * to the CPUs the process may use but that one, except the JIT compilers and the collector's
     * stop-the-world workers ({@link #mayShare}).
     *
     * @throws IllegalStateException when this is not Linux, the thread does not exist, the CPU is not
     *                               one the process may use, or it is the only one
     */
    public static Isolation isolate(final String threadName, final int cpu)
    {
        final BitSet allowed = allowed();
        if (!allowed.get(cpu))
        {
            throw new IllegalStateException("CPU " + cpu + " is not one this process may run on (" + format(allowed) + ")");
        }
        final BitSet others = (BitSet)allowed.clone();
        others.clear(cpu);
        if (others.isEmpty())
        {
            throw new IllegalStateException("CPU " + cpu + " is the only CPU this process may run on: nothing left for the other threads");
        }
        final BitSet single = new BitSet();
        single.set(cpu);
        // a thread names itself once it runs, so one just started may not carry its name yet
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (tasks().stream().noneMatch(task -> task.name.equals(threadName)))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no thread named " + threadName + " in this process");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        final int moved = pinAll(name -> name.equals(threadName) ? single : mayShare(name) ? allowed : others, others);
        return new Isolation(cpu, threadName, others, moved);
    }

    /**
     * The JIT compilers and the collector's stop-the-world workers keep every CPU. The compilers are
     * busy while the server warms up, when squeezing them onto the other CPUs delayed the code
     * everyone waits for by seconds (stalls of 100-400 ms in the first 20 s at 100,000 orders/s on
     * 2 cores); the workers run while the engine thread is stopped anyway, and more of them end the
     * pause sooner.
     */
    private static boolean mayShare(final String threadName)
    {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre") ||
            threadName.startsWith("GC Thread#");
    }

    /** Confines every thread of the process, and so every thread started later, to {@code cpus}; returns the threads moved. */
    public static int confine(final BitSet cpus)
    {
        final BitSet allowed = allowed();
        final BitSet outside = (BitSet)cpus.clone();
        outside.andNot(allowed);
        if (cpus.isEmpty() || !outside.isEmpty())
        {
            throw new IllegalStateException("CPUs " + format(cpus) + " are not among those this process may run on (" + format(allowed) + ")");
        }
        return pinAll(name -> cpus, cpus);
    }

    /**
     * Sets every thread's mask to {@code maskOf} its name; returns how many were given {@code counted}.
     * Two passes: a thread started while the first ran inherited its creator's old mask.
     */
    private static int pinAll(final Function<String, BitSet> maskOf, final BitSet counted)
    {
        int pinned = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (final Task task : tasks())
            {
                final BitSet mask = maskOf.apply(task.name);
                pin(task.tid, mask);
                pinned += pass == 0 && mask == counted ? 1 : 0;
            }
        }
        return pinned;
    }

    /**
     * The CPUs this process may run on: the calling thread's at the first call into this class,
     * before anything here narrowed it (a mask set from outside, by {@code taskset} say, is kept).
     */
    public static synchronized BitSet allowed()
    {
        requireLinux();
        if (processCpus == null)
        {
            processCpus = Affinity.getAffinity();
        }
        return (BitSet)processCpus.clone();
    }

    private static BitSet processCpus;

    /** Parses a CPU list as {@code taskset -c} takes it: {@code 0}, {@code 0,2}, {@code 0-3,6}. */
    public static BitSet parse(final String list)
    {
        final BitSet cpus = new BitSet();
        for (final String part : list.split(","))
        {
            final String range = part.trim();
            try
            {
                final int dash = range.indexOf('-');
                final int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash).trim());
                final int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1).trim());
                if (first < 0 || last < first || last > 4095)
                {
                    throw new NumberFormatException();
                }
                cpus.set(first, last + 1);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not a CPU list (like 0,2-3): " + list);
            }
        }
        return cpus;
    }

    /** The CPUs as a list {@link #parse} reads back: {@code 0-2,5}. */
    public static String format(final BitSet cpus)
    {
        final StringBuilder text = new StringBuilder();
        for (int first = cpus.nextSetBit(0); first >= 0; )
        {
            final int end = cpus.nextClearBit(first);
            if (text.length() > 0)
            {
                text.append(',');
            }
            text.append(first);
            if (end - 1 > first)
            {
                text.append('-').append(end - 1);
            }
            first = cpus.nextSetBit(end);
        }
        return text.toString();
    }

    private static void pin(final int tid, final BitSet cpus)
    {
        try
        {
            LinuxHelper.sched_setaffinity(tid, cpus);
        }
        catch (final IllegalStateException ex)
        {
            // a thread that ended after the listing has nothing left to pin (ESRCH)
            if (!String.valueOf(ex.getMessage()).endsWith("errno=3") && Files.exists(TASKS.resolve(Integer.toString(tid))))
            {
                throw ex;
            }
        }
    }

    private record Task(int tid, String name)
    {
    }

    private static List<Task> tasks()
    {
        requireLinux();
        final List<Task> tasks = new ArrayList<>();
        try (Stream<Path> entries = Files.list(TASKS))
        {
            for (final Path entry : (Iterable<Path>)entries::iterator)
            {
                try
                {
                    tasks.add(new Task(Integer.parseInt(entry.getFileName().toString()), Files.readString(entry.resolve("comm")).trim()));
                }
                catch (final IOException ex)
                {
                    // the thread ended while we listed
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list this process's threads in " + TASKS + ": " + ex.getMessage());
        }
        return tasks;
    }

    private static void requireLinux()
    {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") || !Files.isDirectory(TASKS))
        {
            throw new IllegalStateException("CPU affinity is only supported on Linux");
        }
    }
}
