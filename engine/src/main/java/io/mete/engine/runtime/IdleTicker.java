package io.mete.engine.runtime;

import io.mete.engine.command.CommandWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongSupplier;

/**
 * Offers a Tick command when no command entered the ring for a whole idle period, so holds expire
 * and days roll over without traffic. The tick is journaled like any command, so replay sees it.
 */
final class IdleTicker implements Runnable
{
    private final EnginePipeline pipeline;
    private final LongSupplier inputCursor;
    private final long idleMillis;
    private final UnsafeBuffer tick = new UnsafeBuffer(new byte[64]);
    private final int tickLength;
    private volatile boolean running = true;
    private Thread thread;

    IdleTicker(final EnginePipeline pipeline, final LongSupplier inputCursor, final long idleMillis)
    {
        this.pipeline = pipeline;
        this.inputCursor = inputCursor;
        this.idleMillis = idleMillis;
        this.tickLength = new CommandWriter().tick(tick, 0, 0);
    }

    void start()
    {
        thread = new Thread(this, "mete-ticker");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run()
    {
        long seen = inputCursor.getAsLong();
        while (running)
        {
            try
            {
                Thread.sleep(idleMillis);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            final long now = inputCursor.getAsLong();
            if (running && now == seen)
            {
                pipeline.offer(0, tick, 0, tickLength);
            }
            seen = inputCursor.getAsLong();
        }
    }

    void stop()
    {
        running = false;
        if (thread != null)
        {
            thread.interrupt();
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
