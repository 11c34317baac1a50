package io.mete.journal;

/**
 * How far a journal write goes before the command is applied (and so before it can be
 * acknowledged). See journal/README.md for the measured cost of each.
 */
public enum Durability
{
    /**
     * Written to the memory-mapped file, so in the operating system's page cache: survives a crash
     * or kill of the process, not a power loss or kernel crash. The default.
     */
    PAGECACHE,
    /**
     * Also msync'ed (MS_SYNC) up to the last entry at the end of every batch the ring hands over:
     * survives power loss, at the cost of a device flush per batch.
     */
    SYNC;

    public static Durability parse(final String name)
    {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
