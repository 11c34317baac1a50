package io.mete.gateway.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The JDK's HTTP server, made with the settings every Mete HTTP endpoint needs. */
public final class HttpServers
{
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static
    {
        // The JDK server writes a response's headers and body separately and leaves Nagle's algorithm
        // on: the body then waits for the client's delayed ACK, 40 ms on Linux, on every request of a
        // kept-alive connection. The server reads the property once, when its first instance is made.
        if (System.getProperty(NO_DELAY) == null)
        {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private HttpServers()
    {
    }

    /** An unstarted server bound to {@code address}. */
    public static HttpServer create(final InetSocketAddress address, final int backlog) throws IOException
    {
        return HttpServer.create(address, backlog);
    }
}
