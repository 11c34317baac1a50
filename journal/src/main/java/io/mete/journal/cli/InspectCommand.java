package io.mete.journal.cli;

import io.mete.engine.command.MessageFormatter;
import io.mete.journal.JournalDirectory;
import io.mete.journal.JournalReader;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Decodes journal entries to readable lines. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Decode commands (or, with --events, the events they caused) to readable lines.")
final class InspectCommand implements Callable<Integer>
{
    @Mixin
    ToolOptions options;

    @Option(names = "--from", paramLabel = "SEQ", description = "first command sequence to show")
    Long from;

    @Option(names = "--to", paramLabel = "SEQ", description = "last command sequence to show")
    Long to;

    @Option(names = "--order", paramLabel = "ID", description = "only entries that mention this order id")
    String order;

    @Option(names = "--sku", paramLabel = "CODE", description = "only entries that mention this SKU")
    String sku;

    @Option(names = "--events", description = "show the event journal (events of the commands in --from..--to)")
    boolean events;

    @Option(names = "--limit", defaultValue = "1000000", description = "stop after this many lines (default: ${DEFAULT-VALUE})")
    long limit;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        final JournalDirectory directory = options.directory();
        final MessageFormatter formatter = new MessageFormatter();
        final MessageJson json = options.json ? new MessageJson() : null;
        final long first = from == null ? Long.MIN_VALUE : from;
        final long last = to == null ? Long.MAX_VALUE : to;
        final long[] counts = new long[3]; // read, shown, last sequence
        counts[2] = -1;
        try (SingleChronicleQueue queue = events ? directory.openEventsReadOnly() : directory.openCommandsReadOnly();
             JournalReader reader = new JournalReader(queue, events ? "event" : "command"))
        {
            if (from != null)
            {
                if (events)
                {
                    if (reader.findLastWithSecondAtMost(from - 1))
                    {
                        reader.seek(reader.first() + 1);
                    }
                    else
                    {
                        reader.toStart();
                    }
                }
                else if (!reader.seek(from))
                {
                    reader.toStart();
                }
            }
            final JournalReader.Handler show = (a, b, clientId, buffer, offset, length) ->
            {
                counts[0]++;
                final long commandSequence = events ? b : a;
                if (commandSequence < first || commandSequence > last || counts[1] >= limit)
                {
                    return;
                }
                final String message = formatter.format(buffer, offset, length);
                if ((order != null && !message.contains(order)) || (sku != null && !message.contains(sku)))
                {
                    return;
                }
                counts[1]++;
                counts[2] = a;
                if (options.json)
                {
                    final Map<String, Object> line = new LinkedHashMap<>();
                    if (events)
                    {
                        line.put("eventSequence", a);
                        line.put("commandSequence", b);
                    }
                    else
                    {
                        line.put("sequence", a);
                        line.put("timestamp", Instant.ofEpochMilli(b).toString());
                    }
                    line.put("clientId", clientId);
                    line.put("message", new Summary.RawJson(json.toJson(buffer, offset, length)));
                    out.println(Summary.toJson(line));
                }
                else if (events)
                {
                    out.printf("%d cmd=%d client=%d %s%n", a, b, clientId, message);
                }
                else
                {
                    out.printf("%d %s client=%d %s%n", a, Instant.ofEpochMilli(b), clientId, message);
                }
            };
            while (reader.next(show))
            {
                if ((events ? reader.second() : reader.first()) > last || counts[1] >= limit)
                {
                    break;
                }
            }
        }
        new Summary().put("journal", events ? "events" : "commands").put("entries-read", counts[0]).put("entries-shown", counts[1])
            .put("last-shown", counts[2]).print(out, options.json);
        return 0;
    }
}
