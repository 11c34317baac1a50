package io.mete.engine.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.mete.engine.core.AllocationEngine;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Hosts the allocation core on ring buffers, the way DESIGN.md draws it:
 *
 * <pre>
 *  offer() ──copy──▶ [input ring] ──▶ (1) journal stage: sequence, timestamp, append, flush at batch end
 *                                  └─▶ (2) business-logic stage, gated on (1): apply to the state
 *                                            │ every result, event and query answer
 *                                            ▼
 *                                     [output ring] ──▶ (3) output stage: event journal, then listeners
 * </pre>
 *
 * Nothing is applied before it is journaled, and nothing reaches a listener before it is applied,
 * so an acknowledged command is always in the journal. Queries ride the same ring (they see the
 * state of every command before them) but take no sequence and are never journaled. Four threads:
 * mete-journal, mete-engine, mete-output and, when ticks are on, mete-ticker (asleep mostly); with
 * {@link PipelineConfig#journalOnEngineThread} stages (1) and (2) share mete-engine, which writes
 * each batch and then applies it.
 * <p>
 * Use: {@code builder(engine)...build()}, {@link #addListener}, {@link #start}, {@link #offer} from
 * any thread, {@link #close} (drains, snapshots when a snapshot writer is set, closes the journals).
 */
public final class EnginePipeline implements EngineHost
{
    /** Name of the thread that applies commands (and, with journalOnEngineThread, journals them). */
    public static final String ENGINE_THREAD = "mete-engine";

    private final AllocationEngine engine;
    private final PipelineConfig config;
    private final Disruptor<CommandSlot> input;
    private final Disruptor<OutputSlot> output;
    private final RingBuffer<CommandSlot> inputRing;
    private final JournalStage journalStage;
    private final BusinessLogicStage logicStage;
    /** The business-logic stage, or the stage that journals and applies on one thread. */
    private final EventHandler<CommandSlot> lastInputStage;
    private final OutputStage outputStage;
    private final IdleTicker ticker;
    private final Sequence lastApplied;
    private final EngineGauges gauges = new EngineGauges();
    private final ApplyLatency applyLatency;
    private final List<Thread> threads = new ArrayList<>();
    private final boolean snapshotOnClose;

    private volatile boolean accepting;
    private volatile boolean started;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile Throwable failure;
    private final CompletableFuture<Throwable> failed = new CompletableFuture<>();

    private EnginePipeline(final Builder builder)
    {
        this.engine = builder.engine;
        this.config = builder.config;
        this.snapshotOnClose = builder.snapshotOnClose;
        this.lastApplied = new Sequence(builder.lastSequence);

        // the two rings: pre-allocated slots, commands copied in by any thread, events by the business-logic thread
        final WaitStrategy inputWait = config.waitMode().newStrategy();
        input = new Disruptor<>(() -> new CommandSlot(config.slotBytes()), config.inputRingSize(),
            config.journalOnEngineThread() ? threadsNamed(ENGINE_THREAD) : threadsNamed("mete-journal", ENGINE_THREAD),
            ProducerType.MULTI, inputWait);
        // the business-logic thread wakes the output thread per batch, not per command (see BusinessLogicStage)
        final WaitStrategy outputWait = config.waitMode().newStrategy(false);
        output = new Disruptor<>(() -> new OutputSlot(config.slotBytes()), config.outputRingSize(),
            threadsNamed("mete-output"), ProducerType.SINGLE, outputWait);
        inputRing = input.getRingBuffer();

        // (1) journal, (2) business logic after (1), (3) output
        final Runnable journalAdvanced = inputWait instanceof ParkingWaitStrategy
            ? ((ParkingWaitStrategy)inputWait)::signalStageAdvanced
            : () -> { };
        journalStage = new JournalStage(builder.commandJournal, config.clock(), builder.lastSequence, engine.now(), journalAdvanced);
        outputStage = new OutputStage(builder.eventJournal, output.getRingBuffer());
        final Runnable wakeOutput = outputWait instanceof ParkingWaitStrategy
            ? ((ParkingWaitStrategy)outputWait)::wakeConsumers
            : () -> { };
        applyLatency = new ApplyLatency();
        logicStage = new BusinessLogicStage(this, engine, output.getRingBuffer(), wakeOutput, () -> output.getSequenceValueFor(outputStage),
            builder.snapshots, config.snapshotEveryCommands(), lastApplied, builder.lastEventSequence, gauges,
            applyLatency);
        if (config.journalOnEngineThread())
        {
            lastInputStage = new JournalThenApplyStage(journalStage, logicStage, inputRing);
            input.handleEventsWith(lastInputStage);
        }
        else
        {
            lastInputStage = logicStage;
            input.handleEventsWith(journalStage).then(logicStage);
        }
        output.handleEventsWith(outputStage);

        // a failing stage stops the pipeline where it is: later commands are neither journaled nor applied
        input.setDefaultExceptionHandler(new StopOnFailure<>());
        output.setDefaultExceptionHandler(new StopOnFailure<>());

        ticker = config.tickIdleMillis() > 0 ? new IdleTicker(this, inputRing::getCursor, config.tickIdleMillis()) : null;
    }

    public static Builder builder(final AllocationEngine engine)
    {
        return new Builder(engine);
    }

    @Override
    public void addListener(final OutputListener listener)
    {
        if (started)
        {
            throw new IllegalStateException("add listeners before start()");
        }
        outputStage.add(listener);
    }

    public EnginePipeline start()
    {
        if (started)
        {
            throw new IllegalStateException("already started");
        }
        started = true;
        output.start();
        input.start();
        accepting = true;
        if (ticker != null)
        {
            ticker.start();
        }
        return this;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Returns the command's position in the input ring (increasing per offer), not its command
     * sequence: the journal stage gives sequences in ring order so that queries, which take none,
     * leave no gaps. The sequence arrives with the command's output as {@code commandSequence}.
     */
    @Override
    public long offer(final int clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!accepting)
        {
            return CLOSED;
        }
        if (length < 0 || length > config.maxCommandLength())
        {
            throw new IllegalArgumentException("command length " + length + " outside 0.." + config.maxCommandLength());
        }
        final long position;
        try
        {
            position = inputRing.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return BACK_PRESSURED;
        }
        final CommandSlot slot = inputRing.get(position);
        slot.kind = AllocationEngine.isQuery(buffer, offset, length) ? CommandSlot.QUERY : CommandSlot.COMMAND;
        slot.clientId = clientId;
        slot.copy(buffer, offset, length);
        slot.offeredNs = System.nanoTime();
        inputRing.publish(position);
        return position;
    }

    /** {@link #offer}, waiting (spin, yield, then short parks) while the ring is full. Returns the position or {@link #CLOSED}. */
    public long submit(final int clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        int attempts = 0;
        while (true)
        {
            final long result = offer(clientId, buffer, offset, length);
            if (result != BACK_PRESSURED)
            {
                return result;
            }
            backOff(++attempts);
        }
    }

    /** Asks the business-logic thread for a snapshot after the commands already in the ring. */
    public long requestSnapshot()
    {
        if (!accepting)
        {
            return CLOSED;
        }
        final long position = inputRing.next();
        inputRing.get(position).kind = CommandSlot.SNAPSHOT;
        inputRing.get(position).offeredNs = 0;
        inputRing.publish(position);
        return position;
    }

    @Override
    public long lastAppliedSequence()
    {
        return lastApplied.get();
    }

    /** The engine's totals as of the end of the last batch, readable from any thread. */
    public EngineGauges gauges()
    {
        return gauges;
    }

    /** Offer to applied, per request: see {@link ApplyLatency}. */
    public ApplyLatency applyLatency()
    {
        return applyLatency;
    }

    /** Input ring slots taken: commands offered and not yet applied (queries and snapshot requests included). */
    public int inputRingUsed()
    {
        return (int)(inputRing.getBufferSize() - inputRing.remainingCapacity());
    }

    public int inputRingSize()
    {
        return inputRing.getBufferSize();
    }

    /** Snapshots written since start (every N commands, on request, at close). */
    public long snapshotsWritten()
    {
        return logicStage.snapshotsWritten();
    }

    /** The error that stopped the pipeline, or null. */
    public Throwable failure()
    {
        return failure;
    }

    /** Completes with the error that stopped the pipeline (never, after a clean close). */
    public CompletableFuture<Throwable> whenFailed()
    {
        return failed;
    }

    /** The engine; read it only when the pipeline is closed (its state belongs to the business-logic thread). */
    public AllocationEngine engine()
    {
        return engine;
    }

    boolean closingCleanly()
    {
        return closing && snapshotOnClose && failure == null;
    }

    /**
     * Stops accepting, lets every command already offered go through all stages, writes a snapshot
     * (when a snapshot writer is set) and closes the journals. A producer racing with close may see
     * its offer accepted yet never answered; it resends after restart like after a crash.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        accepting = false;
        if (ticker != null)
        {
            ticker.stop();
        }
        if (!started)
        {
            return;
        }
        LockSupport.parkNanos(1_000_000); // let producers that passed the accepting check publish
        closing = true;
        awaitStage(inputRing.getCursor(), () -> input.getSequenceValueFor(lastInputStage));
        drain(input);
        join("mete-journal", ENGINE_THREAD);
        awaitStage(output.getRingBuffer().getCursor(), () -> output.getSequenceValueFor(outputStage));
        drain(output);
        join("mete-output");
    }

    /**
     * Waits until the last stage of a ring has taken everything published there. Disruptor's own
     * shutdown counts only processors whose threads are already running, so a close that came before
     * a stage's thread began (right after start, or on a loaded machine) halted it with the ring unread.
     */
    private void awaitStage(final long published, final LongSupplier lastStage)
    {
        while (lastStage.getAsLong() < published && failure == null)
        {
            LockSupport.parkNanos(100_000);
        }
    }

    private void drain(final Disruptor<?> disruptor)
    {
        while (true)
        {
            try
            {
                disruptor.shutdown(50, TimeUnit.MILLISECONDS);
                return;
            }
            catch (final TimeoutException ex)
            {
                if (failure != null)
                {
                    disruptor.halt();
                    return;
                }
            }
        }
    }

    private void join(final String... names)
    {
        for (final Thread thread : threads)
        {
            for (final String name : names)
            {
                if (thread.getName().equals(name))
                {
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
    }

    private ThreadFactory threadsNamed(final String... names)
    {
        return new ThreadFactory()
        {
            private int next;

            @Override
            public Thread newThread(final Runnable runnable)
            {
                final Thread thread = new Thread(runnable, next < names.length ? names[next++] : "mete-stage");
                thread.setDaemon(true);
                synchronized (threads)
                {
                    threads.add(thread);
                }
                return thread;
            }
        };
    }

    private static void backOff(final int attempts)
    {
        if (attempts < 100)
        {
            Thread.onSpinWait();
        }
        else if (attempts < 200)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(50_000);
        }
    }

    private final class StopOnFailure<T> implements ExceptionHandler<T>
    {
        @Override
        public void handleEventException(final Throwable ex, final long position, final T event)
        {
            fail(ex);
            // rethrowing stops the stage before it marks the slot done, so no later stage sees it
            throw new IllegalStateException("pipeline stopped at ring position " + position, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            fail(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            fail(ex);
        }

        private void fail(final Throwable ex)
        {
            if (failure == null)
            {
                failure = ex;
                System.err.println("mete: pipeline stopped by " + ex);
                ex.printStackTrace();
            }
            accepting = false;
            failed.complete(ex);
        }
    }

    /** Everything the pipeline hosts; only the engine is required. */
    public static final class Builder
    {
        private final AllocationEngine engine;
        private PipelineConfig config = PipelineConfig.defaults();
        private CommandJournal commandJournal = CommandJournal.NONE;
        private EventJournal eventJournal;
        private SnapshotWriter snapshots;
        private boolean snapshotOnClose = true;
        private long lastSequence;
        private long lastEventSequence;

        private Builder(final AllocationEngine engine)
        {
            this.engine = engine;
            this.lastSequence = engine.lastSequence();
        }

        public Builder config(final PipelineConfig config)
        {
            this.config = config;
            return this;
        }

        public Builder commandJournal(final CommandJournal journal)
        {
            this.commandJournal = journal;
            return this;
        }

        public Builder eventJournal(final EventJournal journal)
        {
            this.eventJournal = journal;
            return this;
        }

        public Builder snapshots(final SnapshotWriter snapshots)
        {
            this.snapshots = snapshots;
            return this;
        }

        /** Whether close() writes a snapshot (when a snapshot writer is set); default true. */
        public Builder snapshotOnClose(final boolean snapshotOnClose)
        {
            this.snapshotOnClose = snapshotOnClose;
            return this;
        }

        /** The last event sequence already published (after recovery); the next event gets one more. */
        public Builder lastEventSequence(final long eventSequence)
        {
            this.lastEventSequence = eventSequence;
            return this;
        }

        public EnginePipeline build()
        {
            return new EnginePipeline(this);
        }
    }
}
