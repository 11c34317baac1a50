package io.mete.gateway.cli;

import io.mete.gateway.session.ClientRegistry;
import io.mete.gateway.session.SecretHash;
import io.mete.schema.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * {@code mete secret}: makes a client's credentials for the server's configuration. It generates a
 * random secret (or takes one), and prints the secret to hand to the client and the lines for the
 * server's config file, which hold only a salted hash of it.
 */
@Command(name = "secret", mixinStandardHelpOptions = true,
    description = {"Generate a client secret and the server config lines that hold only its hash.",
        "Give the secret to the client (its --secret, or MeteClient.Options); put the lines in the server's --config file."})
public final class SecretCommand implements Callable<Integer>
{
    /** 32 random bytes, hex: 256 bits, out of reach of any search (see SecretHash). */
    private static final int GENERATED_BYTES = 32;

    @Option(names = "--client", paramLabel = "N", description = "client id (1..4095, default 1)")
    int clientId = 1;

    @Option(names = "--role", paramLabel = "ROLE", description = "ORDERS, INVENTORY, MONITOR or ADMIN (default ORDERS)")
    Role role = Role.ORDERS;

    @Option(names = "--secret", paramLabel = "S", description = "hash this secret instead of generating one (ASCII, 1..254 characters)")
    String secret;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final SecureRandom random = new SecureRandom();
        String chosen = secret;
        if (chosen == null)
        {
            final byte[] bytes = new byte[GENERATED_BYTES];
            random.nextBytes(bytes);
            chosen = HexFormat.of().formatHex(bytes);
        }
        final SecretHash hash = SecretHash.of(chosen, random);
        final PrintWriter out = spec.commandLine().getOut();
        // the same checks the server applies when it reads the lines back
        new ClientRegistry.Client(clientId, chosen, role);
        ClientRegistry.Client.hashed(clientId, hash, role);
        out.println("# client " + clientId + " logs in with this secret (keep it out of the server's config):");
        out.println("# " + chosen);
        out.println("client." + clientId + ".secretHash=" + hash);
        out.println("client." + clientId + ".role=" + role);
        out.flush();
        return 0;
    }
}
