package io.mete.engine.inventory;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PositionTableTest
{
    /** The answer by definition: the node's index among the sorted nodes, or -(insertion point + 1). */
    private static int expectedSlot(final TreeSet<Integer> nodes, final int node)
    {
        final int below = nodes.headSet(node, false).size();
        return nodes.contains(node) ? below : -(below + 1);
    }

    @Property
    void findsEveryNodeAndTheInsertionPointOfEveryOther(
        @ForAll @Size(max = 40) final List<@IntRange(max = 120) Integer> stocked, @ForAll @IntRange(max = 125) final int sought)
    {
        final PositionTable positions = new PositionTable(4);
        final TreeSet<Integer> nodes = new TreeSet<>();
        for (final int node : stocked)
        {
            positions.slotOrCreate(1, node);
            nodes.add(node);
        }
        assertEquals(expectedSlot(nodes, sought), positions.slotOf(1, sought));
        for (final int node : nodes)
        {
            assertEquals(expectedSlot(nodes, node), positions.slotOf(1, node), "node " + node);
        }
    }

    @Test
    void aSkuWithoutPositionsOrBeyondTheKnownOnesHasNoSlot()
    {
        final PositionTable positions = new PositionTable(4);
        positions.ensureSku(2);
        assertEquals(-1, positions.slotOf(2, 7));
        assertEquals(-1, positions.slotOf(3, 7));
        positions.slotOrCreate(2, 7);
        assertEquals(0, positions.slotOf(2, 7));
        assertEquals(-1, positions.slotOf(2, 3));
        assertEquals(-2, positions.slotOf(2, 9));
    }
}
