package dev.epochstream.cli;

import dev.epochstream.client.security.KafkaCredentials;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Client settings of the commands that talk to Kafka ({@code produce}, {@code watch}): the bootstrap
 * servers, a properties file and {@code KEY=VALUE} overrides (security settings), a SASL/SCRAM login from the
 * environment ({@link KafkaCredentials}; explicit settings win), and a quick reachability
 * check, so that an unreachable broker is a one-line error naming the address tried within a few seconds,
 * not a client retrying for a minute.
 */
final class KafkaClients {
    /** Longest the reachability check waits for the cluster to answer. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(6);

    private KafkaClients() {
    }

    /**
     * The bootstrap servers, then the file's properties, then the overrides (later wins), then the login of
     * the EPOCHSTREAM_KAFKA_* variables of {@code environment} for the SASL settings none of them gave.
     */
    static Properties properties(String bootstrap, Path configFile, Map<String, String> overrides,
                                 Map<String, String> environment) throws IOException {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new NoSuchFileException(configFile.toString(), null, "client config file not found");
            }
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        if (overrides != null) {
            p.putAll(overrides);
        }
        if (!bootstrap.equals(p.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))) {
            throw new Main.UsageException("give the bootstrap servers with --bootstrap only, not as a client property");
        }
        KafkaCredentials.fromEnvironment(environment).ifPresent(c -> c.applyTo(p));
        return p;
    }

    /**
     * Asks the cluster for its id and for {@code topic}.
     *
     * @throws IOException naming {@code bootstrap} when no broker answers within {@link #CHECK_TIMEOUT}, or
     *     naming the topic when it does not exist
     */
    static void checkReachable(Properties client, String topic) throws IOException {
        String bootstrap = String.valueOf(client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        Properties p = new Properties();
        Set<String> adminKeys = AdminClientConfig.configNames();
        for (String name : client.stringPropertyNames()) {
            // Only what the admin client knows: producer or consumer keys would be logged as unknown.
            if (adminKeys.contains(name)) {
                p.put(name, client.getProperty(name));
            }
        }
        int timeout = (int) CHECK_TIMEOUT.toMillis();
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout - 1000));
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        p.putIfAbsent(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "3000");
        p.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            throw new IOException("cannot reach Kafka at " + bootstrap + ": " + rootMessage(e));
        }
        try {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).clusterId()
                        .get(timeout + 1000L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (KafkaCredentials.authenticationFailure(cause) != null) {
                    throw new IOException(KafkaCredentials.authenticationFailedMessage(bootstrap,
                            client.get(SaslConfigs.SASL_MECHANISM), SaslConfigs.SASL_JAAS_CONFIG));
                }
                // A timeout says only that no broker answered; any other cause (authentication, TLS) says why.
                throw new IOException("cannot reach Kafka at " + bootstrap + ": "
                        + (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                        ? "no broker answered within " + CHECK_TIMEOUT.toSeconds() + " s" : rootMessage(cause)));
            }
            if (topic != null) {
                try {
                    admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeout))
                            .allTopicNames().get(timeout + 1000L, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        throw new IOException("topic '" + topic + "' does not exist on " + bootstrap
                                + " (create it first, e.g. epochstream broker --topics " + topic + ")");
                    }
                    // Anything else (e.g. no describe permission): let the client itself find out.
                } catch (TimeoutException e) {
                    throw new IOException("Kafka at " + bootstrap + " did not describe topic '" + topic + "' within "
                            + CHECK_TIMEOUT.toSeconds() + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while contacting Kafka at " + bootstrap, e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /** The innermost cause's message (Kafka wraps it several times). */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
