package io.mete.gateway.protocol;

import io.mete.schema.*;

/**
 * What each template id is on the wire: which messages a client may send, the smallest block
 * length each needs, which engine outputs are answers to a request, and what each role may send.
 */
public final class Templates
{
    private static final int MAX_TEMPLATE = 256;
    private static final int[] MIN_BLOCK = new int[MAX_TEMPLATE];
    private static final int[] KIND = new int[MAX_TEMPLATE];

    /** Kinds of client-sendable messages. */
    public static final int NOT_SENDABLE = 0;
    public static final int CONFIGURATION = 1;
    public static final int INVENTORY = 2;
    public static final int ORDER = 3;
    public static final int TICK = 4;
    public static final int QUERY = 5;
    public static final int SESSION = 6;
    public static final int SNAPSHOT = 7;
    public static final int SUBSCRIBE = 8;

    static
    {
        java.util.Arrays.fill(MIN_BLOCK, -1);
        sendable(DefineNodeDecoder.TEMPLATE_ID, DefineNodeDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetNodeStatusDecoder.TEMPLATE_ID, SetNodeStatusDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetNodeCutoffDecoder.TEMPLATE_ID, SetNodeCutoffDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetRateCardDecoder.TEMPLATE_ID, SetRateCardDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetSourcingPolicyDecoder.TEMPLATE_ID, SetSourcingPolicyDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetChannelCapDecoder.TEMPLATE_ID, SetChannelCapDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetChannelFenceDecoder.TEMPLATE_ID, SetChannelFenceDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetOrderRetentionDecoder.TEMPLATE_ID, SetOrderRetentionDecoder.BLOCK_LENGTH, CONFIGURATION);
        sendable(SetOnHandDecoder.TEMPLATE_ID, SetOnHandDecoder.BLOCK_LENGTH, INVENTORY);
        sendable(AdjustOnHandDecoder.TEMPLATE_ID, AdjustOnHandDecoder.BLOCK_LENGTH, INVENTORY);
        sendable(SetSafetyStockDecoder.TEMPLATE_ID, SetSafetyStockDecoder.BLOCK_LENGTH, INVENTORY);
        sendable(PlaceOrderDecoder.TEMPLATE_ID, PlaceOrderDecoder.BLOCK_LENGTH, ORDER);
        sendable(ReleaseHoldDecoder.TEMPLATE_ID, ReleaseHoldDecoder.BLOCK_LENGTH, ORDER);
        sendable(CancelOrderDecoder.TEMPLATE_ID, CancelOrderDecoder.BLOCK_LENGTH, ORDER);
        sendable(CancelLineDecoder.TEMPLATE_ID, CancelLineDecoder.BLOCK_LENGTH, ORDER);
        sendable(ConfirmPickDecoder.TEMPLATE_ID, ConfirmPickDecoder.BLOCK_LENGTH, ORDER);
        sendable(RejectAllocationDecoder.TEMPLATE_ID, RejectAllocationDecoder.BLOCK_LENGTH, ORDER);
        sendable(ConfirmShipmentDecoder.TEMPLATE_ID, ConfirmShipmentDecoder.BLOCK_LENGTH, ORDER);
        sendable(ConfirmDeliveryDecoder.TEMPLATE_ID, ConfirmDeliveryDecoder.BLOCK_LENGTH, ORDER);
        sendable(ReturnItemsDecoder.TEMPLATE_ID, ReturnItemsDecoder.BLOCK_LENGTH, ORDER);
        sendable(ChangeDeliveryDecoder.TEMPLATE_ID, ChangeDeliveryDecoder.BLOCK_LENGTH, ORDER);
        sendable(TickDecoder.TEMPLATE_ID, TickDecoder.BLOCK_LENGTH, TICK);
        sendable(QueryOrderDecoder.TEMPLATE_ID, QueryOrderDecoder.BLOCK_LENGTH, QUERY);
        sendable(QueryAvailabilityDecoder.TEMPLATE_ID, QueryAvailabilityDecoder.BLOCK_LENGTH, QUERY);
        sendable(QueryNodeLoadDecoder.TEMPLATE_ID, QueryNodeLoadDecoder.BLOCK_LENGTH, QUERY);
        sendable(QueryTotalsDecoder.TEMPLATE_ID, QueryTotalsDecoder.BLOCK_LENGTH, QUERY);
        sendable(QueryStateHashDecoder.TEMPLATE_ID, QueryStateHashDecoder.BLOCK_LENGTH, QUERY);
        sendable(QueryClientDecoder.TEMPLATE_ID, QueryClientDecoder.BLOCK_LENGTH, QUERY);
        sendable(QueryPromiseDecoder.TEMPLATE_ID, QueryPromiseDecoder.BLOCK_LENGTH, QUERY);
        sendable(ExplainSourcingDecoder.TEMPLATE_ID, ExplainSourcingDecoder.BLOCK_LENGTH, QUERY);
        sendable(ExplainOrderDecoder.TEMPLATE_ID, ExplainOrderDecoder.BLOCK_LENGTH, QUERY);
        sendable(LoginDecoder.TEMPLATE_ID, LoginDecoder.BLOCK_LENGTH, SESSION);
        sendable(LogoutDecoder.TEMPLATE_ID, LogoutDecoder.BLOCK_LENGTH, SESSION);
        sendable(HeartbeatDecoder.TEMPLATE_ID, HeartbeatDecoder.BLOCK_LENGTH, SESSION);
        sendable(SubscribeDecoder.TEMPLATE_ID, SubscribeDecoder.BLOCK_LENGTH, SUBSCRIBE);
        sendable(RequestSnapshotDecoder.TEMPLATE_ID, RequestSnapshotDecoder.BLOCK_LENGTH, SNAPSHOT);
    }

