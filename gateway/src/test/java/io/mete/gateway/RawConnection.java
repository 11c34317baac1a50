package io.mete.gateway;

import io.mete.gateway.protocol.Framing;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A bare socket speaking frames by hand, for tests that send what a real client never would. */
final class RawConnection implements AutoCloseable
{
    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    RawConnection(final int port) throws IOException
    {
        this(new Socket("127.0.0.1", port));
    }

    RawConnection(final Socket connected) throws IOException
    {
        socket = connected;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void sendBytes(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** Frames the first {@code length} bytes of {@code message} and sends them. */
    void send(final UnsafeBuffer message, final int length) throws IOException
    {
        final byte[] frame = new byte[Framing.HEADER_LENGTH + length];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        Framing.writeHeader(view, 0, length);
        view.putBytes(Framing.HEADER_LENGTH, message, 0, length);
        sendBytes(frame);
    }

    void login(final int clientId, final String secret) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final LoginEncoder login = new LoginEncoder();
        login.wrapAndApplyHeader(buffer, 0, header).clientId(clientId).heartbeatIntervalMs(0).secret(secret);
        send(buffer, MessageHeaderEncoder.ENCODED_LENGTH + login.encodedLength());
    }

    /** The next message (SBE header included), or null when the server closed the connection. */
    UnsafeBuffer receive() throws IOException
    {
        try
        {
            final int length = in.readInt();
            in.readUnsignedShort();
            final byte[] message = new byte[length - Framing.HEADER_LENGTH];
            in.readFully(message);
            return new UnsafeBuffer(message);
        }
        catch (final EOFException ex)
        {
            return null;
        }
        catch (final SocketTimeoutException ex)
        {
            throw new AssertionError("no message from the server within 10 s");
        }
        catch (final IOException ex)
        {
            // connection reset: closed
            return null;
        }
    }

    /** Reads until a message of the template (returned) or the end of the connection (null). */
    UnsafeBuffer receive(final int templateId) throws IOException
    {
        UnsafeBuffer message;
        while ((message = receive()) != null)
        {
            if (templateId(message) == templateId)
            {
                return message;
            }
        }
        return null;
    }

    static int templateId(final UnsafeBuffer message)
    {
        return new MessageHeaderDecoder().wrap(message, 0).templateId();
    }

    static SessionRejectDecoder sessionReject(final UnsafeBuffer message)
    {
        final MessageHeaderDecoder h = new MessageHeaderDecoder().wrap(message, 0);
        return new SessionRejectDecoder().wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
    }

    /** True when the server closed the connection (reads end) within the socket timeout. */
    boolean closedByServer() throws IOException
    {
        while (receive() != null)
        {
            // drain
        }
        return true;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
