package io.mete.gateway;

import io.mete.engine.core.AllocationEngine;
import io.mete.engine.core.EngineConfig;
import io.mete.engine.core.EventSink;
import io.mete.engine.runtime.EnginePipeline;
import io.mete.engine.runtime.PipelineConfig;
import io.mete.gateway.client.MeteClient;
import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.server.GatewayServer;
import io.mete.gateway.server.ServerLog;
import io.mete.gateway.server.SnapshotControl;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.Role;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A gateway on a loopback port in front of the real command pipeline (no disk: commands are not
 * journaled, events are kept in memory for subscribers).
 */
final class TestServer implements AutoCloseable
{
    static final String SECRET = "secret-";

    final EnginePipeline pipeline;
    final GatewayServer gateway;
    final MemoryEventJournal events = new MemoryEventJournal();
    final int port;

    TestServer() throws IOException
    {
        this(config -> {}, pipeline -> {});
    }

    TestServer(final Consumer<GatewayConfig> configure, final Consumer<PipelineConfig> pipelineConfigure) throws IOException
    {
        this(configure, pipelineConfigure, host -> host);
    }

    /** {@code wrap} may put a decorator between the gateway and the pipeline (to simulate a full ring). */
    TestServer(
        final Consumer<GatewayConfig> configure, final Consumer<PipelineConfig> pipelineConfigure,
        final java.util.function.UnaryOperator<io.mete.engine.runtime.EngineHost> wrap) throws IOException
    {
        ServerLog.level(ServerLog.WARN);
        final GatewayConfig config = new GatewayConfig();
        config.port = 0;
        config.clients = new ClientRegistry();
        // ids 1..9 ADMIN, 10..19 ORDERS, 20..29 INVENTORY, 30..39 MONITOR
        for (int id = 1; id < 40; id++)
        {
            final Role role = id < 10 ? Role.ADMIN : id < 20 ? Role.ORDERS : id < 30 ? Role.INVENTORY : Role.MONITOR;
            config.clients.add(new ClientRegistry.Client(id, SECRET + id, role));
        }
        configure.accept(config);
        final PipelineConfig pipelineConfig = PipelineConfig.defaults().tickIdleMillis(0);
        pipelineConfigure.accept(pipelineConfig);
        final AllocationEngine engine = new AllocationEngine(EngineConfig.defaults().expectedOrders(1 << 18), EventSink.NONE);
        pipeline = EnginePipeline.builder(engine).config(pipelineConfig).eventJournal(events).build();
        final SnapshotControl snapshots = () -> CompletableFuture.completedFuture(
            new SnapshotControl.Snapshot(pipeline.lastAppliedSequence(), "memory"));
        gateway = new GatewayServer(config, wrap.apply(pipeline), events, snapshots, "test");
        pipeline.start();
        port = gateway.start().getPort();
    }

    MeteClient client(final int clientId) throws IOException
    {
        return MeteClient.connect("127.0.0.1", port, clientId, SECRET + clientId);
    }

    MeteClient client(final int clientId, final Consumer<MeteClient.Options> configure) throws IOException
    {
        final MeteClient.Options options = new MeteClient.Options("127.0.0.1", port, clientId, SECRET + clientId);
        configure.accept(options);
        return MeteClient.connect(options);
    }

    @Override
    public void close()
    {
        gateway.close();
        pipeline.close();
    }
}
