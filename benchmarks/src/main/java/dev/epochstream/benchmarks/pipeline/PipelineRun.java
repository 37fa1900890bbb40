package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.job.EpochstreamJob;
import dev.epochstream.job.JobConfig;
import dev.epochstream.kafka.embedded.EmbeddedKafka;
import dev.epochstream.kafka.embedded.TopicSpec;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.LabelledEvent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStatsSummarySnapshot;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One run of the real job ({@link EpochstreamJob#build}, bounded) over a pre-filled events topic, on its own
 * MiniCluster (one TaskManager, as many slots as the parallelism) in this JVM, with fresh output topics.
 * {@link Learner#TRAIN} is the job as shipped; {@link Learner#COUNT} replaces the trainer's input by a
 * keyed {@link CountingFunction}, so the trainer receives nothing: the ceiling of Kafka + Avro + Flink.
 */
final class PipelineRun {
    enum Learner { TRAIN, COUNT }

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final EmbeddedKafka kafka;
    private final Path workDir;
    private final long cutAfterNanos;

    /**
     * @param cutAfterSeconds a run still going after this long is cancelled and reported as cut, with the
     *                        events it got through by then
     */
    PipelineRun(EmbeddedKafka kafka, Path workDir, long cutAfterSeconds) {
        this.kafka = kafka;
        this.workDir = workDir;
        this.cutAfterNanos = TimeUnit.SECONDS.toNanos(cutAfterSeconds);
    }

    /**
     * Runs the job over {@code eventsTopic} from its start to its end as of submission.
     *
     * @param settings job configuration keys (model, window, state backend, checkpoint interval, parallelism);
     *                 broker, group and topics are added here
     */
    RunResult run(String label, String eventsTopic, Map<String, String> settings, Learner learner) throws Exception {
        JobConfig config = prepare(eventsTopic, settings);
        Configuration flink = EpochstreamJob.flinkConfiguration(config);
        ThroughputProbe.reset();
        HeapSampler heap = new HeapSampler();
        ThreadCpuSampler threads = new ThreadCpuSampler();
        double loadStart = HeapSampler.loadAverage();
        try (MiniCluster mini = new MiniCluster(cluster(flink, config.parallelism()))) {
            mini.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            EpochstreamJob.build(env, config, true, learner == Learner.TRAIN ? PipelineRun::probe : PipelineRun::countOnly);
            JobGraph graph = env.getStreamGraph().getJobGraph();
            long cpuStart = HeapSampler.processCpuNanos();
            long submitted = System.nanoTime();
            JobID id = mini.submitJob(graph).get().getJobID();
            CompletableFuture<JobResult> done = mini.requestJobResult(id);
            JobResult result = null;
            boolean cut = false;
            while (result == null) {
                heap.sample();
                threads.sample();
                try {
                    result = done.get(250, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!cut && System.nanoTime() - submitted > cutAfterNanos) {
                        cut = true;
                        mini.cancelJob(id).get();
                    }
                }
            }
            long ended = System.nanoTime();
            double cpuS = (HeapSampler.processCpuNanos() - cpuStart) / 1e9;
            if (cut) {
                label += String.format(" (cut at %d s)", TimeUnit.NANOSECONDS.toSeconds(cutAfterNanos));
            } else if (!result.isSuccess()) {
                throw new IllegalStateException(label + " failed", result.getSerializedThrowable().get()
                        .deserializeError(PipelineRun.class.getClassLoader()));
            }
            CheckpointStatsSnapshot stats = mini.getExecutionGraph(id).get().getCheckpointStatsSnapshot();
            CompletedCheckpointStatsSummarySnapshot summary = stats.getSummaryStats();
            long first = ThroughputProbe.firstNanos();
            double firstToLast = (ThroughputProbe.lastNanos() - first) / 1e9;
            return new RunResult(label, ThroughputProbe.count(), firstToLast, (ended - submitted) / 1e9,
                    stats.getCounts().getNumberOfCompletedCheckpoints(), summary.getStateSizeStats().getMaximum(),
                    summary.getEndToEndDurationStats().getAverage(), summary.getEndToEndDurationStats().getMaximum(),
                    heap.peakUsedMb(), heap.peakOldAfterGcMb(), loadStart, HeapSampler.loadAverage(), cpuS,
                    threads.byGroup(cpuS));
        }
    }

    /**
     * The job configuration of a new run over {@code eventsTopic}: {@code settings} plus this broker, a
     * fresh consumer group, fresh output topics (created here) and a checkpoint directory.
     */
    JobConfig prepare(String eventsTopic, Map<String, String> settings) {
        int n = RUNS.incrementAndGet();
        String prefix = "run" + n + "-";
        Map<String, String> conf = new LinkedHashMap<>(settings);
        conf.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        conf.put("kafka.group.id", "bench-" + n);
        conf.put("topic.events", eventsTopic);
        conf.put("topic.metrics", prefix + "metrics");
        conf.put("topic.snapshots", prefix + "snapshots");
        conf.put("topic.predictions", prefix + "predictions");
        conf.put("topic.dead-letters", prefix + "dead-letters");
        conf.put("flink.execution.checkpointing.dir", workDir.resolve("checkpoints-" + n).toUri().toString());
        JobConfig config = JobConfig.from(RawConfig.of(conf), Map.of());
        kafka.createTopics(TopicSpec.of(config.metricsTopic(), 1),
                TopicSpec.of(config.snapshotsTopic(), 1).compacted().withConfig("max.message.bytes", "8388608"),
                TopicSpec.of(config.predictionsTopic(), 1), TopicSpec.of(config.deadLettersTopic(), 1));
        return config;
    }

    /** One TaskManager with a slot per subtask, random ports. */
    static MiniClusterConfiguration cluster(Configuration flink, int parallelism) {
        return new MiniClusterConfiguration.Builder().setConfiguration(flink).setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism).withRandomPorts().build();
    }

    private static DataStream<LabelledEvent> probe(DataStream<LabelledEvent> events) {
        return events.map(new ThroughputProbe(), events.getType()).name("probe");
    }

    private static DataStream<LabelledEvent> countOnly(DataStream<LabelledEvent> events) {
        return events.keyBy(new EventKey()).process(new CountingFunction(), events.getType()).name("count");
    }
}
