package io.mete.benchmarks.load;

import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.session.ClientRegistry;
import io.mete.schema.Role;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The client ids the load generator logs in with. They come from the server's configuration: the
 * same properties file the server reads ({@code --server-config}), or, without one, the gateway's
 * built-in defaults ({@link GatewayConfig#defaultClients()}: 1 ADMIN, 2 ORDERS, 3 INVENTORY,
 * 4 MONITOR). One client id is logged in on one connection only (a second login replaces the
 * first), so {@code --connections N} needs N clients that may send the run's commands.
 */
public final class LoadClients
{
    private final List<ClientRegistry.Client> all;

    private LoadClients(final Collection<ClientRegistry.Client> clients)
    {
        this.all = List.copyOf(clients);
    }

    public static LoadClients defaults()
    {
        return new LoadClients(GatewayConfig.defaultClients().all());
    }

    /**
     * The {@code client.N.secret} / {@code client.N.role} entries of a server properties file (other
     * keys are the server's business and are ignored here, clients given only by
     * {@code client.N.secretHash} too); the defaults when it has none, as the server does.
     */
    public static LoadClients fromServerConfig(final Path file) throws IOException
    {
        final Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(reader);
        }
        final TreeMap<Integer, ClientRegistry.Client> clients = new TreeMap<>();
        int hashedOnly = 0;
        for (final String key : p.stringPropertyNames())
        {
            if (key.startsWith("client.") && key.endsWith(".secretHash"))
            {
                hashedOnly++;
            }
            if (key.startsWith("client.") && key.endsWith(".secret"))
            {
                final int id = Integer.parseInt(key.substring("client.".length(), key.length() - ".secret".length()));
                final String role = p.getProperty("client." + id + ".role", "ORDERS").trim().toUpperCase(Locale.ROOT);
                clients.put(id, new ClientRegistry.Client(id, p.getProperty(key).trim(), Role.valueOf(role)));
            }
        }
        if (clients.isEmpty() && hashedOnly > 0)
        {
            throw new IllegalArgumentException(file + " holds only hashes of the client secrets (client.N.secretHash); " +
                "the load generator logs in with the secrets themselves: pass a file with client.N.secret entries");
        }
        return clients.isEmpty() ? defaults() : new LoadClients(clients.values());
    }

    public static LoadClients of(final Collection<ClientRegistry.Client> clients)
    {
        return new LoadClients(clients);
    }

    public List<ClientRegistry.Client> all()
    {
        return all;
    }

    /**
     * Clients for {@code connections} load connections. Order traffic takes ORDERS clients first,
     * then ADMIN ones; mixed traffic (which adjusts inventory too) needs ADMIN clients.
     */
    public List<ClientRegistry.Client> forLoad(final int connections, final boolean needsInventory)
    {
        final List<ClientRegistry.Client> chosen = new ArrayList<>();
        if (!needsInventory)
        {
            for (final ClientRegistry.Client c : all)
            {
                if (c.role() == Role.ORDERS && chosen.size() < connections)
                {
                    chosen.add(c);
                }
            }
        }
        for (final ClientRegistry.Client c : all)
        {
            if (c.role() == Role.ADMIN && chosen.size() < connections)
            {
                chosen.add(c);
            }
        }
        if (chosen.size() < connections)
        {
            throw new IllegalArgumentException(String.format(
                "%d connections need %d clients with role %s in the server's configuration; it has %d. " +
                    "Add client.N.secret / client.N.role entries and pass the file with --server-config.",
                connections, connections, needsInventory ? "ADMIN" : "ORDERS or ADMIN", chosen.size()));
        }
        return chosen;
    }

    /** The client that loads the network and runs the checks: the first ADMIN client. */
    public ClientRegistry.Client admin()
    {
        for (final ClientRegistry.Client c : all)
        {
            if (c.role() == Role.ADMIN)
            {
                return c;
            }
        }
        throw new IllegalArgumentException("the server's configuration has no ADMIN client (needed for --setup and the checks)");
    }
}
