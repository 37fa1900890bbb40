package dev.epochstream.client.security;

import dev.epochstream.learner.config.ConfigException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * A SASL/SCRAM login for the Kafka clients of the job, the command line and the model client, usually
 * read from the environment so that no password is written into a properties file:
 *
 * <ul>
 *   <li>{@value #USERNAME_VARIABLE} and {@value #PASSWORD_VARIABLE}: both or neither;</li>
 *   <li>{@value #MECHANISM_VARIABLE}: {@code SCRAM-SHA-512} (the default) or {@code SCRAM-SHA-256}.</li>
 * </ul>
 *
 * {@link #applyTo} turns the login into the client settings {@code security.protocol},
 * {@code sasl.mechanism} and {@code sasl.jaas.config}; settings given explicitly win. {@link #toString()}
 * never shows the password, and {@link #redacted} hides every secret client setting for printing.
 *
 * <p>SCRAM is a challenge-response mechanism: the password itself never crosses the network, which is
 * why {@code SASL_PLAINTEXT} is the default protocol; set {@code security.protocol=SASL_SSL} (and the
 * {@code ssl.*} trust settings) to encrypt the traffic too.
 */
public final class KafkaCredentials {
    public static final String USERNAME_VARIABLE = "EPOCHSTREAM_KAFKA_USERNAME";
    public static final String PASSWORD_VARIABLE = "EPOCHSTREAM_KAFKA_PASSWORD";
    public static final String MECHANISM_VARIABLE = "EPOCHSTREAM_KAFKA_MECHANISM";

    /** The stronger of the two SCRAM hashes; brokers with SCRAM enabled usually offer both. */
    public static final String DEFAULT_MECHANISM = "SCRAM-SHA-512";
    public static final List<String> MECHANISMS = List.of("SCRAM-SHA-256", "SCRAM-SHA-512");

    /** What {@link #redacted} and {@link #toString()} print instead of a secret. */
    public static final String HIDDEN = "[hidden]";

    static final String SECURITY_PROTOCOL = "security.protocol";
    static final String SASL_MECHANISM = "sasl.mechanism";
    static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    /** The settings Kafka itself treats as passwords (it logs them as [hidden]) in any client. */
    private static final Set<String> PASSWORD_SETTINGS = passwordSettings();

    private final String username;
    private final String password;
    private final String mechanism;

    private KafkaCredentials(String username, String password, String mechanism) {
        this.username = username;
        this.password = password;
        this.mechanism = mechanism;
    }

    /**
     * A SCRAM login.
     *
     * @param mechanism SCRAM-SHA-256 or SCRAM-SHA-512 (any case); null for {@value #DEFAULT_MECHANISM}
     * @throws ConfigException when the username or password is empty or the mechanism is not SCRAM
     */
    public static KafkaCredentials of(String username, String password, String mechanism) {
        if (username == null || username.isEmpty()) {
            throw new ConfigException(USERNAME_VARIABLE, "the SASL username must not be empty");
        }
        if (password == null || password.isEmpty()) {
            throw new ConfigException(PASSWORD_VARIABLE, "the SASL password must not be empty");
        }
        return new KafkaCredentials(username, password, mechanism(mechanism));
    }

    /**
     * The login given by {@code environment} (pass {@link System#getenv()}); empty when neither the username
     * nor the password variable is set. A variable set to the empty string counts as unset.
     *
     * @throws ConfigException naming the variable when only one of username and password is set, or the
     *     mechanism is unknown or set without them
     */
    public static Optional<KafkaCredentials> fromEnvironment(Map<String, String> environment) {
        String user = nonEmpty(environment.get(USERNAME_VARIABLE));
        String pass = nonEmpty(environment.get(PASSWORD_VARIABLE));
        String mech = nonEmpty(environment.get(MECHANISM_VARIABLE));
        if (user == null && pass == null) {
            if (mech != null) {
                throw new ConfigException(MECHANISM_VARIABLE, "is set but " + USERNAME_VARIABLE + " and "
                        + PASSWORD_VARIABLE + " are not: set them too, or unset it");
            }
            return Optional.empty();
        }
        if (user == null) {
            throw new ConfigException(USERNAME_VARIABLE, "is not set but " + PASSWORD_VARIABLE + " is: set both");
        }
        if (pass == null) {
            throw new ConfigException(PASSWORD_VARIABLE, "is not set but " + USERNAME_VARIABLE + " is: set both");
        }
        return Optional.of(new KafkaCredentials(user, pass, mechanism(mech)));
    }

    public String username() {
        return username;
    }

    /** SCRAM-SHA-256 or SCRAM-SHA-512. */
    public String mechanism() {
        return mechanism;
    }

    /**
     * Adds this login to Kafka client settings (modified in place). Settings already present win:
     * an explicit {@code sasl.mechanism} or {@code sasl.jaas.config} is kept. {@code security.protocol}
     * becomes {@code SASL_PLAINTEXT} when absent and {@code SASL_SSL} when it is {@code SSL};
     * {@code SASL_PLAINTEXT} and {@code SASL_SSL} are kept.
     *
     * @throws ConfigException when the explicit settings contradict a SCRAM login ({@code PLAINTEXT}, or
     *     another mechanism without its own {@code sasl.jaas.config})
     */
    public void applyTo(Map<? super String, ? super String> clientSettings) {
        applyTo(clientSettings, "");
    }

    /**
     * As {@link #applyTo(Map)}, naming a contradicting setting with {@code settingPrefix} in front (e.g.
     * {@code kafka.} for a job configuration).
     */
    public void applyTo(Map<? super String, ? super String> clientSettings, String settingPrefix) {
        Object protocol = clientSettings.get(SECURITY_PROTOCOL);
        String p = protocol == null ? null : protocol.toString().trim().toUpperCase(Locale.ROOT);
        if (p == null) {
            clientSettings.put(SECURITY_PROTOCOL, "SASL_PLAINTEXT");
        } else if (p.equals("SSL")) {
            clientSettings.put(SECURITY_PROTOCOL, "SASL_SSL");
        } else if (!p.equals("SASL_PLAINTEXT") && !p.equals("SASL_SSL")) {
            throw new ConfigException(settingPrefix + SECURITY_PROTOCOL, "is " + protocol + ", which sends no credentials, but a "
                    + "SASL login is given (" + USERNAME_VARIABLE + "): use SASL_PLAINTEXT or SASL_SSL, or remove the login");
        }
        Object explicitMechanism = clientSettings.get(SASL_MECHANISM);
        if (clientSettings.get(SASL_JAAS_CONFIG) == null) {
            if (explicitMechanism != null && !MECHANISMS.contains(explicitMechanism.toString().trim())) {
                throw new ConfigException(settingPrefix + SASL_MECHANISM, "is " + explicitMechanism + " but the login from "
                        + USERNAME_VARIABLE + " is a SCRAM login: use " + String.join(" or ", MECHANISMS)
                        + ", or give " + settingPrefix + "sasl.jaas.config for " + explicitMechanism);
            }
            clientSettings.put(SASL_JAAS_CONFIG, jaasConfig());
        }
        if (explicitMechanism == null) {
            clientSettings.put(SASL_MECHANISM, mechanism);
        }
    }

    /**
     * The JAAS line of this login. Values are quoted; inside quotes Kafka's parser (a
     * {@link java.io.StreamTokenizer}) reads backslash escapes, so backslash, quote and line breaks are
     * escaped and every password survives as given.
     */
    String jaasConfig() {
        return LOGIN_MODULE + " required username=\"" + quote(username) + "\" password=\"" + quote(password) + "\";";
    }

    /**
     * The one-line start-up error for refused credentials, e.g. "authentication failed at host:9092 (SASL
     * SCRAM-SHA-512): check EPOCHSTREAM_KAFKA_USERNAME/PASSWORD or kafka.sasl.jaas.config".
     *
     * @param mechanism the client's {@code sasl.mechanism}; null means Kafka's default, GSSAPI
     * @param jaasSetting how the caller's configuration names {@code sasl.jaas.config}
     */
    public static String authenticationFailedMessage(String bootstrapServers, Object mechanism, String jaasSetting) {
        return "authentication failed at " + bootstrapServers + " (SASL " + (mechanism == null ? "GSSAPI" : mechanism)
                + "): check " + USERNAME_VARIABLE + "/PASSWORD or " + jaasSetting;
    }

    /** The SASL authentication failure in {@code t}'s cause chain, or null. */
    public static SaslAuthenticationException authenticationFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SaslAuthenticationException s) {
                return s;
            }
        }
        return null;
    }

    /**
     * Whether a Kafka client setting holds a secret: Kafka's own password settings
     * ({@code sasl.jaas.config}, {@code ssl.*.password}, ...) and anything named like a password or secret.
     */
    public static boolean isSecret(String clientSetting) {
        String s = clientSetting.toLowerCase(Locale.ROOT);
        return PASSWORD_SETTINGS.contains(s) || s.contains("password") || s.contains("secret")
                || s.endsWith("jaas.config");
    }

    /**
     * A copy of {@code settings} (in its order) fit for printing: the value of every key that, without
     * {@code prefix}, {@link #isSecret is secret} is {@value #HIDDEN}.
     */
    public static Map<String, String> redacted(Map<?, ?> settings, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            String key = String.valueOf(e.getKey());
            String bare = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
            out.put(key, isSecret(bare) ? HIDDEN : String.valueOf(e.getValue()));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaCredentials k && username.equals(k.username) && password.equals(k.password)
                && mechanism.equals(k.mechanism);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, password, mechanism);
    }

    @Override
    public String toString() {
        return "KafkaCredentials[username=" + username + ", password=" + HIDDEN + ", mechanism=" + mechanism + "]";
    }

    private static String mechanism(String given) {
        if (given == null) {
            return DEFAULT_MECHANISM;
        }
        String m = given.trim().toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(m)) {
            throw new ConfigException(MECHANISM_VARIABLE, "unknown SASL mechanism '" + given + "': use "
                    + String.join(" or ", MECHANISMS));
        }
        return m;
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                // an unescaped line break would end the quoted value early
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Set<String> passwordSettings() {
        Set<String> names = new HashSet<>();
        for (ConfigDef def : List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            for (ConfigDef.ConfigKey key : def.configKeys().values()) {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    names.add(key.name);
                }
            }
        }
        return Set.copyOf(names);
    }
}
