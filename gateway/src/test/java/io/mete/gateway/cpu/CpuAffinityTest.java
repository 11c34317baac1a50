package io.mete.gateway.cpu;

import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuAffinityTest
{
    @Test
    void cpuListsParseAndFormatLikeTaskset()
    {
        final BitSet cpus = CpuAffinity.parse("0, 2-4,7");
        assertEquals("0,2-4,7", CpuAffinity.format(cpus));
        assertEquals(5, cpus.cardinality());
        assertEquals("1", CpuAffinity.format(CpuAffinity.parse("1")));
        for (final String bad : new String[] {"", "a", "3-1", "-1", "1,,2", "0-9999"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CpuAffinity.parse(bad), bad);
            assertTrue(ex.getMessage().contains("not a CPU list"), ex.getMessage());
        }
    }

    @Test
    void isolateGivesTheNamedThreadItsCpuAndMovesEveryOtherThreadOffIt() throws Exception
    {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        final BitSet allowed = CpuAffinity.allowed();
        assumeTrue(allowed.cardinality() >= 2, "needs two CPUs");
        final int cpu = allowed.length() - 1;
        final CountDownLatch isolated = new CountDownLatch(1);
        final CompletableFuture<BitSet> engineMask = new CompletableFuture<>();
        final Thread engine = new Thread(() ->
        {
            try
            {
                isolated.await();
                engineMask.complete(Affinity.getAffinity());
            }
            catch (final InterruptedException ex)
            {
                engineMask.completeExceptionally(ex);
            }
        }, "cpu-test-engine");
        engine.start();
        try
        {
            final CpuAffinity.Isolation isolation = CpuAffinity.isolate("cpu-test-engine", cpu);
            isolated.countDown();
            final BitSet only = new BitSet();
            only.set(cpu);
            assertEquals(only, engineMask.get(10, TimeUnit.SECONDS), "the named thread runs on its CPU alone");
            final BitSet others = (BitSet)allowed.clone();
            others.clear(cpu);
            assertEquals(others, Affinity.getAffinity(), "this thread was moved off it");
            assertEquals(others, isolation.others());
            assertTrue(isolation.threadsMoved() > 1, isolation.toString());
            // a thread started now inherits the mask of the thread that starts it
            final CompletableFuture<BitSet> later = new CompletableFuture<>();
            final Thread newcomer = new Thread(() -> later.complete(Affinity.getAffinity()), "cpu-test-later");
            newcomer.start();
            assertEquals(others, later.get(10, TimeUnit.SECONDS));
        }
        finally
        {
            isolated.countDown();
            engine.join();
            CpuAffinity.confine(allowed);
        }
        assertEquals(allowed, Affinity.getAffinity(), "confine put every thread back");
    }

    @Test
    void isolateRefusesCpusItCannotUseAndThreadsThatDoNotExist()
    {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        final BitSet allowed = CpuAffinity.allowed();
        final int outside = allowed.length();
        final IllegalStateException notAllowed = assertThrows(IllegalStateException.class,
            () -> CpuAffinity.isolate(Thread.currentThread().getName(), outside));
        assertTrue(notAllowed.getMessage().contains("CPU " + outside + " is not one this process may run on"), notAllowed.getMessage());
        if (allowed.cardinality() >= 2)
        {
            final IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> CpuAffinity.isolate("no-such-thread", allowed.nextSetBit(0)));
            assertTrue(missing.getMessage().contains("no thread named no-such-thread"), missing.getMessage());
        }
        final BitSet beyond = new BitSet();
        beyond.set(outside);
        assertThrows(IllegalStateException.class, () -> CpuAffinity.confine(beyond));
        assertEquals(allowed, Affinity.getAffinity(), "a refused call changes nothing");
    }
}
