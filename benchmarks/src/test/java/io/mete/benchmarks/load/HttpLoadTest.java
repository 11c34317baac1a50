package io.mete.benchmarks.load;

import io.mete.engine.workload.Workload;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.http.HttpGateway;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.Role;
import io.mete.schema.SourcingStrategy;
import io.mete.schema.TotalsDecoder;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.*;

/** The HTTP load tool against a real gateway and its HTTP door: every order it counts is one the engine placed. */
class HttpLoadTest
{
    @Test
    void everyRequestCountedIsAnOrderTheEnginePlaced() throws Exception
    {
        final GatewayConfig config = GatewayConfig.defaults();
        try (InProcessServer server = new InProcessServer(config))
        {
            NetworkSetup.load("127.0.0.1", server.port, new ClientRegistry.Client(1, "mete-admin", Role.ADMIN),
                Workload.reference(SourcingStrategy.COST), null);
            try (HttpGateway http = new HttpGateway(HttpGateway.Settings.of("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", server.port),
                null, server.gateway::lastEventSequence);
                 MeteClient monitor = MeteClient.connect("127.0.0.1", server.port, 4, "mete-monitor"))
            {
                final long before = monitor.totals().wrap(new TotalsDecoder()).orders();
                final HttpLoad load = new HttpLoad();
                load.url = "http://127.0.0.1:" + http.address().getPort();
                load.clientId = 2;
                load.secret = "mete-orders";
                load.connections = 2;
                load.warmup = 0;
                load.duration = 1;
                load.workload = "reference";
                final HttpLoad.Result result = load.run();

                assertEquals(0, result.notOk());
                assertTrue(result.latency().getTotalCount() > 10, "requests: " + result.latency().getTotalCount());
                final TotalsDecoder after = monitor.totals().wrap(new TotalsDecoder());
                assertEquals(before + result.latency().getTotalCount(), after.orders(), "each request one order");
                assertEquals(after.unitsOrdered(), after.unitsAllocatedAtPlacement(), "every unit reserved");
            }
        }
    }
}
