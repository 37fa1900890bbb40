package dev.epochstream.kafka.embedded;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The server.properties of the embedded single-node KRaft broker (combined broker + controller). The defaults
 * and why they were chosen are listed in {@link EmbeddedKafka}'s class documentation; user overrides are
 * applied over the defaults, and the wiring (listeners, roles, directories, SASL) over both.
 */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private BrokerProperties() {
    }

    /**
     * The full property set for one start attempt.
     *
     * @param adminPassword the broker's own SCRAM password; ignored unless SASL is enabled
     */
    static Properties of(EmbeddedKafkaConfig config, Path logDir, int port, int controllerPort,
            String adminPassword) {
        Properties p = new Properties();
        defaults(p);
        p.putAll(config.brokerProperties());
        wiring(p, config.saslEnabled(), logDir, port, controllerPort);
        if (config.saslEnabled()) {
            sasl(p, adminPassword);
        }
        return p;
    }

    /** The client listener's name: named after its security protocol, so the default protocol map applies. */
    static String clientListener(boolean sasl) {
        return sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
    }

    private static void defaults(Properties p) {
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");

        p.put("transaction.max.timeout.ms", "3600000");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");

        p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));

        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        // The default 128 MiB dedupe buffer is allocated up front; compaction in tests needs little.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    }

    private static void wiring(Properties p, boolean sasl, Path logDir, int port, int controllerPort) {
        String client = clientListener(sasl);
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", client + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", client + "://127.0.0.1:" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", client);
        p.put("listener.security.protocol.map", client + ":" + client + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
    }

    private static void sasl(Properties p, String adminPassword) {
        String prefix = "listener.name." + clientListener(true).toLowerCase(Locale.ROOT) + ".";
        String jaas = ScramCredentials.jaasConfig(EmbeddedKafkaConfig.ADMIN_USER, adminPassword);
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512");
        p.put("sasl.mechanism.inter.broker.protocol", ScramCredentials.DEFAULT_MECHANISM.mechanismName());
        p.put(prefix + "scram-sha-256.sasl.jaas.config", jaas);
        p.put(prefix + "scram-sha-512.sasl.jaas.config", jaas);
        // Only meaningful if an authorizer is configured through brokerProperty: then the admin user may
        // still do everything (no authorizer is set by default, so every authenticated user may).
        p.putIfAbsent("super.users", "User:" + EmbeddedKafkaConfig.ADMIN_USER);
    }

}
