package io.mete.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON to read JMH's result file: objects become {@code Map<String, Object>}, arrays
 * {@code List<Object>}, numbers {@code Double} (JMH writes {@code "NaN"} as a string, which stays a
 * string), plus strings, booleans and null.
 */
final class MiniJson
{
    private final String text;
    private int at;

    private MiniJson(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final MiniJson p = new MiniJson(text);
        p.skipSpace();
        if (p.at >= text.length())
        {
            return null;
        }
        final Object value = p.value();
        p.skipSpace();
        if (p.at != text.length())
        {
            throw p.error("trailing characters");
        }
        return value;
    }

    private Object value()
    {
        skipSpace();
        final char c = text.charAt(at);
        switch (c)
        {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': expect("true"); return Boolean.TRUE;
            case 'f': expect("false"); return Boolean.FALSE;
            case 'n': expect("null"); return null;
            default: return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (text.charAt(at) == '}')
        {
            at++;
            return map;
        }
        while (true)
        {
            skipSpace();
            final String key = string();
            skipSpace();
            if (text.charAt(at++) != ':')
            {
                throw error("':' expected");
            }
            map.put(key, value());
            skipSpace();
            final char c = text.charAt(at++);
            if (c == '}')
            {
                return map;
            }
            if (c != ',')
            {
                throw error("',' or '}' expected");
            }
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        at++;
        skipSpace();
        if (text.charAt(at) == ']')
        {
            at++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipSpace();
            final char c = text.charAt(at++);
            if (c == ']')
            {
                return list;
            }
            if (c != ',')
            {
                throw error("',' or ']' expected");
            }
        }
    }

    private String string()
    {
        if (text.charAt(at) != '"')
        {
            throw error("string expected");
        }
        at++;
        final StringBuilder b = new StringBuilder();
        while (true)
        {
            final char c = text.charAt(at++);
            if (c == '"')
            {
                return b.toString();
            }
            if (c == '\\')
            {
                final char e = text.charAt(at++);
                switch (e)
                {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char)Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; break;
                    default: b.append(e); break;
                }
            }
            else
            {
                b.append(c);
            }
        }
    }

    private Double number()
    {
        final int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
        if (start == at)
        {
            throw error("value expected");
        }
        return Double.valueOf(text.substring(start, at));
    }

    private void expect(final String word)
    {
        if (!text.startsWith(word, at))
        {
            throw error("'" + word + "' expected");
        }
        at += word.length();
    }

    private void skipSpace()
    {
        while (at < text.length() && Character.isWhitespace(text.charAt(at)))
        {
            at++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException("JSON: " + what + " at character " + at);
    }
}
