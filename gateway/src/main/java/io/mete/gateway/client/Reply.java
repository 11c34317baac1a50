package io.mete.gateway.client;

import io.mete.engine.command.MessageFormatter;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.nio.ByteOrder;

/**
 * The answer to one request: a copy of the SBE message the server sent (CommandAccepted,
 * CommandRejected, a query result, SubscriptionStarted or SnapshotTaken).
 */
public final class Reply
{
    private final byte[] message;
    private final UnsafeBuffer buffer;
    private final int templateId;

    Reply(final byte[] message)
    {
        this.message = message;
        this.buffer = new UnsafeBuffer(message);
        this.templateId = buffer.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public int templateId()
    {
        return templateId;
    }

    public long correlationId()
    {
        return buffer.getLong(MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN);
    }

    /** True unless the request was rejected (CommandRejected). */
    public boolean isAccepted()
    {
        return templateId != CommandRejectedDecoder.TEMPLATE_ID;
    }

    public boolean isRejected()
    {
        return templateId == CommandRejectedDecoder.TEMPLATE_ID;
    }

    /** A resend answered with the original result: nothing was applied again. */
    public boolean isDuplicate()
    {
        if (templateId == CommandAcceptedDecoder.TEMPLATE_ID)
        {
            return wrap(new CommandAcceptedDecoder()).duplicate() == BooleanType.TRUE;
        }
        if (templateId == CommandRejectedDecoder.TEMPLATE_ID)
        {
            return wrap(new CommandRejectedDecoder()).duplicate() == BooleanType.TRUE;
        }
        return false;
    }

    /** Reject reason, or {@link RejectReason#NONE} when accepted. */
    public RejectReason rejectReason()
    {
        return isRejected() ? wrap(new CommandRejectedDecoder()).reason() : RejectReason.NONE;
    }

    public String rejectText()
    {
        return isRejected() ? wrap(new CommandRejectedDecoder()).text() : "";
    }

    /** Global sequence of the applied command (CommandAccepted/Rejected), else -1. */
    public long commandSequence()
    {
        if (templateId == CommandAcceptedDecoder.TEMPLATE_ID)
        {
            return wrap(new CommandAcceptedDecoder()).commandSequence();
        }
        if (templateId == CommandRejectedDecoder.TEMPLATE_ID)
        {
            return wrap(new CommandRejectedDecoder()).commandSequence();
        }
        return -1;
    }

    /** Wraps a generated decoder of the right template over the message. */
    public <T extends MessageDecoderFlyweight> T wrap(final T decoder)
    {
        if (decoder.sbeTemplateId() != templateId)
        {
            throw new IllegalStateException("reply is template " + templateId + ", not " + decoder.sbeTemplateId());
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        return decoder;
    }

    public byte[] bytes()
    {
        return message.clone();
    }

    @Override
    public String toString()
    {
        return new MessageFormatter().format(buffer, 0, message.length);
    }
}
