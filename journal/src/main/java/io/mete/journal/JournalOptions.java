package io.mete.journal;

import io.mete.engine.core.EngineConfig;
import io.mete.engine.runtime.PipelineConfig;

/** What {@link JournaledEngine#open} needs besides the directory. */
public final class JournalOptions
{
    private EngineConfig engineConfig = EngineConfig.defaults();
    private PipelineConfig pipelineConfig = PipelineConfig.defaults();
    private Durability durability = Durability.PAGECACHE;
    private boolean snapshots = true;
    private boolean writeback = true;
    private boolean readAhead = true;

    public static JournalOptions defaults()
    {
        return new JournalOptions();
    }

    public JournalOptions engineConfig(final EngineConfig config)
    {
        this.engineConfig = config;
        return this;
    }

    public JournalOptions pipelineConfig(final PipelineConfig config)
    {
        this.pipelineConfig = config;
        return this;
    }

    public JournalOptions durability(final Durability durability)
    {
        this.durability = durability;
        return this;
    }

    /** Whether to start from and write snapshots (default true). */
    public JournalOptions snapshots(final boolean snapshots)
    {
        this.snapshots = snapshots;
        return this;
    }

    /**
     * In {@link Durability#PAGECACHE} mode, whether a thread writes journal pages back steadily
     * behind the writer ({@link JournalWriteback}) instead of leaving it all to the kernel (default true).
     */
    public JournalOptions writeback(final boolean writeback)
    {
        this.writeback = writeback;
        return this;
    }

    /**
     * Whether a thread reads each journal's newest file ahead of its appender, so the appender's
     * first write to a page finds it cached instead of faulting it in ({@link JournalReadAhead};
     * default true).
     */
    public JournalOptions readAhead(final boolean readAhead)
    {
        this.readAhead = readAhead;
        return this;
    }

    public EngineConfig engineConfig()
    {
        return engineConfig;
    }

    public PipelineConfig pipelineConfig()
    {
        return pipelineConfig;
    }

    public Durability durability()
    {
        return durability;
    }

    public boolean snapshots()
    {
        return snapshots;
    }

    public boolean writeback()
    {
        return writeback;
    }

    public boolean readAhead()
    {
        return readAhead;
    }
}
