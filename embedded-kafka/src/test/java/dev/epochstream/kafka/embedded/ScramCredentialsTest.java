package dev.epochstream.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class ScramCredentialsTest {

    /**
     * RFC 7677 §3's SCRAM-SHA-256 exchange (user "user", password "pencil"): the client proof and server
     * signature the RFC prints follow from the salted password alone, so they check it end to end.
     */
    @Test
    void saltedPasswordReproducesTheRfc7677Exchange() throws Exception {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO"
                + ",r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                + ",c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

        byte[] salted = ScramCredentials.saltedPassword(ScramMechanism.SCRAM_SHA_256, "pencil", salt, 4096);

        byte[] clientKey = hmac("HmacSHA256", salted, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] clientSignature = hmac("HmacSHA256", storedKey, authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        byte[] serverKey = hmac("HmacSHA256", salted, "Server Key".getBytes(StandardCharsets.UTF_8));
        byte[] serverSignature = hmac("HmacSHA256", serverKey, authMessage.getBytes(StandardCharsets.UTF_8));
        assertThat(Base64.getEncoder().encodeToString(proof)).isEqualTo("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(Base64.getEncoder().encodeToString(serverSignature))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void saltedPasswordIsRfc5802HiForSha512Too() throws Exception {
        byte[] salt = "some salt".getBytes(StandardCharsets.UTF_8);
        String password = "päss,wörd";

        byte[] salted = ScramCredentials.saltedPassword(ScramMechanism.SCRAM_SHA_512, password, salt, 4096);

        assertThat(salted).hasSize(64).isEqualTo(hi("HmacSHA512", password, salt, 4096));
    }

    /** The formatter splits on commas: a password with one must reach it only as base64 of its salted form. */
    @Test
    void formatArgumentsCarryOnlyTheSaltedPasswordForBothMechanisms() throws Exception {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("alice", "a,b]\"c");

        List<String> args = ScramCredentials.formatArguments(users);

        assertThat(args).hasSize(4);
        assertThat(args.get(0)).isEqualTo("--add-scram");
        assertThat(args.get(2)).isEqualTo("--add-scram");
        Pattern shape = Pattern.compile("(SCRAM-SHA-256|SCRAM-SHA-512)=\\[name=alice,salt=([A-Za-z0-9+/=]+),"
                + "iterations=4096,saltedpassword=([A-Za-z0-9+/=]+)]");
        String[] expectedMechanisms = {"SCRAM-SHA-256", "SCRAM-SHA-512"};
        String[] hmacs = {"HmacSHA256", "HmacSHA512"};
        for (int k = 0; k < 2; k++) {
            Matcher m = shape.matcher(args.get(2 * k + 1));
            assertThat(m.matches()).as(args.get(2 * k + 1)).isTrue();
            assertThat(m.group(1)).isEqualTo(expectedMechanisms[k]);
            byte[] salt = Base64.getDecoder().decode(m.group(2));
            assertThat(Base64.getDecoder().decode(m.group(3))).isEqualTo(hi(hmacs[k], "a,b]\"c", salt, 4096));
        }
    }

    @Test
    void jaasConfigSurvivesKafkasOwnParserWithQuotesAndBackslashes() {
        String user = "we\"ird";
        String password = "pa\\ss\"wo rd;";

        JaasContext parsed = JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new Password(ScramCredentials.jaasConfig(user, password))));

        List<AppConfigurationEntry> entries = parsed.configurationEntries();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getLoginModuleName())
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        Map<String, ?> options = entries.get(0).getOptions();
        assertThat(options.get("username")).isEqualTo(user);
        assertThat(options.get("password")).isEqualTo(password);
    }

    @Test
    void randomPasswordsAreAlphanumericAndDiffer() {
        String a = ScramCredentials.randomPassword();
        String b = ScramCredentials.randomPassword();

        assertThat(a).matches("[A-Za-z0-9]{24}");
        assertThat(a).isNotEqualTo(b);
    }

    /** RFC 5802 §2.2 Hi(), written out: U1 = HMAC(p, salt || INT(1)), Ui = HMAC(p, Ui-1), result = XOR of all. */
    private static byte[] hi(String hmac, String password, byte[] salt, int iterations) throws Exception {
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        byte[] first = new byte[salt.length + 4];
        System.arraycopy(salt, 0, first, 0, salt.length);
        first[salt.length + 3] = 1;
        byte[] u = hmac(hmac, key, first);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(hmac, key, u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(data);
    }
}
