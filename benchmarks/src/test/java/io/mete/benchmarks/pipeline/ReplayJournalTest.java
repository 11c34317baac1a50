package io.mete.benchmarks.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;

class ReplayJournalTest
{
    @Test
    void aJournalWrittenByAChildJvmRecoversFromScratchAndFromItsSnapshot() throws Exception
    {
        final int orders = ReplayJournal.TAIL + 20_000;
        final ReplayJournal journal = ReplayJournal.writeInChildProcess(orders);
        try
        {
            assertEquals(200_102 + orders, journal.commands, "the reference network's commands, then the orders");
            assertEquals(journal.commands - 1, journal.replayFromScratch());
            // throws unless a snapshot was found and the tail after it replayed to the end
            assertEquals(journal.commands - 1, journal.restartFromSnapshot());
        }
        finally
        {
            journal.delete();
        }
        assertFalse(Files.exists(journal.dir));
    }
}
