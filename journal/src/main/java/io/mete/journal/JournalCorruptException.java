package io.mete.journal;

/**
 * A journal that cannot be replayed as it is: a corrupt or torn entry, a gap in the sequence, or
 * a snapshot that does not fit the journal. Recovery stops; nothing after the problem is applied.
 */
public final class JournalCorruptException extends RuntimeException
{
    public JournalCorruptException(final String message)
    {
        super(message);
    }
}
