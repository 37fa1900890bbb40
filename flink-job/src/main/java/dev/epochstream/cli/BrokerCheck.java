package dev.epochstream.cli;

import java.util.Collection;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Start-up checks against the broker, so a wrong address fails in seconds with a clear message. */
final class BrokerCheck {
    private BrokerCheck() {
    }

    /**
     * Connects and lists topics; throws {@link java.io.IOException} naming the address tried (and the
     * SASL mechanism when one is configured) when the broker cannot be reached or refuses the credentials.
     */
    static Set<String> topics(Properties client, int timeoutSeconds) throws java.io.IOException {
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
            throw new java.io.IOException("cannot reach the Kafka broker at " + where + " within " + timeoutSeconds
                    + " s (check kafka.bootstrap.servers / --bootstrap)");
        } catch (ExecutionException e) {
            throw new java.io.IOException("the Kafka broker at " + where + (mechanism == null ? "" : " (SASL " + mechanism + ")")
                    + " refused: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted while contacting " + where);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new java.io.IOException("cannot connect to the Kafka broker at " + where + ": " + e.getMessage());
        }
    }

    /** Fails with a message listing the topics that do not exist. */
    static void requireTopics(Set<String> existing, Collection<String> needed, String where) throws java.io.IOException {
        var missing = needed.stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new java.io.IOException("topics missing on " + where + ": " + missing
                    + " (create them, the snapshot topic with cleanup.policy=compact and max.message.bytes=8388608)");
        }
    }
}
