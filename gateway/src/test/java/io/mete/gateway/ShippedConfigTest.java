package io.mete.gateway;

import io.mete.gateway.server.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** The release's conf/mete.properties: every setting is in it, each with its true default. */
class ShippedConfigTest
{
    private static final Path SHIPPED = Path.of("src/dist/conf/mete.properties");
    /** Fields that are not a key of their own: the clients come from client.N.* entries. */
    private static final Set<String> NOT_KEYS = Set.of("clients", "defaultCredentials");

    @Test
    void everyKeyIsListedWithItsDefaultAndParses() throws Exception
    {
        final Properties listed = new Properties();
        for (final String line : Files.readAllLines(SHIPPED, StandardCharsets.UTF_8))
        {
            // "#key=value" lines are the settings; comments have a space after the #; placeholders hold <...>
            if (line.matches("#[A-Za-z][A-Za-z0-9.]*=.*") && !line.contains("<"))
            {
                listed.setProperty(line.substring(1, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        final GatewayConfig defaults = GatewayConfig.defaults();
        final Set<String> missing = new TreeSet<>();
        for (final Field field : GatewayConfig.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) || NOT_KEYS.contains(field.getName()))
            {
                continue;
            }
            final String key = field.getName().equals("dataDir") ? "data" : field.getName();
            final String value = listed.getProperty(key);
            if (value == null)
            {
                missing.add(key);
                continue;
            }
            assertEquals(String.valueOf(field.get(defaults)), value, key + " shows its default");
        }
        assertEquals(Set.of(), missing, "keys the shipped configuration does not list");

        // all of them set at once (the client examples included) is a configuration the server takes
        final Properties all = new Properties();
        all.putAll(listed);
        all.setProperty("client.1.role", "ADMIN");
        all.setProperty("client.1.secret", "a-secret-of-ones-own");
        all.setProperty("client.2.secret", "another-secret");
        final GatewayConfig parsed = GatewayConfig.from(all, SHIPPED.toString());
        assertFalse(parsed.defaultCredentials);
        assertEquals(defaults.port, parsed.port);
    }
}
