package io.mete.benchmarks.load;

/**
 * Which operation each scheduled request of a run is. Plain workloads place orders only. The
 * mixed workload (shared WORKLOAD.md) is 80% PlaceOrder, 10% AdjustOnHand, 5% CancelOrder of an
 * earlier accepted order and 5% ConfirmShipment of an earlier accepted order, decided by a hash of
 * the request's index so that a run is repeatable.
 */
public final class MixPlan
{
    public static final int PLACE_PERCENT = 80;
    public static final int ADJUST_PERCENT = 10;
    public static final int CANCEL_PERCENT = 5;
    public static final int CONFIRM_PERCENT = 5;

    private final boolean mixed;

    public MixPlan(final boolean mixed)
    {
        this.mixed = mixed;
    }

    public boolean mixed()
    {
        return mixed;
    }

    /** {@link LoadConnection#PLACE}, {@code ADJUST}, {@code CANCEL} or {@code CONFIRM} for request {@code index}. */
    public int kind(final long index)
    {
        if (!mixed)
        {
            return LoadConnection.PLACE;
        }
        final int bucket = bucket(index);
        if (bucket < PLACE_PERCENT)
        {
            return LoadConnection.PLACE;
        }
        if (bucket < PLACE_PERCENT + ADJUST_PERCENT)
        {
            return LoadConnection.ADJUST;
        }
        if (bucket < PLACE_PERCENT + ADJUST_PERCENT + CANCEL_PERCENT)
        {
            return LoadConnection.CANCEL;
        }
        return LoadConnection.CONFIRM;
    }

    /** 0..99, evenly spread (SplitMix64 finaliser of the index). */
    static int bucket(final long index)
    {
        return (int)((mix(index) >>> 1) % 100);
    }

    static long mix(final long index)
    {
        long z = index + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
