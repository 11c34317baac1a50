package io.mete.engine.core;

import io.mete.engine.harness.EngineHarness;
import io.mete.engine.harness.EngineHarness.Result;
import io.mete.engine.harness.Events.*;
import io.mete.schema.RejectReason;
import io.mete.schema.ServiceLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.mete.engine.harness.EngineHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/** A client's resend is answered with the original result and never applied twice. */
class ClientLedgerTest
{
    private static final int CLIENT = 7;
    private EngineHarness h;

    @BeforeEach
    void setUp()
    {
        h = new EngineHarness();
        h.policy(WEB).set();
        h.dc("N1", 100);
        h.onHand("N1", "A", 10);
    }

    private byte[] order(final long clientSequence, final String id, final int quantity)
    {
        return h.encode(at -> h.writer().placeOrder(h.buffer(), at, clientSequence, id, WEB, 5, ServiceLevel.STANDARD, HOME_LATITUDE,
            HOME_LONGITUDE, 0, 0, new String[] {"A"}, new int[] {quantity}));
    }

    private byte[] adjust(final long clientSequence, final int delta)
    {
        return h.encode(at -> h.writer().adjustOnHand(h.buffer(), at, clientSequence, "N1", "A", delta,
            io.mete.schema.AdjustReason.RECEIPT));
    }

    @Test
    void resentCommandRepeatsTheOriginalAcceptanceWithoutApplyingIt()
    {
        final Result first = h.apply(CLIENT, order(1, "O1", 3)).assertAccepted();
        final long originalSequence = first.one(Accepted.class).commandSequence();
        final long totalsBefore = h.engine().totals().commandsAccepted;
        final Result resend = h.apply(CLIENT, order(1, "O1", 3));
        final Accepted repeated = resend.one(Accepted.class);
        assertTrue(repeated.duplicate());
        assertEquals(originalSequence, repeated.commandSequence());
        assertEquals(1, repeated.correlationId());
        assertEquals(1, resend.events().size(), "no allocation is published again:\n" + resend);
        assertEquals(3, h.reservedAt("N1", "A"));
        assertEquals(1, h.engine().book().orderCount());
        assertEquals(totalsBefore, h.engine().totals().commandsAccepted);
    }

    @Test
    void resentDeltaIsNotAddedTwice()
    {
        h.apply(CLIENT, adjust(1, 5)).assertAccepted();
        h.apply(CLIENT, adjust(1, 5));
        assertEquals(15, h.onHandAt("N1", "A"));
        h.apply(CLIENT, adjust(2, 5)).assertAccepted();
        assertEquals(20, h.onHandAt("N1", "A"));
    }

    @Test
    void resentRejectedCommandRepeatsTheOriginalReason()
    {
        h.apply(CLIENT, order(1, "O1", 0)).assertRejected(RejectReason.QUANTITY_NOT_POSITIVE);
        final Rejected repeated = h.apply(CLIENT, order(1, "O1", 0)).rejection();
        assertEquals(RejectReason.QUANTITY_NOT_POSITIVE, repeated.reason());
        assertTrue(repeated.duplicate());
    }

    @Test
    void anyClientSequenceAtOrBelowTheLastAppliedIsNeverApplied()
    {
        h.apply(CLIENT, adjust(10, 1)).assertAccepted();
        final Result older = h.apply(CLIENT, adjust(4, 100));
        assertTrue(older.all(Accepted.class).stream().noneMatch(a -> !a.duplicate()), older.toString());
        assertEquals(11, h.onHandAt("N1", "A"));
    }

    @Test
    void resendOlderThanTheWindowIsAnsweredAsForgottenDuplicate()
    {
        h.apply(CLIENT, adjust(1, 1)).assertAccepted();
        h.apply(CLIENT, adjust(1 + ClientLedger.WINDOW, 1)).assertAccepted();
        final Rejected forgotten = h.apply(CLIENT, adjust(1, 1)).rejection();
        assertEquals(RejectReason.DUPLICATE_REQUEST, forgotten.reason());
        assertTrue(forgotten.duplicate());
        assertEquals(12, h.onHandAt("N1", "A"));
    }

    @Test
    void clientsHaveIndependentSequences()
    {
        h.apply(CLIENT, adjust(1, 1)).assertAccepted();
        h.apply(CLIENT + 1, adjust(1, 1)).assertAccepted();
        assertFalse(h.apply(CLIENT + 1, adjust(2, 1)).one(Accepted.class).duplicate());
        assertEquals(13, h.onHandAt("N1", "A"));
    }

    @Test
    void commandsWithoutAClientAreNeverTreatedAsDuplicates()
    {
        h.apply(0, adjust(1, 1)).assertAccepted();
        assertFalse(h.apply(0, adjust(1, 1)).one(Accepted.class).duplicate());
        assertEquals(12, h.onHandAt("N1", "A"));
    }

    @Test
    void replayRecognisesTheSameResendsAndReachesTheSameState()
    {
        h.apply(CLIENT, order(1, "O1", 3));
        h.apply(CLIENT, order(1, "O1", 3));
        h.apply(CLIENT, order(2, "O2", 3));
        final EngineHarness replay = h.replay();
        assertEquals(h.stateHash(), replay.stateHash());
        assertEquals(6, replay.reservedAt("N1", "A"));
    }
}
