package io.mete.gateway.server;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured log lines, one per event: {@code ts=... level=INFO event=started key=value ...}.
 * Values with spaces are quoted. The level comes from {@code -Dmete.log.level} (default INFO).
 */
public final class ServerLog
{
    public static final int DEBUG = 0;
    public static final int INFO = 1;
    public static final int WARN = 2;
    public static final int OFF = 3;

    private static volatile int level = parse(System.getProperty("mete.log.level", "INFO"));
    private static volatile PrintStream out = System.out;

    private ServerLog()
    {
    }

    public static void level(final int newLevel)
    {
        level = newLevel;
    }

    public static void output(final PrintStream stream)
    {
        out = stream;
    }

    public static boolean enabled(final int atLevel)
    {
        return atLevel >= level;
    }

    public static void debug(final String event, final Object... keyValues)
    {
        log(DEBUG, event, keyValues);
    }

    public static void info(final String event, final Object... keyValues)
    {
        log(INFO, event, keyValues);
    }

    public static void warn(final String event, final Object... keyValues)
    {
        log(WARN, event, keyValues);
    }

    public static void log(final int atLevel, final String event, final Object... keyValues)
    {
        if (atLevel < level)
        {
            return;
        }
        final StringBuilder line = new StringBuilder(128);
        line.append("ts=").append(Instant.now()).append(" level=").append(atLevel == DEBUG ? "DEBUG" : atLevel == INFO ? "INFO" : "WARN")
            .append(" event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2)
        {
            line.append(' ').append(keyValues[i]).append('=');
            final String value = String.valueOf(keyValues[i + 1]);
            if (value.isEmpty() || value.indexOf(' ') >= 0 || value.indexOf('"') >= 0 || value.indexOf('=') >= 0)
            {
                line.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            else
            {
                line.append(value);
            }
        }
        out.println(line);
    }

    private static int parse(final String name)
    {
        switch (name.trim().toUpperCase(java.util.Locale.ROOT))
        {
            case "DEBUG": return DEBUG;
            case "WARN": return WARN;
            case "OFF": return OFF;
            default: return INFO;
        }
    }
}
