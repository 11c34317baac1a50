package io.mete.benchmarks.load;

import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.gateway.session.ClientRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads a workload's network (sourcing policy, rate card, nodes, stock) into a running server
 * through an ADMIN session, pipelined. Every command is idempotent in effect (define, set), so
 * loading twice leaves the same network; stock is set back to the workload's on-hand.
 */
public final class NetworkSetup
{
    private NetworkSetup()
    {
    }

    /** Returns the number of commands sent; throws when any was rejected. */
    public static int load(final String host, final int port, final ClientRegistry.Client admin, final Workload workload, final PrintStream log)
        throws IOException
    {
        final MeteClient.Options options = new MeteClient.Options(host, port, admin.id(), admin.secret());
        options.autoFlush = false;
        options.requestTimeoutMs = 120_000;
        final long start = System.nanoTime();
        final AtomicLong rejected = new AtomicLong();
        final AtomicReference<String> firstReject = new AtomicReference<>();
        int commands;
        try (MeteClient client = MeteClient.connect(options))
        {
            final int[] count = {0};
            final CompletableFuture<?>[] last = {null};
            commands = ReferenceNetwork.build(workload, (buffer, offset, length) ->
            {
                final CompletableFuture<Reply> future = client.send((b, o, c) ->
                {
                    b.putBytes(o, buffer, offset, length);
                    b.putLong(o + io.mete.schema.MessageHeaderDecoder.ENCODED_LENGTH, c, ByteOrder.LITTLE_ENDIAN);
                    return length;
                });
                future.thenAccept(reply ->
                {
                    if (reply.isRejected())
                    {
                        rejected.incrementAndGet();
                        firstReject.compareAndSet(null, reply.toString());
                    }
                });
                last[0] = future;
                if (++count[0] % 256 == 0)
                {
                    client.flush();
                }
                if (log != null && count[0] % 100_000 == 0)
                {
                    log.printf("\rsetup: %,d commands", count[0]);
                    log.flush();
                }
            });
            client.flush();
            if (last[0] != null)
            {
                client.await(last[0].thenApply(x -> (Reply)null));
            }
        }
        if (rejected.get() > 0)
        {
            throw new IllegalStateException("setup: " + rejected.get() + " of " + commands + " commands rejected, first: " + firstReject.get());
        }
        if (log != null)
        {
            log.printf("\rsetup: workload %s, %d nodes, %d SKUs: %,d commands in %.1f s%n", workload.name(), workload.nodes(), workload.skus(),
                commands, (System.nanoTime() - start) / 1e9);
        }
        return commands;
    }
}
