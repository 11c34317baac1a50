package io.mete.benchmarks.load;

import io.mete.gateway.session.SecretHash;
import io.mete.schema.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.*;

class LoadClientsTest
{
    @Test
    void clientsComeFromTheSecretsOfTheServersConfigAndHashesAloneAreRefusedWithAReason(@TempDir final Path dir) throws Exception
    {
        final String hash = SecretHash.of("s", new SecureRandom()).toString();
        final Path mixed = Files.writeString(dir.resolve("mixed.properties"),
            "client.1.secret=admin\nclient.1.role=ADMIN\nclient.11.secret=eleven\nclient.12.secretHash=" + hash + "\n");
        final LoadClients clients = LoadClients.fromServerConfig(mixed);
        assertEquals(2, clients.all().size(), "the hashed client cannot be logged in with and is left out");
        assertEquals(Role.ADMIN, clients.admin().role());
        assertEquals("eleven", clients.forLoad(1, false).get(0).secret());

        final Path hashedOnly = Files.writeString(dir.resolve("hashed.properties"), "client.12.secretHash=" + hash + "\n");
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> LoadClients.fromServerConfig(hashedOnly));
        assertTrue(refused.getMessage().contains("only hashes of the client secrets"), refused.getMessage());

        final Path none = Files.writeString(dir.resolve("none.properties"), "port=9000\n");
        assertEquals(4, LoadClients.fromServerConfig(none).all().size(), "no clients: the gateway's defaults, as the server does");
    }
}
