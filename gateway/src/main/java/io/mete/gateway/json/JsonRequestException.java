package io.mete.gateway.json;

/** A JSON request that cannot become a Mete message; the text says which member and why. */
public final class JsonRequestException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public JsonRequestException(final String message)
    {
        super(message);
    }
}
