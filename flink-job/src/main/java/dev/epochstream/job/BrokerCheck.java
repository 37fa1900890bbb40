package dev.epochstream.job;

import dev.epochstream.client.security.KafkaCredentials;
import java.io.IOException;
import java.util.Collection;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Start-up checks against the broker, so a wrong address or login fails in seconds with a clear message
 * ({@code epochstream run}, and {@code flink run} for the login).
 */
public final class BrokerCheck {
    private BrokerCheck() {
    }

    /**
     * Connects and lists topics; throws {@link IOException} naming the address tried when the broker cannot
     * be reached or refuses, and {@link AuthenticationFailed} naming the address and the SASL mechanism when
     * it refuses the login.
     */
    public static Set<String> topics(Properties client, int timeoutSeconds) throws IOException {
        Properties p = new Properties();
        p.putAll(client);
        p.remove("group.id");
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutSeconds * 1000));
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutSeconds * 1000));
        String where = p.getProperty("bootstrap.servers");
        String mechanism = p.getProperty("sasl.mechanism");
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("cannot reach the Kafka broker at " + where + " within " + timeoutSeconds
                    + " s (check kafka.bootstrap.servers / --bootstrap)");
        } catch (ExecutionException e) {
            if (KafkaCredentials.authenticationFailure(e) != null) {
                throw new AuthenticationFailed(KafkaCredentials.authenticationFailedMessage(where, mechanism,
                        JobKeys.KAFKA_PREFIX + "sasl.jaas.config"));
            }
            throw new IOException("the Kafka broker at " + where + (mechanism == null ? "" : " (SASL " + mechanism + ")")
                    + " refused: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while contacting " + where);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("cannot connect to the Kafka broker at " + where + ": " + e.getMessage());
        }
    }

    /**
     * Fails when the broker refuses the configured SASL login; does nothing without SASL or when the broker
     * cannot be reached (the job's connectors retry until it is).
     */
    public static void checkLogin(JobConfig config, int timeoutSeconds) throws AuthenticationFailed {
        if (config.saslMechanism() == null) {
            return;
        }
        try {
            topics(config.kafkaProperties(), timeoutSeconds);
        } catch (AuthenticationFailed e) {
            throw e;
        } catch (IOException notReachableYet) {
            // not a login problem: leave it to the connectors
        }
    }

    /** Fails with a message listing the topics that do not exist. */
    public static void requireTopics(Set<String> existing, Collection<String> needed, String where) throws IOException {
        var missing = needed.stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new IOException("topics missing on " + where + ": " + missing
                    + " (create them, the snapshot topic with cleanup.policy=compact and max.message.bytes=8388608)");
        }
    }

    /** The broker refused the SASL login; the message names the address and the mechanism. */
    public static final class AuthenticationFailed extends IOException {
        private static final long serialVersionUID = 1L;

        AuthenticationFailed(String message) {
            super(message);
        }
    }
}
