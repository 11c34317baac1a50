package io.mete.benchmarks.support;

import java.lang.management.ManagementFactory;

/** Heap bytes allocated by the calling thread (HotSpot's per-thread counter, TLAB included). */
public final class ThreadAllocation
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private ThreadAllocation()
    {
    }

    public static long bytes()
    {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
