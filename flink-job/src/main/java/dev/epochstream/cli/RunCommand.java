package dev.epochstream.cli;

import dev.epochstream.job.BrokerCheck;
import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.learner.config.RawConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Runs the job: on a local MiniCluster in this JVM (the embedded default) until Ctrl-C/SIGTERM, or
 * submitted to a running Flink cluster with {@code --target remote}. The configuration is validated
 * and the broker and topics checked before anything is submitted.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the epochstream job on a local MiniCluster, or submit it to a Flink cluster.",
        footer = {"", "Any configuration key can be overridden after the options: --KEY VALUE.", "",
                "Examples:",
                "  epochstream run --config job.properties --kafka.bootstrap.servers localhost:9092",
                "  epochstream run --config job.properties --target remote --jobmanager flink-jm:8081"})
final class RunCommand implements Callable<Integer>, Main.UsesEnvironment {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Job configuration (.properties).")
    Path config;

    @Option(names = "--target", defaultValue = "local", paramLabel = "local|remote",
            description = "local: MiniCluster in this process (default); remote: submit to --jobmanager.")
    String target;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT", description = "REST address of the Flink cluster for --target remote.")
    String jobmanager;

    @Option(names = "--web-port", defaultValue = "8081", paramLabel = "PORT",
            description = "Local web UI port for --target local (the next free port when taken; 0 = any). Default: ${DEFAULT-VALUE}.")
    int webPort;

    @Unmatched
    List<String> overrides = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private Map<String, String> environment = System.getenv();

    @Override
    public void environment(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        // the options first: a usage error costs no broker round trip
        String[] remote = target.equals("remote") ? jobManagerAddress(jobmanager) : null;
        if (!target.equals("local") && !target.equals("remote")) {
            throw new Main.UsageException("--target must be local or remote, got '" + target + "'");
        }
        RawConfig raw = ConfigOptions.load(config, overrides, spec);
        JobConfig cfg = JobConfig.from(raw, environment);
        var existing = BrokerCheck.topics(cfg.kafkaProperties(), 10);
        BrokerCheck.requireTopics(existing, List.of(cfg.eventsTopic(), cfg.metricsTopic(), cfg.snapshotsTopic(),
                cfg.predictionsTopic(), cfg.deadLettersTopic()), cfg.bootstrapServers());
        for (String warning : BrokerCheck.checkBrokerLimits(cfg.kafkaProperties(), cfg, 10)) {
            System.err.println("epochstream run: warning: " + warning);
        }
        StreamExecutionEnvironment env;
        switch (target) {
            case "local" -> {
                Configuration conf = EpochstreamJob.flinkConfiguration(cfg);
                int port = freePort(webPort);
                conf.setString("rest.bind-port", Integer.toString(port));
                conf.setString("rest.port", Integer.toString(port));
                env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                System.err.println("epochstream run: Flink web UI on http://localhost:" + port);
            }
            case "remote" -> {
                env = StreamExecutionEnvironment.createRemoteEnvironment(remote[0], Integer.parseInt(remote[1]),
                        EpochstreamJob.flinkConfiguration(cfg), jobJar().toString());
            }
            default -> throw new Main.UsageException("--target must be local or remote, got '" + target + "'");
        }
        EpochstreamJob.build(env, cfg, false);
        JobClient job = env.executeAsync("epochstream " + cfg.eventsTopic());
        System.err.println("epochstream run: job " + job.getJobID() + " (" + target + ") reading " + cfg.eventsTopic()
                + " on " + cfg.bootstrapServers() + (cfg.saslMechanism() == null ? "" : " (SASL " + cfg.saslMechanism() + ")")
                + "; metrics → " + cfg.metricsTopic() + ", snapshots → "
                + cfg.snapshotsTopic());
        if (target.equals("remote")) {
            return Main.EXIT_OK;
        }
        Thread hook = new Thread(() -> {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // shutting down anyway
            }
        }, "epochstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            job.getJobExecutionResult().get();
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("epochstream run: the job failed: " + rootMessage(e));
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /** HOST and PORT of {@code --jobmanager HOST:PORT}, checked: a usage error otherwise. */
    static String[] jobManagerAddress(String jobmanager) {
        if (jobmanager == null || !jobmanager.contains(":")) {
            throw new Main.UsageException("--target remote needs --jobmanager HOST:PORT (the cluster's REST address)");
        }
        int colon = jobmanager.lastIndexOf(':');
        String host = jobmanager.substring(0, colon);
        String port = jobmanager.substring(colon + 1);
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (host.isBlank() || p < 1 || p > 65535) {
            throw new Main.UsageException("--jobmanager " + jobmanager + ": expected HOST:PORT with a port from 1 to 65535,"
                    + " e.g. flink-jm:8081");
        }
        return new String[] {host, port};
    }

    /** The first free port from {@code from} on (any free port for 0). */
    static int freePort(int from) throws java.io.IOException {
        for (int p = from; p < from + 100 && from > 0; p++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(p)) {
                return p;
            } catch (java.io.IOException taken) {
                // try the next one
            }
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    /** The shaded job jar beside the launcher's jar (flink-job/target). */
    static Path jobJar() throws java.io.IOException {
        Path here = Path.of(RunCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path dir = Files.isDirectory(here) ? here.getParent() : here.getParent();
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-job.jar")).findFirst()
                    .orElseThrow(() -> new java.io.IOException("no shaded job jar (*-job.jar) in " + dir
                            + ": build it with mvn -B -DskipTests package"));
        }
    }
}