    private Templates()
    {
    }

    private static void sendable(final int templateId, final int blockLength, final int kind)
    {
        MIN_BLOCK[templateId] = blockLength;
        KIND[templateId] = kind;
    }

    /** What a client-sent template is, or {@link #NOT_SENDABLE}. */
    public static int kind(final int templateId)
    {
        return templateId >= 0 && templateId < MAX_TEMPLATE ? KIND[templateId] : NOT_SENDABLE;
    }

    /** Smallest block length the template needs (its schema block length), or -1 when clients may not send it. */
    public static int minBlockLength(final int templateId)
    {
        return templateId >= 0 && templateId < MAX_TEMPLATE ? MIN_BLOCK[templateId] : -1;
    }

    /** Whether the message goes to the engine (a command or a query). */
    public static boolean isEngineRequest(final int templateId)
    {
        final int kind = kind(templateId);
        return kind >= CONFIGURATION && kind <= QUERY;
    }

    /**
     * A request a client gateway relays for a client (the HTTP door, mete client send): a command, a
     * query or a snapshot request; not the session layer, which is the relaying gateway's own.
     */
    public static boolean isRelayedRequest(final int templateId)
    {
        return isEngineRequest(templateId) || kind(templateId) == SNAPSHOT;
    }

    /** A state-changing command (goes through the client ledger). */
    public static boolean isCommand(final int templateId)
    {
        final int kind = kind(templateId);
        return kind >= CONFIGURATION && kind <= TICK;
    }

    /**
     * Engine outputs that answer one request (and go to the session that sent it): the command
     * result or the query result. Every engine request gets exactly one of these, first.
     */
    public static boolean isAnswer(final int templateId)
    {
        return templateId == CommandAcceptedDecoder.TEMPLATE_ID || templateId == CommandRejectedDecoder.TEMPLATE_ID ||
            isQueryResult(templateId);
    }

    /** Messages of the event stream: the engine's events and command results (100..199), query results excepted. */
    public static boolean isEvent(final int templateId)
    {
        return templateId >= CommandAcceptedDecoder.TEMPLATE_ID && templateId < 200 && !isQueryResult(templateId);
    }

    /** Query results: answers that are not part of the event stream. */
    public static boolean isQueryResult(final int templateId)
    {
        return templateId >= OrderStatusDecoder.TEMPLATE_ID && templateId <= SourcingExplanationDecoder.TEMPLATE_ID;
    }

    /**
     * Whether a role may send a template. Every role may query, subscribe and run the session;
     * ORDERS adds order commands, INVENTORY inventory commands, ADMIN everything.
     */
    public static boolean permits(final Role role, final int templateId)
    {
        final int kind = kind(templateId);
        switch (kind)
        {
            case QUERY:
            case SESSION:
            case SUBSCRIBE:
                return true;
            case ORDER:
                return role == Role.ORDERS || role == Role.ADMIN;
            case INVENTORY:
                return role == Role.INVENTORY || role == Role.ADMIN;
            case CONFIGURATION:
            case TICK:
            case SNAPSHOT:
                return role == Role.ADMIN;
            default:
                return false;
        }
    }
}
