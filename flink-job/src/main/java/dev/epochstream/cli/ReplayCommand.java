package dev.epochstream.cli;

import dev.epochstream.job.SnapshotFiles;
import dev.epochstream.learner.config.ConfigException;
import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.config.WindowSpec;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.epoch.EpochResult;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.Refusal;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Trains offline over a file of events with the same {@link EpochTrainer} the streaming job uses:
 * count windows per key in file order, a partial last window trained as its own epoch at the end.
 * The snapshots' createdAt is the latest event time in the file, so two replays of the same input write
 * bit-identical snapshots.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Train models offline over a file of events (JSON lines or Avro), with the job's epoch trainer.",
        footer = {"", "Any configuration key can be overridden after the options: --KEY VALUE.", "",
                "Example:",
                "  epochstream replay --config job.properties --events events.jsonl --out model.snap \\",
                "      --metrics epochs.jsonl --optimizer.lr 0.01"})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Job configuration (.properties).")
    Path config;

    @Option(names = "--events", required = true, paramLabel = "FILE", description = "Events: JSON lines or an Avro container file.")
    Path events;

    @Option(names = "--init", paramLabel = "SNAPSHOT", description = "Start the snapshot's key from this model instead of a fresh one.")
    Path init;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Output output;

    static final class Output {
        @Option(names = "--out", paramLabel = "FILE", description = "Write the final model of the one key in the file.")
        Path file;

        @Option(names = "--out-dir", paramLabel = "DIR", description = "Write one snapshot per key: DIR/<key>.snap"
                + " (the key URL-encoded; a name over 200 characters is cut to 160 plus '~' and a hash of the key).")
        Path dir;
    }

    @Option(names = "--metrics", paramLabel = "FILE", description = "Write one JSON object per epoch (EpochMetrics field names).")
    Path metrics;

    @Unmatched
    List<String> overrides = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        RawConfig raw = ConfigOptions.load(config, overrides, spec);
        TrainingConfig cfg = TrainingConfig.from(raw);
        if (cfg.window().kind() != WindowSpec.Kind.COUNT) {
            throw new Main.UsageException("replay cuts count windows: set epoch.window=count:N (the configuration has "
                    + cfg.window() + ")");
        }
        int size = cfg.window().count();
        if (!Files.isRegularFile(events)) {
            throw new NoSuchFileException(events.toString(), null, "events file not found");
        }
        EpochTrainer trainer = new EpochTrainer(cfg);
        Map<String, ModelState> models = new LinkedHashMap<>();
        Map<String, List<Example>> windows = new LinkedHashMap<>();
        String initKey = null;
        if (init != null) {
            ModelSnapshot s = SnapshotFiles.readUsable(init, "--init " + init);
            String mismatch = ModelSnapshots.architectureMismatch(s, cfg);
            if (mismatch != null) {
                throw new ConfigException(mismatch.substring(0, mismatch.indexOf(' ')), "--init " + init
                        + " was trained under another architecture: " + mismatch
                        + "; replay it with the configuration it was trained under, or drop --init");
            }
            initKey = s.getKey();
            models.put(initKey, trainer.restore(ModelSnapshots.image(s)));
        }
        // every output is checked before training, so a bad path costs no work
        if (output.file != null) {
            OutputPaths.prepareFile(output.file, "--out");
        } else {
            OutputPaths.prepareDir(output.dir, "--out-dir " + output.dir);
        }
        if (metrics != null) {
            OutputPaths.prepareFile(metrics, "--metrics");
        }
        long[] counts = new long[5]; // events, bad lines, refused, unlabelled, epochs
        long[] maxTime = {Long.MIN_VALUE};
        BufferedWriter metricsOut = metrics == null ? null : Files.newBufferedWriter(metrics, StandardCharsets.UTF_8);
        try {
            long[] bad = new long[1];
            EventFile.readExamples(events, err, bad, (line, e) -> {
                counts[0]++;
                maxTime[0] = Math.max(maxTime[0], e.time());
                if (e.label() == null) {
                    counts[3]++;
                    return;
                }
                ModelState m = models.computeIfAbsent(e.key(), trainer::newModel);
                Refusal r = trainer.refusal(e);
                if (r != null) {
                    counts[2]++;
                    m.recordRefused(1);
                    err.println(events + ":" + line + ": refused (" + r.kind().code() + "): " + r.message());
                    return;
                }
                List<Example> w = windows.computeIfAbsent(e.key(), k -> new ArrayList<>());
                w.add(e);
                if (w.size() == size) {
                    epoch(trainer, m, w, metricsOut);
                    counts[4]++;
                }
            });
            counts[1] = bad[0];
            for (Map.Entry<String, List<Example>> w : windows.entrySet()) {
                if (!w.getValue().isEmpty()) {
                    epoch(trainer, models.get(w.getKey()), w.getValue(), metricsOut);
                    counts[4]++;
                }
            }
        } finally {
            if (metricsOut != null) {
                metricsOut.close();
            }
        }
        long createdAt = maxTime[0] == Long.MIN_VALUE ? 0L : maxTime[0];
        if (output.file != null) {
            if (models.size() > 1) {
                throw new Main.UsageException("the events hold " + models.size() + " keys " + models.keySet()
                        + ": use --out-dir DIR for one snapshot per key");
            }
            ModelState m = models.isEmpty() ? trainer.newModel(initKey == null ? "default" : initKey)
                    : models.values().iterator().next();
            SnapshotFiles.write(output.file, ModelSnapshots.of(cfg, trainer.image(m, cfg.snapshotOptimizerState()), createdAt));
        } else {
            for (ModelState m : models.values()) {
                Path f = output.dir.resolve(OutputPaths.snapshotFileName(m.key()));
                SnapshotFiles.write(f, ModelSnapshots.of(cfg, trainer.image(m, cfg.snapshotOptimizerState()), createdAt));
            }
        }
        err.printf("replay: %d events, %d keys, %d epochs; %d bad lines, %d refused, %d without label (not trained)%n",
                counts[0], models.size(), counts[4], counts[1], counts[2], counts[3]);
        if (counts[0] == 0 && counts[1] > 0) {
            err.println("replay: warning: no valid events in " + events + " (every line was bad): "
                    + (output.file != null ? "wrote the initial model" : "wrote no snapshot"));
        }
        return Main.EXIT_OK;
    }

    private static void epoch(EpochTrainer trainer, ModelState m, List<Example> window, BufferedWriter metricsOut)
            throws IOException {
        // as the job's count windows: the window spans the event times it holds
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Example e : window) {
            start = Math.min(start, e.time());
            end = Math.max(end, e.time());
        }
        EpochResult r = trainer.trainEpoch(m, window, start, end, 0);
        window.clear();
        if (metricsOut != null) {
            metricsOut.write(Json.MAPPER.writeValueAsString(Json.epoch(r, null)));
            metricsOut.newLine();
        }
    }
}
