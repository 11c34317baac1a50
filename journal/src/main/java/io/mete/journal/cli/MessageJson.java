package io.mete.journal.cli;

import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.json.JsonPrinter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;


/**
 * Any Mete message (command, event, query result) as one line of JSON, {@code {"type":"PlaceOrder",
 * "correlationId":7, ...}}, with groups as arrays and enums by name. The mapping is the schema's:
 * SBE's own JSON printer walks the message with the intermediate representation built from the
 * published {@code mete-schema.xml}, so a field added to the schema shows up here without code.
 * For tools and scripts (journal inspect, client events), not the hot path.
 */
public final class MessageJson
{
    private static final int HEADER = 8;

    private final Ir ir;
    private final JsonPrinter printer;
    private final StringBuilder pretty = new StringBuilder(512);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    public MessageJson()
    {
        ir = MessageSchema.ir();
        printer = new JsonPrinter(ir);
    }

    /** The message at {@code offset} (SBE header included) as a JSON object on one line. */
    public String toJson(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER)
        {
            return "{\"type\":\"malformed\",\"length\":" + length + "}";
        }
        view.wrap(buffer, offset, length);
        final int templateId = view.getShort(2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int schemaId = view.getShort(4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (schemaId != ir.id() || ir.getMessage(templateId) == null)
        {
            return "{\"type\":\"unknown\",\"schemaId\":" + schemaId + ",\"templateId\":" + templateId + ",\"length\":" + length + "}";
        }
        final String type = ir.getMessage(templateId).get(0).name();
        pretty.setLength(0);
        try
        {
            printer.print(pretty, view, 0);
        }
        catch (final RuntimeException ex)
        {
            return "{\"type\":\"malformed\",\"templateId\":" + templateId + ",\"length\":" + length + "}";
        }
        return compact(type, pretty);
    }

    /** Drops the printer's line breaks and indentation (outside strings) and puts the type first. */
    private static String compact(final String type, final CharSequence json)
    {
        final StringBuilder out = new StringBuilder(json.length() + type.length() + 12);
        boolean inString = false;
        boolean typed = false;
        for (int i = 0; i < json.length(); i++)
        {
            final char c = json.charAt(i);
            if (inString)
            {
                out.append(c);
                if (c == '\\' && i + 1 < json.length())
                {
                    out.append(json.charAt(++i));
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            {
                continue;
            }
            out.append(c);
            if (c == '"')
            {
                inString = true;
            }
            else if (c == '{' && !typed)
            {
                typed = true;
                out.append("\"type\":\"").append(type).append('"');
                if (nextNonBlank(json, i + 1) != '}')
                {
                    out.append(',');
                }
            }
        }
        return out.toString();
    }

    private static char nextNonBlank(final CharSequence json, final int from)
    {
        for (int i = from; i < json.length(); i++)
        {
            final char c = json.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            {
                return c;
            }
        }
        return 0;
    }
}
