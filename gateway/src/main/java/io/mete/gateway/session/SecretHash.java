package io.mete.gateway.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A client secret as the server's configuration may hold it instead of the secret itself:
 * {@code sha256:<salt, hex>:<SHA-256 of salt and secret, hex>}. Whoever reads the file learns no
 * secret, and the salt keeps two clients with the same secret from showing the same hash.
 * <p>
 * One salted SHA-256 and no key stretching: login runs on the gateway's only thread, so checking a
 * secret has to take microseconds, not the tens of milliseconds of PBKDF2 or bcrypt. That is sound
 * for what these secrets are, long random strings that {@code ./mete secret} generates (256 bits),
 * which no dictionary holds and no search reaches; it is not a way to store short passwords.
 */
public final class SecretHash
{
    public static final String SCHEME = "sha256";
    private static final int MIN_SALT_BYTES = 16;
    private static final int MAX_SALT_BYTES = 64;
    private static final int DIGEST_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] salt;
    private final byte[] digest;

    private SecretHash(final byte[] salt, final byte[] digest)
    {
        this.salt = salt;
        this.digest = digest;
    }

    /** Parses {@code sha256:<salt hex>:<digest hex>}; the message of the exception says what is wrong. */
    public static SecretHash parse(final String text)
    {
        final String[] parts = text.trim().split(":", -1);
        if (parts.length != 3 || !SCHEME.equals(parts[0]))
        {
            throw new IllegalArgumentException("secret hash must look like " + SCHEME + ":<salt hex>:<digest hex> (from ./mete secret)");
        }
        final byte[] salt = hex(parts[1], "salt");
        final byte[] digest = hex(parts[2], "digest");
        if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES)
        {
            throw new IllegalArgumentException("secret hash: salt must be " + MIN_SALT_BYTES + ".." + MAX_SALT_BYTES + " bytes, not " + salt.length);
        }
        if (digest.length != DIGEST_BYTES)
        {
            throw new IllegalArgumentException("secret hash: digest must be " + DIGEST_BYTES + " bytes (SHA-256), not " + digest.length);
        }
        return new SecretHash(salt, digest);
    }

    /** Hashes a secret with a fresh random salt. */
    public static SecretHash of(final String secret, final SecureRandom random)
    {
        final byte[] salt = new byte[MIN_SALT_BYTES];
        random.nextBytes(salt);
        return new SecretHash(salt, digest(salt, secret.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Whether the secret hashes to this digest (compared in constant time). */
    public boolean matches(final byte[] secret)
    {
        return MessageDigest.isEqual(digest, digest(salt, secret));
    }

    /** Same salt and digest: a configuration reloaded with the same line names the same secret. */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SecretHash && java.util.Arrays.equals(salt, ((SecretHash)other).salt) &&
            java.util.Arrays.equals(digest, ((SecretHash)other).digest);
    }

    @Override
    public int hashCode()
    {
        return 31 * java.util.Arrays.hashCode(salt) + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString()
    {
        return SCHEME + ":" + HEX.formatHex(salt) + ":" + HEX.formatHex(digest);
    }

    private static byte[] digest(final byte[] salt, final byte[] secret)
    {
        try
        {
            final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(secret);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }

    private static byte[] hex(final String text, final String what)
    {
        try
        {
            return HEX.parseHex(text.toLowerCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("secret hash: " + what + " is not hex: " + text);
        }
    }
}
