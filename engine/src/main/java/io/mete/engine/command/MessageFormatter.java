package io.mete.engine.command;

import io.mete.schema.*;
import org.agrona.DirectBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

/**
 * Turns any Mete message (command, event or query result) into one readable line, using the
 * generated decoders' own {@code appendTo}. For tools, logs and tests, not for the hot path.
 */
public final class MessageFormatter
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    public static int templateId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public String format(final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder out = new StringBuilder(128);
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return out.append("<").append(length).append(" bytes: too short for a header>").toString();
        }
        header.wrap(buffer, offset);
        final int id = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        try
        {
            final Object decoder = decoderFor(id);
            if (decoder == null)
            {
                return out.append("<unknown template ").append(id).append(">").toString();
            }
            final MessageDecoderFlyweight flyweight = (MessageDecoderFlyweight)decoder;
            flyweight.wrap(buffer, body, blockLength, version);
            return flyweight.appendTo(out).toString();
        }
        catch (final RuntimeException ex)
        {
            return out.append("<malformed template ").append(id).append(": ").append(ex.getMessage()).append(">").toString();
        }
    }

    private static Object decoderFor(final int templateId)
    {
        switch (templateId)
        {
            case DefineNodeDecoder.TEMPLATE_ID: return new DefineNodeDecoder();
            case SetNodeStatusDecoder.TEMPLATE_ID: return new SetNodeStatusDecoder();
            case SetNodeCutoffDecoder.TEMPLATE_ID: return new SetNodeCutoffDecoder();
            case SetRateCardDecoder.TEMPLATE_ID: return new SetRateCardDecoder();
            case SetSourcingPolicyDecoder.TEMPLATE_ID: return new SetSourcingPolicyDecoder();
            case SetChannelCapDecoder.TEMPLATE_ID: return new SetChannelCapDecoder();
            case SetChannelFenceDecoder.TEMPLATE_ID: return new SetChannelFenceDecoder();
            case SetOrderRetentionDecoder.TEMPLATE_ID: return new SetOrderRetentionDecoder();
            case SetOnHandDecoder.TEMPLATE_ID: return new SetOnHandDecoder();
            case AdjustOnHandDecoder.TEMPLATE_ID: return new AdjustOnHandDecoder();
            case SetSafetyStockDecoder.TEMPLATE_ID: return new SetSafetyStockDecoder();
            case PlaceOrderDecoder.TEMPLATE_ID: return new PlaceOrderDecoder();
            case ReleaseHoldDecoder.TEMPLATE_ID: return new ReleaseHoldDecoder();
            case CancelOrderDecoder.TEMPLATE_ID: return new CancelOrderDecoder();
            case CancelLineDecoder.TEMPLATE_ID: return new CancelLineDecoder();
            case ConfirmPickDecoder.TEMPLATE_ID: return new ConfirmPickDecoder();
            case RejectAllocationDecoder.TEMPLATE_ID: return new RejectAllocationDecoder();
            case ConfirmShipmentDecoder.TEMPLATE_ID: return new ConfirmShipmentDecoder();
            case ConfirmDeliveryDecoder.TEMPLATE_ID: return new ConfirmDeliveryDecoder();
            case ReturnItemsDecoder.TEMPLATE_ID: return new ReturnItemsDecoder();
            case ChangeDeliveryDecoder.TEMPLATE_ID: return new ChangeDeliveryDecoder();
            case TickDecoder.TEMPLATE_ID: return new TickDecoder();
            case QueryOrderDecoder.TEMPLATE_ID: return new QueryOrderDecoder();
            case QueryAvailabilityDecoder.TEMPLATE_ID: return new QueryAvailabilityDecoder();
            case QueryNodeLoadDecoder.TEMPLATE_ID: return new QueryNodeLoadDecoder();
            case QueryTotalsDecoder.TEMPLATE_ID: return new QueryTotalsDecoder();
            case QueryStateHashDecoder.TEMPLATE_ID: return new QueryStateHashDecoder();
            case QueryPromiseDecoder.TEMPLATE_ID: return new QueryPromiseDecoder();
            case ExplainSourcingDecoder.TEMPLATE_ID: return new ExplainSourcingDecoder();
            case ExplainOrderDecoder.TEMPLATE_ID: return new ExplainOrderDecoder();
            case CommandAcceptedDecoder.TEMPLATE_ID: return new CommandAcceptedDecoder();
            case CommandRejectedDecoder.TEMPLATE_ID: return new CommandRejectedDecoder();
            case OrderAllocatedDecoder.TEMPLATE_ID: return new OrderAllocatedDecoder();
            case LineBackorderedDecoder.TEMPLATE_ID: return new LineBackorderedDecoder();
            case BackorderFilledDecoder.TEMPLATE_ID: return new BackorderFilledDecoder();
            case ShipmentReleasedDecoder.TEMPLATE_ID: return new ShipmentReleasedDecoder();
            case ShortfallResourcedDecoder.TEMPLATE_ID: return new ShortfallResourcedDecoder();
            case ShippedDecoder.TEMPLATE_ID: return new ShippedDecoder();
            case DeliveredDecoder.TEMPLATE_ID: return new DeliveredDecoder();
            case CancelledDecoder.TEMPLATE_ID: return new CancelledDecoder();
            case ReturnedDecoder.TEMPLATE_ID: return new ReturnedDecoder();
            case HoldExpiredDecoder.TEMPLATE_ID: return new HoldExpiredDecoder();
            case OrderRetiredDecoder.TEMPLATE_ID: return new OrderRetiredDecoder();
            case AvailabilityChangedDecoder.TEMPLATE_ID: return new AvailabilityChangedDecoder();
            case OrderStatusDecoder.TEMPLATE_ID: return new OrderStatusDecoder();
            case AvailabilityDecoder.TEMPLATE_ID: return new AvailabilityDecoder();
            case NodeLoadDecoder.TEMPLATE_ID: return new NodeLoadDecoder();
            case TotalsDecoder.TEMPLATE_ID: return new TotalsDecoder();
            case StateHashDecoder.TEMPLATE_ID: return new StateHashDecoder();
            case QueryClientDecoder.TEMPLATE_ID: return new QueryClientDecoder();
            case ClientStatusDecoder.TEMPLATE_ID: return new ClientStatusDecoder();
            case PromiseDecoder.TEMPLATE_ID: return new PromiseDecoder();
            case SourcingExplanationDecoder.TEMPLATE_ID: return new SourcingExplanationDecoder();
            case LoginDecoder.TEMPLATE_ID: return new LoginDecoder();
            case LoginAcceptedDecoder.TEMPLATE_ID: return new LoginAcceptedDecoder();
            case LogoutDecoder.TEMPLATE_ID: return new LogoutDecoder();
            case HeartbeatDecoder.TEMPLATE_ID: return new HeartbeatDecoder();
            case SubscribeDecoder.TEMPLATE_ID: return new SubscribeDecoder();
            case SubscriptionStartedDecoder.TEMPLATE_ID: return new SubscriptionStartedDecoder();
            case EventDecoder.TEMPLATE_ID: return new EventDecoder();
            case RequestSnapshotDecoder.TEMPLATE_ID: return new RequestSnapshotDecoder();
            case SnapshotTakenDecoder.TEMPLATE_ID: return new SnapshotTakenDecoder();
            case SessionRejectDecoder.TEMPLATE_ID: return new SessionRejectDecoder();
            default: return null;
        }
    }
}
