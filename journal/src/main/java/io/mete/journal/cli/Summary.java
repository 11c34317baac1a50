package io.mete.journal.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The closing lines of a journal tool: {@code key: value} per line for people (the most telling
 * key last), or one JSON object for machines.
 */
final class Summary
{
    private final Map<String, Object> values = new LinkedHashMap<>();

    Summary put(final String key, final Object value)
    {
        values.put(key, value);
        return this;
    }

    void print(final PrintStream out, final boolean json)
    {
        if (json)
        {
            out.println(toJson(values));
            return;
        }
        for (final Map.Entry<String, Object> entry : values.entrySet())
        {
            out.println(entry.getKey() + ": " + entry.getValue());
        }
    }

    /** A value that is JSON already (an object from {@link MessageJson}): written as it is. */
    record RawJson(String json)
    {
    }

    static String toJson(final Map<String, ?> values)
    {
        final StringBuilder json = new StringBuilder("{");
        for (final Map.Entry<String, ?> entry : values.entrySet())
        {
            if (json.length() > 1)
            {
                json.append(',');
            }
            json.append(quote(entry.getKey())).append(':');
            final Object value = entry.getValue();
            if (value instanceof Number || value instanceof Boolean)
            {
                json.append(value);
            }
            else if (value instanceof RawJson)
            {
                json.append(((RawJson)value).json());
            }
            else
            {
                json.append(value == null ? "null" : quote(value.toString()));
            }
        }
        return json.append('}').toString();
    }

    static String quote(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
