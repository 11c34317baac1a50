package io.mete.benchmarks.load;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.runtime.EnginePipeline;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.server.GatewayServer;

import java.io.IOException;

/**
 * A real gateway on a loopback port over the real pipeline (no journal), for tests of the load
 * generator: the sockets, sessions, ordering and backpressure are the server's own.
 */
final class InProcessServer implements AutoCloseable
{
    final EnginePipeline pipeline;
    final GatewayServer gateway;
    final int port;

    InProcessServer(final GatewayConfig config) throws IOException
    {
        final AllocationEngine engine = new AllocationEngine(
            EngineConfig.defaults().expectedNodes(128).expectedSkus(16_384).expectedOrders(1 << 18), EventSink.NONE);
        pipeline = EnginePipeline.builder(engine).config(PipelineConfig.defaults().tickIdleMillis(0)).build();
        config.port = 0;
        gateway = new GatewayServer(config, pipeline, null, null, "test");
        pipeline.start();
        port = gateway.start().getPort();
    }

    @Override
    public void close()
    {
        gateway.close();
        pipeline.close();
    }
}
