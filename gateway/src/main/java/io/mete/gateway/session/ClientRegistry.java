package io.mete.gateway.session;

import io.mete.engine.core.ClientLedger;
import io.mete.schema.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The clients allowed to log in: id, secret and role, from the server's configuration. */
public final class ClientRegistry
{
    /** One configured client. */
    public record Client(int id, String secret, Role role)
    {
        public Client
        {
            if (id < 1 || id >= ClientLedger.MAX_CLIENTS)
            {
                throw new IllegalArgumentException("client id must be 1.." + (ClientLedger.MAX_CLIENTS - 1) + ": " + id);
            }
            if (secret == null || secret.isEmpty() || secret.length() > 254 || !StandardCharsets.US_ASCII.newEncoder().canEncode(secret))
            {
                throw new IllegalArgumentException("client " + id + ": secret must be 1..254 ASCII characters");
            }
        }

        @Override
        public String toString()
        {
            return "Client[id=" + id + ", role=" + role + "]";
        }
    }

    private final Map<Integer, Client> clients = new TreeMap<>();

    public ClientRegistry add(final Client client)
    {
        clients.put(client.id(), client);
        return this;
    }

    public Client get(final int id)
    {
        return clients.get(id);
    }

    public Collection<Client> all()
    {
        return Collections.unmodifiableCollection(clients.values());
    }

    public boolean isEmpty()
    {
        return clients.isEmpty();
    }

    /** The client when id and secret match (compared in constant time), else null. */
    public Client authenticate(final long id, final byte[] secret)
    {
        final Client client = id > 0 && id < ClientLedger.MAX_CLIENTS ? clients.get((int)id) : null;
        final byte[] expected = client == null ? new byte[0] : client.secret().getBytes(StandardCharsets.US_ASCII);
        final boolean match = MessageDigest.isEqual(expected, secret);
        return client != null && match ? client : null;
    }
}
