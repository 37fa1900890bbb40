package dev.epochstream.cli;

import dev.epochstream.job.SnapshotFiles;
import dev.epochstream.learner.epoch.Predictor;
import dev.epochstream.learner.epoch.Refusal;
import dev.epochstream.learner.features.FeatureProblem;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scores a file of events with a snapshot, exactly as the model client serves it. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict a file of events with a snapshot: one JSON line per event with id, key, prediction, scores, version.",
        footer = {"", "Example:", "  epochstream predict --snapshot model.snap --events events.jsonl --out predictions.jsonl"})
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--snapshot", required = true, paramLabel = "FILE", description = "A snapshot file.")
    Path snapshot;

    @Option(names = "--events", required = true, paramLabel = "FILE", description = "Events: JSON lines or an Avro container file; a label is not used, but a malformed one makes its event a bad line.")
    Path events;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: stdout); missing parent directories are created.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        if (!Files.isRegularFile(events)) {
            throw new NoSuchFileException(events.toString(), null, "events file not found");
        }
        ModelSnapshot s = SnapshotFiles.readUsable(snapshot, snapshot.toString());
        if (out != null) {
            OutputPaths.prepareFile(out, "--out");
        }
        Predictor predictor = ModelSnapshots.predictor(s);
        long[] counts = new long[2];
        BufferedWriter w = out == null ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        try {
            long[] bad = new long[1];
            EventFile.readExamples(events, err, bad, (line, e) -> {
                FeatureProblem p = predictor.encoder().problem(e);
                if (p != null) {
                    counts[1]++;
                    err.println(events + ":" + line + ": skipped (" + Refusal.of(p).kind().code() + "): " + p.message());
                    return;
                }
                w.write(Json.MAPPER.writeValueAsString(Json.prediction(e.id(), e.key(), predictor.predict(e))));
                w.newLine();
                counts[0]++;
            });
            counts[1] += bad[0];
        } finally {
            w.flush();
            if (out != null) {
                w.close();
            }
        }
        err.printf("predict: %d predictions with version %d of '%s', %d events skipped%n", counts[0], s.getVersion(),
                s.getKey(), counts[1]);
        return Main.EXIT_OK;
    }
}
