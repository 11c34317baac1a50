package io.mete.gateway;

import io.mete.gateway.server.GatewayConfig;
import io.mete.schema.Role;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

class GatewayConfigTest
{
    private static GatewayConfig parse(final String text) throws Exception
    {
        final Properties properties = new Properties();
        properties.load(new StringReader(text));
        return GatewayConfig.from(properties, "test.properties");
    }

    @Test
    void defaultsAreLoopbackPort7070AndDataWithOneClientPerRole() throws Exception
    {
        final GatewayConfig config = parse("");
        assertEquals("127.0.0.1", config.host);
        assertEquals(7070, config.port);
        assertEquals(Path.of("data"), config.dataDir);
        assertEquals(1024, config.maxInFlight);
        assertTrue(config.defaultCredentials);
        assertEquals(Role.ADMIN, config.clients.get(1).role());
        assertEquals(Role.MONITOR, config.clients.get(4).role());
    }

    @Test
    void fileEntriesOverrideDefaultsAndConfiguredClientsReplaceTheDefaultOnes() throws Exception
    {
        final GatewayConfig config = parse("""
            host=0.0.0.0
            port=9000
            data=/var/lib/mete
            idleTimeoutMs=60000
            client.7.secret=s7
            client.7.role=inventory
            client.8.secret=s8
            """);
        assertEquals("0.0.0.0", config.host);
        assertEquals(9000, config.port);
        assertEquals(Path.of("/var/lib/mete"), config.dataDir);
        assertEquals(60_000, config.idleTimeoutMs);
        assertFalse(config.defaultCredentials);
        assertNull(config.clients.get(1), "the default clients are gone");
        assertEquals(Role.INVENTORY, config.clients.get(7).role());
        assertEquals(Role.ORDERS, config.clients.get(8).role(), "ORDERS unless said otherwise");
        assertNotNull(config.clients.authenticate(7, "s7".getBytes()));
        assertNull(config.clients.authenticate(7, "s8".getBytes()));
    }

    @Test
    void mistakesAreReportedWithTheKey()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("prot=1")).getMessage().contains("prot"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("port=x")).getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("client.5.role=ADMIN")).getMessage().contains("secret"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("client.5.secret=a\nclient.5.role=ROOT")).getMessage()
            .contains("client.5"));
        assertThrows(IllegalArgumentException.class, () -> parse("maxInFlight=5000"));
        assertThrows(IllegalArgumentException.class, () -> parse("client.0.secret=a"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("availabilityEvents=no")).getMessage()
            .contains("availabilityEvents must be true or false"));
        assertThrows(IllegalArgumentException.class, () -> parse("expectedOrderIdLength=65"));
    }

    @Test
    void engineSizingAndEventSwitches() throws Exception
    {
        final GatewayConfig defaults = parse("");
        assertTrue(defaults.availabilityEvents);
        assertEquals(24, defaults.expectedOrderIdLength);
        final GatewayConfig config = parse("availabilityEvents=false\nexpectedOrderIdLength=36\nexpectedOrders=4096\n");
        assertFalse(config.availabilityEvents);
        assertEquals(36, config.expectedOrderIdLength);
        assertEquals(4096, config.expectedOrders);
    }
}
