package dev.epochstream.client.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.ConfigException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaCredentialsTest {

    private static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static KafkaCredentials login(String user, String password) {
        return KafkaCredentials.fromEnvironment(env(KafkaCredentials.USERNAME_VARIABLE, user,
                KafkaCredentials.PASSWORD_VARIABLE, password)).orElseThrow();
    }

    @Test
    void noVariablesNoLogin() {
        assertThat(KafkaCredentials.fromEnvironment(Map.of())).isEmpty();
        // empty values count as unset (compose files often declare variables without a value)
        assertThat(KafkaCredentials.fromEnvironment(env(KafkaCredentials.USERNAME_VARIABLE, "",
                KafkaCredentials.PASSWORD_VARIABLE, ""))).isEmpty();
    }

    @Test
    void incompleteVariablesAreNamed() {
        assertThatThrownBy(() -> KafkaCredentials.fromEnvironment(env(KafkaCredentials.USERNAME_VARIABLE, "alice")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(KafkaCredentials.PASSWORD_VARIABLE));
        assertThatThrownBy(() -> KafkaCredentials.fromEnvironment(env(KafkaCredentials.PASSWORD_VARIABLE, "s3cret")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(KafkaCredentials.USERNAME_VARIABLE))
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> KafkaCredentials.fromEnvironment(env(KafkaCredentials.MECHANISM_VARIABLE, "SCRAM-SHA-256")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(KafkaCredentials.MECHANISM_VARIABLE));
    }

    @Test
    void mechanismDefaultsToSha512AndIsNormalised() {
        assertThat(login("alice", "pw").mechanism()).isEqualTo("SCRAM-SHA-512");
        KafkaCredentials sha256 = KafkaCredentials.fromEnvironment(env(KafkaCredentials.USERNAME_VARIABLE, "alice",
                KafkaCredentials.PASSWORD_VARIABLE, "pw", KafkaCredentials.MECHANISM_VARIABLE, " scram-sha-256 ")).orElseThrow();
        assertThat(sha256.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThatThrownBy(() -> KafkaCredentials.of("alice", "pw", "PLAIN"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown SASL mechanism 'PLAIN'");
    }

    @Test
    void appliesProtocolMechanismAndJaasToEmptySettings() {
        Properties p = new Properties();
        login("alice", "pw").applyTo(p);
        assertThat(p).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(p.getProperty("sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"pw\";");
    }

    /** Kafka's own JAAS parser must read back exactly the username and password given. */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "p,a\"ss\\w=rd ]é", "ends with backslash\\", "quote\" ; semicolon", "two\nlines\r\n",
            "\\\"", "tab\tand /* not a comment */ // nor this", "∑ unicode 密码"})
    void jaasLineSurvivesKafkasParser(String password) {
        String user = "us\"er\\" + password.length();
        Map<String, String> settings = new LinkedHashMap<>();
        KafkaCredentials.of(user, password, null).applyTo(settings);

        JaasContext context = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(settings.get("sasl.jaas.config"))));
        List<AppConfigurationEntry> entries = context.configurationEntries();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(entries.get(0).getControlFlag()).isEqualTo(AppConfigurationEntry.LoginModuleControlFlag.REQUIRED);
        Map<String, Object> options = new HashMap<>(entries.get(0).getOptions());
        assertThat(options).isEqualTo(Map.of("username", user, "password", password));
    }

    @Test
    void explicitSettingsWin() {
        Map<String, String> explicit = new LinkedHashMap<>();
        explicit.put("security.protocol", "SASL_SSL");
        explicit.put("sasl.mechanism", "SCRAM-SHA-256");
        explicit.put("sasl.jaas.config", "explicit");
        login("alice", "pw").applyTo(explicit);
        assertThat(explicit).containsExactly(Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-256"), Map.entry("sasl.jaas.config", "explicit"));

        // TLS without SASL plus a login: TLS and SASL
        Map<String, String> tls = new LinkedHashMap<>(Map.of("security.protocol", "SSL"));
        login("alice", "pw").applyTo(tls);
        assertThat(tls).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");

        // an explicit SCRAM mechanism with the login's JAAS line
        Map<String, String> mech = new LinkedHashMap<>(Map.of("sasl.mechanism", "SCRAM-SHA-256"));
        login("alice", "pw").applyTo(mech);
        assertThat(mech).containsEntry("sasl.mechanism", "SCRAM-SHA-256").containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsKey("sasl.jaas.config");
    }

    @Test
    void contradictoryExplicitSettingsAreRefused() {
        Map<String, String> plaintext = new LinkedHashMap<>(Map.of("security.protocol", "PLAINTEXT"));
        assertThatThrownBy(() -> login("alice", "pw").applyTo(plaintext))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("security.protocol: is PLAINTEXT");
        Map<String, String> plain = new LinkedHashMap<>(Map.of("sasl.mechanism", "PLAIN"));
        assertThatThrownBy(() -> login("alice", "pw").applyTo(plain))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("sasl.mechanism: is PLAIN");
    }

    @Test
    void passwordIsNeverPrinted() {
        KafkaCredentials c = login("alice", "very-secret-pw");
        assertThat(c.toString()).contains("alice", "SCRAM-SHA-512").doesNotContain("very-secret-pw");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", "b:9092");
        settings.put("kafka.ssl.truststore.password", "very-secret-pw");
        settings.put("kafka.ssl.truststore.location", "/etc/ts.jks");
        settings.put("topic.events", "ev");
        c.applyTo(settings);
        Map<String, String> shown = KafkaCredentials.redacted(settings, "kafka.");
        assertThat(shown.toString()).doesNotContain("very-secret-pw");
        assertThat(shown).containsEntry("kafka.ssl.truststore.password", "[hidden]")
                .containsEntry("sasl.jaas.config", "[hidden]")
                .containsEntry("kafka.bootstrap.servers", "b:9092")
                .containsEntry("kafka.ssl.truststore.location", "/etc/ts.jks")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void secretSettings() {
        assertThat(KafkaCredentials.isSecret("sasl.jaas.config")).isTrue();
        assertThat(KafkaCredentials.isSecret("ssl.key.password")).isTrue();
        assertThat(KafkaCredentials.isSecret("ssl.keystore.key")).isTrue();
        assertThat(KafkaCredentials.isSecret("listener.name.x.scram-sha-512.sasl.jaas.config")).isTrue();
        assertThat(KafkaCredentials.isSecret("my.client.secret")).isTrue();
        assertThat(KafkaCredentials.isSecret("sasl.mechanism")).isFalse();
        assertThat(KafkaCredentials.isSecret("bootstrap.servers")).isFalse();
    }

    @Test
    void failureMessageAndCause() {
        assertThat(KafkaCredentials.authenticationFailedMessage("127.0.0.1:9092", "SCRAM-SHA-512", "kafka.sasl.jaas.config"))
                .isEqualTo("authentication failed at 127.0.0.1:9092 (SASL SCRAM-SHA-512): check "
                        + "EPOCHSTREAM_KAFKA_USERNAME/PASSWORD or kafka.sasl.jaas.config");
        assertThat(KafkaCredentials.authenticationFailedMessage("b:1", null, "x")).contains("(SASL GSSAPI)");
        SaslAuthenticationException sasl = new SaslAuthenticationException("Authentication failed");
        assertThat(KafkaCredentials.authenticationFailure(new KafkaException("outer", new RuntimeException(sasl)))).isSameAs(sasl);
        assertThat(KafkaCredentials.authenticationFailure(new KafkaException("other"))).isNull();
        assertThat(KafkaCredentials.authenticationFailure(null)).isNull();
    }
}
