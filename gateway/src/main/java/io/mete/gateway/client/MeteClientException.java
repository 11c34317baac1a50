package io.mete.gateway.client;

import io.mete.schema.SessionRejectReason;

/** A request that cannot be answered: the server refused the session, or the client was closed. */
public final class MeteClientException extends RuntimeException
{
    private final SessionRejectReason reason;

    public MeteClientException(final String message)
    {
        this(null, message);
    }

    public MeteClientException(final SessionRejectReason reason, final String message)
    {
        super(reason == null ? message : reason + ": " + message);
        this.reason = reason;
    }

    /** The session-level reason, or null when the client itself gave up (closed, timed out). */
    public SessionRejectReason reason()
    {
        return reason;
    }
}
