package io.mete.gateway;

import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.Reply;
import io.mete.schema.SourcingStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads a workload's network through an ADMIN client. */
final class TestNetwork
{
    /** 5 nodes, 20 SKUs stocked at 3 nodes each with 10 units: small enough to run out. */
    static final Workload SCARCE = new Workload("scarce", 5, 20, 3, 10, 2, 0.0, 0, 0, SourcingStrategy.COST, 7L);

    private TestNetwork()
    {
    }

    static int load(final MeteClient admin, final Workload workload)
    {
        final List<CompletableFuture<Reply>> replies = new ArrayList<>();
        final int commands = ReferenceNetwork.build(workload, (buffer, offset, length) -> replies.add(admin.send(buffer, offset, length)));
        for (final CompletableFuture<Reply> reply : replies)
        {
            final Reply r = admin.await(reply);
            assertTrue(r.isAccepted(), () -> "setup command rejected: " + r);
        }
        return commands;
    }
}
