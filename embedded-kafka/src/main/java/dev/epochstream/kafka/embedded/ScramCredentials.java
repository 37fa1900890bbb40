package dev.epochstream.kafka.embedded;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.apache.kafka.clients.admin.ScramMechanism;

/**
 * SASL/SCRAM plumbing: the credentials written into the cluster metadata when the storage is formatted,
 * and the client-side JAAS settings.
 *
 * <p>Credentials go in at format time (StorageTool {@code --add-scram}) rather than through the Admin API
 * after start: the broker's own user must exist before it can authenticate to itself, and users that exist
 * from the first metadata record are usable the moment {@code start()} returns, with no propagation race.
 * The salted password is passed instead of the password, because the formatter splits its argument on
 * commas and a password may contain one.
 */
final class ScramCredentials {

    /** Kafka's default iteration count for SCRAM credentials (also its minimum). */
    static final int ITERATIONS = 4096;

    /** The mechanism clients use unless told otherwise. */
    static final ScramMechanism DEFAULT_MECHANISM = ScramMechanism.SCRAM_SHA_256;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramCredentials() {
    }

    /** {@code --add-scram} arguments for StorageTool: every user, under both mechanisms. */
    static List<String> formatArguments(Map<String, String> usersToPasswords) {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> user : usersToPasswords.entrySet()) {
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                byte[] salt = new byte[32];
                RANDOM.nextBytes(salt);
                byte[] salted = saltedPassword(mechanism, user.getValue(), salt, ITERATIONS);
                Base64.Encoder b64 = Base64.getEncoder();
                args.add("--add-scram");
                args.add(mechanism.mechanismName() + "=[name=" + user.getKey() + ",salt=" + b64.encodeToString(salt)
                        + ",iterations=" + ITERATIONS + ",saltedpassword=" + b64.encodeToString(salted) + "]");
            }
        }
        return args;
    }

    /**
     * SCRAM's {@code Hi(password, salt, i)} (RFC 5802 §2.2), which is PBKDF2 with the mechanism's HMAC and a
     * single output block; the password is UTF-8 encoded by the JDK, as Kafka's own formatter does.
     */
    static byte[] saltedPassword(ScramMechanism mechanism, String password, byte[] salt, int iterations) {
        String algorithm;
        int bits;
        if (mechanism == ScramMechanism.SCRAM_SHA_256) {
            algorithm = "PBKDF2WithHmacSHA256";
            bits = 256;
        } else if (mechanism == ScramMechanism.SCRAM_SHA_512) {
            algorithm = "PBKDF2WithHmacSHA512";
            bits = 512;
        } else {
            throw new IllegalArgumentException("unsupported SCRAM mechanism " + mechanism);
        }
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The JAAS line a SCRAM client logs in with; quotes and backslashes in the values are escaped. */
    static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + escape(user)
                + "\" password=\"" + escape(password) + "\";";
    }

    /** Client settings for {@code user} over SASL_PLAINTEXT with {@code mechanism}. */
    static void putClientSettings(Properties props, String user, String password, ScramMechanism mechanism) {
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", mechanism.mechanismName());
        props.put("sasl.jaas.config", jaasConfig(user, password));
    }

    /** A random password for the broker's admin user: letters and digits, 24 characters. */
    static String randomPassword() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // JAAS values are read by a StreamTokenizer, which honours backslash escapes inside quotes.
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
