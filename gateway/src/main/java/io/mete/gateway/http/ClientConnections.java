package io.mete.gateway.http;

import io.mete.gateway.client.MeteClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One logged-in {@link MeteClient} per client id, shared by every HTTP request that carries that
 * client's credentials. The TCP gateway stays the one place that checks secrets and roles, numbers
 * requests per client and keeps the engine's answers for resends; this class only logs in once and
 * then holds the secret's digest, so a later request with another secret is refused without a
 * round trip.
 * <p>
 * A client id has one session at a time (a second login replaces the first), so a client id used
 * over HTTP should not also be used by a TCP client of its own.
 */
final class ClientConnections implements AutoCloseable
{
    /** The login was refused: unknown client or wrong secret. */
    static final class RefusedException extends Exception
    {
        private static final long serialVersionUID = 1L;

        RefusedException(final String message)
        {
            super(message);
        }
    }

    private record Connection(MeteClient client, byte[] secretDigest)
    {
    }

    private final String host;
    private final int port;
    private final long requestTimeoutMs;
    private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ClientConnections(final String host, final int port, final long requestTimeoutMs)
    {
        this.host = host;
        this.port = port;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * The client's session, logging in first when it has none.
     *
     * @throws RefusedException the server refused the login, or the secret differs from the one the session logged in with
     * @throws IOException      the server cannot be reached
     */
    MeteClient client(final int clientId, final String secret) throws RefusedException, IOException
    {
        final byte[] digest = digest(secret);
        final Connection connection = connections.get(clientId);
        if (connection != null && !connection.client().isClosed())
        {
            return checked(connection, digest);
        }
        synchronized (this)
        {
            if (closed)
            {
                throw new IOException("the HTTP gateway is closing");
            }
            final Connection current = connections.get(clientId);
            if (current != null && !current.client().isClosed())
            {
                return checked(current, digest);
            }
            if (current != null)
            {
                current.client().close();
                connections.remove(clientId);
            }
            final MeteClient.Options options = new MeteClient.Options(host, port, clientId, secret);
            options.requestTimeoutMs = requestTimeoutMs;
            final MeteClient client;
            try
            {
                client = MeteClient.connect(options);
            }
            catch (final IOException ex)
            {
                final String message = String.valueOf(ex.getMessage());
                if (message.contains("AUTHENTICATION_FAILED"))
                {
                    throw new RefusedException(message);
                }
                throw ex;
            }
            connections.put(clientId, new Connection(client, digest));
            return client;
        }
    }

    /** Client ids with a session now. */
    int size()
    {
        return connections.size();
    }

    private static MeteClient checked(final Connection connection, final byte[] digest) throws RefusedException
    {
        if (!MessageDigest.isEqual(connection.secretDigest(), digest))
        {
            throw new RefusedException("AUTHENTICATION_FAILED: wrong secret");
        }
        return connection.client();
    }

    private static byte[] digest(final String secret)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close()
    {
        final List<Connection> open;
        synchronized (this)
        {
            closed = true;
            open = new ArrayList<>(connections.values());
            connections.clear();
        }
        for (final Connection connection : open)
        {
            connection.client().close();
        }
    }
}
