package io.mete.gateway;

import io.mete.gateway.server.GatewayConfig;
import io.mete.gateway.session.RateLimit;
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
    void theJournalThreadIsChosenByCoresUnlessConfigured() throws Exception
    {
        assertEquals("auto", parse("").journalThread);
        assertEquals(Runtime.getRuntime().availableProcessors() < 4, parse("").journalOnEngineThread());
        assertTrue(parse("journalThread=engine").journalOnEngineThread());
        assertFalse(parse("journalThread=SEPARATE").journalOnEngineThread());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("journalThread=both")).getMessage()
            .contains("journalThread must be auto, separate or engine"));
    }

    @Test
    void journalReadAheadIsOnUnlessTurnedOff() throws Exception
    {
        assertTrue(parse("").journalReadAhead);
        assertFalse(parse("journalReadAhead=false").journalReadAhead);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("journalReadAhead=maybe")).getMessage()
            .contains("journalReadAhead"));
    }

    @Test
    void statsLinesAreOnEveryTenSecondsAndMetricsOffUnlessGivenAPort() throws Exception
    {
        final GatewayConfig defaults = parse("");
        assertEquals(10, defaults.statsIntervalSeconds);
        assertEquals(-1, defaults.metricsPort);
        assertEquals("127.0.0.1", defaults.metricsAddress());
        final GatewayConfig set = parse("""
            host=0.0.0.0
            statsIntervalSeconds=0
            metricsPort=9100
            """);
        assertEquals(0, set.statsIntervalSeconds);
        assertEquals(9100, set.metricsPort);
        assertEquals("0.0.0.0", set.metricsAddress());
        assertEquals("10.0.0.5", parse("metricsPort=9100\nmetricsHost=10.0.0.5").metricsAddress());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("metricsPort=-2")).getMessage()
            .contains("metricsPort must be -1 (off) or 0..65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("port=7070\nmetricsPort=7070")).getMessage()
            .contains("metricsPort must differ from port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("statsIntervalSeconds=-1")).getMessage()
            .contains("statsIntervalSeconds must be 0 (off)..86400"));
    }

    @Test
    void journalWritebackIsOnUnlessTurnedOff() throws Exception
    {
        assertTrue(parse("").journalWriteback);
        assertFalse(parse("journalWriteback=false").journalWriteback);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("journalWriteback=sometimes")).getMessage()
            .contains("journalWriteback"));
    }

    @Test
    void engineCpuIsOffUnlessGiven() throws Exception
    {
        assertEquals(-1, parse("").engineCpu);
        assertEquals(1, parse("engineCpu=1").engineCpu);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("engineCpu=-2")).getMessage()
            .contains("engineCpu must be -1 (off) or a CPU number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("engineCpu=one")).getMessage().contains("engineCpu"));
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

    /** What {@code mete secret ARGS} prints. */
    private static String secret(final String... args)
    {
        final java.io.StringWriter printed = new java.io.StringWriter();
        final picocli.CommandLine command = new picocli.CommandLine(new io.mete.gateway.cli.SecretCommand());
        command.setOut(new java.io.PrintWriter(printed));
        assertEquals(0, command.execute(args));
        return printed.toString();
    }

    @Test
    void aClientMayBeGivenByTheHashOfItsSecretAsSecretPrintsIt() throws Exception
    {
        final String lines = secret("--client", "12", "--role", "INVENTORY", "--secret", "correct horse");
        assertFalse(lines.lines().filter(line -> !line.startsWith("#")).anyMatch(line -> line.contains("correct horse")),
            "the config lines do not hold the secret: " + lines);

        final GatewayConfig config = parse(lines + "client.13.secret=plain\n");
        assertEquals(Role.INVENTORY, config.clients.get(12).role());
        assertNull(config.clients.get(12).secret());
        assertNotNull(config.clients.authenticate(12, "correct horse".getBytes()));
        assertNull(config.clients.authenticate(12, "correct horsf".getBytes()));
        assertNull(config.clients.authenticate(12, new byte[0]));
        assertNotNull(config.clients.authenticate(13, "plain".getBytes()), "plain secrets still work beside hashed ones");

        final String generated = secret("--client", "5");
        final String secret = generated.lines().toList().get(1).substring(2);
        assertEquals(64, secret.length(), "256 random bits, hex: " + generated);
        assertNotNull(parse(generated).clients.authenticate(5, secret.getBytes()));
        assertNotEquals(generated, secret("--client", "5"), "a fresh secret and salt every time");
    }

    @Test
    void badSecretHashesAreReported()
    {
        final String hash = io.mete.gateway.session.SecretHash.of("s", new java.security.SecureRandom()).toString();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("client.5.secret=s\nclient.5.secretHash=" + hash))
            .getMessage().contains("both secret and secretHash"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("client.5.secretHash=md5:00:11")).getMessage()
            .contains("sha256:<salt hex>:<digest hex>"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("client.5.secretHash=sha256:zz:11")).getMessage()
            .contains("salt is not hex"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("client.5.secretHash=" + hash.substring(0, hash.length() - 2)))
            .getMessage().contains("digest must be 32 bytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("client.5.secretHash=sha256:0011:" + "00".repeat(32)))
            .getMessage().contains("salt must be 16..64 bytes"));
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

    @Test
    void rateLimitsApplyToEveryClientUnlessItHasItsOwn() throws Exception
    {
        final GatewayConfig none = parse("");
        assertFalse(none.clients.get(2).rateLimit().limited(), "no limit unless configured");

        final GatewayConfig defaults = parse("rateLimit=5000\n");
        assertEquals(new RateLimit(5_000, 0), defaults.clients.get(2).rateLimit(), "the well-known clients get it too");
        assertEquals(500, defaults.clients.get(2).rateLimit().effectiveBurst());

        final GatewayConfig config = parse("""
            rateLimit=20000
            rateBurst=400
            client.5.secret=s5
            client.6.secret=s6
            client.6.role=INVENTORY
            client.6.rateLimit=1000
            client.7.secret=s7
            client.7.role=ADMIN
            client.7.rateLimit=0
            """);
        assertEquals(new RateLimit(20_000, 400), config.clients.get(5).rateLimit());
        assertEquals(new RateLimit(1_000, 400), config.clients.get(6).rateLimit(), "its own rate, the file's burst");
        assertFalse(config.clients.get(7).rateLimit().limited(), "0 lifts the file-wide limit for this client");
    }

    @Test
    void badRateLimitsAreReported()
    {
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> parse("rateLimit=-5\n"));
        assertTrue(negative.getMessage().contains("rate limit"), negative.getMessage());
        final IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
            () -> parse("client.5.secret=s\nclient.5.rateBurst=lots\n"));
        assertTrue(word.getMessage().contains("client 5") && word.getMessage().contains("rateBurst"), word.getMessage());
        final IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class, () -> parse("client.9.rateLimit=10\n"));
        assertTrue(orphan.getMessage().contains("client.9.secret"), orphan.getMessage());
    }
}
