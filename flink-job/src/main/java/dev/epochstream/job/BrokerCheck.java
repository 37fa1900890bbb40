package dev.epochstream.job;

import dev.epochstream.client.security.KafkaCredentials;
import dev.epochstream.connectors.kafka.DeadLetterPayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Start-up checks against the broker, so a wrong address or login, a missing topic or one too small for the
 * job's records fails in seconds with a clear message ({@code epochstream run}; {@code flink run} checks the
 * login and the record limits).
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
        String where = client.getProperty("bootstrap.servers");
        String mechanism = client.getProperty("sasl.mechanism");
        try (Admin admin = admin(client, timeoutSeconds)) {
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

    /**
     * Fails when the snapshot or dead-letter topic would refuse a record the job can write there (the broker
     * checks each batch against the topic's max.message.bytes, and a refused record fails the job, again after
     * every restart): the largest snapshot of the model ({@link JobConfig#snapshotRecordBytes()}), or a dead
     * letter, which can take all of kafka.max.request.size (it keeps the refused record up to that limit less
     * {@link DeadLetterPayload#HEADROOM_BYTES} for its other fields). The message names each such topic, its
     * limit, the size needed and the command that raises the limit. A limit that cannot be read (no
     * DescribeConfigs permission on the topic, or no answer) is not a failure: the returned warnings say what
     * to check by hand.
     *
     * <p>It also fails when the exactly-once producers' kafka.transaction.timeout.ms is above the broker's
     * transaction.max.timeout.ms: every producer's initTransactions would be refused (InvalidTxnTimeoutException)
     * and the job would restart in a loop.
     */
    public static List<String> checkBrokerLimits(Properties client, JobConfig config, int timeoutSeconds) throws IOException {
        Map<String, Need> needs = new LinkedHashMap<>();
        Need.add(needs, config.snapshotsTopic(), new Need(config.snapshotRecordBytes(), "a snapshot of this model takes up to"));
        Need.add(needs, config.deadLettersTopic(), new Need(config.maxRecordBytes(),
                "a dead letter takes up to kafka.max.request.size,"));
        Map<String, ConfigResource> resources = new LinkedHashMap<>();
        needs.keySet().forEach(t -> resources.put(t, new ConfigResource(ConfigResource.Type.TOPIC, t)));
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (Admin admin = admin(client, timeoutSeconds)) {
            var described = admin.describeConfigs(resources.values()).values();
            for (Map.Entry<String, ConfigResource> e : resources.entrySet()) {
                String topic = e.getKey();
                Need need = needs.get(topic);
                String unchecked = "cannot read max.message.bytes of topic " + topic + " (%s): make sure it is at least "
                        + need.bytes() + " (" + need.why() + " " + need.bytes() + " bytes)";
                try {
                    ConfigEntry limit = described.get(e.getValue()).get(timeoutSeconds, TimeUnit.SECONDS)
                            .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                    if (limit != null && Long.parseLong(limit.value()) < need.bytes()) {
                        problems.add("topic " + topic + " accepts records of up to " + limit.value()
                                + " bytes (max.message.bytes), but " + need.why() + " " + need.bytes() + " bytes: raise it "
                                + "with kafka-configs --bootstrap-server " + config.bootstrapServers() + " --alter "
                                + "--entity-type topics --entity-name " + topic + " --add-config max.message.bytes=" + need.bytes());
                    }
                } catch (ExecutionException | TimeoutException ex) {
                    warnings.add(String.format(unchecked, whyUnread(ex, timeoutSeconds, "")));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading the topics' max.message.bytes");
                }
            }
            checkTransactionTimeout(admin, config, timeoutSeconds, problems, warnings);
        } catch (org.apache.kafka.common.KafkaException e) {
            warnings.add("cannot read the topics' max.message.bytes: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        return warnings;
    }

    /** Adds a problem when one broker's transaction.max.timeout.ms is below the producers' transaction timeout. */
    private static void checkTransactionTimeout(Admin admin, JobConfig config, int timeoutSeconds, List<String> problems,
                                                List<String> warnings) throws IOException {
        long wanted = config.transactionTimeout().toMillis();
        String unchecked = "cannot read the broker's transaction.max.timeout.ms (%s): make sure it is at least "
                + wanted + " (kafka.transaction.timeout.ms)";
        try {
            var nodes = admin.describeCluster().nodes().get(timeoutSeconds, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                warnings.add(String.format(unchecked, "no broker listed"));
                return;
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            ConfigEntry max = admin.describeConfigs(List.of(broker)).values().get(broker)
                    .get(timeoutSeconds, TimeUnit.SECONDS).get("transaction.max.timeout.ms");
            if (max != null && Long.parseLong(max.value()) < wanted) {
                problems.add("kafka.transaction.timeout.ms is " + wanted + " ms, above the broker's "
                        + "transaction.max.timeout.ms of " + max.value() + " ms: the exactly-once sinks could not start "
                        + "a transaction. Lower kafka.transaction.timeout.ms (and checkpoint.interval with it), or raise "
                        + "the broker's transaction.max.timeout.ms");
            }
        } catch (ExecutionException | TimeoutException ex) {
            warnings.add(String.format(unchecked, whyUnread(ex, timeoutSeconds, " on the cluster")));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the broker's transaction.max.timeout.ms");
        }
    }

    /** Why an admin request's answer could not be read: a missing permission ({@code where}), an error, or a timeout. */
    private static String whyUnread(Exception ex, int timeoutSeconds, String where) {
        if (ex instanceof TimeoutException) {
            return "no answer within " + timeoutSeconds + " s";
        }
        return ex.getCause() instanceof AuthorizationException ? "no DescribeConfigs permission" + where
                : ex.getCause().getMessage();
    }

    /** The largest record a topic must take, and what writes it. */
    private record Need(long bytes, String why) {
        /** Adds {@code need} for {@code topic}, keeping the larger of two needs of one topic. */
        static void add(Map<String, Need> needs, String topic, Need need) {
            needs.merge(topic, need, (a, b) -> a.bytes() >= b.bytes() ? a : b);
        }
    }

    private static Admin admin(Properties client, int timeoutSeconds) {
        Properties p = new Properties();
        p.putAll(client);
        p.remove("group.id");
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeoutSeconds * 1000));
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutSeconds * 1000));
        return Admin.create(p);
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
