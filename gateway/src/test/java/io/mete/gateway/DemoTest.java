package io.mete.gateway;

import io.mete.gateway.cli.MeteCommand;
import io.mete.journal.cli.JournalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ./mete demo}, the README's first command, on a small burst: its summary, and a journal that verifies. */
class DemoTest
{
    @Test
    void theDemoPlacesEveryOrderOverTcpAndLeavesAJournalThatVerifies(@TempDir final Path dir)
    {
        final Path data = dir.resolve("demo");
        final String out = run(new MeteCommand(), "demo", "--orders", "3000", "--data", data.toString());
        assertTrue(out.contains("placed 3,000 orders in "), out);
        assertTrue(out.contains("fill rate at placement:      100.00%"), out);
        assertTrue(out.contains("backorders:                  0 units waiting"), out);
        assertTrue(out.matches("(?s).*commands: +\\d[\\d,]* accepted, 0 rejected.*"), out);
        assertTrue(out.matches("(?s).*a promise, before ordering: +SKU00001 \\+ SKU00042 \\+ SKU00077 to New York: N\\d{3} by \\d{4}-\\d\\d-\\d\\d.*"), out);
        assertTrue(out.contains("journal:                     " + data.toAbsolutePath()), out);

        final String verify = run(new JournalCommand(), "verify", data.toString());
        assertTrue(verify.contains("verify: OK"), verify);
    }

    private static String run(final Object command, final String... args)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final int exit = new CommandLine(command).execute(args);
            assertEquals(0, exit, captured.toString(StandardCharsets.UTF_8));
            return captured.toString(StandardCharsets.UTF_8);
        }
        finally
        {
            System.setOut(original);
        }
    }
}
