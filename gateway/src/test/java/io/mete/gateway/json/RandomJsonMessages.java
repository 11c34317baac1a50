package io.mete.gateway.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random JSON for any message of the schema: every member present, values anywhere in their types (bounds included). */
final class RandomJsonMessages
{
    private RandomJsonMessages()
    {
    }

    static Ir schema()
    {
        return io.mete.journal.cli.MessageSchema.ir();
    }

    static boolean hasBinaryData(final List<Token> message)
    {
        return message.stream().anyMatch(t -> t.signal() == Signal.ENCODING && t.name().equals("varData") &&
            t.encoding().characterEncoding() == null);
    }

    /** Sets every field, group and string of the block in {@code json}. */
    static void fill(final List<Token> tokens, final ObjectNode json, final Random random)
    {
        final MessageBlock block = MessageBlock.of(tokens);
        final List<Token> fields = block.fields();
        final List<Token> groups = block.groups();
        final List<Token> varData = block.varData();
        for (int i = 0; i < fields.size(); i += fields.get(i).componentTokenCount())
        {
            final Token type = fields.get(i + 1);
            final String name = fields.get(i).name();
            if (type.signal() == Signal.BEGIN_ENUM)
            {
                final List<String> names = new ArrayList<>();
                for (int v = i + 2; fields.get(v).signal() == Signal.VALID_VALUE; v++)
                {
                    names.add(fields.get(v).name());
                }
                json.put(name, names.get(random.nextInt(names.size())));
            }
            else
            {
                json.put(name, randomInteger(type, random));
            }
        }
        for (int i = 0; i < groups.size(); i += groups.get(i).componentTokenCount())
        {
            final Token group = groups.get(i);
            final List<Token> body = MessageBlock.groupBody(groups.subList(i, i + group.componentTokenCount()));
            final ArrayNode entries = json.putArray(group.name());
            for (int n = random.nextInt(4); n > 0; n--)
            {
                fill(body, entries.addObject(), random);
            }
        }
        for (int i = 0; i < varData.size(); i += varData.get(i).componentTokenCount())
        {
            final StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--)
            {
                text.append((char)(' ' + random.nextInt(95)));
            }
            json.put(varData.get(i).name(), text.toString());
        }
    }

    private static BigInteger randomInteger(final Token type, final Random random)
    {
        final PrimitiveType primitive = type.encoding().primitiveType();
        final long min = type.encoding().applicableMinValue().longValue();
        final long max = type.encoding().applicableMaxValue().longValue();
        switch (random.nextInt(4))
        {
            case 0:
                return BigInteger.valueOf(min);
            case 1:
                // SBE's printer shows a uint64 above Long.MAX_VALUE as a negative number, so the round trip stops there
                return primitive == PrimitiveType.UINT64 ? BigInteger.valueOf(Long.MAX_VALUE) : BigInteger.valueOf(max);
            default:
                final long span = primitive == PrimitiveType.UINT64 || primitive == PrimitiveType.INT64 ? Long.MAX_VALUE : max - min;
                return BigInteger.valueOf(min).add(BigInteger.valueOf(Math.floorMod(random.nextLong(), span)));
        }
    }
}
