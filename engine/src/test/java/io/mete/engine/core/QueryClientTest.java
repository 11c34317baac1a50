package io.mete.engine.core;

import io.mete.engine.command.CommandWriter;
import io.mete.schema.ClientStatusDecoder;
import io.mete.schema.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The gateway asks at login which client sequence the engine applied last for a client. */
class QueryClientTest
{
    @Test
    void answersTheLastAppliedClientSequenceWithoutTakingASequence()
    {
        final List<byte[]> out = new ArrayList<>();
        final AllocationEngine engine = new AllocationEngine(EngineConfig.defaults(), (buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            out.add(copy);
        });
        final CommandWriter writer = new CommandWriter();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

        engine.apply(0, 1_000, 9, buffer, 0, writer.queryClient(buffer, 0, 77, 9));
        assertEquals(-1, status(out).lastClientSequence(), "nothing applied yet");

        engine.apply(0, 1_000, 9, buffer, 0, writer.tick(buffer, 0, 41));
        engine.apply(1, 1_000, 9, buffer, 0, writer.tick(buffer, 0, 42));
        engine.apply(2, 1_000, 3, buffer, 0, writer.tick(buffer, 0, 5));
        out.clear();
        engine.apply(2, 1_000, 9, buffer, 0, writer.queryClient(buffer, 0, 78, 9));
        final ClientStatusDecoder status = status(out);
        assertEquals(78, status.correlationId());
        assertEquals(9, status.clientId());
        assertEquals(42, status.lastClientSequence());
        assertEquals(2, status.lastSequence());
        assertEquals(1, out.size(), "one answer, nothing else");
        assertTrue(AllocationEngine.isQuery(io.mete.schema.QueryClientDecoder.TEMPLATE_ID), "QueryClient is a query");

        out.clear();
        engine.apply(2, 1_000, 9, buffer, 0, writer.queryClient(buffer, 0, 79, 5000));
        assertEquals(-1, status(out).lastClientSequence(), "a client id beyond the ledger has applied nothing");
        assertEquals(2, engine.lastSequence(), "queries take no sequence");
    }

    private static ClientStatusDecoder status(final List<byte[]> out)
    {
        final UnsafeBuffer message = new UnsafeBuffer(out.get(out.size() - 1));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
        assertEquals(ClientStatusDecoder.TEMPLATE_ID, header.templateId());
        return new ClientStatusDecoder().wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }
}
