package io.mete.journal;

import io.mete.engine.runtime.PipelineConfig;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.CommandAcceptedDecoder;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link CrashRecoveryTest} kills: recovers the engine from a directory, then places
 * orders as fast as the pipeline takes them (client 1, client sequence = correlation id, starting
 * at the value given), printing {@code A <correlationId>} for every command it saw accepted. What
 * it printed before the kill is what an OMS would have been told.
 * <p>
 * Arguments: directory, order id prefix, first correlation id, whether the engine thread journals.
 */
public final class CrashChild
{
    static final Workload WORKLOAD = new Workload("crash", 50, 200, 10, 1_000_000, 3, 0.0, 0, 0, SourcingStrategy.COST, Workload.SEED);
    static final int CLIENT = 1;

    private CrashChild()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final String prefix = args[1];
        final long firstCorrelation = Long.parseLong(args[2]);
        final boolean journalOnEngineThread = Boolean.parseBoolean(args[3]);
        final PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        final JournaledEngine engine = JournaledEngine.open(dir, JournalOptions.defaults()
            .engineConfig(CrashRecoveryTest.CONFIG)
            .pipelineConfig(PipelineConfig.defaults().tickIdleMillis(50).snapshotEveryCommands(5_000)
                .journalOnEngineThread(journalOnEngineThread)), problem ->
            {
                out.println("P " + problem);
            });
        engine.addListener((eventSequence, clientId, commandSequence, buffer, offset, length, endOfBatch) ->
        {
            if (clientId == CLIENT && buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) == CommandAcceptedDecoder.TEMPLATE_ID)
            {
                out.print("A ");
                out.println(buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN));
            }
            if (endOfBatch)
            {
                out.flush();
            }
        });
        engine.start();

        final List<byte[]> setup = new ArrayList<>();
        ReferenceNetwork.build(WORKLOAD, (buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            setup.add(copy);
        });
        // a kill during setup leaves part of it journaled: send the rest (setup commands take sequences 0, 1, 2...)
        for (long i = engine.recovery().lastSequence() + 1; i < setup.size(); i++)
        {
            final byte[] command = setup.get((int)i);
            engine.submit(0, new UnsafeBuffer(command), 0, command.length);
        }
        out.println("READY " + engine.recovery().lastSequence() + " " + engine.recovery().snapshotSequence() + " " +
            engine.recovery().eventsRestored());
        out.flush();

        final OrderGenerator orders = new OrderGenerator(WORKLOAD, 1024, prefix);
        while (true)
        {
            final long id = orders.next();
            orders.buffer().putLong(orders.offset() + 8, firstCorrelation + id, ByteOrder.LITTLE_ENDIAN);
            engine.submit(CLIENT, orders.buffer(), orders.offset(), orders.length());
        }
    }
}
