package io.mete.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Dies in the middle of a command journal entry, holding Chronicle's write lock: starts a document,
 * writes half an entry header, halts the JVM. What a SIGKILL during an append leaves behind.
 * Argument: the journal directory.
 */
public final class TornWriter
{
    private TornWriter()
    {
    }

    public static void main(final String[] args)
    {
        final SingleChronicleQueue queue = new JournalDirectory(Path.of(args[0])).openCommands(Durability.PAGECACHE);
        final ExcerptAppender appender = queue.createAppender();
        final DocumentContext context = appender.writingDocument();
        context.wire().bytes().writeLong(Long.MAX_VALUE);
        context.wire().bytes().writeLong(42L);
        System.out.println("halting inside an entry");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
