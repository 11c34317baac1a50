package io.mete.gateway.session;

import io.mete.engine.core.ClientLedger;
import io.mete.schema.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The clients allowed to log in: id, role, either the secret or a {@link SecretHash} of it, and a
 * {@link RateLimit}, from the server's configuration.
 */
public final class ClientRegistry
{
    /** One configured client: exactly one of {@code secret} and {@code hash} is set. */
    public record Client(int id, String secret, SecretHash hash, Role role, RateLimit rateLimit)
    {
        public Client
        {
            rateLimit = rateLimit == null ? RateLimit.NONE : rateLimit;
            if (id < 1 || id >= ClientLedger.MAX_CLIENTS)
            {
                throw new IllegalArgumentException("client id must be 1.." + (ClientLedger.MAX_CLIENTS - 1) + ": " + id);
            }
            if ((secret == null) == (hash == null))
            {
                throw new IllegalArgumentException("client " + id + ": give either the secret or its hash, not " +
                    (secret == null ? "neither" : "both"));
            }
            if (secret != null && (secret.isEmpty() || secret.length() > 254 || !StandardCharsets.US_ASCII.newEncoder().canEncode(secret)))
            {
                throw new IllegalArgumentException("client " + id + ": secret must be 1..254 ASCII characters");
            }
        }

        /** A client whose secret the configuration holds as it is. */
        public Client(final int id, final String secret, final Role role)
        {
            this(id, secret, null, role, RateLimit.NONE);
        }

        /** A client whose configuration holds only the hash of its secret. */
        public static Client hashed(final int id, final SecretHash hash, final Role role)
        {
            return new Client(id, null, hash, role, RateLimit.NONE);
        }

        /** The same client with this rate limit. */
        public Client withRateLimit(final RateLimit limit)
        {
            return new Client(id, secret, hash, role, limit);
        }

        boolean accepts(final byte[] offered)
        {
            return hash != null ? hash.matches(offered) : MessageDigest.isEqual(secret.getBytes(StandardCharsets.US_ASCII), offered);
        }

        @Override
        public String toString()
        {
            return "Client[id=" + id + ", role=" + role + ", rateLimit=" + rateLimit + "]";
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
        return client != null && client.accepts(secret) ? client : null;
    }
}
