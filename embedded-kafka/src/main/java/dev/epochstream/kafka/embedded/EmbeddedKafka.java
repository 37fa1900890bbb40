package dev.epochstream.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM, on
 * 127.0.0.1, with its data in a temporary directory. For tests, the demo and local tools.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().topic(TopicSpec.of("events", 3)).start()) {
 *     Properties props = kafka.clientProperties();   // bootstrap.servers (+ SASL settings if enabled)
 *     ...
 * }
 * }</pre>
 *
 * <p>Broker defaults, each overridable with {@link Builder#brokerProperty} except the wiring keys in
 * {@link EmbeddedKafkaConfig#RESERVED_KEYS}:
 * <ul>
 *   <li>Exactly-once sinks work out of the box: {@code transaction.max.timeout.ms=3600000} (Flink's KafkaSink
 *       asks for a one-hour transaction timeout, above the broker's usual 15 minutes), and the
 *       transaction-state, offsets and share-coordinator topics have replication factor 1 and min ISR 1.
 *   <li>{@code auto.create.topics.enable=false}: a misspelt topic fails fast instead of appearing empty and
 *       leaving a test waiting on it. Create topics with {@link Builder#topic} or {@link #createTopic}.
 *   <li>{@code message.max.bytes} and {@code replica.fetch.max.bytes} are 8 MiB, so a 2 MB model snapshot
 *       fits with room to spare; producers still need their own {@code max.request.size}.
 *   <li>{@code group.initial.rebalance.delay.ms=0}: consumers get their partitions at once.
 *   <li>Small thread pools, few internal-topic partitions and a 16 MiB log-cleaner buffer (instead of 128 MiB):
 *       the broker shares a laptop or CI runner with the code under test.
 * </ul>
 *
 * <p>With {@link Builder#saslScram(Map)} the client listener is SASL_PLAINTEXT with SCRAM-SHA-256
 * and SCRAM-SHA-512, and the broker authenticates to itself as {@link EmbeddedKafkaConfig#ADMIN_USER}, whose
 * random password is in {@link #clientProperties()}. No authorizer is configured: every authenticated user
 * may do everything.
 *
 * <p>{@link #restart()} stops and starts the broker on the same ports and data (a broker outage).
 * {@link #close()} shuts the broker down, waits for it, and deletes its directory; afterwards none of
 * its threads run and its ports are closed. Thread-safe.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** A free port can be taken by someone else between probing it and the broker binding it. */
    private static final int START_ATTEMPTS = 3;

    /** The most an administrative call made for the caller (create or delete a topic) may take. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** Per readiness probe: short, so that a probe sent before the listener was up is soon retried. */
    private static final int PROBE_TIMEOUT_MS = 2_000;

    private final EmbeddedKafkaConfig config;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String adminPassword;
    private KafkaRaftServer server;
    private Admin admin;
    private boolean closed;

    private EmbeddedKafka(EmbeddedKafkaConfig config, Path dataDir, int port, int controllerPort,
            String adminPassword) {
        this.config = config;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.adminPassword = adminPassword;
    }

    /** Settings for a broker; {@link Builder#start()} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a broker and returns once it answers clients and the configured topics exist.
     *
     * @throws IllegalStateException if the broker cannot be formatted or started, or is not ready in time;
     *     nothing is left running or on disk then
     */
    public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(config);
            } catch (PortTakenException e) {
                if (attempt == START_ATTEMPTS || config.port() != 0 && e.clientPort) {
                    throw new IllegalStateException("broker could not bind its ports after " + attempt
                            + " attempt(s): " + e.getMessage(), e.getCause());
                }
                LOG.info("A probed port was taken before the broker bound it; retrying with new ports", e.getCause());
            }
        }
    }

    private static EmbeddedKafka startOnce(EmbeddedKafkaConfig config) {
        Path parent = config.dataParent() != null ? config.dataParent() : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir;
        int[] ports;
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "embedded-kafka-");
            ports = freePorts(config.port());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's directory or ports below " + parent, e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(config, dir, ports[0], ports[1], ScramCredentials.randomPassword());
        try {
            kafka.boot();
            return kafka;
        } catch (RuntimeException | Error e) {
            try {
                kafka.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            String bindFailure = bindFailure(e);
            if (bindFailure != null) {
                throw new PortTakenException(bindFailure, e, bindFailure.contains("127.0.0.1:" + kafka.port + ":"));
            }
            throw e;
        }
    }

    private void boot() {
        Properties props = properties();
        format(props);
        startServer(props);
        if (!config.topics().isEmpty()) {
            createTopics(config.topics());
        }
        LOG.info("Embedded Kafka broker ready at {} (data in {})", bootstrapServers(), dataDir);
    }

    private Properties properties() {
        return BrokerProperties.of(config, dataDir.resolve("logs"), port, controllerPort, adminPassword);
    }

    /** Starts a server on the formatted storage and waits until it answers clients. */
    private void startServer(Properties props) {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        admin = Admin.create(clientProperties());
        Waits.until(config.startupTimeout(), "the broker at " + bootstrapServers() + " to answer DescribeCluster",
                () -> !admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS))
                        .nodes().get().isEmpty());
    }

    /**
     * Shuts the broker down and starts it again on the same ports and the same data: topics, committed
     * offsets and transaction state survive, as when a real broker restarts. Clients see the connection
     * drop and reconnect; the call returns once the broker answers again.
     *
     * @throws IllegalStateException if the broker is closed, or does not come back in time
     */
    public synchronized void restart() {
        ensureOpen();
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka broker at {} stopped for a restart", bootstrapServers());
        startServer(properties());
        LOG.info("Embedded Kafka broker restarted at {} (data in {})", bootstrapServers(), dataDir);
    }

    /** Writes server.properties and formats the storage, with the SCRAM users if SASL is on. */
    private void format(Properties props) {
        Path propsFile = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
            props.store(w, "epochstream embedded Kafka broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + propsFile, e);
        }
        List<String> args = new ArrayList<>(List.of(
                "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()));
        if (config.saslEnabled()) {
            Map<String, String> users = new LinkedHashMap<>(config.scramUsers());
            users.put(EmbeddedKafkaConfig.ADMIN_USER, adminPassword);
            args.addAll(ScramCredentials.formatArguments(users));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args.toArray(new String[0]), ps);
        } catch (Exception e) {
            throw new IllegalStateException("formatting the broker storage in " + dataDir + " failed: " + e.getMessage()
                    + "; output: " + out.toString(StandardCharsets.UTF_8), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the broker storage in " + dataDir + " returned " + rc
                    + "; output: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** "127.0.0.1:port" of the client listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The client listener port. */
    public int port() {
        return port;
    }

    /** The controller listener port (internal to the node, PLAINTEXT). */
    public int controllerPort() {
        return controllerPort;
    }

    /** The broker's temporary directory (server.properties and the logs); deleted by {@link #close()}. */
    public Path dataDir() {
        return dataDir;
    }

    /** The settings this broker was started with. */
    public EmbeddedKafkaConfig config() {
        return config;
    }

    /**
     * A fresh copy of the settings a client needs: {@code bootstrap.servers}, plus, when SASL is on, the
     * SCRAM-SHA-256 login of the admin user. Add producer/consumer settings to the copy.
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        if (config.saslEnabled()) {
            ScramCredentials.putClientSettings(p, EmbeddedKafkaConfig.ADMIN_USER, adminPassword,
                    ScramCredentials.DEFAULT_MECHANISM);
        }
        return p;
    }

    /** Client settings logging in as {@code user} with SCRAM-SHA-256. */
    public Properties clientProperties(String user, String password) {
        return clientProperties(user, password, ScramCredentials.DEFAULT_MECHANISM);
    }

    /**
     * Client settings logging in as {@code user} with {@code mechanism}. The credentials are not checked
     * here: wrong ones fail in the client with a {@code SaslAuthenticationException}.
     *
     * @throws IllegalStateException if the broker was started without SASL
     */
    public Properties clientProperties(String user, String password, ScramMechanism mechanism) {
        if (!config.saslEnabled()) {
            throw new IllegalStateException("SASL is not enabled on this broker: use clientProperties()");
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        ScramCredentials.putClientSettings(p, user, password, mechanism);
        return p;
    }

    /** A new Admin client logged in as the admin user; the caller owns it and must close it. */
    public Admin adminClient() {
        ensureOpen();
        return Admin.create(clientProperties());
    }

    /** Creates a topic and waits until every partition has a leader. */
    public void createTopic(TopicSpec spec) {
        createTopics(List.of(spec));
    }

    /** Creates topics and waits until every partition of each has a leader. */
    public void createTopics(TopicSpec... specs) {
        createTopics(List.of(specs));
    }

    /**
     * Creates topics (replication factor 1) and waits until every partition has a leader, so that clients
     * never see them half-created.
     *
     * @throws org.apache.kafka.common.errors.TopicExistsException and other Kafka errors as thrown by the
     *     broker
     */
    public void createTopics(Collection<TopicSpec> specs) {
        ensureOpen();
        List<NewTopic> newTopics = new ArrayList<>(specs.size());
        List<String> names = new ArrayList<>(specs.size());
        for (TopicSpec s : specs) {
            newTopics.add(new NewTopic(s.name(), s.partitions(), (short) 1).configs(s.configs()));
            names.add(s.name());
        }
        await(admin.createTopics(newTopics).all(), "creating topics " + names);
        Waits.until(ADMIN_TIMEOUT, "leaders for all partitions of " + names, () -> allLed(names));
    }

    private boolean allLed(List<String> names) throws Exception {
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                .get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() == null || p.leader().isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Deletes a topic and waits until the broker no longer lists it. */
    public void deleteTopic(String name) {
        ensureOpen();
        await(admin.deleteTopics(List.of(name)).all(), "deleting topic " + name);
        Waits.until(ADMIN_TIMEOUT, "topic " + name + " to disappear",
                () -> !admin.listTopics().names().get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).contains(name));
    }

    /**
     * Shuts the broker down, waits until it has stopped, and deletes its directory. Idempotent.
     *
     * @throws UncheckedIOException if the directory cannot be deleted (the broker is stopped regardless)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                failure = chain(failure, e);
            }
        }
        try {
            deleteRecursively(dataDir);
        } catch (UncheckedIOException e) {
            failure = chain(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
        LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers());
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the embedded broker at " + bootstrapServers() + " is closed");
        }
    }

    /** Waits for an admin result; Kafka's own (typed, unchecked) errors reach the caller unwrapped. */
    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException(what + " took longer than " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    /** Two ports that were free a moment ago: the client port (unless fixed) and the controller port. */
    private static int[] freePorts(int fixedClientPort) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // Both sockets are open at once, so the two ports differ.
        try (ServerSocket a = new ServerSocket(0, 1, loopback); ServerSocket b = new ServerSocket(0, 1, loopback)) {
            if (fixedClientPort != 0) {
                return new int[] {fixedClientPort, a.getLocalPort() == fixedClientPort ? b.getLocalPort() : a.getLocalPort()};
            }
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    /**
     * If {@code t} comes from a port that could not be bound, the message naming the address (Kafka wraps the
     * address-less {@link BindException} in one that says "failed to bind to host:port"), else null.
     */
    private static String bindFailure(Throwable t) {
        String naming = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getCause() instanceof BindException) {
                naming = c.getMessage();
            }
            if (c instanceof BindException) {
                return naming != null ? naming : String.valueOf(c.getMessage());
            }
        }
        return null;
    }

    private static RuntimeException chain(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            // Deepest first, so each directory is empty when its turn comes.
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the broker directory " + root, e);
        }
    }

    /** A start attempt lost a race for a port; {@link #start} retries with new ones. */
    private static final class PortTakenException extends RuntimeException {
        final boolean clientPort;

        PortTakenException(String message, Throwable cause, boolean clientPort) {
            super(message, cause);
            this.clientPort = clientPort;
        }
    }

    /** Fluent settings for {@link EmbeddedKafka}; {@link #start()} starts the broker. */
    public static final class Builder extends EmbeddedKafkaConfigBuilder<Builder> {

        Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Validates the settings and starts the broker (see {@link EmbeddedKafka#start(EmbeddedKafkaConfig)}). */
        public EmbeddedKafka start() {
            return EmbeddedKafka.start(config());
        }
    }
}
